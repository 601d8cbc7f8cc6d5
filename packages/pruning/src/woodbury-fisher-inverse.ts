import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES } from '@intrinsic/spectra';
import { checkGradientMatrix, type GradientMatrixOptions } from './empirical-fisher.js';

/**
 * Inverse of the dampened empirical Fisher F = λI + (1/n) Σ_j g_j g_jᵀ by the Woodbury (Sherman–Morrison)
 * recursion of WoodFisher (Singh & Alistarh, NeurIPS 2020, eq. 5):
 *
 *   F_0⁻¹ = λ⁻¹ I,   F_j⁻¹ = F_{j−1}⁻¹ − (F_{j−1}⁻¹ g_j)(F_{j−1}⁻¹ g_j)ᵀ / (n + g_jᵀ F_{j−1}⁻¹ g_j),
 *
 * each step adding (1/n) g_j g_jᵀ to F, so that F_n = F. No factorisation and no p × p input matrix;
 * O(n p²) time, p² memory (checked against the budget). This is the dense (single-block) form; for
 * block-diagonal F use {@link woodFisherInverse}.
 *
 * @param gradients - G, row-major n × p (row j = g_j).
 * @param options - n, p, λ > 0 and the memory budget.
 * @returns F⁻¹, row-major p × p, exactly symmetric.
 * @throws InvalidArgumentError when λ ≤ 0 or on non-finite gradients; ShapeMismatchError; MemoryBudgetError.
 */
export function woodburyFisherInverse(gradients: Float64Array, options: GradientMatrixOptions): Float64Array {
  checkGradientMatrix(gradients, options, 'woodburyFisherInverse', true);
  const { count: n, size: p, damping } = options;
  assertMemoryBudget(p * p, `the dense Woodbury Fisher inverse ${p} × ${p}`, options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
    'use woodFisherInverse with a smaller block size or the low-rank closed form');
  const inverse = new Float64Array(p * p);
  woodburyRecursionInto(gradients, n, p, 0, p, damping, inverse);
  return inverse;
}

/**
 * The recursion on columns [start, start + c) of G (stride `stride` per row), written into `out` (c × c).
 * @internal
 */
export function woodburyRecursionInto(
  G: Float64Array,
  n: number,
  stride: number,
  start: number,
  c: number,
  damping: number,
  out: Float64Array,
): void {
  out.fill(0);
  for (let i = 0; i < c; i++) out[i * c + i] = 1 / damping;
  const u = new Float64Array(c);
  for (let j = 0; j < n; j++) {
    const g = G.subarray(j * stride + start, j * stride + start + c);
    let denominator = n;
    for (let a = 0; a < c; a++) {
      let s = 0;
      const row = a * c;
      for (let b = 0; b < c; b++) s += out[row + b] * g[b];
      u[a] = s;
      denominator += g[a] * s;
    }
    for (let a = 0; a < c; a++) {
      const ua = u[a] / denominator;
      if (ua === 0) continue;
      const row = a * c;
      for (let b = a; b < c; b++) out[row + b] -= ua * u[b];
    }
    for (let a = 0; a < c; a++) for (let b = 0; b < a; b++) out[a * c + b] = out[b * c + a];
  }
}
