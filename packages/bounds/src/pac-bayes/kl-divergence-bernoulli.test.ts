import { describe, expect, it } from 'vitest';
import { IntrinsicError } from '@intrinsic/spectra';
import { klDivergenceBernoulli } from './kl-divergence-bernoulli.js';

/** Naive textbook formula with 0 ln 0 = 0: the independent reference away from p ≈ q. */
function naiveKl(q: number, p: number): number {
  const a = q === 0 ? 0 : q * Math.log(q / p);
  const b = q === 1 ? 0 : (1 - q) * (Math.log1p(-q) - Math.log1p(-p));
  return a + b;
}

describe('klDivergenceBernoulli', () => {
  it('matches the textbook formula on a grid', () => {
    for (const q of [0, 0.01, 0.2, 0.5, 0.77, 0.999, 1]) {
      for (const p of [0.001, 0.1, 0.3, 0.5, 0.9, 0.9999]) {
        const ref = naiveKl(q, p);
        expect(Math.abs(klDivergenceBernoulli(q, p) - ref)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref));
      }
    }
  });

  it('closed forms: kl(0‖½) = ln 2, kl(1‖p) = −ln p, kl(q‖q) = 0', () => {
    expect(klDivergenceBernoulli(0, 0.5)).toBe(Math.log(2));
    expect(klDivergenceBernoulli(1, 0.25)).toBe(-Math.log(0.25));
    expect(klDivergenceBernoulli(0.3, 0.3)).toBe(0);
  });

  it('stays accurate when p is far below q (p/q underflows in p − q)', () => {
    // kl(½‖p) = ½ ln(1/(4p(1−p))) exactly; at p = 1e-300, 1 − p = 1.
    expect(klDivergenceBernoulli(0.5, 1e-300) / (0.5 * Math.log(1 / (4e-300))) - 1).toBeLessThan(1e-15);
  });

  it('is infinite when p ∈ {0, 1} and q ≠ p, zero when q = p at the ends', () => {
    expect(klDivergenceBernoulli(0.5, 0)).toBe(Infinity);
    expect(klDivergenceBernoulli(0.5, 1)).toBe(Infinity);
    expect(klDivergenceBernoulli(0, 1)).toBe(Infinity);
    expect(klDivergenceBernoulli(0, 0)).toBe(0);
    expect(klDivergenceBernoulli(1, 1)).toBe(0);
  });

  it('has no cancellation when p is close to q: kl ≈ d²/(2q(1−q)) + O(d³)', () => {
    const q = 0.3;
    for (const step of [1e-6, 1e-9, 1e-12]) {
      const d = q + step - q; // the increment actually represented (exact by Sterbenz)
      // Second-order Taylor term plus the third: (1−2q) d³ / (6 q²(1−q)²)·(−1)... use the series exactly:
      // kl(q‖q+d) = Σ_{k≥2} d^k/k · [(−1)^k / q^{k−1} + 1/(1−q)^{k−1}]
      let ref = 0;
      for (let k = 2; k < 8; k++) ref += (d ** k / k) * ((-1) ** k / q ** (k - 1) + 1 / (1 - q) ** (k - 1));
      expect(Math.abs(klDivergenceBernoulli(q, q + d) / ref - 1)).toBeLessThan(1e-9);
    }
  });

  it('rejects q or p outside [0, 1] or NaN', () => {
    expect(() => klDivergenceBernoulli(-0.1, 0.5)).toThrow(/klDivergenceBernoulli: q must be in \[0, 1\], got -0.1/);
    expect(() => klDivergenceBernoulli(0.5, 1.5)).toThrow(IntrinsicError);
    expect(() => klDivergenceBernoulli(NaN, 0.5)).toThrow(/got NaN/);
  });
});
