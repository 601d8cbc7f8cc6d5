import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data.js';
import { mlpSpec } from '../spec.js';
import { withLabelNoise } from './label-noise.js';
import { teacherDataset } from './teacher-dataset.js';

describe('label noise and teacher labels', () => {
  const data = syntheticDataset({ kind: 'mixture', count: 200, inputSize: 3, outputSize: 4, seed: 2 });

  it('replace: exactly round(fraction · N) labels change, targets follow', () => {
    const noisy = withLabelNoise(data, { fraction: 0.25, seed: 7 });
    let changed = 0;
    for (let i = 0; i < data.count; i++) {
      if (noisy.labels![i] !== data.labels![i]) changed++;
      expect(noisy.targets[i * 4 + noisy.labels![i]]).toBe(1);
    }
    expect(changed).toBe(50);
    expect(noisy.description).toMatch(/label noise replace 50\/200 \(fraction 0.25, seed 7\)/);
    expect(Array.from(withLabelNoise(data, { fraction: 0.25, seed: 7 }).labels!)).toEqual(Array.from(noisy.labels!));
  });

  it('shuffle keeps the class histogram', () => {
    const noisy = withLabelNoise(data, { fraction: 0.5, seed: 3, mode: 'shuffle' });
    const histogram = (labels: Int32Array) => [0, 1, 2, 3].map((c) => labels.filter((l) => l === c).length);
    expect(histogram(noisy.labels!)).toEqual(histogram(data.labels!));
    expect(() => withLabelNoise(data, { fraction: 1.5, seed: 0 })).toThrow('fraction must be in [0, 1], got 1.5');
  });

  it('teacher labels of the identity network are the argmax of the inputs', () => {
    const spec = mlpSpec({ widths: [3, 3], activation: 'linear', seed: 0 });
    const identity = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const inputs = Float64Array.from([0.1, 0.9, 0.3, 2, -1, 0, -3, -2, -1]);
    const taught = teacherDataset({ spec, params: identity, inputs, count: 3 });
    expect(Array.from(taught.labels!)).toEqual([1, 0, 2]);
    const regression = teacherDataset({ spec, params: identity, inputs, count: 3, task: 'regression' });
    expect(Array.from(regression.targets)).toEqual(Array.from(inputs));
  });
});
