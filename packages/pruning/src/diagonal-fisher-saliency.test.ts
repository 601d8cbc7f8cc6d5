import { describe, expect, it } from 'vitest';
import { MlpEvaluation } from '@intrinsic/models';
import { diagonalFisherSaliency } from './diagonal-fisher-saliency.js';
import { smallMlp } from './__fixtures__/small-mlp.js';
import { referenceFisher } from './__fixtures__/linear-algebra.js';

describe('diagonalFisherSaliency', () => {
  it('equals ½ diag(F) w² with F the dense empirical Fisher from per-sample gradients (1e-14)', () => {
    const { spec, params, data, loss, p } = smallMlp(15);
    const G = new MlpEvaluation(spec, params, data, loss).perSampleGradients();
    const F = referenceFisher(G, 15, p, 1e-3);
    const rho = diagonalFisherSaliency(params, G, { count: 15, damping: 1e-3 });
    for (let q = 0; q < p; q++) expect(Math.abs(rho[q] - 0.5 * F[q * p + q] * params[q] ** 2)).toBeLessThan(1e-14 * (rho[q] + 1e-300));
  });

  it('the mean of the per-sample gradients is the loss gradient (the Fisher uses ∇ℓ_i, not ∇ℓ_i / N)', () => {
    const { spec, params, data, loss, p } = smallMlp(15);
    const evaluation = new MlpEvaluation(spec, params, data, loss);
    const G = evaluation.perSampleGradients();
    const g = evaluation.gradient();
    for (let q = 0; q < p; q++) {
      let mean = 0;
      for (let i = 0; i < 15; i++) mean += G[i * p + q] / 15;
      expect(mean).toBeCloseTo(g[q], 14);
    }
  });
});
