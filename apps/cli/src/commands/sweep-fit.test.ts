import { describe, expect, it } from 'vitest';
import { fitPowerLaw } from '../sweep/power-law-fit.js';

describe('fitPowerLaw', () => {
  it('recovers y = 3·x^0.5 exactly and y = 2·x^1.5 with skipped non-positive points', () => {
    const x = [4, 9, 16, 100, 2500];
    const fit = fitPowerLaw(x, x.map((v) => 3 * Math.sqrt(v)));
    expect(fit.alpha).toBeCloseTo(0.5, 12);
    expect(fit.c).toBeCloseTo(3, 11);
    expect(fit.r2).toBeCloseTo(1, 12);
    const other = fitPowerLaw([0, 1, 2, 3, -1], [5, 2, 2 * 2 ** 1.5, 2 * 3 ** 1.5, 1]);
    expect(other.count).toBe(3);
    expect(other.alpha).toBeCloseTo(1.5, 12);
  });

  it('matches the closed-form least-squares slope on noisy data', () => {
    // log y = [0, 1.1, 1.9] at log x = [0, 1, 2]: slope = Σ(u − ū)(v − v̄) / Σ(u − ū)² = (−1·−1 + 1·0.9) / 2 = 0.95.
    const fit = fitPowerLaw([1, Math.E, Math.E ** 2], [1, Math.E ** 1.1, Math.E ** 1.9]);
    expect(fit.alpha).toBeCloseTo(0.95, 12);
    expect(Math.log(fit.c)).toBeCloseTo(1 - 0.95, 12);
  });

  it('refuses fewer than two usable points', () => {
    expect(() => fitPowerLaw([1, 1], [2, 3])).toThrow(/at least 2 positive points with distinct x, got 2/);
    expect(() => fitPowerLaw([1], [1, 2])).toThrow(/x has 1 values, y has 2/);
  });
});
