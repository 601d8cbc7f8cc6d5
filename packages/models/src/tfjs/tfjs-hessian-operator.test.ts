import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { lanczosEigenpairs, Random } from '@intrinsic/spectra';
import { ACTIVATIONS } from '../activations.js';
import { syntheticDataset } from '../data.js';
import { initializeParameters } from '../init.js';
import { LOSSES } from '../losses.js';
import { MlpEvaluation } from '../mlp-engine.js';
import { mlpSpec } from '../spec.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { tfjsGgnOperator, tfjsHessianOperator } from './tfjs-hessian-operator.js';

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

beforeAll(useCpuBackend);

const cases = ACTIVATIONS.flatMap((activation) => LOSSES.flatMap((loss) => (['r-operator', 'double-backprop'] as const).map((method) => ({ activation, loss, method }))));

describe('tfjs curvature operators against the float64 engine', () => {
  it.each(cases)('Hv and Gv: $activation, $loss, $method (relative error ≤ 1e-3)', ({ activation, loss, method }) => {
    const spec = mlpSpec({ widths: [5, 6, 4, 3], activation, bias: true, seed: 11, leakySlope: 0.1 });
    const params = initializeParameters(spec);
    for (let i = 0; i < params.length; i++) params[i] += 0.1 * Math.sin(2 * i + 1);
    const data = syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'gaussian-classes', count: 23, inputSize: 5, outputSize: 3, seed: 4 });
    const v = new Random(9).fillGaussian(new Float64Array(params.length));
    const exact = new MlpEvaluation(spec, params, data, loss);
    // batchSize 10 splits the 23 samples into 10 + 10 + 3: the float64 batch sums must give the full mean.
    const H = tfjsHessianOperator(spec, params, data, loss, { batchSize: 10, method });
    const G = tfjsGgnOperator(spec, params, data, loss, { batchSize: 10, method });
    expect(relativeError(H.apply(v), exact.curvatureProduct(v, 'full'))).toBeLessThan(1e-3);
    expect(relativeError(G.apply(v), exact.curvatureProduct(v, 'outer'))).toBeLessThan(1e-3);
    H.dispose();
    G.dispose();
  });

  it.each([true, false])('no-bias networks (bias=%s) and both methods agree with each other', (bias) => {
    const spec = mlpSpec({ widths: [7, 5, 4], activation: 'softplus', bias, seed: 8 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian-classes', count: 9, inputSize: 7, outputSize: 4, seed: 3 });
    const v = new Random(2).fillGaussian(new Float64Array(params.length));
    const a = tfjsHessianOperator(spec, params, data, 'cross-entropy', { method: 'r-operator' });
    const b = tfjsHessianOperator(spec, params, data, 'cross-entropy', { method: 'double-backprop' });
    expect(relativeError(a.apply(v), b.apply(v))).toBeLessThan(1e-5);
    expect(relativeError(a.apply(v), new MlpEvaluation(spec, params, data, 'cross-entropy').curvatureProduct(v, 'full'))).toBeLessThan(1e-4);
    a.dispose();
    b.dispose();
    expect(() => tfjsHessianOperator(spec, params, data, 'mse', { method: 'exact' as never })).toThrow("unknown method 'exact'; supported: r-operator, double-backprop");
  });

  it('has no tensor leak across products and works with Lanczos', () => {
    const spec = mlpSpec({ widths: [4, 5, 2], activation: 'tanh', bias: false, seed: 1 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian', count: 12, inputSize: 4, outputSize: 2, seed: 2 });
    const initial = tf.memory().numTensors;
    const H = tfjsHessianOperator(spec, params, data, 'mse');
    const before = tf.memory().numTensors;
    H.apply(new Float64Array(params.length).fill(1));
    expect(tf.memory().numTensors).toBe(before);
    const D = tfjsHessianOperator(spec, params, data, 'mse', { method: 'double-backprop' });
    const beforeD = tf.memory().numTensors;
    D.apply(new Float64Array(params.length).fill(1));
    expect(tf.memory().numTensors).toBe(beforeD);
    D.dispose();
    // Largest eigenvalue against the dense float64 Hessian's, built column by column from exact products.
    const p = params.length;
    const exact = new MlpEvaluation(spec, params, data, 'mse');
    const dense = new Float64Array(p * p);
    for (let j = 0; j < p; j++) {
      const e = new Float64Array(p);
      e[j] = 1;
      dense.set(exact.curvatureProduct(e, 'full'), j * p);
    }
    const top = lanczosEigenpairs(H, { k: 1, which: 'largest', seed: 3 });
    let largest = 0;
    // Power iteration on the exact dense matrix (symmetric) as the reference.
    let x = new Float64Array(p).fill(1);
    for (let it = 0; it < 2000; it++) {
      const y = new Float64Array(p);
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) y[i] += dense[i * p + j] * x[j];
      const norm = Math.hypot(...y);
      largest = norm;
      x = y.map((t) => t / norm);
    }
    expect(Math.abs(Math.max(...top.values) - largest) / largest).toBeLessThan(1e-3);
    H.dispose();
    expect(tf.memory().numTensors).toBe(initial);
  });
});
