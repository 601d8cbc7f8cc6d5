import { describe, expect, it } from 'vitest';
import { Random, ShapeMismatchError, symmetricEigen } from '@intrinsic/spectra';
import { MlpEvaluation, mlpSpec, type Dataset } from '@intrinsic/models';
import { denseHessian } from '@intrinsic/hessian';
import { ridgeSolve, solveDense } from './__fixtures__/linear-solve.js';
import { influencePopulationLoss } from './influence-population-loss.js';
import { leaveOneOutEstimate } from './leave-one-out-estimate.js';
import { perSampleLosses } from './per-sample-losses.js';
import { smallestPositiveEigenvalue } from './smallest-positive-eigenvalue.js';

/** Linear regression y = w·x + b as a [d, 1] MLP with bias; design rows [x, 1] match the layout (W1, b1). */
function regression(d: number, N: number, seed: number, duplicateFirstFeature = false) {
  const rng = new Random(seed);
  const inputs = rng.fillGaussian(new Float64Array(N * d));
  if (duplicateFirstFeature) for (let i = 0; i < N; i++) inputs[i * d + 1] = inputs[i * d];
  const targets = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0.3;
    for (let j = 0; j < d; j++) s += (j % 2 ? -0.5 : 1) * inputs[i * d + j];
    targets[i] = s + 0.4 * rng.gaussian();
  }
  const p = d + 1;
  const design = new Float64Array(N * p);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < d; j++) design[i * p + j] = inputs[i * d + j];
    design[i * p + d] = 1;
  }
  const data: Dataset = { inputs, targets, count: N, inputSize: d, outputSize: 1, description: `regression d=${d} N=${N}` };
  return { spec: mlpSpec({ widths: [d, 1], bias: true }), data, design, targets, p };
}

/** Eigen-decomposition of H + ρI, H the dense Hessian of the mean MSE loss. */
function hessianEigen(spec: ReturnType<typeof mlpSpec>, params: Float64Array, data: Dataset, rho: number) {
  const p = params.length;
  const H = denseHessian(spec, params, data, 'mse');
  for (let i = 0; i < p; i++) H[i * p + i] += rho;
  return { H, ...symmetricEigen(H, p) };
}

