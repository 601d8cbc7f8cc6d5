import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { cubicSparsity, cubicSparsitySchedule } from './cubic-sparsity-schedule.js';

describe('cubicSparsity', () => {
  it('follows s_f + (s_i − s_f)(1 − t/n)³: the documented example 0.7875 and the end points', () => {
    expect(cubicSparsity(1, { finalSparsity: 0.9, steps: 2 })).toBeCloseTo(0.7875, 15);
    const schedule = cubicSparsitySchedule({ initialSparsity: 0.1, finalSparsity: 0.9, steps: 4 });
    // (1 − t/4)³ = 1, 27/64, 1/8, 1/64, 0
    expect(Array.from(schedule)).toEqual([1, 27 / 64, 1 / 8, 1 / 64, 0].map((c) => 0.9 + (0.1 - 0.9) * c));
    expect(schedule[0]).toBeCloseTo(0.1, 15);
    expect(schedule[4]).toBe(0.9);
    expect(cubicSparsity(10, { initialSparsity: 0.1, finalSparsity: 0.9, steps: 4 })).toBe(0.9);
  });

  it('increases monotonically with shrinking increments', () => {
    const s = cubicSparsitySchedule({ finalSparsity: 0.95, steps: 20 });
    for (let t = 1; t <= 20; t++) expect(s[t]).toBeGreaterThan(s[t - 1]);
    for (let t = 2; t <= 20; t++) expect(s[t] - s[t - 1]).toBeLessThan(s[t - 1] - s[t - 2]);
  });

  it('rejects bad arguments', () => {
    expect(() => cubicSparsity(0, { finalSparsity: 1.2, steps: 3 })).toThrow(InvalidArgumentError);
    expect(() => cubicSparsity(0, { finalSparsity: 0.5, steps: 0 })).toThrow(/steps must be a positive integer, got 0/);
    expect(() => cubicSparsity(-1, { finalSparsity: 0.5, steps: 3 })).toThrow(/step must be/);
  });
});
