import { describe, expect, it } from 'vitest';
import { lanczosEigenpairs, symmetricEigenvalues } from '@intrinsic/spectra';
import { initializeParameters, mlpSpec, parameterLayout, syntheticDataset, trainMlp } from '@intrinsic/models';
import { hessianOperator } from './curvature-operators.js';
import { denseHessian } from './dense-hessian.js';

/**
 * The known structure at the top of a classifier's Hessian (Sagun et al. 2017; Papyan 2019/2020): with
 * K classes, cross-entropy, the spectrum shows K − 1 outliers above the bulk. Mechanism (checked here):
 * the Gauss–Newton part of the last layer is ≈ Λ̄ ⊗ (1/N) Σ a aᵀ with Λ̄ = diag(p̄) − p̄p̄ᵀ of rank K − 1 and
 * the mean ReLU feature μ giving one dominant direction of Σ a aᵀ — hence K − 1 large eigenvalues.
 */
describe('K − 1 outliers at the top of a trained classifier’s Hessian', () => {
  it.each([4, 7])('K = %i: the largest gap in the top of the spectrum is after eigenvalue K − 1 (Lanczos on exact HVPs)', (K) => {
    const spec = mlpSpec({ widths: [30, 64, K], activation: 'relu', bias: false, seed: 1, init: 'he-normal' });
    const params = initializeParameters(spec);
    const last = parameterLayout(spec).views[1];
    for (let i = last.offset; i < last.offset + last.size; i++) params[i] *= 0.01; // small initial logits
    const data = syntheticDataset({ kind: 'mixture', count: 400, inputSize: 30, outputSize: K, seed: 2, separation: 0.5 });
    const trained = trainMlp(spec, params, data, 'cross-entropy', { epochs: 20, batchSize: 50, learningRate: 1e-3, seed: 1 });
    const op = hessianOperator(spec, trained.params, data, 'cross-entropy');
    const top = lanczosEigenpairs(op, { k: K + 4, tolerance: 1e-8 });
    expect(top.allConverged).toBe(true);
    const values = Array.from(top.values);
    const ratios = values.slice(0, -1).map((x, i) => x / values[i + 1]);
    const largest = ratios.indexOf(Math.max(...ratios));
    expect(largest + 1).toBe(K - 1);
    expect(ratios[largest]).toBeGreaterThan(2);
  });

  it('Lanczos top-10 on the Hessian operator agree with the dense eigenvalues to 1e-8 relative', () => {
    const spec = mlpSpec({ widths: [8, 16, 12, 5], activation: 'tanh', bias: true, seed: 4 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'mixture', count: 60, inputSize: 8, outputSize: 5, seed: 4 });
    const dense = symmetricEigenvalues(denseHessian(spec, params, data, 'cross-entropy'), params.length);
    const op = hessianOperator(spec, params, data, 'cross-entropy');
    const top = lanczosEigenpairs(op, { k: 10, tolerance: 1e-10 });
    const reference = Array.from(dense).reverse();
    top.values.forEach((value, i) => expect(Math.abs(value - reference[i]) / Math.abs(reference[0])).toBeLessThan(1e-8));
    const bottom = lanczosEigenpairs(op, { k: 3, which: 'smallest', tolerance: 1e-10 });
    bottom.values.forEach((value, i) => expect(Math.abs(value - dense[i]) / Math.abs(reference[0])).toBeLessThan(1e-8));
  });
});
