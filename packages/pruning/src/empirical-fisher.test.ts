import { describe, expect, it } from 'vitest';
import { MemoryBudgetError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { MlpEvaluation, initializeParameters, mlpSpec, syntheticDataset } from '@intrinsic/models';
import { empiricalFisher, empiricalFisherDiagonal } from './empirical-fisher.js';
import { referenceFisher, relativeError } from './__fixtures__/linear-algebra.js';

describe('empiricalFisher', () => {
  it('equals λI + (1/n) Σ g_j g_jᵀ summed outer product by outer product (1e-14 relative)', () => {
    const n = 7;
    const p = 9;
    const G = new Random(1).fillGaussian(new Float64Array(n * p));
    const F = empiricalFisher(G, { count: n, size: p, damping: 0.3 });
    expect(relativeError(F, referenceFisher(G, n, p, 0.3))).toBeLessThan(1e-14);
  });

  it('for MSE with one output equals (1/N) Σ r_i² J_iᵀ J_i built from the output Jacobian', () => {
    // ∇ℓ_i = (f_i − y_i) J_i for ℓ = ½(f − y)²: an independent route through outputJacobian().
    const spec = mlpSpec({ widths: [3, 4, 1], activation: 'tanh', bias: true, seed: 2 });
    const data = syntheticDataset({ kind: 'gaussian', count: 12, inputSize: 3, outputSize: 1, seed: 4 });
    const params = initializeParameters(spec);
    const evaluation = new MlpEvaluation(spec, params, data, 'mse');
    const p = evaluation.layout.size;
    const F = empiricalFisher(evaluation.perSampleGradients(), { count: 12, size: p, damping: 0 });
    const J = evaluation.outputJacobian();
    const reference = new Float64Array(p * p);
    for (let i = 0; i < 12; i++) {
      const r = evaluation.outputs[i] - data.targets[i];
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) reference[a * p + b] += (r * r * J[i * p + a] * J[i * p + b]) / 12;
    }
    expect(relativeError(F, reference)).toBeLessThan(1e-13);
    const diagonal = empiricalFisherDiagonal(evaluation.perSampleGradients(), { count: 12, size: p, damping: 0 });
    for (let q = 0; q < p; q++) expect(diagonal[q]).toBeCloseTo(reference[q * p + q], 14);
  });

  it('refuses a p × p matrix over the memory budget and a wrongly sized G', () => {
    const G = new Float64Array(2 * 100);
    expect(() => empiricalFisher(G, { count: 2, size: 100, damping: 0, memoryBudgetBytes: 1000 })).toThrow(MemoryBudgetError);
    expect(() => empiricalFisher(G, { count: 2, size: 100, damping: 0, memoryBudgetBytes: 1000 })).toThrow(/100 × 100 needs 80.0 KB/);
    expect(() => empiricalFisher(G, { count: 3, size: 100, damping: 0 })).toThrow(ShapeMismatchError);
  });
});
