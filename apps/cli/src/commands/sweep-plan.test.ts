import { describe, expect, it } from 'vitest';
import { buildSweepPlan, parseInputSize } from '../sweep/sweep-plan.js';
import { parseSweepValues } from '../sweep/sweep-values.js';

describe('sweep values', () => {
  it('parses start:stop:step inclusively, start:stop and lists', () => {
    expect(parseSweepValues('4:56:4')).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56]);
    expect(parseSweepValues('4:10:4')).toEqual([4, 8]);
    expect(parseSweepValues('1:3')).toEqual([1, 2, 3]);
    expect(parseSweepValues('10, 20,64,20')).toEqual([10, 20, 64]);
  });

  it('rejects malformed values with one-line messages', () => {
    expect(() => parseSweepValues('4:x:4')).toThrow(/--values: stop 'x' is not a whole number/);
    expect(() => parseSweepValues('10:4')).toThrow(/stop 4 is below start 10/);
    expect(() => parseSweepValues('1:2:3:4')).toThrow(/has 4 fields/);
    expect(() => parseSweepValues('4:8:0')).toThrow(/step must be at least 1/);
    expect(() => parseSweepValues('0,4')).toThrow(/0 is below the minimum 1/);
    expect(() => parseSweepValues('1:100000')).toThrow(/more than 1000 points/);
  });

  it('parses input sizes 64 and 8x8', () => {
    expect(parseInputSize('8x8')).toBe(64);
    expect(parseInputSize('16')).toBe(16);
    expect(() => parseInputSize('8by8')).toThrow(/not a size like 64 or 8x8/);
  });
});

describe('sweep plan', () => {
  it('width preset: 9 widths × 2 losses, every hidden layer set to the value, MNIST 8 × 8 (d = 64), N = 100, K = 10', () => {
    const plan = buildSweepPlan({ preset: 'width' });
    expect(plan.data).toBe('mnist');
    expect(plan.points).toHaveLength(18);
    expect(plan.points.map((p) => p.widths[1])).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
    expect(plan.points[5]).toMatchObject({ id: 'width-24-mse', widths: [64, 24, 24, 10], samples: 100, loss: 'mse', activation: 'linear', bias: false, tolerance: 'numpy' });
    expect(plan.points[9]).toMatchObject({ id: 'width-4-ce', loss: 'cross-entropy' });
  });

  it('samples and depth presets', () => {
    const samples = buildSweepPlan({ preset: 'samples' });
    expect(samples.points.map((p) => p.samples)).toEqual([10, 20, 40, 60, 63, 64, 65, 66, 70, 80, 100, 150, 200, 300, 400]);
    expect(samples.points[0].widths).toEqual([64, 10, 10, 10]);
    const depth = buildSweepPlan({ preset: 'depth' });
    expect(depth.points.map((p) => p.widths.length - 2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(depth.points[2]).toMatchObject({ widths: [16, 25, 25, 25, 10], samples: 50 });
  });

  it('explicit flags override the preset; --input-size sets d', () => {
    const plan = buildSweepPlan({ preset: 'depth', values: '0:2', widths: '9,4,3', 'input-size': '2x3', loss: 'ce', samples: '7', bias: true, activation: 'tanh', seed: '5', tolerance: 'rel:1e-9' });
    expect(plan.points.map((p) => p.widths)).toEqual([[6, 3], [6, 4, 3], [6, 4, 4, 3]]);
    expect(plan.points[0]).toMatchObject({ loss: 'cross-entropy', samples: 7, bias: true, activation: 'tanh', seed: 5, tolerance: 'rel:1e-9' });
  });

  it('explains what is missing or not available', () => {
    expect(() => buildSweepPlan({})).toThrow(/give --vary width\|depth\|samples with --values, or --preset NAME/);
    expect(() => buildSweepPlan({ vary: 'width' })).toThrow(/--vary width needs --values/);
    expect(() => buildSweepPlan({ vary: 'height', values: '1' })).toThrow(/--vary: unknown value 'height'/);
    expect(() => buildSweepPlan({ preset: 'nope' })).toThrow(/unknown preset 'nope'; choose one of width, samples, depth/);
    expect(() => buildSweepPlan({ vary: 'width', values: '2', widths: '10,3,4', data: 'mnist' })).toThrow(/--data mnist: the input size must be a square image of side ≤ 28 \(e.g. --input-size 8x8\), got d = 10/);
    expect(() => buildSweepPlan({ vary: 'width', values: '2', widths: '16,3,12', data: 'mnist' })).toThrow(/10 classes; the output width is 12/);
    expect(() => buildSweepPlan({ vary: 'width', values: '2', widths: '4,3' })).toThrow(/no hidden layer/);
    expect(() => buildSweepPlan({ vary: 'samples', values: '5', loss: 'mse,xe' })).toThrow(/--loss: unknown value 'xe'/);
  });
});
