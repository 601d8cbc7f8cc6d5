import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { klInverseUpperGradient } from './kl-inverse-upper-gradient.js';
import { referenceKlInverseUpper } from './__fixtures__/kl-reference.js';

/** Central difference of f at x with step h (the reference bisection is exact to ~1e-16, so h = 1e-6 gives ~1e-9). */
const central = (f: (x: number) => number, x: number, h: number) => (f(x + h) - f(x - h)) / (2 * h);

describe('klInverseUpperGradient', () => {
  it('matches central finite differences of a bisection kl⁻¹ in both arguments', () => {
    for (const e of [0.001, 0.03, 0.0648, 0.2, 0.5, 0.9]) {
      for (const c of [1e-3, 0.01, 0.1, 0.25, 1]) {
        const g = klInverseUpperGradient(e, c);
        expect(g.value).toBeCloseTo(referenceKlInverseUpper(e, c), 12);
        const h = 1e-6 * Math.min(e, 1 - e, c);
        const dE = central((x) => referenceKlInverseUpper(x, c), e, h);
        const dC = central((x) => referenceKlInverseUpper(e, x), c, h);
        expect(Math.abs(g.dEmpirical - dE)).toBeLessThan(1e-5 * Math.max(1, Math.abs(dE)));
        expect(Math.abs(g.dComplexity - dC)).toBeLessThan(1e-5 * Math.max(1, Math.abs(dC)));
        expect(g.dEmpirical).toBeGreaterThan(0);
        expect(g.dComplexity).toBeGreaterThan(0);
      }
    }
  });

  it('at ê → 0 approaches the closed form q = 1 − e^{−c}, ∂q/∂c = e^{−c}', () => {
    const c = 0.2;
    const g = klInverseUpperGradient(0, c);
    expect(g.value).toBe(-Math.expm1(-c));
    expect(Math.abs(g.dComplexity - Math.exp(-c))).toBeLessThan(1e-4);
  });

  it('reports zero derivatives where q rounds to 1, and rejects bad input with one line', () => {
    expect(klInverseUpperGradient(1, 0.5)).toEqual({ value: 1, dEmpirical: 0, dComplexity: 0 });
    expect(() => klInverseUpperGradient(1.2, 0.1)).toThrow(InvalidArgumentError);
    expect(() => klInverseUpperGradient(0.1, -1)).toThrow(/complexity must be a finite number ≥ 0, got -1/);
    expect(() => klInverseUpperGradient(0.1, Infinity)).toThrow(/complexity/);
  });
});
