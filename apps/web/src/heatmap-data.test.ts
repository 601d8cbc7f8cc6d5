import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import { downsampleMatrix } from './heatmap-data.js';

describe('downsampleMatrix', () => {
  it('keeps every entry when the matrix fits (float32 of the same values)', () => {
    const A = Float64Array.from({ length: 9 }, (_, i) => i - 4);
    const h = downsampleMatrix(A, 3, 10);
    expect([h.size, h.blockSize, h.maxMagnitude]).toEqual([3, 1, 4]);
    expect(Array.from(h.cells)).toEqual(Array.from(A));
  });

  it('keeps the signed entry of largest magnitude of each block, checked against a brute-force scan', () => {
    const n = 23;
    const random = new Random(5);
    const A = Float64Array.from({ length: n * n }, () => random.gaussian());
    const h = downsampleMatrix(A, n, 5);
    // b = ⌈23 / 5⌉ = 5 → ⌈23 / 5⌉ = 5 cells per side, the last block 3 wide.
    expect([h.size, h.blockSize]).toEqual([5, 5]);
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        let best = 0;
        for (let i = r * 5; i < Math.min(n, r * 5 + 5); i++) for (let j = c * 5; j < Math.min(n, c * 5 + 5); j++) if (Math.abs(A[i * n + j]) > Math.abs(best)) best = A[i * n + j];
        expect(h.cells[r * 5 + c]).toBe(Math.fround(best));
      }
    }
    expect(h.maxMagnitude).toBe(Math.max(...Array.from(A, Math.abs)));
  });

  it('rejects a length that is not n² and a bad cell count', () => {
    expect(() => downsampleMatrix(new Float64Array(5), 2, 4)).toThrow(InvalidArgumentError);
    expect(() => downsampleMatrix(new Float64Array(4), 2, 0)).toThrow(/maxCells must be a positive integer, got 0/);
  });
});
