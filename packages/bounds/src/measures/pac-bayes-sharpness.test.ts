import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import { mlpSpec, type Dataset } from '@intrinsic/models';
import { pacBayesSharpness } from './pac-bayes-sharpness.js';

// Linear 1-layer net f(x) = W x (d = 3, K = 2, no bias) with targets y = W x: zero residual, so
// L(W + σU) − L(W) = σ² q(U) exactly, q(U) = (1/2N) Σ_i ‖U x_i‖², and E_U q = K Σ_i ‖x_i‖² / (2N).
const d = 3;
const K = 2;
const N = 6;
const spec = mlpSpec({ widths: [d, K], bias: false });
const rng = new Random(21);
const W = rng.fillGaussian(new Float64Array(K * d));
const inputs = rng.fillGaussian(new Float64Array(N * d));
const targets = new Float64Array(N * K);
for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) targets[i * K + k] += W[k * d + j] * inputs[i * d + j];
const data: Dataset = { inputs, targets, count: N, inputSize: d, outputSize: K, description: 'zero-residual linear' };

function q(U: Float64Array): number {
  let s = 0;
  for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) {
    let r = 0;
    for (let j = 0; j < d; j++) r += U[k * d + j] * inputs[i * d + j];
    s += r * r;
  }
  return s / (2 * N);
}

describe('pacBayesSharpness', () => {
  it('with given directions: σ′ = √(τ / mean_s q(u_s)) to 1e-9', () => {
    const S = 5;
    const directions = new Random(77).fillGaussian(new Float64Array(S * K * d));
    let mean = 0;
    for (let s = 0; s < S; s++) mean += q(directions.subarray(s * K * d, (s + 1) * K * d));
    mean /= S;
    const tau = 0.05;
    const r = pacBayesSharpness({ spec, params: W, data, loss: 'mse', threshold: tau, directions });
    expect(r.converged).toBe(true);
    expect(r.baseLoss).toBeLessThan(1e-28);
    expect(Math.abs(r.sigma / Math.sqrt(tau / mean) - 1)).toBeLessThan(1e-9);
    expect(r.lossIncrease).toBeLessThanOrEqual(tau);
    expect(Math.abs(r.lossIncrease / tau - 1)).toBeLessThan(1e-9);
    expect(r.sigmaUpper).toBeGreaterThan(r.sigma);
  });

  it('seeded Monte Carlo (S = 400) agrees with the population value √(2Nτ/(K Σ‖x‖²)) within 20 %', () => {
    let sumNorms = 0;
    for (let i = 0; i < N * d; i++) sumNorms += inputs[i] ** 2;
    const tau = 0.01;
    const exact = Math.sqrt((2 * N * tau) / (K * sumNorms));
    const r = pacBayesSharpness({ spec, params: W, data, loss: 'mse', threshold: tau, samples: 400, seed: 3, tolerance: 1e-6 });
    expect(Math.abs(r.sigma / exact - 1)).toBeLessThan(0.2);
    const again = pacBayesSharpness({ spec, params: W, data, loss: 'mse', threshold: tau, samples: 400, seed: 3, tolerance: 1e-6 });
    expect(again.sigma).toBe(r.sigma);
  });

  it('rejects bad options', () => {
    expect(() => pacBayesSharpness({ spec, params: W, data, loss: 'mse', threshold: 0 })).toThrow(/threshold must be a finite number > 0, got 0/);
    expect(() => pacBayesSharpness({ spec, params: W, data, loss: 'mse', threshold: 1, directions: new Float64Array(5) })).toThrow(/not a positive multiple of p = 6/);
    expect(() => pacBayesSharpness({ spec, params: W, data, loss: 'mse', threshold: 1, samples: 0 })).toThrow(InvalidArgumentError);
  });
});
