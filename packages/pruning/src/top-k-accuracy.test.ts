import { describe, expect, it } from 'vitest';
import { topKAccuracy } from './top-k-accuracy.js';

describe('topKAccuracy', () => {
  it('counts labels among the k largest outputs', () => {
    const outputs = new Float64Array([0.1, 0.9, 0.8, 0.2]);
    expect(topKAccuracy(outputs, new Int32Array([1, 1]), 2, 1)).toBe(0.5);
    expect(topKAccuracy(outputs, new Int32Array([1, 1]), 2, 2)).toBe(1);
    // 6 classes, label 2 is the 3rd largest: top-1 and top-2 miss it, top-3 and top-5 count it.
    const six = new Float64Array([5, 4, 3, 2, 1, 0]);
    expect([1, 2, 3, 5].map((k) => topKAccuracy(six, new Int32Array([2]), 6, k))).toEqual([0, 0, 1, 1]);
  });

  it('breaks ties by the lower class index and rejects bad labels', () => {
    expect(topKAccuracy(new Float64Array([1, 1, 0]), new Int32Array([0]), 3, 1)).toBe(1);
    expect(topKAccuracy(new Float64Array([1, 1, 0]), new Int32Array([1]), 3, 1)).toBe(0);
    expect(() => topKAccuracy(new Float64Array([1, 1]), new Int32Array([2]), 2, 1)).toThrow(/label 0 is 2/);
  });
});
