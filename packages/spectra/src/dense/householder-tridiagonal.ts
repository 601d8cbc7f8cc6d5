import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import type { WasmKernels } from './wasm-kernels.js';

/** Result of {@link householderTridiagonal}: T = Qᵀ A Q with Q = H_{n−1} ⋯ H_1. */
export interface HouseholderTridiagonalResult {
  /** Diagonal of T, length n. */
  diagonal: Float64Array;
  /** Off-diagonal of T, length max(n − 1, 0): `offDiagonal[i] = T[i + 1, i] = T[i, i + 1]`. */
  offDiagonal: Float64Array;
  /**
   * Householder vectors, row-major n × n: row k (1 ≤ k < n) holds v_k in columns 0…k−1 (with
   * v_k[k−1] = 1); H_k = I − tau[k] v_k v_kᵀ acts on coordinates 0…k−1. Other entries are unspecified.
   */
  reflectors: Float64Array;
  /** Householder scalars, length n; `tau[0] = 0`, and `tau[k] = 0` means H_k = I. */
  tau: Float64Array;
}

/**
 * Reduces a symmetric matrix to tridiagonal form by Householder reflections, T = Qᵀ A Q.
 *
 * The LAPACK `dsytd2` algorithm (UPLO = 'U' in column-major terms), run on the lower triangle of a
 * row-major copy, so that every reflector and every update touches contiguous rows. Step k = n−1 … 1
 * builds H_k = I − τ v vᵀ annihilating A[k, 0…k−2], then p = τ A v, w = p − ½τ(pᵀv) v and the
 * symmetric rank-2 update A ← A − v wᵀ − w vᵀ on the leading k × k lower triangle. The rank-2 update of
 * step k and the matrix–vector product of step k−1 are fused into one pass over the matrix (the next
 * reflector is formed from the one row it needs first), so each step reads and writes the trailing
 * triangle once, two rows at a time. Golub & Van Loan, Matrix Computations (4th ed.), §8.3.1.
 *
 * Cost: 4n³/3 flops, n² doubles of work memory. The input is symmetrised as (A + Aᵀ)/2 and not modified.
 *
 * @param matrix - row-major n × n symmetric matrix (finite entries).
 * @param n - its order.
 * @returns diagonal, off-diagonal, reflectors and scalars; see {@link HouseholderTridiagonalResult}.
 * @throws ShapeMismatchError when `matrix.length !== n * n`; InvalidArgumentError for a bad `n`.
 * @example householderTridiagonal(new Float64Array([2, 1, 1, 2]), 2).diagonal // → [2, 2], offDiagonal → [1]
 */
export function householderTridiagonal(matrix: Float64Array, n: number): HouseholderTridiagonalResult {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`householderTridiagonal: n must be a non-negative integer, got ${n}`);
  if (matrix.length !== n * n) {
    throw new ShapeMismatchError(`householderTridiagonal: matrix has ${matrix.length} entries, expected n × n = ${n * n}`);
  }
  const a = symmetrizedLowerCopy(matrix, n, 1);
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(Math.max(n - 1, 0));
  const tau = new Float64Array(n);
  tridiagonalizeLower(a, n, diagonal, offDiagonal, tau);
  return { diagonal, offDiagonal, reflectors: a, tau };
}

/**
 * Row-major copy whose lower triangle holds scale · (A + Aᵀ)/2 (the strict upper triangle is left as is:
 * 0 in a fresh array).
 * @internal
 */
export function symmetrizedLowerCopy(matrix: Float64Array, n: number, scale: number, out?: Float64Array): Float64Array {
  const a = out ?? new Float64Array(n * n);
  const half = 0.5 * scale;
  // 64 × 64 tiles, so that the transposed reads matrix[j, i] stay in cache.
  const tile = 64;
  for (let i0 = 0; i0 < n; i0 += tile) {
    const i1 = Math.min(i0 + tile, n);
    for (let j0 = 0; j0 <= i0; j0 += tile) {
      for (let i = i0; i < i1; i++) {
        const row = i * n;
        const j1 = Math.min(j0 + tile, i);
        for (let j = j0; j < j1; j++) a[row + j] = half * (matrix[row + j] + matrix[j * n + i]);
      }
    }
    for (let i = i0; i < i1; i++) a[i * n + i] = scale * matrix[i * n + i];
  }
  return a;
}

/**
 * Where the WebAssembly kernels find the matrix and four n-vectors of scratch in their memory.
 * @internal
 */
export interface WasmWorkspace {
  kernels: WasmKernels;
  /** Byte offset of the n × n matrix `a` (which must be a view of the kernels' memory at this offset). */
  matrixByte: number;
  /** Byte offset of 4n doubles of scratch. */
  scratchByte: number;
}