describe('leaveOneOutEstimate', () => {
  for (const [label, d, N, rho] of [
    ['ridge-less, N > p', 4, 12, 0],
    ['small ridge, N > p', 4, 12, 1e-3],
    ['small ridge, p > N (over-parameterised)', 15, 8, 1e-3],
  ] as const) {
    it(`linear regression (${label}): equals explicit retraining and e_i/(1 − h_ii) to 1e-10`, () => {
      const { spec, data, design, targets, p } = regression(d, N, 5);
      const mu = N * rho; // objective Σ ½r² + (Nρ/2)‖θ‖²
      const theta = ridgeSolve(design, targets, N, p, mu);
      const evaluation = new MlpEvaluation(spec, theta, data, 'mse');
      const { values, vectors } = hessianEigen(spec, theta, data, rho);
      const loo = leaveOneOutEstimate({ evaluation, eigenvalues: values, eigenvectors: vectors });
      expect(loo.singularCount).toBe(0);
      // (XᵀX + μI)⁻¹ for the leverages
      const A = new Float64Array(p * p);
      for (let i = 0; i < N; i++) for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) A[a * p + c] += design[i * p + a] * design[i * p + c];
      for (let a = 0; a < p; a++) A[a * p + a] += mu;
      let meanRetrained = 0;
      for (let i = 0; i < N; i++) {
        const thetaMinus = ridgeSolve(design, targets, N, p, mu, i);
        let prediction = 0;
        for (let a = 0; a < p; a++) prediction += design[i * p + a] * thetaMinus[a];
        const retrained = 0.5 * (prediction - targets[i]) ** 2;
        meanRetrained += retrained / N;
        expect(Math.abs(loo.losses[i] - retrained)).toBeLessThanOrEqual(1e-10 * retrained + 1e-14);
        // closed form: r_i/(1 − h_ii)
        const x = design.subarray(i * p, (i + 1) * p);
        const solved = solveDense(A, x, p);
        let h = 0;
        for (let a = 0; a < p; a++) h += x[a] * solved[a];
        const residual = evaluation.outputs[i] - targets[i];
        expect(Math.abs(loo.leverages[i] - h)).toBeLessThan(1e-10);
        const press = 0.5 * (residual / (1 - h)) ** 2;
        expect(Math.abs(loo.losses[i] - press)).toBeLessThanOrEqual(1e-10 * press + 1e-14);
        // first-order influence: ½ r² (1 + 2h)
        expect(Math.abs(loo.firstOrderLosses[i] - 0.5 * residual ** 2 * (1 + 2 * h))).toBeLessThan(1e-10 * Math.max(1, residual ** 2));
      }
      expect(Math.abs(loo.meanLoss - meanRetrained)).toBeLessThan(1e-10 * meanRetrained);
      expect(loo.meanLoss).toBeGreaterThan(loo.firstOrderMeanLoss); // 1/(1−h)² ≥ 1 + 2h
    });
  }

  it('two outputs (K = 2): equals explicit retraining of each output row', () => {
    const d = 3;
    const N = 10;
    const K = 2;
    const rng = new Random(12);
    const inputs = rng.fillGaussian(new Float64Array(N * d));
    const targets = rng.fillGaussian(new Float64Array(N * K));
    const data: Dataset = { inputs, targets, count: N, inputSize: d, outputSize: K, description: 'K=2' };
    const spec = mlpSpec({ widths: [d, K], bias: false });
    const column = (k: number) => Float64Array.from({ length: N }, (_, i) => targets[i * K + k]);
    const fitWeights = (skip: number) => {
      const W = new Float64Array(K * d);
      for (let k = 0; k < K; k++) W.set(ridgeSolve(inputs, column(k), N, d, 0, skip), k * d);
      return W;
    };
    const W = fitWeights(-1);
    const evaluation = new MlpEvaluation(spec, W, data, 'mse');
    const { values, vectors } = hessianEigen(spec, W, data, 0);
    const loo = leaveOneOutEstimate({ evaluation, eigenvalues: values, eigenvectors: vectors });
    for (let i = 0; i < N; i++) {
      const Wm = fitWeights(i);
      let loss = 0;
      for (let k = 0; k < K; k++) {
        let f = 0;
        for (let j = 0; j < d; j++) f += Wm[k * d + j] * inputs[i * d + j];
        loss += 0.5 * (f - targets[i * K + k]) ** 2;
      }
      expect(Math.abs(loo.losses[i] - loss)).toBeLessThanOrEqual(1e-10 * loss + 1e-14);
    }
  });

  it('reports a singular sample instead of NaN when it is interpolated alone (h_ii = 1)', () => {
    // p = 2 > N = 1 ... use N = 2, d = 1 with bias: two points fit exactly, h_ii = 1 for both.
    const { spec, data, design, targets, p } = regression(1, 2, 3);
    const theta = ridgeSolve(design, targets, 2, p, 0);
    const evaluation = new MlpEvaluation(spec, theta, data, 'mse');
    const { values, vectors } = hessianEigen(spec, theta, data, 0);
    const loo = leaveOneOutEstimate({ evaluation, eigenvalues: values, eigenvectors: vectors });
    expect(loo.singularCount).toBe(2);
    expect(loo.losses[0]).toBe(Infinity);
    expect(() => leaveOneOutEstimate({ evaluation, eigenvalues: values.subarray(1), eigenvectors: vectors })).toThrow(ShapeMismatchError);
  });
});

