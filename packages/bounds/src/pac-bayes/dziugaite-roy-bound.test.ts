import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { dziugaiteRoyBound } from './dziugaite-roy-bound.js';
import { monteCarloErrorBound } from './monte-carlo-error-bound.js';
import { pacBayesBoundForPosterior } from './pac-bayes-bound-for-posterior.js';
import { priorVarianceGridIndices, priorVarianceGridPoint } from './prior-variance-grid.js';
import { naiveKl, referenceKlInverseUpper } from './__fixtures__/kl-reference.js';

describe('priorVarianceGridPoint', () => {
  it('λ_j = c·exp(−j/b) with penalty 2 ln j + ln(π²/6)', () => {
    const point = priorVarianceGridPoint(100);
    expect(point.variance).toBe(0.1 * Math.exp(-1));
    expect(point.penalty).toBe(2 * Math.log(100) + Math.log(Math.PI ** 2 / 6));
    expect(priorVarianceGridPoint(1, { scale: 2, precision: 4 }).variance).toBe(2 * Math.exp(-0.25));
  });

  it('the union-bound weights δ_j/δ = e^{−penalty_j} = 6/(π² j²) sum to 1', () => {
    let sum = 0;
    for (let j = 1; j <= 200000; j++) sum += Math.exp(-priorVarianceGridPoint(j).penalty);
    // tail Σ_{j>J} 6/(π² j²) ≈ 6/(π² J)
    expect(Math.abs(sum + 6 / (Math.PI ** 2 * 200000) - 1)).toBeLessThan(1e-9);
  });

  it('rounds a variance to its neighbouring indices', () => {
    expect(priorVarianceGridIndices(0.1 * Math.exp(-2.5 / 100))).toEqual([2, 3]);
    expect(priorVarianceGridIndices(5)).toEqual([1, 1]);
    expect(() => priorVarianceGridPoint(0)).toThrow(/index must be an integer ≥ 1, got 0/);
  });
});

describe('monteCarloErrorBound', () => {
  it('is kl⁻¹(Ŝ, ln(2/δ′)/n); at Ŝ = 0 it is 1 − (δ′/2)^{1/n}', () => {
    expect(Math.abs(monteCarloErrorBound({ sampledError: 0, sampleCount: 1000, delta: 0.01 }) - (1 - 0.005 ** (1 / 1000)))).toBeLessThan(1e-15);
    const ref = referenceKlInverseUpper(0.03, Math.log(2 / 0.01) / 150000);
    expect(Math.abs(monteCarloErrorBound({ sampledError: 0.03, sampleCount: 150000, delta: 0.01 }) - ref)).toBeLessThan(1e-13);
  });
});

describe('dziugaiteRoyBound', () => {
  it('hand-derived case: Ŝ = 0, n = 1000, δ′ = 0.01, KL = 10, m = 1000, j = 1, δ = 0.025', () => {
    // ê⁺ = 1 − 0.005^{1/1000} = 0.0052843060394975
    // c  = (10 + ln(π²/6) + ln(2√1000/0.025)) / 1000 = 0.0183336045766357
    // e ≤ kl⁻¹(ê⁺, c) = 0.0328895170466441 (200-step bisection)
    const r = dziugaiteRoyBound({
      sampledError: 0,
      monteCarloSamples: 1000,
      kl: 10,
      trainingSetSize: 1000,
      priorGridIndex: 1,
      delta: 0.025,
      deltaMonteCarlo: 0.01,
    });
    expect(r.empiricalErrorUpper).toBeCloseTo(0.0052843060394975, 14);
    expect(r.complexity).toBeCloseTo(0.0183336045766357, 14);
    expect(r.bound).toBeCloseTo(0.0328895170466441, 13);
    expect(r.confidence).toBeCloseTo(0.965, 15);
    expect(Math.abs(naiveKl(r.empiricalErrorUpper, r.bound) - r.complexity)).toBeLessThan(1e-14);
  });

  it('Langford–Seeger form (KL + 2 ln j + ln(π² m/(6δ)))/(m − 1)', () => {
    const r = dziugaiteRoyBound({
      sampledError: 0.02,
      monteCarloSamples: 150000,
      kl: 5000,
      trainingSetSize: 55000,
      priorGridIndex: 300,
      delta: 0.025,
      deltaMonteCarlo: 0.01,
      form: 'langford-seeger',
    });
    const c = (5000 + 2 * Math.log(300) + Math.log((Math.PI ** 2 * 55000) / (6 * 0.025))) / 54999;
    expect(Math.abs(r.complexity - c)).toBeLessThan(1e-15);
    const eUp = referenceKlInverseUpper(0.02, Math.log(200) / 150000);
    expect(Math.abs(r.bound - referenceKlInverseUpper(eUp, c))).toBeLessThan(1e-12);
  });

  it('rejects δ + δ′ ≥ 1 and bad indices', () => {
    const base = { sampledError: 0, monteCarloSamples: 10, kl: 1, trainingSetSize: 100, priorGridIndex: 1, delta: 0.5, deltaMonteCarlo: 0.4 };
    expect(() => dziugaiteRoyBound({ ...base, deltaMonteCarlo: 0.5 })).toThrow(/delta \+ deltaMonteCarlo must be < 1/);
    expect(() => dziugaiteRoyBound({ ...base, priorGridIndex: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => dziugaiteRoyBound({ ...base, form: 'nope' as never })).toThrow(/unknown form 'nope'/);
  });
});

describe('pacBayesBoundForPosterior', () => {
  it('hand-derived KL for p = 2 and the combined bound', () => {
    const lambda = 0.1 * Math.exp(-1); // j = 100
    const mean = Float64Array.of(0.4, -0.1);
    const priorMean = Float64Array.of(0.3, 0.1);
    const std = Float64Array.of(0.05, 0.1);
    // KL = ½ Σ (σ²/λ + Δ²/λ − 1 + ln(λ/σ²)), Δ = (0.1, −0.2)
    const kl =
      0.5 * ((0.0025 + 0.01) / lambda - 1 + Math.log(lambda / 0.0025)) + 0.5 * ((0.01 + 0.04) / lambda - 1 + Math.log(lambda / 0.01));
    const r = pacBayesBoundForPosterior({
      mean,
      std,
      priorMean,
      priorGridIndex: 100,
      sampledError: 0.05,
      monteCarloSamples: 2000,
      trainingSetSize: 5000,
      delta: 0.025,
      deltaMonteCarlo: 0.01,
    });
    expect(r.priorVariance).toBe(lambda);
    expect(Math.abs(r.kl - kl)).toBeLessThan(1e-14 * kl);
    const eUp = referenceKlInverseUpper(0.05, Math.log(200) / 2000);
    const c = (kl + 2 * Math.log(100) + Math.log(Math.PI ** 2 / 6) + Math.log((2 * Math.sqrt(5000)) / 0.025)) / 5000;
    expect(Math.abs(r.bound - referenceKlInverseUpper(eUp, c))).toBeLessThan(1e-12);
  });
});
