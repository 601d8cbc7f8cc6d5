import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { cholesky, choleskySolve } from './cholesky.js';
import { checkGradientMatrix, type GradientMatrixOptions } from './empirical-fisher.js';

/** Options of {@link jointObsPrune}. */
export interface JointObsPruneOptions extends GradientMatrixOptions {
  /**
   * The diagonal blocks B of the curvature, as in {@link woodFisherInverse} (e.g. one per layer); the
   * problem decouples over blocks. Default: one block over all p entries.
   */
  blocks?: { start: number; length: number }[];
  /** Scale s ∈ [0, 1] of the move of the kept weights (default 1). */
  updateScale?: number;
}

/**
 * Prunes the masked weights with the exact multi-weight OBS update for the dampened empirical Fisher
 * F = λI + (1/n) GᵀG restricted to diagonal blocks (the "joint" update, as opposed to the superposition
 * of single-weight updates of {@link obsPrune}).
 *
 * OBS for a set Q (Hassibi & Stork 1993; Singh & Alistarh 2020, §4 and appendix "pruning multiple
 * weights") minimises the quadratic model ½ dᵀ F d subject to d_Q = −w_Q. Within one block, with K its
 * kept entries, stationarity gives F_KK d_K = F_KQ w_Q. The λI part has no K–Q entries, so
 * F_KQ w_Q = (1/n) G_Kᵀ r with r = G_Q w_Q ∈ ℝⁿ (per-sample gradient changes caused by the removal), and
 * by the push-through identity (λI + G_KᵀG_K/n)⁻¹ G_Kᵀ/n = G_Kᵀ (λnI + G_K G_Kᵀ)⁻¹:
 *
 *   d_K = G_Kᵀ (λ n I + G_K G_Kᵀ)⁻¹ G_Q w_Q,
 *
 * the ridge regression that keeps G d ≈ 0. One n × n Cholesky solve per block, O(n² |K| + n³) time and
 * O(n²) extra memory: exact however many weights are pruned, where the superposition double-counts the
 * pruned weights' interactions. The pruned coordinates end exactly at 0. The increase of the quadratic
 * model is ½ w_Qᵀ ([F⁻¹]_QQ)⁻¹ w_Q, the joint saliency.
 *
 * @param params - w (not modified), length p.
 * @param gradients - G, row-major n × p (row j = ∇ℓ_j).
 * @param mask - 1 = keep, 0 = prune, length p.
 * @param options - n, p, λ > 0, the blocks, the update scale and the memory budget.
 * @returns the pruned parameters: 0 on the mask's zeros, w_K + s·d_K elsewhere.
 * @throws ShapeMismatchError on sizes; InvalidArgumentError for λ ≤ 0, a scale outside [0, 1] or blocks
 * that do not tile 0 … p − 1; MemoryBudgetError.
 */
export function jointObsPrune(params: Float64Array, gradients: Float64Array, mask: Uint8Array, options: JointObsPruneOptions): Float64Array {
  checkGradientMatrix(gradients, options, 'jointObsPrune', true);
  const { count: n, size: p, damping } = options;
  if (params.length !== p) throw new ShapeMismatchError(`jointObsPrune: parameters have length ${params.length}, expected p = ${p}`);
  if (mask.length !== p) throw new ShapeMismatchError(`jointObsPrune: mask has length ${mask.length}, expected p = ${p}`);
  const scale = options.updateScale ?? 1;
  if (!(scale >= 0 && scale <= 1)) throw new InvalidArgumentError(`jointObsPrune: updateScale must be in [0, 1], got ${scale}`);
  const blocks = options.blocks ?? [{ start: 0, length: p }];
  let next = 0;
  for (const b of blocks) {
    if (b.start !== next || !Number.isInteger(b.length) || b.length < 1) {
      throw new InvalidArgumentError(`jointObsPrune: block at ${b.start} (length ${b.length}) should start at ${next} (blocks must tile 0…${p - 1})`);
    }
    next += b.length;
  }
  if (next !== p) throw new InvalidArgumentError(`jointObsPrune: blocks cover ${next} indices, expected ${p}`);
  assertMemoryBudget(2 * n * n + 2 * n, `the joint OBS update with n = ${n} gradients (n × n system)`,
    options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES, 'use fewer gradients');

  const out = Float64Array.from(params, (w, q) => (mask[q] ? w : 0));
  if (scale === 0) return out;
  const M = new Float64Array(n * n);
  const factor = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (const { start, length } of blocks) {
    const end = start + length;
    let anyPruned = false;
    for (let q = start; q < end; q++) if (mask[q] === 0 && params[q] !== 0) anyPruned = true;
    if (!anyPruned) continue;
    // r = G_Q w_Q and M = λnI + G_K G_Kᵀ.
    r.fill(0);
    for (let i = 0; i < n; i++) {
      const gi = i * p;
      let s = 0;
      for (let q = start; q < end; q++) if (mask[q] === 0) s += gradients[gi + q] * params[q];
      r[i] = s;
      for (let j = 0; j <= i; j++) {
        const gj = j * p;
        let m = 0;
        for (let q = start; q < end; q++) if (mask[q] !== 0) m += gradients[gi + q] * gradients[gj + q];
        M[i * n + j] = m + (i === j ? damping * n : 0);
        M[j * n + i] = M[i * n + j];
      }
    }
    const y = choleskySolve(cholesky(M, n, factor), n, r);
    // d_K = G_Kᵀ y.
    for (let i = 0; i < n; i++) {
      const yi = scale * y[i];
      if (yi === 0) continue;
      const gi = i * p;
      for (let q = start; q < end; q++) if (mask[q] !== 0) out[q] += yi * gradients[gi + q];
    }
  }
  return out;
}
