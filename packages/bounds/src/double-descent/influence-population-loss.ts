import { InvalidArgumentError, ShapeMismatchError, type ResolvedTolerance, type TolerancePolicy } from '@intrinsic/spectra';
import { assertFiniteArray, assertInteger } from '../internal/guards.js';
import { smallestPositiveEigenvalue } from './smallest-positive-eigenvalue.js';

/** Options of {@link influencePopulationLoss}. */
export interface InfluencePopulationLossOptions {
  /** Eigenvalues of the Hessian H of the mean training loss (length p), e.g. `symmetricEigen(denseHessian(…))`. */
  eigenvalues: Float64Array;
  /** Eigenvectors, row-major p × p, column j the unit eigenvector of `eigenvalues[j]` (spectra's convention). */
  eigenvectors: Float64Array;
  /** Per-sample gradients ∇ℓ_z at θ*, row-major count × p (`MlpEvaluation.perSampleGradients()`). */
  gradients: Float64Array;
  /** Per-sample losses ℓ(z, θ*), length count. */
  losses: Float64Array;
  /** N, the number of training samples H was averaged over. */
  trainingSetSize: number;
  /** Which eigenvalues count as positive (default numpy's rule). */
  tolerance?: TolerancePolicy;
}

/** Result of {@link influencePopulationLoss}. */
export interface InfluencePopulationLossResult {
  /** L_pop ≈ E_z[ℓ] + (1/(N+1)) E_z[∇ℓ_zᵀ H⁺ ∇ℓ_z]. */
  estimate: number;
  /** E_z[ℓ(z, θ*)]. */
  meanLoss: number;
  /** (1/(N+1)) E_z[∇ℓ_zᵀ H⁺ ∇ℓ_z]. */
  correction: number;
  /** ∇ℓ_zᵀ H⁺ ∇ℓ_z per sample. */
  quadraticForms: Float64Array;
  /** E_z[ℓ] + (1/(N+1)) E_z[(u_minᵀ∇ℓ_z)²] / λ_min⁺: a lower bound on `estimate`, proportional to 1/λ_min⁺. */
  lowerBound: number;
  /** E_z[ℓ] + (1/(N+1)) E_z[‖P∇ℓ_z‖²] / λ_max ≤ estimate. */
  rangeLowerBound: number;
  /** E_z[ℓ] + (1/(N+1)) E_z[‖P∇ℓ_z‖²] / λ_min⁺ ≥ estimate. */
  rangeUpperBound: number;
  /** E_z[‖P∇ℓ_z‖²], P the projector on the positive eigenspace. */
  meanProjectedGradientNormSquared: number;
  /** λ_min⁺. */
  lambdaMinPositive: number;
  /** λ_max. */
  lambdaMax: number;
  /** Number of positive eigenvalues used by H⁺. */
  rank: number;
  /** Eigenvalues below −τ, left out of H⁺. */
  negativeCount: number;
  tolerance: ResolvedTolerance;
}

/**
 * The influence-function estimate of the population loss at a trained point (Singh, Lucchi, Hofmann &
 * Schölkopf, "Phenomenology of Double Descent in Finite-Width Neural Networks", ICLR 2022; SCIENCE.md §4):
 *
 *   L_pop ≈ E_z[ℓ(z, θ*)] + (1/(N+1)) E_z[∇ℓ_zᵀ H⁺ ∇ℓ_z],   H⁺ = Σ_{λ_j > τ} u_j u_jᵀ / λ_j,
 *
 * from θ*_{S∪z} ≈ θ*_S − (1/(N+1)) H⁻¹∇ℓ_z (adding z with weight 1/(N+1)) and a first-order expansion of
 * ℓ(z, ·). The pseudo-inverse acts on the positive eigenspace; eigenvalues with |λ| ≤ τ are the null space
 * and those below −τ (non-convex directions) are excluded and counted in `negativeCount`.
 *
 * Bounds. With c_j = u_jᵀ∇ℓ_z, ∇ᵀH⁺∇ = Σ_{λ_j>τ} c_j²/λ_j, a sum of non-negative terms with
 * 1/λ_max ≤ 1/λ_j ≤ 1/λ_min⁺, hence
 *   (u_minᵀ∇)²/λ_min⁺ ≤ ∇ᵀH⁺∇    (drop every term but the one of λ_min⁺) — `lowerBound`,
 *   ‖P∇‖²/λ_max ≤ ∇ᵀH⁺∇ ≤ ‖P∇‖²/λ_min⁺                                   — `rangeLowerBound`, `rangeUpperBound`.
 * `lowerBound` is the one that grows like 1/λ_min⁺ when λ_min⁺ → 0 at the interpolation threshold while the
 * gradient keeps a component along u_min: the double-descent peak. Cost O(count · p · rank).
 *
 * @throws ShapeMismatchError on inconsistent lengths; InvalidArgumentError on non-finite values or N < 1.
 */
