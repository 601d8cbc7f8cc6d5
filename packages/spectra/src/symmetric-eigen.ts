import { applyHouseholderToRows } from './dense/householder-back-transform.js';
import { symmetrizedLowerCopy, tridiagonalizeLower } from './dense/householder-tridiagonal.js';
import { createWasmKernels, MAX_WASM_BYTES, type WasmKernels } from './dense/wasm-kernels.js';
import { tridiagonalEigenRows } from './dense/tridiagonal-eigen.js';
import { implicitQl, splitTridiagonal } from './dense/tridiagonal-ql.js';
import { InvalidArgumentError, ShapeMismatchError } from './errors.js';
import { assertMemoryBudget } from './memory.js';

/** Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix. */
export interface SymmetricEigenResult {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Eigenvectors, row-major n × n, column j is the unit eigenvector of `values[j]`. */
  vectors: Float64Array;
}

function checkSymmetricInput(matrix: Float64Array, n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${fn}: n must be a non-negative integer, got ${n}`);
  if (matrix.length !== n * n) {
    throw new ShapeMismatchError(`${fn}: matrix has ${matrix.length} entries, expected n × n = ${n * n}`);
  }
  for (let i = 0; i < matrix.length; i++) {
    if (!Number.isFinite(matrix[i])) {
      throw new InvalidArgumentError(`${fn}: matrix entry (${Math.floor(i / n)}, ${i % n}) is ${matrix[i]}`);
    }
  }
}

/** Power of two s with s · max|a_ij| in [0.5, 1) (exact scaling that keeps every step clear of over/underflow); 1 for a zero matrix. */
function scaleFactor(matrix: Float64Array): number {
  let maxAbs = 0;
  for (let i = 0; i < matrix.length; i++) {
    const x = Math.abs(matrix[i]);
    if (x > maxAbs) maxAbs = x;
  }
  if (maxAbs === 0) return 1;
  // Clamped so that both 2^−exponent and its inverse are finite normal numbers.
  const exponent = Math.min(1020, Math.max(-1020, Math.floor(Math.log2(maxAbs)) + 1));
  return 2 ** -exponent;
}

/** Bytes of WebAssembly memory that {@link symmetricEigen} asks for. */
function pairsBytes(n: number): number {
  return 8 * (2 * n * n + 4 * n + 16);
}

interface Reduced {
  a: Float64Array;
  d: Float64Array;
  e: Float64Array;
  tau: Float64Array;
  scale: number;
}

/**
 * Scaled, symmetrised copy reduced to tridiagonal form. With `kernels`, the copy lives at byte 0 of their
 * memory and 4n doubles of scratch at `scratchByte`.
 */
function reduce(matrix: Float64Array, n: number, kernels: WasmKernels | null, scratchByte: number): Reduced {
  const scale = scaleFactor(matrix);
  const a = symmetrizedLowerCopy(matrix, n, scale, kernels === null ? undefined : new Float64Array(kernels.memory.buffer, 0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  tridiagonalizeLower(a, n, d, e, tau, kernels === null ? null : { kernels, matrixByte: 0, scratchByte });
  return { a, d, e, tau, scale };
}

/**
 * All eigenvalues of a symmetric matrix, ascending.
 *
 * The input is symmetrised as (A + Aᵀ)/2 and scaled by a power of two (exact), reduced to tridiagonal
 * form by Householder reflections whose rank-2 update is fused with the next matrix–vector product, one
 * pass over the lower triangle per step ({@link householderTridiagonal}, LAPACK `dsytd2`), and the
 * tridiagonal eigenvalues are found by implicit QL with Wilkinson shifts ({@link tridiagonalEigenvalues},
 * EISPACK `tql1`). The O(n³) pass runs in WebAssembly SIMD (f64x2) where the host has it (Node, current
 * browsers) and in plain TypeScript otherwise. Cost: 4n³/3 + O(n²) flops, n² + 4n doubles of work memory;
 * about 0.1–0.2 s for n = 1000 on one core of the benchmark machine (bench/eigen). Eigenvalues are accurate
 * to about √n ε ‖A‖ absolutely. The input is not modified.
 *
 * @param matrix - row-major n × n symmetric matrix.
 * @param n - its order.
 * @returns eigenvalues in ascending order.
 * @throws ShapeMismatchError when `matrix.length !== n * n`; InvalidArgumentError on a non-finite entry
 *   or a bad `n`; MemoryBudgetError when the n² work array exceeds the default budget; NotConvergedError if
 *   QL needs more than 60 sweeps for one eigenvalue (never observed; LAPACK allows 30).
 * @example symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2) // → [1, 3]
 */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  checkSymmetricInput(matrix, n, 'symmetricEigenvalues');
  if (n === 0) return new Float64Array(0);
  assertMemoryBudget(n * n, `symmetricEigenvalues work array ${n} × ${n}`, undefined, 'use lanczosSpectrum on a LinearOperator');
  // Use the WebAssembly kernels only where symmetricEigen would too, so that both give identical values.
  const kernels = pairsBytes(n) <= MAX_WASM_BYTES ? createWasmKernels(8 * (n * n + 4 * n)) : null;
  const { d, e, scale } = reduce(matrix, n, kernels, 8 * n * n);
  const bounds = splitTridiagonal(d, e);
  for (let b = 0; b + 1 < bounds.length; b++) implicitQl(d, e, bounds[b], bounds[b + 1], null, 0);
  d.sort();
  const inverse = 1 / scale; // exact: scale is a power of two in [2^−1020, 2^1020]
  for (let i = 0; i < n; i++) d[i] *= inverse;
  return d;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix.
 *
 * Same reduction and eigenvalues as {@link symmetricEigenvalues} (so the values agree exactly, barring a
 * failed allocation of the WebAssembly memory in one of the two calls). The
 * eigenvectors of the tridiagonal matrix come from inverse iteration with Gram–Schmidt among close
 * eigenvalues (LAPACK `dstein`; QL with rotations for small blocks and big clusters, see
 * {@link tridiagonalEigen}), O(n²) instead of the ≈ 3n³ of QL rotations, and are mapped back by the
 * Householder reflectors, two reflectors × four vectors at a time in L2-sized blocks (2n³ flops,
 * WebAssembly SIMD where available). Cost: 4n³/3 + 2n³ flops, 3n² doubles; about 0.4–0.5 s for
 * n = 1000 on one core of the benchmark machine (bench/eigen). Guarantees checked by the tests:
 * ‖AV − VΛ‖_F/‖A‖_F and ‖VᵀV − I‖_F below n·10⁻¹⁴. The input is not modified.
 *
 * @param matrix - row-major n × n symmetric matrix.
 * @param n - its order.
 * @returns values ascending; vectors row-major n × n with column j the unit eigenvector of values[j].
 * @throws ShapeMismatchError when `matrix.length !== n * n`; InvalidArgumentError on a non-finite entry
 *   or a bad `n`; MemoryBudgetError when the 3n² work arrays exceed the default budget; NotConvergedError as
 *   for {@link symmetricEigenvalues}.
 * @example symmetricEigen(new Float64Array([2, 1, 1, 2]), 2).vectors // → ±[-1, 1, 1, 1] / √2
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigenResult {
  checkSymmetricInput(matrix, n, 'symmetricEigen');
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  assertMemoryBudget(3 * n * n, `symmetricEigen work arrays 3 × ${n} × ${n}`, undefined, 'use lanczosSpectrum on a LinearOperator');
  // Memory layout (bytes): matrix/reflectors n², eigenvector rows n², scratch 4n + 16.
  const rowsByte = 8 * n * n;
  const scratchByte = 16 * n * n;
  const kernels = createWasmKernels(pairsBytes(n));
  const { a, d, e, tau, scale } = reduce(matrix, n, kernels, scratchByte);
  const rowsBuffer = kernels === null ? undefined : new Float64Array(kernels.memory.buffer, rowsByte, n * n);
  const { values, rows } = tridiagonalEigenRows(d, e, rowsBuffer);
  applyHouseholderToRows(
    a,
    tau,
    n,
    rows,
    n,
    kernels === null ? null : { kernels, reflectorsByte: 0, rowsByte, scratchByte: scratchByte + 32 * n },
  );
  const inverse = 1 / scale; // exact: scale is a power of two in [2^−1020, 2^1020]
  for (let i = 0; i < n; i++) values[i] *= inverse;
  const vectors = transpose(rows, n, new Float64Array(n * n));
  return { values, vectors };
}

/** Blocked transpose of an n × n row-major array into `out`. */
function transpose(source: Float64Array, n: number, out: Float64Array): Float64Array {
  const block = 32;
  for (let i0 = 0; i0 < n; i0 += block) {
    const i1 = Math.min(i0 + block, n);
    for (let j0 = 0; j0 < n; j0 += block) {
      const j1 = Math.min(j0 + block, n);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * n + i] = source[i * n + j];
    }
  }
  return out;
}
