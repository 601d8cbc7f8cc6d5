import { dziugaiteRoyBound, type DziugaiteRoyBoundOptions, type DziugaiteRoyBoundResult } from './dziugaite-roy-bound.js';
import { gaussianKl } from './gaussian-kl.js';
import { DZIUGAITE_ROY_PRIOR_GRID, priorVarianceGridPoint, type PriorVarianceGridOptions } from './prior-variance-grid.js';

/** Options of {@link pacBayesBoundForPosterior}. */
export interface PacBayesPosteriorBoundOptions extends Omit<DziugaiteRoyBoundOptions, 'kl'> {
  /** w, the posterior mean (trained weights), length p. */
  mean: Float64Array;
  /** σ, the posterior standard deviations, length p, each > 0. */
  std: Float64Array;
  /** w₀, the prior mean (initial weights), length p. */
  priorMean: Float64Array;
  /** The grid λ_j = c·exp(−j/b); {@link DZIUGAITE_ROY_PRIOR_GRID} by default. */
  priorGrid?: PriorVarianceGridOptions;
}

/** {@link DziugaiteRoyBoundResult} with the prior variance and KL used. */
export interface PacBayesPosteriorBoundResult extends DziugaiteRoyBoundResult {
  /** λ_j. */
  priorVariance: number;
  /** KL(N(w, diag σ²) ‖ N(w₀, λ_j I)). */
  kl: number;
}

/**
 * The certified Dziugaite–Roy bound of a Gaussian posterior Q = N(w, diag σ²) against the prior
 * P = N(w₀, λ_j I), λ_j = c·exp(−j/b): computes KL(Q‖P) by {@link gaussianKl} and combines it with the
 * Monte-Carlo error estimate Ŝ by {@link dziugaiteRoyBound} (probability ≥ 1 − δ − δ′). Cost O(p) plus
 * two kl inversions. The optimisation of w and σ (TensorFlow.js) is not part of this function.
 *
 * @throws as {@link gaussianKl}, {@link priorVarianceGridPoint} and {@link dziugaiteRoyBound}.
 */
export function pacBayesBoundForPosterior(options: PacBayesPosteriorBoundOptions): PacBayesPosteriorBoundResult {
  const point = priorVarianceGridPoint(options.priorGridIndex, options.priorGrid ?? DZIUGAITE_ROY_PRIOR_GRID);
  const kl = gaussianKl({ posteriorMean: options.mean, posteriorStd: options.std, priorMean: options.priorMean, priorVariance: point.variance });
  return { ...dziugaiteRoyBound({ ...options, kl }), priorVariance: point.variance, kl };
}
