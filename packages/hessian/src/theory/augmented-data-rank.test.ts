import { describe, expect, it } from 'vitest';
import { syntheticDataset, type Dataset } from '@intrinsic/models';
import { dataRank } from '../rank-analysis.js';
import { augmentedDataRank } from './augmented-data-rank.js';

describe('augmentedDataRank', () => {
  it('is min(d + 1, N) for generic Gaussian data', () => {
    for (const [N, d] of [[10, 4], [3, 7], [5, 4], [1, 3]]) {
      const data = syntheticDataset({ kind: 'gaussian', count: N, inputSize: d, outputSize: 1, seed: N + d });
      expect(augmentedDataRank(data)).toBe(Math.min(d + 1, N));
    }
  });

  it('equals rank(X_c) + 1 for the centred data, also when a constant input column makes r′ = r', () => {
    // x = (g, 1): the constant column already spans 1, so r′ = r = 2 and the centred data has rank 1.
    const N = 6;
    const inputs = new Float64Array(2 * N);
    for (let i = 0; i < N; i++) inputs.set([i * i - 3, 1], 2 * i);
    const data: Dataset = { inputs, targets: new Float64Array(N), count: N, inputSize: 2, outputSize: 1, description: 'constant column' };
    expect(dataRank(data)).toBe(2);
    expect(augmentedDataRank(data)).toBe(2);
    const centred = new Float64Array(inputs);
    for (let j = 0; j < 2; j++) {
      let mean = 0;
      for (let i = 0; i < N; i++) mean += inputs[2 * i + j] / N;
      for (let i = 0; i < N; i++) centred[2 * i + j] -= mean;
    }
    expect(dataRank({ ...data, inputs: centred }) + 1).toBe(2);
  });
});
