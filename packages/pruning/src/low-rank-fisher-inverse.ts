import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, ShapeMismatchError } from '@intrinsic/spectra';
import { cholesky } from './cholesky.js';
import { checkGradientMatrix, type GradientMatrixOptions } from './empirical-fisher.js';
import type { InverseCurvature } from './inverse-curvature.js';

/**
 * Inverse of the dampened empirical Fisher F = λI + (1/n) GᵀG in the closed form for n ≪ p
 * (Woodbury identity; Singh & Alistarh, NeurIPS 2020, §3):
 *
 *   F⁻¹ = λ⁻¹ I − λ⁻² Gᵀ (n I + G Gᵀ / λ)⁻¹ G.
 *
 * Only the n × n matrix M = n I + G Gᵀ/λ is factored (M = L Lᵀ, Cholesky); with Y = L⁻¹ G (n × p),
 * Gᵀ M⁻¹ G = Yᵀ Y, so
 *   [F⁻¹]_qq = λ⁻¹ − λ⁻² ‖Y e_q‖²  and  F⁻¹ v = λ⁻¹ v − λ⁻² Yᵀ (Y v).
 * No p × p matrix is formed: O(n² p + n³) time to build, n p + n² memory, O(n p) per diagonal or
 * product. Also usable for n ≥ p (then a dense inverse is usually cheaper).
 *
 * @param gradients - G, row-major n × p (row j = per-sample gradient g_j). Held by reference only
 *   while building; the result stores Y.
 * @param options - n, p, λ > 0 and the memory budget (n p + n² doubles are checked).
 * @returns the inverse as an {@link InverseCurvature}.
 * @throws InvalidArgumentError for λ ≤ 0 or non-finite gradients; ShapeMismatchError; MemoryBudgetError.
 */
export function lowRankFisherInverse(gradients: Float64Array, options: GradientMatrixOptions): InverseCurvature {
  checkGradientMatrix(gradients, options, 'lowRankFisherInverse', true);
  const { count: n, size: p } = options;
  assertMemoryBudget(n * p + n * n, `the low-rank Fisher inverse (Y = L⁻¹G, ${n} × ${p})`,
    options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES, 'use fewer gradients');
  return lowRankBlockInverse(gradients, n, p, 0, p, options.damping);
}

/** The closed form on columns [start, start + c) of G (row stride `stride`). @internal */
export function lowRankBlockInverse(G: Float64Array, n: number, stride: number, start: number, c: number, damping: number): InverseCurvature {
  const lambda = damping;
  // M = n I + G_b G_bᵀ / λ (n × n).
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const gi = i * stride + start;
    for (let j = 0; j <= i; j++) {
      const gj = j * stride + start;
      let s = 0;
      for (let q = 0; q < c; q++) s += G[gi + q] * G[gj + q];
      M[i * n + j] = s / lambda + (i === j ? n : 0);
      M[j * n + i] = M[i * n + j];
    }
  }
  const L = cholesky(M, n);
  // Y = L⁻¹ G_b by forward substitution, row by row.
  const Y = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const yi = Y.subarray(i * c, (i + 1) * c);
    for (let q = 0; q < c; q++) yi[q] = G[i * stride + start + q];
    for (let k = 0; k < i; k++) {
      const lik = L[i * n + k];
      if (lik === 0) continue;
      const yk = k * c;
      for (let q = 0; q < c; q++) yi[q] -= lik * Y[yk + q];
    }
    const d = L[i * n + i];
    for (let q = 0; q < c; q++) yi[q] /= d;
  }
  const inv = 1 / lambda;
  const inv2 = inv * inv;
  const z = new Float64Array(n);
  return {
    size: c,
    description: `low-rank (n = ${n}, λ = ${lambda})`,
    diagonal(out) {
      const d = out ?? new Float64Array(c);
      d.fill(0);
      for (let i = 0; i < n; i++) {
        const row = i * c;
        for (let q = 0; q < c; q++) d[q] += Y[row + q] * Y[row + q];
      }
      for (let q = 0; q < c; q++) d[q] = inv - inv2 * d[q];
      return d;
    },
    multiply(vector, out) {
      if (vector.length !== c) throw new ShapeMismatchError(`multiply: vector has length ${vector.length}, expected ${c}`);
      const x = out !== undefined && out === vector ? Float64Array.from(vector) : vector;
      const y = out ?? new Float64Array(c);
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * c;
        for (let q = 0; q < c; q++) s += Y[row + q] * x[q];
        z[i] = s;
      }
      for (let q = 0; q < c; q++) y[q] = inv * x[q];
      for (let i = 0; i < n; i++) {
        const zi = inv2 * z[i];
        const row = i * c;
        for (let q = 0; q < c; q++) y[q] -= zi * Y[row + q];
      }
      return y;
    },
  };
}
