import { describe, expect, it } from 'vitest';
import { defaultDataset, syntheticDataset } from './data.js';

describe('synthetic data', () => {
  it('is reproducible for a seed and different across seeds', () => {
    const a = syntheticDataset({ kind: 'gaussian', count: 5, inputSize: 3, outputSize: 2, seed: 1 });
    const b = syntheticDataset({ kind: 'gaussian', count: 5, inputSize: 3, outputSize: 2, seed: 1 });
    const c = syntheticDataset({ kind: 'gaussian', count: 5, inputSize: 3, outputSize: 2, seed: 2 });
    expect(a.inputs).toEqual(b.inputs);
    expect(a.targets).toEqual(b.targets);
    expect(a.inputs).not.toEqual(c.inputs);
  });

  it('classification targets are one-hot rows of the labels, labels in range', () => {
    const data = defaultDataset('gaussian', 'cross-entropy', 200, 4, 5, 3);
    expect(data.labels).toBeDefined();
    for (let i = 0; i < 200; i++) {
      const row = Array.from(data.targets.subarray(i * 5, i * 5 + 5));
      expect(row.reduce((s, x) => s + x, 0)).toBe(1);
      expect(row[data.labels![i]]).toBe(1);
    }
    const counts = new Array(5).fill(0);
    data.labels!.forEach((c) => counts[c]++);
    expect(Math.min(...counts)).toBeGreaterThan(20); // uniform: 40 expected per class
  });

  it('mixture classes are separated: nearest class mean recovers most labels', () => {
    const data = syntheticDataset({ kind: 'mixture', count: 300, inputSize: 10, outputSize: 3, seed: 4, separation: 3 });
    const means = new Float64Array(3 * 10);
    const counts = [0, 0, 0];
    for (let i = 0; i < 300; i++) {
      counts[data.labels![i]]++;
      for (let j = 0; j < 10; j++) means[data.labels![i] * 10 + j] += data.inputs[i * 10 + j];
    }
    for (let c = 0; c < 3; c++) for (let j = 0; j < 10; j++) means[c * 10 + j] /= counts[c];
    let correct = 0;
    for (let i = 0; i < 300; i++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let c = 0; c < 3; c++) {
        let d = 0;
        for (let j = 0; j < 10; j++) d += (data.inputs[i * 10 + j] - means[c * 10 + j]) ** 2;
        if (d < bestDistance) [best, bestDistance] = [c, d];
      }
      if (best === data.labels![i]) correct++;
    }
    expect(correct / 300).toBeGreaterThan(0.95);
  });

  it('rejects non-positive sizes', () => {
    expect(() => syntheticDataset({ kind: 'gaussian', count: 0, inputSize: 3, outputSize: 2, seed: 1 })).toThrow(/sample count must be a positive integer, got 0/);
  });
});
