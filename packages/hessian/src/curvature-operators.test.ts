import { describe, expect, it } from 'vitest';
import { checkOperatorDeterminism, Random } from '@intrinsic/spectra';
import { ACTIVATIONS, LOSSES, MlpEvaluation, initializeParameters, mlpSpec, syntheticDataset, type Loss } from '@intrinsic/models';
import { curvatureOperator, empiricalFisherOperator, ggnOperator, hessianOperator } from './curvature-operators.js';
import { hessianDecomposition, matrixBlock } from './dense-hessian.js';
import { selectParameters } from './parameter-selection.js';

function denseTimes(A: Float64Array, n: number, x: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    y[i] = s;
  }
  return y;
}

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

function problem(activation: (typeof ACTIVATIONS)[number], loss: Loss, bias: boolean) {
  const spec = mlpSpec({ widths: [4, 5, 3, 3], activation, bias, seed: 3 });
  const params = initializeParameters(spec);
  for (let i = 0; i < params.length; i++) params[i] += 0.05 * Math.sin(i);
  const data = syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'mixture', count: 11, inputSize: 4, outputSize: 3, seed: 8 });
  return { spec, params, data };
}

const cases = ACTIVATIONS.flatMap((activation) => LOSSES.flatMap((loss) => [false, true].map((bias) => ({ activation, loss, bias }))));

describe('curvature operators against the dense matrices', () => {
  it.each(cases)('H, H_O, H_F, Fisher products: $activation $loss bias=$bias', ({ activation, loss, bias }) => {
    const { spec, params, data } = problem(activation, loss, bias);
    const dense = hessianDecomposition(spec, params, data, loss);
    const p = dense.size;
    const v = new Random(1).fillGaussian(new Float64Array(p));
    const parts = [
      ['full', dense.hessian],
      ['outer', dense.outer],
      ['functional', dense.functional],
    ] as const;
    for (const [part, matrix] of parts) {
      // Batches of 4 samples (11 = 4 + 4 + 3): the product is still the exact full-data product.
      const op = curvatureOperator(spec, params, data, loss, part, { batchSize: 4 });
      expect(relativeError(op.apply(v), denseTimes(matrix, p, v))).toBeLessThan(1e-10);
    }
    // Dense empirical Fisher from per-sample gradients.
    const G = new MlpEvaluation(spec, params, data, loss).perSampleGradients();
    const F = new Float64Array(p * p);
    for (let i = 0; i < data.count; i++) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) F[a * p + b] += (G[i * p + a] * G[i * p + b]) / data.count;
    expect(relativeError(empiricalFisherOperator(spec, params, data, loss, { batchSize: 5 }).apply(v), denseTimes(F, p, v))).toBeLessThan(1e-10);
  });

  it('a layer restriction is the sub-block P H Pᵀ of the dense Hessian (a layer, and a layer pair)', () => {
    const { spec, params, data } = problem('tanh', 'cross-entropy', true);
    const dense = hessianDecomposition(spec, params, data, 'cross-entropy');
    for (const filter of ['2', '1,3', 'W1', 'biases']) {
      const op = hessianOperator(spec, params, data, 'cross-entropy', { parameters: filter });
      const indices = selectParameters(spec, filter);
      expect(Array.from(op.parameterIndices)).toEqual(Array.from(indices));
      const block = matrixBlock(dense.hessian, dense.size, indices, indices);
      const x = new Random(2).fillGaussian(new Float64Array(indices.length));
      expect(relativeError(op.apply(x), denseTimes(block, indices.length, x))).toBeLessThan(1e-10);
    }
  });

  it('block products equal separate products, and repeated products are identical', () => {
    const { spec, params, data } = problem('gelu', 'mse', false);
    const op = ggnOperator(spec, params, data, 'mse');
    const X = new Random(5).fillGaussian(new Float64Array(3 * op.size));
    const Y = op.applyBlock(X, 3);
    for (let j = 0; j < 3; j++) {
      expect(Array.from(Y.subarray(j * op.size, (j + 1) * op.size))).toEqual(Array.from(op.apply(X.subarray(j * op.size, (j + 1) * op.size))));
    }
    expect(() => checkOperatorDeterminism(op)).not.toThrow();
  });

  it('rejects a filter that matches nothing, a bad batch size, and reports NaN products', () => {
    const { spec, params, data } = problem('relu', 'mse', false);
    expect(() => hessianOperator(spec, params, data, 'mse', { parameters: 'b1' })).toThrow(/matches no parameters; arrays: W1, W2, W3/);
    expect(() => hessianOperator(spec, params, data, 'mse', { parameters: '4' })).toThrow(/layer 4 is outside 1…3/);
    expect(() => hessianOperator(spec, params, data, 'mse', { batchSize: 0 })).toThrow(/batch size must be a positive integer/);
    const op = hessianOperator(spec, params, data, 'mse');
    const v = new Float64Array(op.size);
    v[0] = NaN;
    expect(() => op.apply(v)).toThrow(/is NaN/);
  });
});
