import { describe, expect, it } from 'vitest';
import { defaultDataset, initializeNetworkParameters, initializeParameters, mlpSpec, networkSpec, type Loss } from '@intrinsic/models';
import { analyzeNetworkHessianRanks } from '../network-hessian.js';
import { analyzeHessianRanks } from '../rank-analysis.js';
import { predictRank } from './predict-rank.js';

function measured(widths: number[], N: number, loss: Loss, options: { bias?: boolean; activation?: 'linear' | 'relu' | 'tanh' } = {}) {
  const spec = mlpSpec({ widths, bias: options.bias ?? false, activation: options.activation ?? 'linear', seed: 3 });
  const data = defaultDataset('gaussian', loss, N, widths[0], widths[widths.length - 1], 3);
  return { spec, data, analysis: analyzeHessianRanks(spec, initializeParameters(spec), data, loss) };
}

describe('predictRank', () => {
  it('linear, no bias: exact, equal to the measured ranks and to the paper example 250 / 150 / 175', () => {
    const { spec, data, analysis } = measured([25, 5, 10, 10], 50, 'mse');
    const prediction = predictRank(spec, data, 'mse');
    expect(prediction.kind).toBe('exact');
    expect(prediction.ranks).toEqual({ hessian: 250, outer: 150, functional: 175 });
    expect(prediction.ranks).toEqual(analysis.rank);
    expect(prediction.source).toMatch(/Singh, Bachmann, Hofmann/);
    // The same from a summary of the data instead of the data set.
    expect(predictRank(spec, { samples: 50, dataRank: 25, augmentedDataRank: 26 }, 'mse').ranks).toEqual(prediction.ranks);
  });

  it('linear with bias: exact without a bottleneck (25-12-10-10, CE), bounded with one (25-5-10-10)', () => {
    const wide = measured([25, 12, 10, 10], 50, 'cross-entropy', { bias: true });
    const exact = predictRank(wide.spec, wide.data, 'cross-entropy');
    expect(exact.kind).toBe('exact');
    expect(exact.ranks).toEqual(wide.analysis.rank);
    expect(exact.parts.functional.source).toMatch(/observed here.*biased-linear-rank-theory\.test\.ts/);

    const narrow = measured([25, 5, 10, 10], 50, 'mse', { bias: true });
    const bound = predictRank(narrow.spec, narrow.data, 'mse');
    expect(bound.kind).toBe('upper-bound');
    expect(bound.parts.outer).toMatchObject({ kind: 'exact', value: narrow.analysis.rank.outer });
    expect(narrow.analysis.rank.functional).toBeLessThanOrEqual(bound.parts.functional.value ?? -1);
    expect(narrow.analysis.rank.hessian).toBeLessThanOrEqual(bound.parts.hessian.value ?? -1);
  });

  it('non-linear: none for H and H_F with the reason, H_O ≤ min(p, N·K), and the linear formula as a reference', () => {
    const { spec, data, analysis } = measured([6, 8, 3], 4, 'mse', { activation: 'tanh' });
    const prediction = predictRank(spec, data, 'mse');
    expect(prediction.kind).toBe('none');
    expect(prediction.reason).toMatch(/tanh activation/);
    expect(prediction.ranks).toBeUndefined();
    // p = 6·8 + 8·3 = 72, N·K = 12: H_O is a sum of 4 terms of rank ≤ 3.
    expect(prediction.parts.outer).toMatchObject({ kind: 'upper-bound', value: 12 });
    expect(analysis.rank.outer).toBeLessThanOrEqual(12);
    // The reference is the linear formula for 6-8-3 at r = 4: q = 3, s = 3, M = 8 → H_O = 3·(4 + 3 − 3) = 12.
    expect(prediction.reference?.ranks.outer).toBe(12);
  });

  it('routes layered networks to the CNN theory: one hidden linear conv layer, H_O and H_F equal the exact ranks', () => {
    const spec = networkSpec({ input: [1, 10], layers: [{ type: 'conv1d', filters: 2, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }], seed: 4 });
    const data = defaultDataset('gaussian', 'mse', 12, 10, 3, 4);
    const prediction = predictRank(spec, data, 'mse');
    const analysis = analyzeNetworkHessianRanks(spec, initializeNetworkParameters(spec), data, 'mse');
    expect(prediction.parts.functional).toMatchObject({ kind: 'exact', value: analysis.rank.functional });
    expect(prediction.parts.outer.value).toBe(analysis.rank.outer);
    expect(prediction.parts.hessian.value).toBeGreaterThanOrEqual(analysis.rank.hessian);
    const summary = predictRank(spec, { samples: 12, dataRank: 10, augmentedDataRank: 11 }, 'mse');
    expect(summary.kind).toBe('none');
    expect(summary.reason).toMatch(/need the data set itself/);
  });

  it('answers none for models it has no theory for', () => {
    const prediction = predictRank({ kind: 'conv' }, { samples: 10, dataRank: 4, augmentedDataRank: 5 }, 'mse');
    expect(prediction.kind).toBe('none');
    expect(prediction.reason).toMatch(/'conv' models/);
  });

  it('rejects an invalid data summary or spec', () => {
    const spec = mlpSpec({ widths: [4, 2] });
    expect(() => predictRank(spec, { samples: 3, dataRank: -1, augmentedDataRank: 2 }, 'mse')).toThrow(/dataRank must be a non-negative integer, got -1/);
    expect(() => predictRank({ kind: 'mlp', widths: [0] } as never, { samples: 3, dataRank: 1, augmentedDataRank: 2 }, 'mse')).toThrow(/widths/);
  });
});
