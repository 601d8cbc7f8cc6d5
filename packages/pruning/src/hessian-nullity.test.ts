import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '@intrinsic/spectra';
import { initializeParameters, mlpSpec, syntheticDataset } from '@intrinsic/models';
import { denseHessian, predictHessianRanks } from '@intrinsic/hessian';
import { hessianNullity } from './hessian-nullity.js';

describe('hessianNullity', () => {
  it('counts eigenvalues at or below the threshold: [2, 1e-18, −3, 0] → nullity 2', () => {
    const result = hessianNullity([2, 1e-18, -3, 0]);
    expect(result).toMatchObject({ size: 4, rank: 2, nullity: 2, nullityFraction: 0.5 });
    expect(result.tolerance.threshold).toBeCloseTo(3 * 4 * 2 ** -52, 30);
    expect(hessianNullity([2, 1e-3], { kind: 'relative', value: 1e-2 }).nullity).toBe(1);
  });

  it('equals p − rank(H) of the linear-network rank theory: 8-5-3, N = 20, MSE → 55 − 45 = 10', () => {
    // SCIENCE.md §2 reference case: rank(H) = 45 with p = 55.
    const spec = mlpSpec({ widths: [8, 5, 3], activation: 'linear', bias: false, seed: 1 });
    const data = syntheticDataset({ kind: 'gaussian', count: 20, inputSize: 8, outputSize: 3, seed: 2 });
    const H = denseHessian(spec, initializeParameters(spec), data, 'mse');
    const prediction = predictHessianRanks(spec, 8, 'mse');
    const result = hessianNullity(symmetricEigenvalues(H, 55));
    expect(prediction.applies ? prediction.ranks.hessian : -1).toBe(45);
    expect(result.nullity).toBe(10);
  });
});
