import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from './activations.js';
import { syntheticDataset } from './data.js';
import { initializeParameters } from './init.js';
import { LOSSES } from './losses.js';
import { MlpEvaluation, mlpLoss } from './mlp-engine.js';
import { mlpSpec } from './spec.js';

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / Math.max(n, 1e-300));
}

const cases = ACTIVATIONS.flatMap((activation) =>
  LOSSES.flatMap((loss) => [false, true].map((bias) => ({ activation, loss, bias }))),
);

describe('MlpEvaluation derivatives against central finite differences', () => {
  it.each(cases)('gradient, Jacobian, per-sample gradients: $activation $loss bias=$bias', ({ activation, loss, bias }) => {
    const spec = mlpSpec({ widths: [3, 4, 3, 3], activation, bias, seed: 7 });
    const params = initializeParameters(spec);
    // Give biases non-zero values so that their derivatives are exercised away from 0.
    for (let i = 0; i < params.length; i++) params[i] += 0.05 * Math.sin(3 * i + 1);
    const data = syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'gaussian-classes', count: 6, inputSize: 3, outputSize: 3, seed: 3 });
    const evaluation = new MlpEvaluation(spec, params, data, loss);
    const p = params.length;
    const h = 1e-6;
    // Gradient of the mean loss.
    const fdGrad = new Float64Array(p);
    const fdJacobian = new Float64Array(data.count * 3 * p);
    for (let j = 0; j < p; j++) {
      const plus = params.slice();
      const minus = params.slice();
      plus[j] += h;
      minus[j] -= h;
      fdGrad[j] = (mlpLoss(spec, plus, data, loss) - mlpLoss(spec, minus, data, loss)) / (2 * h);
      const fPlus = new MlpEvaluation(spec, plus, data, loss).outputs;
      const fMinus = new MlpEvaluation(spec, minus, data, loss).outputs;
      for (let r = 0; r < fPlus.length; r++) fdJacobian[r * p + j] = (fPlus[r] - fMinus[r]) / (2 * h);
    }
    expect(relativeError(evaluation.gradient(), fdGrad)).toBeLessThan(1e-7);
    expect(relativeError(evaluation.outputJacobian(), fdJacobian)).toBeLessThan(1e-7);
    // Per-sample gradients average to the gradient, and each row is J_iᵀ g_i.
    const G = evaluation.perSampleGradients();
    const mean = new Float64Array(p);
    for (let i = 0; i < data.count; i++) for (let j = 0; j < p; j++) mean[j] += G[i * p + j] / data.count;
    expect(relativeError(mean, fdGrad)).toBeLessThan(1e-7);
  });
});

describe('curvature products', () => {
  it.each(cases)('H v matches finite differences of the gradient and H v = H_O v + H_F v: $activation $loss bias=$bias', ({ activation, loss, bias }) => {
    const spec = mlpSpec({ widths: [4, 5, 3], activation, bias, seed: 11 });
    const params = initializeParameters(spec);
    for (let i = 0; i < params.length; i++) params[i] += 0.05 * Math.cos(2 * i);
    const data = syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'mixture', count: 7, inputSize: 4, outputSize: 3, seed: 5 });
    const evaluation = new MlpEvaluation(spec, params, data, loss);
    const p = params.length;
    const v = new Float64Array(p).map((_, i) => Math.sin(0.7 * i + 0.3));
    const h = 1e-5;
    const plus = params.map((x, i) => x + h * v[i]);
    const minus = params.map((x, i) => x - h * v[i]);
    const gPlus = new MlpEvaluation(spec, plus, data, loss).gradient();
    const gMinus = new MlpEvaluation(spec, minus, data, loss).gradient();
    const fd = gPlus.map((x, i) => (x - gMinus[i]) / (2 * h));
    const Hv = evaluation.curvatureProduct(v, 'full');
    expect(relativeError(Hv, fd)).toBeLessThan(1e-6);
    const HOv = evaluation.curvatureProduct(v, 'outer');
    const HFv = evaluation.curvatureProduct(v, 'functional');
    const sum = HOv.map((x, i) => x + HFv[i]);
    expect(relativeError(sum, Hv)).toBeLessThan(1e-12);
    // H_O v = (1/N) Jᵀ Λ J v from the explicit Jacobian (an independent route).
    const J = evaluation.outputJacobian();
    const K = 3;
    const Jv = new Float64Array(data.count * K);
    for (let r = 0; r < Jv.length; r++) for (let j = 0; j < p; j++) Jv[r] += J[r * p + j] * v[j];
    const reference = new Float64Array(p);
    const Lambda = evaluation.outputHessians;
    for (let i = 0; i < data.count; i++) {
      for (let a = 0; a < K; a++) {
        let w = 0;
        for (let b = 0; b < K; b++) w += Lambda[(i * K + a) * K + b] * Jv[i * K + b];
        for (let j = 0; j < p; j++) reference[j] += (J[(i * K + a) * p + j] * w) / data.count;
      }
    }
    expect(relativeError(HOv, reference)).toBeLessThan(1e-12);
    // Empirical Fisher F v = (1/N) Σ_i ∇ℓ_i (∇ℓ_iᵀ v) from the explicit per-sample gradients.
    const G = evaluation.perSampleGradients();
    const fisherReference = new Float64Array(p);
    for (let i = 0; i < data.count; i++) {
      let dot = 0;
      for (let j = 0; j < p; j++) dot += G[i * p + j] * v[j];
      for (let j = 0; j < p; j++) fisherReference[j] += (G[i * p + j] * dot) / data.count;
    }
    expect(relativeError(evaluation.curvatureProduct(v, 'fisher'), fisherReference)).toBeLessThan(1e-12);
  });

  it('rejects a vector of the wrong length', () => {
    const spec = mlpSpec({ widths: [2, 2] });
    const data = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: 2, outputSize: 2, seed: 0 });
    const evaluation = new MlpEvaluation(spec, initializeParameters(spec), data, 'mse');
    expect(() => evaluation.curvatureProduct(new Float64Array(3))).toThrow(/length 3, expected p = 4/);
  });

  it('rejects data that does not fit the network and non-finite losses', () => {
    const spec = mlpSpec({ widths: [2, 2] });
    const data = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: 3, outputSize: 2, seed: 0 });
    expect(() => new MlpEvaluation(spec, initializeParameters(spec), data, 'mse')).toThrow(/input size 3, the network expects 2/);
    const good = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: 2, outputSize: 2, seed: 0 });
    good.inputs[0] = NaN;
    expect(() => new MlpEvaluation(spec, initializeParameters(spec), good, 'mse')).toThrow(/loss is NaN/);
  });
});
