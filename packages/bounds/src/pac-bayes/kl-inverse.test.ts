import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { klInverseLower, klInverseUpper } from './kl-inverse.js';
import { naiveKl, referenceKlInverseUpper as referenceUpper } from './__fixtures__/kl-reference.js';

/** Lower inverse by 200 bisection steps on ln p ∈ [ln 2⁻¹⁰⁷⁴, ln q], so roots like 1e-70 are resolved. */
function referenceLower(q: number, c: number): number {
  let lo = Math.log(Number.MIN_VALUE);
  let hi = Math.log(q);
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (naiveKl(q, Math.exp(mid)) > c) lo = mid;
    else hi = mid;
  }
  return Math.exp(0.5 * (lo + hi));
}

const qs = [1e-6, 0.001, 0.03, 0.1, 0.25, 0.5, 0.8, 0.97, 0.999999];
const cs = [1e-8, 1e-4, 0.01, 0.1, 0.5, 1, 3, 10];

describe('klInverseUpper', () => {
  it('matches a 200-step bisection of the naive kl to 1e-10 relative', () => {
    for (const q of qs) {
      for (const c of cs) {
        const ref = referenceUpper(q, c);
        const got = klInverseUpper(q, c);
        expect(Math.abs(got - ref)).toBeLessThanOrEqual(1e-10 * ref);
        expect(got).toBeGreaterThanOrEqual(q);
      }
    }
  });

  it('returns the conservative side: kl(q‖p) ≥ c up to rounding at the result', () => {
    const q = 0.1;
    const c = 0.05;
    const p = klInverseUpper(q, c);
    expect(naiveKl(q, p)).toBeGreaterThanOrEqual(c * (1 - 1e-12));
    expect(naiveKl(q, p * (1 - 1e-12))).toBeLessThanOrEqual(c);
  });

  it('closed forms at the boundaries', () => {
    expect(klInverseUpper(0, 0.7)).toBe(-Math.expm1(-0.7)); // kl(0‖p) = −ln(1−p)
    expect(klInverseUpper(0, Math.LN2)).toBeCloseTo(0.5, 15);
    expect(klInverseUpper(1, 0.3)).toBe(1);
    expect(klInverseUpper(0.42, 0)).toBe(0.42);
    expect(klInverseUpper(0, 0)).toBe(0);
    expect(klInverseUpper(0.3, Infinity)).toBe(1);
  });

  it('handles huge c (→ 1) and tiny c (→ q + √(2q(1−q)c) to first order)', () => {
    expect(klInverseUpper(0.2, 1e6)).toBe(1);
    expect(klInverseUpper(0.2, 50)).toBe(1); // 1 − p below the double resolution next to 1
    expect(klInverseUpper(0, 800)).toBe(1);
    const q = 0.3;
    const c = 1e-14;
    const first = q + Math.sqrt(2 * q * (1 - q) * c);
    expect(Math.abs(klInverseUpper(q, c) - first)).toBeLessThan(1e-13);
  });

  it('rejects invalid q and c', () => {
    expect(() => klInverseUpper(1.1, 0.1)).toThrow(InvalidArgumentError);
    expect(() => klInverseUpper(-1e-9, 0.1)).toThrow(/klInverseUpper: q must be in \[0, 1\]/);
    expect(() => klInverseUpper(0.1, -0.1)).toThrow(/klInverseUpper: c must be a number ≥ 0/);
    expect(() => klInverseUpper(NaN, 0.1)).toThrow(InvalidArgumentError);
    expect(() => klInverseUpper(0.1, NaN)).toThrow(InvalidArgumentError);
  });
});

describe('klInverseLower', () => {
  it('matches a 200-step bisection of the naive kl to 1e-10 relative', () => {
    for (const q of qs) {
      for (const c of cs) {
        const ref = referenceLower(q, c);
        const got = klInverseLower(q, c);
        expect(Math.abs(got - ref)).toBeLessThanOrEqual(1e-10 * ref + 1e-300);
        expect(got).toBeLessThanOrEqual(q);
      }
    }
  });

  it('resolves roots far below 1e-100 to relative precision', () => {
    // q = ½: kl(½‖p) = ½ ln(1/(4p(1−p))) so for tiny p, p ≈ e^{−2c}/4.
    const c = 300;
    const exact = Math.exp(-2 * c) / 4; // p(1−p) = p to double precision here
    expect(Math.abs(klInverseLower(0.5, c) / exact - 1)).toBeLessThan(1e-12);
  });

  it('closed forms at the boundaries', () => {
    expect(klInverseLower(1, 0.9)).toBe(Math.exp(-0.9)); // kl(1‖p) = −ln p
    expect(klInverseLower(1, Math.LN2)).toBeCloseTo(0.5, 15);
    expect(klInverseLower(0, 0.5)).toBe(0);
    expect(klInverseLower(0.42, 0)).toBe(0.42);
    expect(klInverseLower(0.3, Infinity)).toBe(0);
    expect(klInverseLower(0.3, 1e6)).toBe(0);
  });

  it('rejects invalid q and c', () => {
    expect(() => klInverseLower(2, 0.1)).toThrow(/klInverseLower: q must be in \[0, 1\], got 2/);
    expect(() => klInverseLower(0.5, -1)).toThrow(InvalidArgumentError);
  });
});
