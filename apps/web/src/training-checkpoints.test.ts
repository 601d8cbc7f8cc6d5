import { describe, expect, it } from 'vitest';
import { analyzeHessianRanks } from '@intrinsic/hessian';
import { defaultDataset, initializeParameters, mlpSpec, trainMlp } from '@intrinsic/models';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { DEFAULT_PAGE_STATE } from './page-state.js';
import { checkpointEpochs, trainingCheckpoints } from './training-checkpoints.js';

describe('trainingCheckpoints', () => {
  it('spaces the checkpoints evenly from the initialisation', () => {
    expect(checkpointEpochs(100, 4)).toEqual([0, 25, 50, 75, 100]);
    expect(checkpointEpochs(3, 5)).toEqual([0, 1, 2, 3]);
  });

  it('equals one uninterrupted trainMlp run and a dense analysis at each checkpoint', () => {
    const state = { ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20 };
    const seen: number[] = [];
    const result = trainingCheckpoints(state, { epochs: 60, checkpoints: 3, learningRate: 0.01, onCheckpoint: (c) => seen.push(c.epoch) });
    expect(seen).toEqual([0, 20, 40, 60]);
    const spec = mlpSpec({ widths: [8, 5, 3], activation: 'linear', bias: false, init: 'glorot-normal', seed: 0 });
    const data = defaultDataset('gaussian', 'mse', 20, 8, 3, 0);
    const reference = trainMlp(spec, initializeParameters(spec), data, 'mse', { epochs: 60, learningRate: 0.01 });
    const last = result[result.length - 1];
    expect(last.loss).toBe(reference.loss);
    expect(last.loss).toBeLessThan(result[0].loss);
    const analysis = analyzeHessianRanks(spec, reference.params, data, 'mse');
    expect(last.rank).toEqual(analysis.rank);
    const top = Array.from(analysis.parts.hessian.eigenvalues).sort((a, b) => Math.abs(b) - Math.abs(a)).slice(0, 5);
    expect(Array.from(last.top)).toEqual(top);
    // A linear network keeps its generic ranks along training (SCIENCE.md §2: 45, 24, 30 for 8-5-3).
    for (const c of result) expect(c.rank).toEqual({ hessian: 45, outer: 24, functional: 30 });
  });

  it('rejects bad counts', () => {
    expect(() => trainingCheckpoints(DEFAULT_PAGE_STATE, { epochs: 0, checkpoints: 2, learningRate: 0.01 })).toThrow(InvalidArgumentError);
    expect(() => trainingCheckpoints(DEFAULT_PAGE_STATE, { epochs: 10, checkpoints: 0, learningRate: 0.01 })).toThrow('training: checkpoints must be a positive integer, got 0');
  });
});
