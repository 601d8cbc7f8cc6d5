import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import type { InverseCurvature } from './inverse-curvature.js';

/**
 * OBS update direction for removing the weights Q, by superposing the single-weight OBS updates as
 * WoodFisher does (Singh & Alistarh 2020, §4 "pruning multiple weights"):
 *
 *   δw = − Σ_{q∈Q} (w_q / [C⁻¹]_qq) C⁻¹ e_q = − C⁻¹ c,   c_q = w_q / [C⁻¹]_qq on Q, 0 elsewhere
 *
 * (Hassibi & Stork, NIPS 1993, eq. 5 for one weight). For a single q, w + δw has (w + δw)_q = 0 and
 * ½ δwᵀ C δw = ρ_q = w_q² / (2 [C⁻¹]_qq). For several weights the superposition ignores their
 * interactions, so the pruned coordinates are not exactly zero: {@link obsPrune} zeroes them.
 * One product with C⁻¹ whatever |Q|.
 *
 * @param params - w, length p.
 * @param inverse - C⁻¹.
 * @param indices - Q, the indices to remove.
 * @param inverseDiagonal - [C⁻¹]_qq when already computed (saves one diagonal pass).
 * @returns δw, length p.
 * @throws ShapeMismatchError on sizes; InvalidArgumentError on an index outside 0…p−1 or a
 * non-positive [C⁻¹]_qq.
 */
export function obsUpdate(
  params: Float64Array,
  inverse: InverseCurvature,
  indices: ArrayLike<number>,
  inverseDiagonal?: Float64Array,
): Float64Array {
  const p = params.length;
  if (inverse.size !== p) throw new ShapeMismatchError(`obsUpdate: inverse has order ${inverse.size}, parameters ${p}`);
  const d = inverseDiagonal ?? inverse.diagonal();
  if (d.length !== p) throw new ShapeMismatchError(`obsUpdate: inverse diagonal has length ${d.length}, parameters ${p}`);
  const c = new Float64Array(p);
  for (let i = 0; i < indices.length; i++) {
    const q = indices[i];
    if (!Number.isInteger(q) || q < 0 || q >= p) throw new InvalidArgumentError(`obsUpdate: index ${q} outside 0…${p - 1}`);
    if (!(d[q] > 0)) throw new InvalidArgumentError(`obsUpdate: [C⁻¹]_qq = ${d[q]} at q = ${q} is not positive`);
    c[q] = params[q] / d[q];
  }
  const delta = inverse.multiply(c);
  for (let i = 0; i < p; i++) delta[i] = -delta[i];
  return delta;
}

/** Options of {@link obsPrune}. */
export interface ObsPruneOptions {
  /** Scale s ∈ [0, 1] of the update: w ← w + s δw on the kept weights (0: no update, OBD-like). Default 1. */
  updateScale?: number;
  /** [C⁻¹]_qq when already computed. */
  inverseDiagonal?: Float64Array;
}

/**
 * Applies a pruning mask with the superposed OBS update of {@link obsUpdate}: the weights with
 * mask 0 become exactly 0; the kept ones (mask 1) move by s·δw with δw = −C⁻¹ c over the pruned set.
 * Weights that were already zero contribute nothing to c. O(p) plus one product with C⁻¹.
 *
 * @param params - w (not modified).
 * @param inverse - C⁻¹.
 * @param mask - 1 = keep, 0 = prune, length p.
 * @param options - update scale and a precomputed diagonal.
 * @returns the new parameter vector.
 * @throws InvalidArgumentError for a scale outside [0, 1]; ShapeMismatchError on sizes.
 */
export function obsPrune(params: Float64Array, inverse: InverseCurvature, mask: Uint8Array, options: ObsPruneOptions = {}): Float64Array {
  const p = params.length;
  if (mask.length !== p) throw new ShapeMismatchError(`obsPrune: mask has length ${mask.length}, parameters ${p}`);
  const scale = options.updateScale ?? 1;
  if (!(scale >= 0 && scale <= 1)) throw new InvalidArgumentError(`obsPrune: updateScale must be in [0, 1], got ${scale}`);
  const out = Float64Array.from(params);
  if (scale > 0) {
    const pruned: number[] = [];
    for (let q = 0; q < p; q++) if (mask[q] === 0 && params[q] !== 0) pruned.push(q);
    if (pruned.length > 0) {
      const delta = obsUpdate(params, inverse, pruned, options.inverseDiagonal);
      for (let q = 0; q < p; q++) out[q] += scale * delta[q];
    }
  }
  for (let q = 0; q < p; q++) if (mask[q] === 0) out[q] = 0;
  return out;
}
