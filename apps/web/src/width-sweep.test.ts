import { describe, expect, it } from 'vitest';
import { linearNetworkRankPrediction } from '@intrinsic/hessian';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { DEFAULT_PAGE_STATE } from './page-state.js';
import { widthSweepPoint } from './width-sweep.js';

describe('widthSweepPoint', () => {
  it('measures the closed-form ranks of a linear network at every width (8-w-3, N = 20)', () => {
    const state = { ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20 };
    for (const width of [1, 2, 5, 9]) {
      const point = widthSweepPoint(state, { layer: 1, width });
      const closed = linearNetworkRankPrediction({ widths: [8, width, 3], dataRank: 8, loss: 'mse' });
      expect(point.params).toBe(8 * width + width * 3);
      expect(closed.applies && point.rank).toEqual(closed.applies && closed.ranks);
      expect(point.predicted).toEqual(point.rank);
    }
    // SCIENCE.md §2 public reference at w = 5: 45, 24, 30.
    expect(widthSweepPoint(state, { layer: 1, width: 5 }).rank).toEqual({ hessian: 45, outer: 24, functional: 30 });
  });

  it('refuses a network without that hidden layer', () => {
    expect(() => widthSweepPoint({ ...DEFAULT_PAGE_STATE, widths: [4, 2] }, { layer: 1, width: 3 })).toThrow(InvalidArgumentError);
    expect(() => widthSweepPoint(DEFAULT_PAGE_STATE, { layer: 3, width: 3 })).toThrow('width sweep: layer must be between 1 and 2 for 25-5-10-10, got 3');
  });
});
