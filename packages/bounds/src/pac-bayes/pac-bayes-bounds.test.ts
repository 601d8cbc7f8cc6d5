import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { catoniBound } from './catoni-bound.js';
import { mcAllesterBound } from './mc-allester-bound.js';
import { seegerMaurerBound } from './seeger-maurer-bound.js';
import { referenceKlInverseUpper } from './__fixtures__/kl-reference.js';

describe('seegerMaurerBound', () => {
  it('is 1 − e^{−c} at zero empirical error, c = (KL + ln(2√m/δ))/m', () => {
    const c = (3 + Math.log((2 * Math.sqrt(500)) / 0.05)) / 500;
    expect(seegerMaurerBound({ empiricalError: 0, kl: 3, sampleCount: 500, delta: 0.05 })).toBe(-Math.expm1(-c));
  });

  it('inverts the kl like a 200-step bisection', () => {
    for (const [e, kl, m] of [
      [0.05, 20, 1000],
      [0.3, 1, 60000],
      [0.9, 100, 200],
    ]) {
      const c = (kl + Math.log((2 * Math.sqrt(m)) / 0.025)) / m;
      const ref = referenceKlInverseUpper(e, c);
      expect(Math.abs(seegerMaurerBound({ empiricalError: e, kl, sampleCount: m, delta: 0.025 }) - ref)).toBeLessThan(1e-12);
    }
  });

  it("Maurer's constant: ξ(m) = Σ_k C(m,k)(k/m)^k(1−k/m)^{m−k} ≤ 2√m also for m = 1…7", () => {
    for (let m = 1; m <= 7; m++) {
      let xi = 0;
      let binom = 1;
      for (let k = 0; k <= m; k++) {
        xi += binom * (k / m) ** k * (1 - k / m) ** (m - k);
        binom = (binom * (m - k)) / (k + 1);
      }
      expect(xi).toBeLessThanOrEqual(2 * Math.sqrt(m));
    }
  });

  it('is 1 for a vacuous KL and ê = 1 gives 1', () => {
    expect(seegerMaurerBound({ empiricalError: 0.1, kl: 1e9, sampleCount: 100, delta: 0.05 })).toBe(1);
    expect(seegerMaurerBound({ empiricalError: 1, kl: 0, sampleCount: 100, delta: 0.05 })).toBe(1);
  });

  it('rejects bad input', () => {
    expect(() => seegerMaurerBound({ empiricalError: 0.1, kl: -1, sampleCount: 100, delta: 0.05 })).toThrow(/seegerMaurerBound: kl must be a number ≥ 0, got -1/);
    expect(() => seegerMaurerBound({ empiricalError: 0.1, kl: 1, sampleCount: 0, delta: 0.05 })).toThrow(InvalidArgumentError);
    expect(() => seegerMaurerBound({ empiricalError: 0.1, kl: 1, sampleCount: 10, delta: 1 })).toThrow(/delta must be in \(0, 1\)/);
    expect(() => seegerMaurerBound({ empiricalError: 1.5, kl: 1, sampleCount: 10, delta: 0.1 })).toThrow(InvalidArgumentError);
  });
});

describe('mcAllesterBound', () => {
  it('is ê + √(c/2) and never below the kl bound (Pinsker)', () => {
    const m = 1000;
    const c = (5 + Math.log((2 * Math.sqrt(m)) / 0.05)) / m;
    expect(mcAllesterBound({ empiricalError: 0.1, kl: 5, sampleCount: m, delta: 0.05 })).toBe(0.1 + Math.sqrt(c / 2));
    expect(mcAllesterBound({ empiricalError: 0.1, kl: 5, sampleCount: m, delta: 0.05 })).toBeCloseTo(0.177919, 6);
    for (const e of [0, 0.01, 0.2, 0.5, 0.8]) {
      for (const kl of [0, 1, 10, 100]) {
        const options = { empiricalError: e, kl, sampleCount: 2000, delta: 0.05 };
        expect(mcAllesterBound(options)).toBeGreaterThanOrEqual(seegerMaurerBound(options));
      }
    }
  });

  it('is clipped to 1', () => {
    expect(mcAllesterBound({ empiricalError: 0.9, kl: 1000, sampleCount: 100, delta: 0.05 })).toBe(1);
  });
});

describe('catoniBound', () => {
  it('single β: (1 − exp(−βê − (KL + ln 1/δ)/m)) / (1 − e^{−β})', () => {
    const r = catoniBound({ empiricalError: 0, kl: 0, sampleCount: 100, delta: 0.05, beta: 1 });
    expect(Math.abs(r.bound - (1 - 0.05 ** (1 / 100)) / (1 - Math.exp(-1)))).toBeLessThan(1e-15);
    expect(r.deltaPerBeta).toBe(0.05);
    const s = catoniBound({ empiricalError: 0.1, kl: 7, sampleCount: 1000, delta: 0.05, beta: 2 });
    expect(Math.abs(s.bound - (1 - Math.exp(-0.2 - (7 + Math.log(20)) / 1000)) / (1 - Math.exp(-2)))).toBeLessThan(1e-15);
  });

  it('grid: pays ln(g) through δ/g and reports the best β', () => {
    const grid = [0.5, 1, 2, 4, 8];
    const r = catoniBound({ empiricalError: 0.1, kl: 7, sampleCount: 1000, delta: 0.05, betaGrid: grid });
    expect(r.deltaPerBeta).toBe(0.01);
    const each = grid.map((beta) => (1 - Math.exp(-beta * 0.1 - (7 + Math.log(100)) / 1000)) / (1 - Math.exp(-beta)));
    const best = Math.min(...each);
    expect(Math.abs(r.bound - best)).toBeLessThan(1e-15);
    expect(r.beta).toBe(grid[each.indexOf(best)]);
  });

  it('rejects β ≤ 0 and ambiguous options', () => {
    const base = { empiricalError: 0.1, kl: 1, sampleCount: 100, delta: 0.05 };
    expect(() => catoniBound({ ...base, beta: 0 })).toThrow(/catoniBound: beta\[0\] must be a finite number > 0, got 0/);
    expect(() => catoniBound(base)).toThrow(/exactly one of beta and betaGrid/);
    expect(() => catoniBound({ ...base, beta: 1, betaGrid: [1] })).toThrow(InvalidArgumentError);
    expect(() => catoniBound({ ...base, betaGrid: [] })).toThrow(/betaGrid is empty/);
  });
});
