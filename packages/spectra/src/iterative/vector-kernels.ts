/**
 * Internal float64 kernels shared by the iterative methods: dot products, norms, Gram–Schmidt against a
 * stored basis, column orthonormalisation with rank detection, random probes and finiteness checks.
 * Vectors of a block are stored one after another: vector j of a `count × n` block occupies
 * `[j·n, (j+1)·n)` (the layout of {@link LinearOperator.applyBlock}).
 *
 * Not part of the public API.
 */
import { NonFiniteError } from '../errors.js';
import type { Random } from '../random.js';

/** xᵀy over the first `n` entries starting at the given offsets. */
export function dot(x: Float64Array, xOffset: number, y: Float64Array, yOffset: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[xOffset + i] * y[yOffset + i];
  return s;
}

/** Euclidean norm of `x[offset … offset + n)`, scaled to avoid overflow. */
export function norm2(x: Float64Array, offset: number, n: number): number {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(x[offset + i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = x[offset + i] / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/**
 * Orthogonalises `w` (length n) against `count` orthonormal vectors stored in `basis` (vector i at
 * `i·n`) by classical Gram–Schmidt, twice ("twice is enough", Giraud–Langou–Rozložník 2005).
 * Returns the sum of the two passes' coefficients for vector `trackIndex` (or 0 when −1), which Lanczos
 * uses as the diagonal entry α. `coefficients` is scratch of length ≥ count.
 */
export function orthogonalizeTwice(
  w: Float64Array,
  basis: Float64Array,
  count: number,
  n: number,
  coefficients: Float64Array,
  trackIndex = -1,
): number {
  let tracked = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < count; i++) coefficients[i] = dot(basis, i * n, w, 0, n);
    for (let i = 0; i < count; i++) {
      const h = coefficients[i];
      if (h === 0) continue;
      const offset = i * n;
      for (let r = 0; r < n; r++) w[r] -= h * basis[offset + r];
    }
    if (trackIndex >= 0) tracked += coefficients[trackIndex];
  }
  return tracked;
}

/** Result of {@link orthonormalizeColumns}. */
export interface OrthonormalBasis {
  /** `rank × n` orthonormal vectors, one after another. */
  Q: Float64Array;
  /** Number of independent vectors kept. */
  rank: number;
  /** Upper-triangular `count × count` factor, row-major, with Y = Q R restricted to the kept columns (R[i, j] for kept i). */
  R: Float64Array;
  /** For each input vector, the index of its basis vector, or −1 when it was dependent on the previous ones. */
  pivotOf: Int32Array;
}

/**
 * Orthonormalises `count` vectors of length n (vector j at `j·n`) by Gram–Schmidt twice, dropping a
 * vector whose remainder is below `relativeTolerance` times its own norm (numerically dependent).
 * Returns Q (rank × n) and the triangular factor R (count × count, Y = Qᵀ-columns · R for kept rows).
 */
export function orthonormalizeColumns(Y: Float64Array, count: number, n: number, relativeTolerance = 1e-12): OrthonormalBasis {
  const Q = new Float64Array(count * n);
  const R = new Float64Array(count * count);
  const pivotOf = new Int32Array(count).fill(-1);
  const coefficients = new Float64Array(count);
  const w = new Float64Array(n);
  let rank = 0;
  for (let j = 0; j < count; j++) {
    for (let r = 0; r < n; r++) w[r] = Y[j * n + r];
    const before = norm2(w, 0, n);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < rank; i++) coefficients[i] = dot(Q, i * n, w, 0, n);
      for (let i = 0; i < rank; i++) {
        const h = coefficients[i];
        R[i * count + j] += h;
        for (let r = 0; r < n; r++) w[r] -= h * Q[i * n + r];
      }
    }
    const after = norm2(w, 0, n);
    if (before > 0 && after > relativeTolerance * before) {
      for (let r = 0; r < n; r++) Q[rank * n + r] = w[r] / after;
      R[rank * count + j] = after;
      pivotOf[j] = rank;
      rank++;
    }
  }
  // Move the R rows of the kept vectors so that row i belongs to basis vector i (already so by construction).
  return { Q: Q.subarray(0, rank * n), rank, R, pivotOf };
}

/** Probe distributions with E[ω ωᵀ] = I. */
export type ProbeDistribution = 'rademacher' | 'gaussian';

/** Fills `out[offset … offset + n)` with independent Rademacher (±1) or standard normal entries. */
export function fillProbe(out: Float64Array, offset: number, n: number, distribution: ProbeDistribution, random: Random): void {
  if (distribution === 'rademacher') {
    for (let i = 0; i < n; i++) out[offset + i] = random.rademacher();
  } else {
    for (let i = 0; i < n; i++) out[offset + i] = random.gaussian();
  }
}

/**
 * Throws NonFiniteError naming the entry when `y[offset … offset + n)` holds NaN or ±Infinity.
 * @param context - e.g. `lanczosEigenpairs: product A·v at matvec 17`.
 */
export function assertFiniteProduct(y: Float64Array, offset: number, n: number, context: string): void {
  for (let i = 0; i < n; i++) {
    const v = y[offset + i];
    if (v - v !== 0) {
      throw new NonFiniteError(`${context}: entry ${i} of the product is ${v}`);
    }
  }
}

/**
 * For an invertible upper-triangular s × s matrix R (row-major, row stride `stride`), the unit vectors
 * s_i = R⁻ᵀ e_i / ‖R⁻ᵀ e_i‖, i = 0 … s−1, returned as an s × s block (vector i at `i·s`). s_i spans the
 * part of range(R) orthogonal to every column of R but the i-th (XTrace's leave-one-out direction).
 */
export function normalizedInverseTransposeColumns(R: Float64Array, s: number, stride: number): Float64Array {
  const out = new Float64Array(s * s);
  for (let i = 0; i < s; i++) {
    const x = out.subarray(i * s, (i + 1) * s);
    // Rᵀ x = e_i: forward substitution on the lower-triangular Rᵀ.
    x[i] = 1 / R[i * stride + i];
    for (let j = i + 1; j < s; j++) {
      let t = 0;
      for (let l = i; l < j; l++) t += R[l * stride + j] * x[l];
      x[j] = -t / R[j * stride + j];
    }
    const nx = norm2(x, 0, s);
    for (let j = i; j < s; j++) x[j] /= nx;
  }
  return out;
}

/** Probes in blocks of at most this many vectors, so block memory stays O(32 n). */
export const PROBE_BATCH = 32;
