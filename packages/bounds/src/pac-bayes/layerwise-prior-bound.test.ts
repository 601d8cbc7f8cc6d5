import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { gaussianKl } from './gaussian-kl.js';
import { layerwisePriorBound, roundLayerwisePriorVariances } from './layerwise-prior-bound.js';
import { pacBayesBoundForPosterior } from './pac-bayes-bound-for-posterior.js';
import { priorVarianceGridPoint } from './prior-variance-grid.js';
import { naiveKl, referenceKlInverseUpper } from './__fixtures__/kl-reference.js';

function posterior(p: number, seed: number) {
  const random = new Random(seed);
  const mean = Float64Array.from({ length: p }, () => 0.1 * random.gaussian());
  const priorMean = Float64Array.from({ length: p }, () => 0.1 * random.gaussian());
  const std = Float64Array.from({ length: p }, () => 0.02 + 0.05 * random.uniform());
  return { mean, std, priorMean };
}
const common = { sampledError: 0.07, monteCarloSamples: 100_000, trainingSetSize: 10_000, delta: 0.025, deltaMonteCarlo: 0.01 };

describe('layerwisePriorBound', () => {
  it('with one group equals the single-λ Dziugaite–Roy bound', () => {
    const q = posterior(50, 1);
    const single = pacBayesBoundForPosterior({ ...q, ...common, priorGridIndex: 290 });
    const layerwise = layerwisePriorBound({ ...q, ...common, groups: [{ offset: 0, size: 50 }], priorGridIndices: [290] });
    expect(layerwise.bound).toBe(single.bound);
    expect(layerwise.kl).toBe(single.kl);
    expect(layerwise.gridPenalty).toBe(single.gridPenalty);
  });

  it('sums the per-group KL and pays 2 ln j_g + ln(π²/6) per group; the bound is kl⁻¹ of the sum', () => {
    const q = posterior(30, 2);
    const groups = [{ offset: 0, size: 10 }, { offset: 10, size: 5 }, { offset: 15, size: 15 }];
    const indices = [250, 300, 400];
    const result = layerwisePriorBound({ ...q, ...common, groups, priorGridIndices: indices });
    const perCoordinate = new Float64Array(30);
    groups.forEach((g, k) => perCoordinate.fill(0.1 * Math.exp(-indices[k] / 100), g.offset, g.offset + g.size));
    const kl = gaussianKl({ posteriorMean: q.mean, posteriorStd: q.std, priorMean: q.priorMean, priorVariance: perCoordinate });
    expect(Math.abs(result.kl - kl)).toBeLessThan(1e-12 * kl);
    const penalty = indices.reduce((a, j) => a + 2 * Math.log(j) + Math.log(Math.PI ** 2 / 6), 0);
    expect(Math.abs(result.gridPenalty - penalty)).toBeLessThan(1e-12);
    const c = (kl + penalty + Math.log((2 * Math.sqrt(10_000)) / 0.025)) / 10_000;
    const upper = referenceKlInverseUpper(0.07, Math.log(2 / 0.01) / 100_000);
    expect(Math.abs(result.empiricalErrorUpper - upper)).toBeLessThan(1e-12);
    const bound = referenceKlInverseUpper(upper, c);
    expect(Math.abs(result.bound - bound)).toBeLessThan(1e-10);
    expect(naiveKl(upper, result.bound)).toBeLessThanOrEqual(c + 1e-12);
    expect(result.confidence).toBeCloseTo(0.965, 15);
  });

  it('the product-grid weights Π_g 6/(π² j_g²) sum to at most 1 (two groups, truncated sums)', () => {
    let one = 0;
    for (let j = 1; j <= 100_000; j++) one += Math.exp(-priorVarianceGridPoint(j).penalty);
    expect(one * one).toBeLessThanOrEqual(1);
    expect(one * one).toBeGreaterThan(1 - 2e-5);
  });

  it('rounds each group to the better neighbour; brute force over the 2^G roundings agrees', () => {
    const q = posterior(40, 3);
    const groups = [{ offset: 0, size: 25 }, { offset: 25, size: 15 }];
    const variances = [0.004, 0.0123];
    const chosen = roundLayerwisePriorVariances(q.mean, q.std, q.priorMean, groups, variances);
    let best = Infinity;
    let bestIndices: number[] = [];
    const floors = variances.map((v) => Math.floor(100 * Math.log(0.1 / v)));
    for (const a of [floors[0], floors[0] + 1]) {
      for (const b of [floors[1], floors[1] + 1]) {
        const bound = layerwisePriorBound({ ...q, ...common, groups, priorGridIndices: [a, b] }).bound;
        if (bound < best) [best, bestIndices] = [bound, [a, b]];
      }
    }
    expect(chosen).toEqual(bestIndices);
  });

  it('rejects groups that do not tile the parameters, with one line', () => {
    const q = posterior(10, 4);
    expect(() => layerwisePriorBound({ ...q, ...common, groups: [{ offset: 0, size: 4 }, { offset: 5, size: 5 }], priorGridIndices: [1, 1] })).toThrow(/must tile 0 … 9 in order; a group starts at 5 \(size 5\), expected 4/);
    expect(() => layerwisePriorBound({ ...q, ...common, groups: [{ offset: 0, size: 4 }], priorGridIndices: [1] })).toThrow(/cover 4 coordinates, the parameters 10/);
    expect(() => layerwisePriorBound({ ...q, ...common, groups: [{ offset: 0, size: 10 }], priorGridIndices: [1, 2] })).toThrow(/2 grid indices for 1 groups/);
  });
});