/**
 * In-place Householder tridiagonalisation of the lower triangle of `a` (row-major n × n).
 * On return `d`, `e` hold T, row k of `a` holds v_k (columns 0…k−1, v_k[k−1] = 1) and `tau[k]` its scalar.
 * The matrix should be scaled so that its largest entry is near 1 (no over/underflow guards inside).
 * With `wasm`, the fused pass runs in WebAssembly SIMD on the same memory.
 * @internal
 */
export function tridiagonalizeLower(
  a: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
  wasm: WasmWorkspace | null = null,
): void {
  if (n === 0) return;
  tau[0] = 0;
  if (n === 1) {
    d[0] = a[0];
    return;
  }
  const buffer = wasm === null ? null : wasm.kernels.memory.buffer;
  const scratch = (index: number): Float64Array =>
    buffer === null ? new Float64Array(n) : new Float64Array(buffer, wasm!.scratchByte + 8 * n * index, n);
  let v = scratch(0); // current reflector v_i
  let u = scratch(1); // next reflector v_{i−1}
  let p = scratch(2); // τ A v for the current reflector, then w
  let q = scratch(3); // product with the next reflector
  // First reflector, from row n−1, and a plain symmetric product.
  let t = makeReflector(a, n, n - 1, v, e);
  tau[n - 1] = t;
  if (t !== 0) symmetricProduct(a, n, n - 1, v, p, t);
  for (let i = n - 1; i >= 1; i--) {
    // Invariant: v = v_i, t = tau_i, p = τ_i A_i v_i where A_i is the leading i × i block.
    d[i] = a[i * n + i];
    const m = i; // order of the block being updated
    if (t !== 0) {
      let pv = 0;
      for (let c = 0; c < m; c++) pv += p[c] * v[c];
      const alpha = -0.5 * t * pv;
      for (let c = 0; c < m; c++) p[c] += alpha * v[c]; // p now holds w
    }
    const hasUpdate = t !== 0;
    if (i === 1) {
      if (hasUpdate) a[0] -= 2 * v[0] * p[0];
      d[0] = a[0];
      break;
    }
    // Update row i−1 of the block (it holds the next reflector), including its diagonal.
    const r1 = (i - 1) * n;
    if (hasUpdate) {
      const v1 = v[i - 1];
      const w1 = p[i - 1];
      for (let c = 0; c < i; c++) a[r1 + c] -= v1 * p[c] + w1 * v[c];
    }
    const tNext = makeReflector(a, n, i - 1, u, e);
    tau[i - 1] = tNext;
    // Fused pass over the leading (i−1) × (i−1) triangle: rank-2 update with (v, w), product with u.
    const mNext = i - 1;
    if (hasUpdate && wasm !== null) {
      for (let c = 0; c < mNext; c++) q[c] = 0;
      wasm.kernels.fused(wasm.matrixByte, 8 * n, mNext, v.byteOffset, p.byteOffset, u.byteOffset, q.byteOffset);
      if (mNext % 2 === 1) updateProductRow(a, n, mNext - 1, v, p, u, q);
    } else if (hasUpdate) {
      fusedUpdateProduct(a, n, mNext, v, p, u, q);
    } else if (tNext !== 0) {
      symmetricProduct(a, n, mNext, u, q, 1);
    }
    if (tNext !== 0) for (let c = 0; c < mNext; c++) q[c] *= tNext;
    // Rotate buffers: the next reflector becomes current.
    let swap = v;
    v = u;
    u = swap;
    swap = p;
    p = q;
    q = swap;
    t = tNext;
  }
}

/**
 * Householder reflector (LAPACK `dlarfg`) for row k: x = a[k, 0…k−1], alpha = x[k−1].
 * Writes v into `v[0…k−1]` and back into the row (v[k−1] = 1), e[k−1] = beta, returns tau.
 */
function makeReflector(a: Float64Array, n: number, k: number, v: Float64Array, e: Float64Array): number {
  const row = k * n;
  const alpha = a[row + k - 1];
  let ss = 0;
  for (let c = 0; c < k - 1; c++) {
    const x = a[row + c];
    ss += x * x;
  }
  if (ss === 0) {
    e[k - 1] = alpha;
    for (let c = 0; c < k - 1; c++) v[c] = 0;
    v[k - 1] = 1;
    a[row + k - 1] = 1;
    return 0;
  }
  const norm = Math.sqrt(alpha * alpha + ss);
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const scale = 1 / (alpha - beta);
  for (let c = 0; c < k - 1; c++) {
    const x = a[row + c] * scale;
    a[row + c] = x;
    v[c] = x;
  }
  v[k - 1] = 1;
  a[row + k - 1] = 1;
  e[k - 1] = beta;
  return tau;
}

