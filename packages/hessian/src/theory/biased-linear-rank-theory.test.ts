import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { defaultDataset, initializeParameters, mlpSpec, parameterCount, parameterLayout, type Loss } from '@intrinsic/models';
import { analyzeHessianRanks } from '../rank-analysis.js';
import { augmentedDataRank } from './augmented-data-rank.js';
import { biasedLinearNetworkRankPrediction } from './biased-linear-rank-theory.js';

/** Exact float64 ranks of a linear network with bias; biases either the default zeros or N(0, 1). */
function measure(widths: number[], N: number, loss: Loss, seed: number, perturbBiases: boolean) {
  const spec = mlpSpec({ widths, activation: 'linear', bias: true, seed });
  const params = initializeParameters(spec);
  if (perturbBiases) {
    const rng = new Random(seed + 7919);
    for (const view of parameterLayout(spec).views) if (view.kind === 'bias') rng.fillGaussian(params.subarray(view.offset, view.offset + view.size));
  }
  const data = defaultDataset('gaussian', loss, N, widths[0], widths[widths.length - 1], seed);
  return { analysis: analyzeHessianRanks(spec, params, data, loss), rAugmented: augmentedDataRank(data) };
}

describe('deep linear networks with bias: closed forms and bounds against exact float64 ranks', () => {
  it('randomised family of 240 architectures (0–5 hidden layers, N below and above d, MSE and CE, zero and random biases)', () => {
    const rng = new Random(2026);
    const counts = { total: 0, exactAll: 0, bounded: 0, shallowBottleneck: 0, deepNoBottleneck: 0, belowD: 0, tight: 0 };
    while (counts.total < 240) {
      const hidden = rng.integer(6);
      const d = 1 + rng.integer(8);
      const K = 2 + rng.integer(5);
      const widths = [d, ...Array.from({ length: hidden }, () => 1 + rng.integer(7)), K];
      if (parameterCount(mlpSpec({ widths, bias: true })) > 160) continue;
      const N = 1 + rng.integer(2 * d + 3);
      const loss: Loss = counts.total % 2 === 0 ? 'mse' : 'cross-entropy';
      const { analysis, rAugmented } = measure(widths, N, loss, counts.total, counts.total % 3 !== 0);
      // Generic data: r′ = min(d + 1, N), computed independently of the formula.
      expect(rAugmented).toBe(Math.min(d + 1, N));
      const prediction = biasedLinearNetworkRankPrediction({ widths, augmentedDataRank: rAugmented, loss });
      const label = { widths, N, loss };
      for (const part of ['hessian', 'outer', 'functional'] as const) {
        const claim = prediction.parts[part];
        if (claim.kind === 'exact') expect({ ...label, part, rank: analysis.rank[part] }).toEqual({ ...label, part, rank: claim.value });
        else expect(analysis.rank[part], `${JSON.stringify(label)} ${part}`).toBeLessThanOrEqual(claim.value ?? -1);
      }
      expect(prediction.parts.outer.kind).toBe('exact');
      if (prediction.kind === 'exact') counts.exactAll++;
      else {
        counts.bounded++;
        if (prediction.ranks.hessian === analysis.rank.hessian) counts.tight++;
      }
      if (hidden === 1 && !prediction.terms.noBottleneck) counts.shallowBottleneck++;
      if (hidden >= 2 && prediction.terms.noBottleneck) counts.deepNoBottleneck++;
      if (N <= d) counts.belowD++;
      counts.total++;
    }
    // The family exercises every branch.
    expect(counts.exactAll).toBeGreaterThan(120);
    expect(counts.bounded).toBeGreaterThan(40);
    expect(counts.shallowBottleneck).toBeGreaterThan(5);
    expect(counts.deepNoBottleneck).toBeGreaterThan(30);
    expect(counts.belowD).toBeGreaterThan(40);
  });

  it('one hidden layer narrower than min(r′, K): a grid of 60 cases, d = 8, M₁ = 1…3, K = 3…6, N = 2…6 (MSE)', () => {
    let bottlenecks = 0;
    for (let M1 = 1; M1 <= 3; M1++) for (let K = 3; K <= 6; K++) for (let N = 2; N <= 6; N++) {
      const widths = [8, M1, K];
      const { analysis, rAugmented } = measure(widths, N, 'mse', 100 * M1 + 10 * K + N, true);
      const prediction = biasedLinearNetworkRankPrediction({ widths, augmentedDataRank: rAugmented, loss: 'mse' });
      expect(prediction.kind).toBe('exact');
      expect({ widths, N, ...analysis.rank }).toEqual({ widths, N, ...prediction.ranks });
      if (!prediction.terms.noBottleneck) bottlenecks++;
    }
    expect(bottlenecks).toBeGreaterThan(20);
  });

  it('the starting observation rank(H_O) = q(r + K − q) + K holds for N > d and fails for some N ≤ d, where q₀(r₀ + K − q₀) + K holds', () => {
    // 7-5-3-4, N = 2 ≤ d: r = 2, q = 2 → the observation gives 2·(2 + 4 − 2) + 4 = 12; r′ = 2, r₀ = 1, q₀ = 1 → 1·(1 + 4 − 1) + 4 = 8.
    const below = measure([7, 5, 3, 4], 2, 'mse', 1, true);
    expect(below.analysis.rank.outer).toBe(8);
    expect(biasedLinearNetworkRankPrediction({ widths: [7, 5, 3, 4], augmentedDataRank: below.rAugmented, loss: 'mse' }).ranks.outer).toBe(8);
    // 6-4-3, N = 12 > d: r = 6, q = 3 → 3·(6 + 3 − 3) + 3 = 21 from both.
    const above = measure([6, 4, 3], 12, 'mse', 2, true);
    expect(above.analysis.rank).toEqual({ hessian: 39, outer: 21, functional: 24 }); // the TSDoc example
    expect(biasedLinearNetworkRankPrediction({ widths: [6, 4, 3], augmentedDataRank: above.rAugmented, loss: 'mse' }).ranks).toEqual(above.analysis.rank);
  });

  it('per-layer bias terms: each middle bias adds s′ to rank(H_F) and to rank(H) (no bottleneck)', () => {
    // d = 6, hidden 5 × (L − 1), K = 3, N = 20: r′ = 7, s′ = 3. H_F = 2s′M − (L − 2)s′(s′ − 1); H = nb_H(r′) + (L − 1)s′.
    for (const L of [2, 3, 4]) {
      const widths = [6, ...Array.from({ length: L - 1 }, () => 5), 3];
      const { analysis } = measure(widths, 20, 'mse', L, true);
      const M = 5 * (L - 1);
      expect(analysis.rank.functional).toBe(2 * 3 * M - (L - 2) * 3 * 2);
      // nb_H(r′ = 7) = 2qM − Lq² + q(r′ + K) with q = 3.
      expect(analysis.rank.hessian).toBe(2 * 3 * M - L * 9 + 3 * (7 + 3) + (L - 1) * 3);
    }
  });

  it('rejects bad inputs with one-line messages', () => {
    expect(() => biasedLinearNetworkRankPrediction({ widths: [3], augmentedDataRank: 2, loss: 'mse' })).toThrow(/at least 2 entries, got 1/);
    expect(() => biasedLinearNetworkRankPrediction({ widths: [3, 2], augmentedDataRank: 0, loss: 'mse' })).toThrow(/positive integer, got 0/);
  });
});
