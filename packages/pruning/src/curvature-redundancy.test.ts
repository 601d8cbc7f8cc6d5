import { describe, expect, it } from 'vitest';
import { MemoryBudgetError } from '@intrinsic/spectra';
import { defaultDataset, initializeParameters, mlpSpec, parameterCount, type Loss } from '@intrinsic/models';
import { linearNetworkRankPrediction } from '@intrinsic/hessian';
import { curvatureRedundancy } from './curvature-redundancy.js';
import { smallMlp } from './__fixtures__/small-mlp.js';

describe('curvatureRedundancy: p − rank of the exact Hessian', () => {
  // Deep linear networks without bias: rank(H) = 2qM − Lq² + q(r + K) (Singh, Bachmann & Hofmann, NeurIPS 2021),
  // so the nullity p − rank(H) is known in closed form.
  const cases: [number[], number, Loss][] = [
    [[8, 5, 3], 20, 'mse'], // q = 3, r = 8: rank 30 of p = 55
    [[6, 10, 10, 4], 30, 'mse'], // a wide middle: rank 144 of p = 200
    [[10, 4, 6], 6, 'cross-entropy'], // N < d: r = 6, K → K − 1 for softmax
  ];
  it.each(cases)('linear %j, N = %i, %s: the nullity is p − rank from the closed form', (widths, N, loss) => {
    const spec = mlpSpec({ widths, activation: 'linear', bias: false, seed: 5 });
    const data = defaultDataset('gaussian', loss, N, widths[0], widths[widths.length - 1], 6);
    const prediction = linearNetworkRankPrediction({ widths, dataRank: Math.min(widths[0], N), loss });
    if (!prediction.applies) throw new Error(prediction.reason);
    const p = parameterCount(spec);
    const result = curvatureRedundancy(spec, initializeParameters(spec), data, loss);
    expect(result.size).toBe(p);
    expect(result.nullity).toBe(p - prediction.ranks.hessian);
    expect(result.nullity).toBeGreaterThan(0);
    expect(result.nullityFraction).toBeCloseTo(result.nullity / p, 15);
  });

  it('refuses a dense Hessian over the memory budget with the sizes in the message', () => {
    const { spec, params, data, loss } = smallMlp();
    expect(() => curvatureRedundancy(spec, params, data, loss, { memoryBudgetBytes: 1000 })).toThrow(MemoryBudgetError);
  });
});
