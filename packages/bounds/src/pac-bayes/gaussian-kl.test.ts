import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { gaussianKl } from './gaussian-kl.js';

/** KL of two 1-D Gaussians by composite Simpson quadrature of ∫ q ln(q/p) on μ_q ± 30σ_q. */
function quadratureKl1d(mq: number, sq: number, mp: number, vp: number): number {
  const n = 20000;
  const a = mq - 30 * sq;
  const b = mq + 30 * sq;
  const h = (b - a) / n;
  const logq = (x: number) => -0.5 * ((x - mq) / sq) ** 2 - Math.log(sq * Math.sqrt(2 * Math.PI));
  const logp = (x: number) => -0.5 * ((x - mp) ** 2) / vp - 0.5 * Math.log(2 * Math.PI * vp);
  const f = (x: number) => Math.exp(logq(x)) * (logq(x) - logp(x));
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

describe('gaussianKl', () => {
  it('matches numerical integration in one dimension', () => {
    for (const [mq, sq, mp, vp] of [
      [1, 1, 0, 1],
      [0.3, 0.05, -0.2, 0.1],
      [2, 3, 1, 0.5],
    ]) {
      const got = gaussianKl({ posteriorMean: Float64Array.of(mq), posteriorStd: Float64Array.of(sq), priorMean: Float64Array.of(mp), priorVariance: vp });
      expect(Math.abs(got - quadratureKl1d(mq, sq, mp, vp))).toBeLessThan(1e-9 * Math.max(1, got));
    }
  });

  it('is additive over coordinates, equal for a scalar and a constant vector prior, and 0 for Q = P', () => {
    const rng = new Random(7);
    const p = 50;
    const mq = rng.fillGaussian(new Float64Array(p));
    const mp = rng.fillGaussian(new Float64Array(p));
    const sq = Float64Array.from({ length: p }, () => 0.1 + rng.uniform());
    const scalar = gaussianKl({ posteriorMean: mq, posteriorStd: sq, priorMean: mp, priorVariance: 0.7 });
    const vector = gaussianKl({ posteriorMean: mq, posteriorStd: sq, priorMean: mp, priorVariance: new Float64Array(p).fill(0.7) });
    let naive = 0;
    for (let i = 0; i < p; i++) naive += 0.5 * ((sq[i] ** 2 + (mq[i] - mp[i]) ** 2) / 0.7 - 1 + Math.log(0.7 / sq[i] ** 2));
    expect(Math.abs(scalar - naive)).toBeLessThan(1e-12 * naive);
    expect(vector).toBe(scalar);
    const same = gaussianKl({ posteriorMean: mq, posteriorStd: sq, priorMean: mq, priorVariance: Float64Array.from(sq, (s) => s * s) });
    expect(same).toBe(0);
  });

  it('is accurate for a posterior close to the prior: KL ≈ p·ε²/4 for σ² = λ(1 + ε)', () => {
    const eps = 1e-7;
    const lambda = 0.01;
    const sigma = Math.sqrt(lambda * (1 + eps));
    const ratio = sigma * sigma / lambda - 1; // the ε actually represented
    const exact = 0.5 * (ratio ** 2 / 2 - ratio ** 3 / 3 + ratio ** 4 / 4);
    const got = gaussianKl({ posteriorMean: Float64Array.of(0), posteriorStd: Float64Array.of(sigma), priorMean: Float64Array.of(0), priorVariance: lambda });
    expect(Math.abs(got / exact - 1)).toBeLessThan(1e-10);
  });

  it('rejects bad shapes and values', () => {
    const one = Float64Array.of(0);
    expect(() => gaussianKl({ posteriorMean: one, posteriorStd: Float64Array.of(1, 1), priorMean: one, priorVariance: 1 })).toThrow(ShapeMismatchError);
    expect(() => gaussianKl({ posteriorMean: one, posteriorStd: Float64Array.of(0), priorMean: one, priorVariance: 1 })).toThrow(/posteriorStd\[0\] must be finite and > 0, got 0/);
    expect(() => gaussianKl({ posteriorMean: one, posteriorStd: Float64Array.of(1), priorMean: one, priorVariance: -1 })).toThrow(InvalidArgumentError);
    expect(() => gaussianKl({ posteriorMean: Float64Array.of(NaN), posteriorStd: Float64Array.of(1), priorMean: one, priorVariance: 1 })).toThrow(InvalidArgumentError);
  });
});