/** out[0…m−1] = scale · A u, A symmetric, read from the lower triangle of the leading m × m block. */
function symmetricProduct(a: Float64Array, n: number, m: number, u: Float64Array, out: Float64Array, scale: number): void {
  for (let c = 0; c < m; c++) out[c] = 0;
  for (let r = 0; r < m; r++) {
    const row = r * n;
    const ur = u[r];
    let s0 = 0;
    let s1 = 0;
    let c = 0;
    for (; c + 1 < r; c += 2) {
      const a0 = a[row + c];
      const a1 = a[row + c + 1];
      s0 += a0 * u[c];
      s1 += a1 * u[c + 1];
      out[c] += a0 * ur;
      out[c + 1] += a1 * ur;
    }
    for (; c < r; c++) {
      const a0 = a[row + c];
      s0 += a0 * u[c];
      out[c] += a0 * ur;
    }
    out[r] += s0 + s1 + a[row + r] * ur;
  }
  if (scale !== 1) for (let c = 0; c < m; c++) out[c] *= scale;
}

/**
 * One pass over the leading m × m lower triangle: A ← A − v wᵀ − w vᵀ, then out = A u (new A).
 * Rows are processed in pairs so that v[c], w[c], u[c] and out[c] are loaded once for two rows.
 */
function fusedUpdateProduct(
  a: Float64Array,
  n: number,
  m: number,
  v: Float64Array,
  w: Float64Array,
  u: Float64Array,
  out: Float64Array,
): void {
  for (let c = 0; c < m; c++) out[c] = 0;
  let r = 0;
  for (; r + 3 < m; r += 4) {
    const o0 = r * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    const v0 = v[r];
    const w0 = w[r];
    const v1 = v[r + 1];
    const w1 = w[r + 1];
    const v2 = v[r + 2];
    const w2 = w[r + 2];
    const v3 = v[r + 3];
    const w3 = w[r + 3];
    const u0 = u[r];
    const u1 = u[r + 1];
    const u2 = u[r + 2];
    const u3 = u[r + 3];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < r; c++) {
      const vc = v[c];
      const wc = w[c];
      const uc = u[c];
      const a0 = a[o0 + c] - (v0 * wc + w0 * vc);
      const a1 = a[o1 + c] - (v1 * wc + w1 * vc);
      const a2 = a[o2 + c] - (v2 * wc + w2 * vc);
      const a3 = a[o3 + c] - (v3 * wc + w3 * vc);
      a[o0 + c] = a0;
      a[o1 + c] = a1;
      a[o2 + c] = a2;
      a[o3 + c] = a3;
      s0 += a0 * uc;
      s1 += a1 * uc;
      s2 += a2 * uc;
      s3 += a3 * uc;
      out[c] += a0 * u0 + a1 * u1 + (a2 * u2 + a3 * u3);
    }
    out[r] += s0;
    out[r + 1] += s1;
    out[r + 2] += s2;
    out[r + 3] += s3;
    // the 4 × 4 diagonal block, lower triangle
    for (let i = 0; i < 4; i++) {
      const oi = o0 + i * n;
      const vi = v[r + i];
      const wi = w[r + i];
      const ui = u[r + i];
      let si = 0;
      for (let j = 0; j < i; j++) {
        const x = a[oi + r + j] - (vi * w[r + j] + wi * v[r + j]);
        a[oi + r + j] = x;
        si += x * u[r + j];
        out[r + j] += x * ui;
      }
      const x = a[oi + r + i] - 2 * vi * wi;
      a[oi + r + i] = x;
      out[r + i] += si + x * ui;
    }
  }
  for (; r < m; r++) updateProductRow(a, n, r, v, w, u, out);
}

/** Row r of {@link fusedUpdateProduct}: update row r (columns 0…r) and add its part of A u to `out`. */
function updateProductRow(
  a: Float64Array,
  n: number,
  r: number,
  v: Float64Array,
  w: Float64Array,
  u: Float64Array,
  out: Float64Array,
): void {
  const o0 = r * n;
  const v0 = v[r];
  const w0 = w[r];
  const u0 = u[r];
  let s0 = 0;
  for (let c = 0; c < r; c++) {
    const a0 = a[o0 + c] - (v0 * w[c] + w0 * v[c]);
    a[o0 + c] = a0;
    s0 += a0 * u[c];
    out[c] += a0 * u0;
  }
  const d0 = a[o0 + r] - 2 * v0 * w0;
  a[o0 + r] = d0;
  out[r] += s0 + d0 * u0;
}