export function influencePopulationLoss(options: InfluencePopulationLossOptions): InfluencePopulationLossResult {
  const fn = 'influencePopulationLoss';
  const { eigenvalues, eigenvectors, gradients, losses, trainingSetSize: N } = options;
  const p = eigenvalues.length;
  if (p === 0) throw new InvalidArgumentError(`${fn}: no eigenvalues`);
  if (eigenvectors.length !== p * p) throw new ShapeMismatchError(`${fn}: eigenvectors have ${eigenvectors.length} entries, expected p² = ${p * p}`);
  const count = losses.length;
  if (count === 0) throw new InvalidArgumentError(`${fn}: no samples`);
  if (gradients.length !== count * p) throw new ShapeMismatchError(`${fn}: gradients have ${gradients.length} entries, expected ${count} × ${p}`);
  assertInteger(fn, 'trainingSetSize', N, 1);
  assertFiniteArray(fn, 'losses', losses, count);
  assertFiniteArray(fn, 'gradients', gradients, count * p);
  const spectrum = smallestPositiveEigenvalue(eigenvalues, options.tolerance);
  const positive: number[] = [];
  for (let j = 0; j < p; j++) if (eigenvalues[j] > spectrum.tolerance.threshold) positive.push(j);
  const quadraticForms = new Float64Array(count);
  let meanLoss = 0;
  let meanQuadratic = 0;
  let meanMin = 0;
  let meanProjected = 0;
  for (let z = 0; z < count; z++) {
    meanLoss += losses[z];
    const g = z * p;
    let quadratic = 0;
    let projected = 0;
    for (const j of positive) {
      let c = 0;
      for (let i = 0; i < p; i++) c += eigenvectors[i * p + j] * gradients[g + i];
      quadratic += (c * c) / eigenvalues[j];
      projected += c * c;
      if (j === spectrum.index) meanMin += (c * c) / eigenvalues[j];
    }
    quadraticForms[z] = quadratic;
    meanQuadratic += quadratic;
    meanProjected += projected;
  }
  meanLoss /= count;
  meanQuadratic /= count;
  meanMin /= count;
  meanProjected /= count;
  const scale = 1 / (N + 1);
  const lambdaMin = spectrum.value;
  return {
    estimate: meanLoss + scale * meanQuadratic,
    meanLoss,
    correction: scale * meanQuadratic,
    quadraticForms,
    lowerBound: meanLoss + scale * (positive.length > 0 ? meanMin : 0),
    rangeLowerBound: meanLoss + (positive.length > 0 ? (scale * meanProjected) / spectrum.largest : 0),
    rangeUpperBound: meanLoss + (positive.length > 0 ? (scale * meanProjected) / lambdaMin : 0),
    meanProjectedGradientNormSquared: meanProjected,
    lambdaMinPositive: lambdaMin,
    lambdaMax: spectrum.largest,
    rank: positive.length,
    negativeCount: spectrum.negativeCount,
    tolerance: spectrum.tolerance,
  };
}
