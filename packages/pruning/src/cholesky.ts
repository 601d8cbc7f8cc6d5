import { InvalidArgumentError, NotPositiveDefiniteError, ShapeMismatchError } from '@intrinsic/spectra';

function checkSquare(matrix: Float64Array, n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${fn}: n must be a non-negative integer, got ${n}`);
  if (matrix.length !== n * n) throw new ShapeMismatchError(`${fn}: matrix has ${matrix.length} entries, expected n × n = ${n * n}`);
}

/**
 * Cholesky factor of a symmetric positive definite matrix: the lower-triangular L with A = L Lᵀ.
 *
 * Row-oriented Cholesky–Banachiewicz, reading only the lower triangle of A:
 * L_jj = √(A_jj − Σ_{k<j} L_jk²), L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj for i > j
 * (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 4.2.1). n³/3 flops, n² memory.
 *
 * @param matrix - row-major n × n symmetric matrix (only its lower triangle is read; not modified).
 * @param n - its order.
 * @param out - optional n × n output buffer (may not alias `matrix`).
 * @returns L, row-major n × n with zeros above the diagonal.
 * @throws ShapeMismatchError when `matrix.length !== n²`; NotPositiveDefiniteError naming the pivot
 * when a pivot A_jj − Σ L_jk² is not a positive finite number (A is not numerically positive definite;
 * add damping λI).
 * @example cholesky(new Float64Array([4, 2, 2, 5]), 2) // → [2, 0, 1, 2]
 */
export function cholesky(matrix: Float64Array, n: number, out?: Float64Array): Float64Array {
  checkSquare(matrix, n, 'cholesky');
  const L = out ?? new Float64Array(n * n);
  if (L.length !== n * n) throw new ShapeMismatchError(`cholesky: output has ${L.length} entries, expected ${n * n}`);
  L.fill(0);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let s = matrix[rowI + j];
      for (let k = 0; k < j; k++) s -= L[rowI + k] * L[rowJ + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) {
          throw new NotPositiveDefiniteError(
            `cholesky: pivot ${i} of ${n} is ${s} (matrix not positive definite; add damping λI)`,
          );
        }
        L[rowI + i] = Math.sqrt(s);
      } else {
        L[rowI + j] = s / L[rowJ + j];
      }
    }
  }
  return L;
}

/**
 * Solves A x = b given the Cholesky factor L of A (A = L Lᵀ): forward substitution L y = b, then back
 * substitution Lᵀ x = y. 2n² flops.
 *
 * @param factor - L from {@link cholesky}, row-major n × n.
 * @param n - the order.
 * @param rhs - b, length n (not modified).
 * @param out - optional output x, length n (may alias `rhs`).
 * @returns x = A⁻¹ b.
 * @throws ShapeMismatchError on wrong lengths.
 */
export function choleskySolve(factor: Float64Array, n: number, rhs: Float64Array, out?: Float64Array): Float64Array {
  checkSquare(factor, n, 'choleskySolve');
  if (rhs.length !== n) throw new ShapeMismatchError(`choleskySolve: right-hand side has length ${rhs.length}, expected ${n}`);
  const x = out ?? new Float64Array(n);
  if (x.length !== n) throw new ShapeMismatchError(`choleskySolve: output has length ${x.length}, expected ${n}`);
  if (x !== rhs) x.set(rhs);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    const row = i * n;
    for (let k = 0; k < i; k++) s -= factor[row + k] * x[k];
    x[i] = s / factor[row + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= factor[k * n + i] * x[k];
    x[i] = s / factor[i * n + i];
  }
  return x;
}

/**
 * Inverse of a symmetric positive definite matrix through its Cholesky factor:
 * A⁻¹ = L⁻ᵀ L⁻¹ with L⁻¹ by forward substitution. About n³ flops in total, 2n² memory. The result
 * is exactly symmetric (the upper triangle is mirrored from the lower).
 *
 * @param matrix - row-major n × n symmetric positive definite matrix (lower triangle read).
 * @param n - its order.
 * @returns A⁻¹, row-major n × n.
 * @throws NotPositiveDefiniteError from {@link cholesky}; ShapeMismatchError on a wrong size.
 * @example choleskyInverse(new Float64Array([4, 2, 2, 5]), 2) // → [5/16, −1/8, −1/8, 1/4]
 */
export function choleskyInverse(matrix: Float64Array, n: number): Float64Array {
  const L = cholesky(matrix, n);
  // Overwrite L with M = L⁻¹ (lower triangular), column by column of the identity.
  const M = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    M[j * n + j] = 1 / L[j * n + j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let k = j; k < i; k++) s -= L[row + k] * M[k * n + j];
      M[row + j] = s / L[row + i];
    }
  }
  // A⁻¹ = Mᵀ M: (A⁻¹)_ij = Σ_{k ≥ max(i,j)} M_ki M_kj.
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += M[k * n + i] * M[k * n + j];
      inverse[i * n + j] = s;
      inverse[j * n + i] = s;
    }
  }
  return inverse;
}
