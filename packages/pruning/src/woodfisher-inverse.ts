import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, formatBytes, InvalidArgumentError } from '@intrinsic/spectra';
import { checkGradientMatrix, type GradientMatrixOptions } from './empirical-fisher.js';
import { blockDiagonalInverse, denseInverseCurvature, diagonalBlocks, type InverseBlock, type InverseCurvature } from './inverse-curvature.js';
import { lowRankBlockInverse } from './low-rank-fisher-inverse.js';
import { woodburyRecursionInto } from './woodbury-fisher-inverse.js';

/** How each diagonal block of the WoodFisher inverse is computed. */
export type WoodFisherSolver = 'recursion' | 'closed-form' | 'auto';

/** Options of {@link woodFisherInverse}. */
export interface WoodFisherOptions extends GradientMatrixOptions {
  /** Block size c along the diagonal (default p: one dense block). */
  blockSize?: number;
  /** Indices where blocks must be cut, e.g. layer offsets, so that no block spans two layers. */
  boundaries?: number[];
  /**
   * `recursion`: the Woodbury recursion per block, c_b² memory; `closed-form`: the n ≪ p form per block,
   * n c_b + n² memory; `auto` (default): closed form for blocks wider than n, recursion otherwise.
   */
  solver?: WoodFisherSolver;
}

/** Doubles held by a WoodFisher inverse with these blocks (recursion: c_b²; closed form: n c_b + n² per block). */
export function woodFisherMemory(count: number, blocks: { length: number }[], solver: WoodFisherSolver): number {
  let doubles = 0;
  for (const b of blocks) {
    const closed = solver === 'closed-form' || (solver === 'auto' && b.length > count);
    doubles += closed ? count * b.length + count * count : b.length * b.length;
  }
  return doubles;
}

/**
 * The WoodFisher inverse (Singh & Alistarh, NeurIPS 2020): the inverse of the dampened empirical Fisher
 * F = λI + (1/n) Σ_j g_j g_jᵀ restricted to blocks of size c along the diagonal,
 * F̂ = diag(F_{B_1}, …, F_{B_k}), inverted block by block — by the Woodbury recursion
 * F_j⁻¹ = F_{j−1}⁻¹ − F_{j−1}⁻¹ g_j g_jᵀ F_{j−1}⁻¹ / (n + g_jᵀ F_{j−1}⁻¹ g_j), F_0⁻¹ = λ⁻¹ I
 * (see {@link woodburyFisherInverse}), or the closed form λ⁻¹I − λ⁻² Gᵀ(nI + GGᵀ/λ)⁻¹G
 * (see {@link lowRankFisherInverse}). Memory O(c·p) for the recursion (Σ c_b² ≤ c·p), O(n·p) for the
 * closed form; time O(n c p) and O(n² p) respectively. The memory is estimated before allocating.
 *
 * @param gradients - G, row-major n × p (e.g. `MlpEvaluation.perSampleGradients()`).
 * @param options - n, p, λ > 0, block size, boundaries, solver and memory budget.
 * @returns the block-diagonal inverse as an {@link InverseCurvature}.
 * @throws InvalidArgumentError for λ ≤ 0, a bad block size or solver; MemoryBudgetError naming n, p, c
 * and the bytes when the blocks would exceed the budget.
 */
export function woodFisherInverse(gradients: Float64Array, options: WoodFisherOptions): InverseCurvature {
  checkGradientMatrix(gradients, options, 'woodFisherInverse', true);
  const { count: n, size: p, damping } = options;
  const blockSize = options.blockSize ?? p;
  const solver = options.solver ?? 'auto';
  if (solver !== 'recursion' && solver !== 'closed-form' && solver !== 'auto') {
    throw new InvalidArgumentError(`woodFisherInverse: solver must be recursion, closed-form or auto, got '${String(solver)}'`);
  }
  const blocks = diagonalBlocks(p, Math.min(blockSize, p), options.boundaries);
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  const doubles = woodFisherMemory(n, blocks, solver);
  assertMemoryBudget(
    doubles,
    `woodFisherInverse with n = ${n} gradients, p = ${p}, block size c = ${blockSize} (${blocks.length} blocks, ${solver})`,
    budget,
    `lower the block size to about ${Math.max(1, Math.floor(budget / 8 / p))} or use the closed form (${formatBytes(8 * (n * p + n * n))})`,
  );
  const parts: InverseBlock[] = blocks.map(({ start, length }) => {
    const closed = solver === 'closed-form' || (solver === 'auto' && length > n);
    if (closed) return { start, inverse: lowRankBlockInverse(gradients, n, p, start, length, damping) };
    const matrix = new Float64Array(length * length);
    woodburyRecursionInto(gradients, n, p, start, length, damping, matrix);
    return { start, inverse: denseInverseCurvature(matrix, length) };
  });
  if (parts.length === 1) return parts[0].inverse;
  return blockDiagonalInverse(parts, p);
}
