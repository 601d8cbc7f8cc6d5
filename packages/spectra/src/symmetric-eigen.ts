import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { InvalidArgumentError, ShapeMismatchError } from './errors.js';

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

function toMatrix(matrix: Float64Array, n: number): Matrix {
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m.set(i, j, 0.5 * (matrix[i * n + j] + matrix[j * n + i]));
  }
  return m;
}

/**
 * All eigenvalues of a symmetric matrix, ascending.
 *
 * Householder tridiagonalisation followed by implicit QL (ml-matrix, the JAMA algorithm); O(n³) time,
 * O(n²) memory. The input is symmetrised as (A + Aᵀ)/2 and is not modified.
 *
 * @param matrix - row-major n × n symmetric matrix.
 * @param n - its order.
 * @returns eigenvalues in ascending order.
 * @throws ShapeMismatchError when `matrix.length !== n * n`; InvalidArgumentError on a non-finite entry.
 * @example symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2) // → [1, 3]
 */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  return symmetricEigen(matrix, n).values;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix; see {@link symmetricEigenvalues}.
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigenResult {
  checkSymmetricInput(matrix, n, 'symmetricEigen');
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  const decomposition = new EigenvalueDecomposition(toMatrix(matrix, n), { assumeSymmetric: true });
  const raw = decomposition.realEigenvalues;
  const V = decomposition.eigenvectorMatrix;
  const order = Array.from(raw.keys()).sort((a, b) => raw[a] - raw[b]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    values[j] = raw[order[j]];
    for (let i = 0; i < n; i++) vectors[i * n + j] = V.get(i, order[j]);
  }
  return { values, vectors };
}
