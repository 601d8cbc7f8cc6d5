import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { downsampleImages } from './downsample-images.js';

describe('downsampleImages (area averaging)', () => {
  it('4 × 4 → 2 × 2 gives the 2 × 2 block means', () => {
    const image = Float64Array.from({ length: 16 }, (_, i) => i);
    // Blocks: (0,1,4,5) → 2.5, (2,3,6,7) → 4.5, (8,9,12,13) → 10.5, (10,11,14,15) → 12.5.
    expect(Array.from(downsampleImages(image, { count: 1, height: 4, width: 4, outputHeight: 2, outputWidth: 2 }))).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('3 × 3 → 2 × 2 weights the middle row and column by half', () => {
    const image = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Cell (0,0) covers rows/cols [0, 1.5): weights (1, 0.5)/1.5 on each axis → (1·1 + 2·.5 + 4·.5 + 5·.25)/2.25.
    const out = downsampleImages(image, { count: 1, height: 3, width: 3, outputHeight: 2, outputWidth: 2 });
    expect(out[0]).toBeCloseTo((1 + 2 * 0.5 + 4 * 0.5 + 5 * 0.25) / 2.25, 14);
    expect(out[3]).toBeCloseTo((9 + 8 * 0.5 + 6 * 0.5 + 5 * 0.25) / 2.25, 14);
  });

  it('28 × 28 → 8 × 8 keeps constants and the mean intensity of each image', () => {
    const rng = new Random(1);
    const images = new Float64Array(2 * 784);
    for (let i = 0; i < 784; i++) images[i] = 0.3;
    for (let i = 784; i < 1568; i++) images[i] = rng.uniform();
    const out = downsampleImages(images, { count: 2, height: 28, width: 28, outputHeight: 8, outputWidth: 8 });
    for (let i = 0; i < 64; i++) expect(out[i]).toBeCloseTo(0.3, 14);
    const meanIn = images.subarray(784).reduce((a, b) => a + b, 0) / 784;
    const meanOut = out.subarray(64).reduce((a, b) => a + b, 0) / 64;
    expect(Math.abs(meanOut - meanIn)).toBeLessThan(1e-14);
  });

  it('rejects wrong sizes', () => {
    expect(() => downsampleImages(new Float64Array(10), { count: 1, height: 3, width: 3, outputHeight: 2, outputWidth: 2 })).toThrow('10 values, expected 1 × 3 × 3');
    expect(() => downsampleImages(new Float64Array(9), { count: 1, height: 3, width: 3, outputHeight: 4, outputWidth: 2 })).toThrow('outputHeight must be an integer in [1, 3], got 4');
  });
});