describe('influencePopulationLoss', () => {
  it('full-rank H: matches E ℓ + E[gᵀH⁻¹g]/(N+1) by a dense solve, and the bounds bracket it', () => {
    const { spec, data, design, targets, p } = regression(4, 30, 8);
    const theta = ridgeSolve(design, targets, 30, p, 0);
    const { H, values, vectors } = hessianEigen(spec, theta, data, 0);
    const test = regression(4, 9, 99).data;
    const testEvaluation = new MlpEvaluation(spec, theta, test, 'mse');
    const gradients = testEvaluation.perSampleGradients();
    const losses = perSampleLosses(testEvaluation);
    expect(Math.abs(losses.reduce((a, b) => a + b, 0) / 9 - testEvaluation.value)).toBeLessThan(1e-14);
    const r = influencePopulationLoss({ eigenvalues: values, eigenvectors: vectors, gradients, losses, trainingSetSize: 30 });
    let quad = 0;
    for (let z = 0; z < 9; z++) {
      const g = gradients.subarray(z * p, (z + 1) * p);
      const solved = solveDense(H, g, p);
      let q = 0;
      for (let a = 0; a < p; a++) q += g[a] * solved[a];
      expect(Math.abs(r.quadraticForms[z] - q)).toBeLessThan(1e-10 * q);
      quad += q / 9;
    }
    expect(Math.abs(r.estimate - (testEvaluation.value + quad / 31))).toBeLessThan(1e-12 * r.estimate);
    expect(r.rank).toBe(p);
    expect(r.lambdaMinPositive).toBe(values[0]);
    expect(r.lowerBound).toBeLessThanOrEqual(r.estimate);
    expect(r.rangeLowerBound).toBeLessThanOrEqual(r.estimate);
    expect(r.rangeUpperBound).toBeGreaterThanOrEqual(r.estimate);
    expect(r.lowerBound).toBeGreaterThan(r.meanLoss);
  });

  it('rank-deficient H (duplicated feature): pseudo-inverse equals the ridge limit gᵀ(H + εI)⁻¹g', () => {
    const { spec, data, design, targets, p } = regression(3, 20, 4, true);
    // minimum-norm solution via a tiny ridge; the gradient lies in range(H) because g = r·x̃.
    const theta = ridgeSolve(design, targets, 20, p, 1e-12);
    const { H, values, vectors } = hessianEigen(spec, theta, data, 0);
    const evaluation = new MlpEvaluation(spec, theta, data, 'mse');
    const gradients = evaluation.perSampleGradients();
    const losses = perSampleLosses(evaluation);
    const r = influencePopulationLoss({ eigenvalues: values, eigenvectors: vectors, gradients, losses, trainingSetSize: 20 });
    expect(r.rank).toBe(p - 1);
    const eps = 1e-9;
    const Heps = Float64Array.from(H);
    for (let a = 0; a < p; a++) Heps[a * p + a] += eps;
    for (let z = 0; z < 20; z++) {
      const g = gradients.subarray(z * p, (z + 1) * p);
      const solved = solveDense(Heps, g, p);
      let q = 0;
      for (let a = 0; a < p; a++) q += g[a] * solved[a];
      expect(Math.abs(r.quadraticForms[z] - q)).toBeLessThan(1e-6 * q + 1e-12);
    }
  });

  it('λ_min⁺ collapses at the interpolation threshold p = N (Marchenko–Pastur)', () => {
    const N = 20;
    const lambdaMin = (d: number) => {
      const rng = new Random(31);
      const inputs = rng.fillGaussian(new Float64Array(N * d));
      const data: Dataset = { inputs, targets: new Float64Array(N), count: N, inputSize: d, outputSize: 1, description: 'mp' };
      const spec = mlpSpec({ widths: [d, 1], bias: false });
      const H = denseHessian(spec, new Float64Array(d), data, 'mse'); // XᵀX/N, independent of θ
      const s = smallestPositiveEigenvalue(symmetricEigen(H, d).values);
      expect(s.positiveCount).toBe(Math.min(d, N));
      return s.value;
    };
    const under = lambdaMin(5);
    const threshold = lambdaMin(20);
    const over = lambdaMin(60);
    expect(threshold).toBeLessThan(0.1 * under);
    expect(threshold).toBeLessThan(0.1 * over);
  });
});

describe('smallestPositiveEigenvalue', () => {
  it('skips the numerical null space and counts negatives', () => {
    const s = smallestPositiveEigenvalue(Float64Array.of(-2, -1e-17, 1e-16, 0.5, 3));
    expect(s.value).toBe(0.5);
    expect(s.index).toBe(3);
    expect(s.positiveCount).toBe(2);
    expect(s.negativeCount).toBe(1);
    expect(s.largest).toBe(3);
    expect(Number.isNaN(smallestPositiveEigenvalue(Float64Array.of(0, -1)).value)).toBe(true);
    expect(() => smallestPositiveEigenvalue(Float64Array.of(NaN))).toThrow(/eigenvalue 0 is NaN/);
  });
});
