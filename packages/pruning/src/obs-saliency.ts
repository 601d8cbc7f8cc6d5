import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import type { InverseCurvature } from './inverse-curvature.js';

/**
 * Optimal Brain Surgeon saliency ρ_q = w_q² / (2 [C⁻¹]_qq) (Hassibi & Stork, NIPS 1993, eq. 6), with C the
 * (dampened) Hessian — or, for WoodFisher (Singh & Alistarh 2020, eq. 4), the dampened empirical Fisher.
 * It is the least increase of the quadratic model ½ δwᵀ C δw over all updates δw that set w_q to zero,
 * reached by the update of {@link obsUpdate}. O(p) given the diagonal.
 *
 * @param params - w, length p.
 * @param inverse - C⁻¹ as an {@link InverseCurvature}, or its diagonal [C⁻¹]_qq directly.
 * @returns ρ, length p.
 * @throws ShapeMismatchError on different sizes; InvalidArgumentError when some [C⁻¹]_qq is not a
 * positive finite number (C⁻¹ of a positive definite C has a positive diagonal).
 */
export function obsSaliency(params: Float64Array, inverse: InverseCurvature | Float64Array): Float64Array {
  const d = inverse instanceof Float64Array ? inverse : inverse.diagonal();
  if (d.length !== params.length) throw new ShapeMismatchError(`obsSaliency: inverse diagonal has length ${d.length}, parameters ${params.length}`);
  const out = new Float64Array(params.length);
  for (let q = 0; q < params.length; q++) {
    if (!(d[q] > 0) || !Number.isFinite(d[q])) {
      throw new InvalidArgumentError(`obsSaliency: [C⁻¹]_qq = ${d[q]} at q = ${q} is not positive (is C positive definite? add damping)`);
    }
    out[q] = (params[q] * params[q]) / (2 * d[q]);
  }
  return out;
}
