import { ShapeMismatchError } from '@intrinsic/spectra';
import { empiricalFisherDiagonal } from './empirical-fisher.js';

/** Options of {@link diagonalFisherSaliency}. */
export interface DiagonalFisherSaliencyOptions {
  /** Number of per-sample gradients n (rows of G). */
  count: number;
  /** Dampening λ added to F_qq (default 0). */
  damping?: number;
}

/**
 * Diagonal-Fisher saliency ρ_q = ½ F_qq w_q² with F the empirical Fisher (1/n) Σ_j g_j g_jᵀ (+ λI) from
 * per-sample gradients: OBD (LeCun et al., NIPS 1990) with the Hessian replaced by the diagonal of the
 * empirical Fisher — the "diagonal Fisher" baseline of WoodFisher (Singh & Alistarh 2020, Table 1;
 * Theis et al. 2018). O(n p) time, p memory; no p × p matrix.
 *
 * @param params - w, length p.
 * @param gradients - G, row-major n × p (e.g. `MlpEvaluation.perSampleGradients()`).
 * @param options - n and λ.
 * @returns ρ, length p.
 * @throws ShapeMismatchError when G is not n × p for p = params.length.
 */
export function diagonalFisherSaliency(params: Float64Array, gradients: Float64Array, options: DiagonalFisherSaliencyOptions): Float64Array {
  const p = params.length;
  if (gradients.length !== options.count * p) {
    throw new ShapeMismatchError(`diagonalFisherSaliency: gradients have ${gradients.length} entries, expected n × p = ${options.count} × ${p}`);
  }
  const F = empiricalFisherDiagonal(gradients, { count: options.count, size: p, damping: options.damping ?? 0 });
  for (let q = 0; q < p; q++) F[q] = 0.5 * F[q] * params[q] * params[q];
  return F;
}
