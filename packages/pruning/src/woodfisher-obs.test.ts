import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '@intrinsic/spectra';
import { MlpEvaluation } from '@intrinsic/models';
import { choleskyInverse } from './cholesky.js';
import { empiricalFisher } from './empirical-fisher.js';
import { obsSaliency } from './obs-saliency.js';
import { obsUpdate } from './obs-update.js';
import { denseInverseCurvature } from './inverse-curvature.js';
import { woodFisherInverse } from './woodfisher-inverse.js';
import { smallMlp } from './__fixtures__/small-mlp.js';

describe('WoodFisher → OBS with the exact empirical Fisher inverse', () => {
  it('with all n = 200 gradients and tiny λ the saliencies and updates approach OBS on F = (1/n)GᵀG', () => {
    const n = 200;
    const { spec, params, data, loss, p } = smallMlp(n);
    const G = new MlpEvaluation(spec, params, data, loss).perSampleGradients();
    const F = empiricalFisher(G, { count: n, size: p, damping: 0 });
    const lambdaMin = symmetricEigenvalues(F, p)[0];
    expect(lambdaMin).toBeGreaterThan(0); // n ≫ p: F is positive definite without damping
    const exact = denseInverseCurvature(choleskyInverse(F, p), p);
    const rhoExact = obsSaliency(params, exact);
    const deltaExact = obsUpdate(params, exact, [3]);
    const errors: number[] = [];
    for (const damping of [1e-4, 1e-6].map((s) => s * lambdaMin)) {
      // [F + λI]⁻¹ = F⁻¹ − λF⁻² + …: ρ and δw move by about λ/λ_min relatively; 2λ/λ_min is the tolerance.
      // (Below λ ≈ 1e-8 λ_min the recursion's rounding, ≈ 4e-8 here, dominates.)
      const bound = (2 * damping) / lambdaMin + 1e-10;
      const wood = woodFisherInverse(G, { count: n, size: p, damping, solver: 'recursion' });
      const rho = obsSaliency(params, wood);
      let worst = 0;
      for (let q = 0; q < p; q++) worst = Math.max(worst, Math.abs(rho[q] - rhoExact[q]) / rhoExact[q]);
      expect(worst).toBeLessThan(bound);
      const delta = obsUpdate(params, wood, [3]);
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < p; i++) {
        diff = Math.max(diff, Math.abs(delta[i] - deltaExact[i]));
        norm = Math.max(norm, Math.abs(deltaExact[i]));
      }
      expect(diff / norm).toBeLessThan(bound);
      errors.push(worst);
    }
    // Measured 8.5e-5 then 8.5e-7: the error falls in proportion to λ (first order in λ/λ_min).
    expect(errors[1]).toBeLessThan(errors[0] / 50);
  });
});
