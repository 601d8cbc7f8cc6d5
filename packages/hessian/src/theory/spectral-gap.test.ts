import { describe, expect, it } from 'vitest';
import { defaultDataset, initializeParameters, mlpSpec } from '@intrinsic/models';
import { analyzeHessianRanks } from '../rank-analysis.js';
import { spectralGap } from './spectral-gap.js';

describe('spectralGap', () => {
  it('finds the largest ratio of consecutive magnitudes and its position (hand-computed)', () => {
    // Magnitudes sorted: 4, 2, 0.5, 1e-12 → ratios 2, 4, 5e11 → gap after 3 values.
    // Magnitudes 4, 2, 0.5, 1e-12 and 0 → clamped to the floor 4ε: ratios 2, 4, 5e11, 1e-12 / 4ε ≈ 1126.
    expect(spectralGap([4, -2, 1e-12, 0.5, 0])).toEqual({ ratio: 5e11, position: 3, above: 0.5, below: 1e-12, belowFloor: 1 });
    // Ties keep the first: 8, 4, 2 → ratios 2, 2.
    expect(spectralGap([2, 8, 4])).toEqual({ ratio: 2, position: 1, above: 8, below: 4, belowFloor: 0 });
    // Exact zeros and values far below ε·σ_max count like round-off: 3, 1, then the floor 3ε.
    expect(spectralGap([3, 0, 1e-30, 1])).toEqual({ ratio: 1 / (3 * 2 ** -52), position: 2, above: 1, below: 3 * 2 ** -52, belowFloor: 2 });
    expect(spectralGap([0, 0])).toEqual({ ratio: NaN, position: 0, above: 0, below: 0, belowFloor: 2 });
  });

  it('sits at the exact rank for a deep linear network (250 of 275 for the paper example)', () => {
    const spec = mlpSpec({ widths: [25, 5, 10, 10] });
    const data = defaultDataset('gaussian', 'mse', 50, 25, 10, 0);
    const analysis = analyzeHessianRanks(spec, initializeParameters(spec), data, 'mse');
    const gap = spectralGap(analysis.parts.hessian.eigenvalues);
    expect(gap.position).toBe(250);
    expect(gap.ratio).toBeGreaterThan(1e8);
    expect(spectralGap(analysis.parts.outer.eigenvalues).position).toBe(150);
  });

  it('rejects fewer than two values and non-finite values', () => {
    expect(() => spectralGap([1])).toThrow(/at least 2 eigenvalues, got 1/);
    expect(() => spectralGap([1, Number.NaN])).toThrow(/eigenvalue 1 is NaN/);
  });
});
