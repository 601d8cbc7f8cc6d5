import { InvalidArgumentError, ShapeMismatchError, symmetricEigenvalues } from '@intrinsic/spectra';

/**
 * Largest singular value of a small dense matrix, exactly (to eigensolver precision): the square root of the
 * largest eigenvalue of the smaller Gram matrix, A Aᵀ (rows ≤ columns) or AᵀA, by the dense symmetric
 * eigensolver of @intrinsic/spectra. Used for input Jacobians (K × d). Cost O(rows·columns·min + min³).
 *
 * @param matrix - A, row-major rows × columns.
 * @throws ShapeMismatchError on `matrix.length ≠ rows·columns`; InvalidArgumentError on bad sizes or entries.
 * @example matrixSpectralNorm(Float64Array.of(3, 4), 1, 2) // → 5
 */
export function matrixSpectralNorm(matrix: Float64Array, rows: number, columns: number): number {
  const fn = 'matrixSpectralNorm';
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(columns) || columns < 1) {
    throw new InvalidArgumentError(`${fn}: rows and columns must be positive integers, got ${rows} × ${columns}`);
  }
  if (matrix.length !== rows * columns) throw new ShapeMismatchError(`${fn}: matrix has ${matrix.length} entries, expected ${rows * columns}`);
  const wide = rows <= columns;
  const n = wide ? rows : columns;
  const G = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      if (wide) for (let j = 0; j < columns; j++) s += matrix[a * columns + j] * matrix[b * columns + j];
      else for (let i = 0; i < rows; i++) s += matrix[i * columns + a] * matrix[i * columns + b];
      G[a * n + b] = s;
      G[b * n + a] = s;
    }
  }
  const values = symmetricEigenvalues(G, n);
  return Math.sqrt(Math.max(0, values[n - 1]));
}
