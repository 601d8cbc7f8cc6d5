import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { defaultDataset, initializeParameters, mlpSpec, parameterCount, type Loss } from '@intrinsic/models';
import { linearNetworkRankPrediction, predictHessianRanks } from './linear-rank-theory.js';
import { analyzeHessianRanks } from './rank-analysis.js';

function measure(widths: number[], N: number, loss: Loss, seed = 0) {
  const spec = mlpSpec({ widths, activation: 'linear', bias: false, seed });
  const data = defaultDataset('gaussian', loss, N, widths[0], widths[widths.length - 1], seed);
  return analyzeHessianRanks(spec, initializeParameters(spec), data, loss);
}

// The public reference cases of SCIENCE.md §2 (Singh, Bachmann, Hofmann, NeurIPS 2021).
const publicCases: [number[], number, Loss, [number, number, number], number][] = [
  [[25, 5, 10, 10], 50, 'mse', [250, 150, 175], 275],
  [[25, 5, 10, 10], 50, 'cross-entropy', [245, 145, 165], 275],
  [[8, 5, 3], 20, 'mse', [45, 24, 30], 55],
  [[6, 10, 10, 4], 30, 'mse', [152, 24, 144], 200],
  [[5, 20, 20, 2], 50, 'mse', [162, 10, 156], 540],
];

describe('deep linear networks: measured ranks equal the closed form', () => {
  it.each(publicCases)('%j, N = %i, %s → H, H_O, H_F = %j', (widths, N, loss, expected, p) => {
    const analysis = measure(widths, N, loss);
    expect(analysis.params).toBe(p);
    expect([analysis.rank.hessian, analysis.rank.outer, analysis.rank.functional]).toEqual(expected);
    expect(analysis.prediction.applies && analysis.prediction.ranks).toEqual({ hessian: expected[0], outer: expected[1], functional: expected[2] });
  });

  it('randomised sweep: depths 1–4 hidden layers (and none), widths 1–20, N below and above d, both losses', () => {
    const rng = new Random(2021);
    let checked = 0;
    let belowD = 0;
    while (checked < 40) {
      const hidden = rng.integer(5); // 0 … 4 hidden layers
      const d = 1 + rng.integer(20);
      const K = 2 + rng.integer(9);
      const widths = [d, ...Array.from({ length: hidden }, () => 1 + rng.integer(20)), K];
      const spec = mlpSpec({ widths });
      if (parameterCount(spec) > 300) continue;
      const N = rng.uniform() < 0.5 ? 1 + rng.integer(d) : d + 1 + rng.integer(20);
      if (N < d) belowD++;
      const loss: Loss = checked % 2 === 0 ? 'mse' : 'cross-entropy';
      const analysis = measure(widths, N, loss, checked);
      const prediction = linearNetworkRankPrediction({ widths, dataRank: Math.min(d, N), loss });
      expect(analysis.dataRank).toBe(Math.min(d, N));
      expect(prediction.applies).toBe(true);
      if (!prediction.applies) continue;
      expect({ widths, N, loss, ...analysis.rank }).toEqual({ widths, N, loss, ...prediction.ranks });
      checked++;
    }
    expect(belowD).toBeGreaterThan(5);
  });

  it('has no closed form for non-linear activations or bias, and says why', () => {
    const relu = predictHessianRanks(mlpSpec({ activation: 'relu' }), 25, 'mse');
    expect(relu.applies).toBe(false);
    expect(!relu.applies && relu.reason).toMatch(/relu activation/);
    const bias = predictHessianRanks(mlpSpec({ bias: true }), 25, 'mse');
    expect(!bias.applies && bias.reason).toMatch(/bias/);
  });

  it('the split identity rank(H) = rank(H_F) + rank(H_O) + q(q − 2s) holds for the formulas (L ≥ 2)', () => {
    for (const widths of [[25, 5, 10, 10], [7, 3, 9, 4, 5], [4, 12, 3]]) {
      const prediction = linearNetworkRankPrediction({ widths, dataRank: widths[0], loss: 'mse' });
      if (!prediction.applies) throw new Error('expected a prediction');
      const { q, s } = prediction.terms;
      expect(prediction.ranks.hessian).toBe(prediction.ranks.functional + prediction.ranks.outer + q * (q - 2 * s));
    }
  });
});
