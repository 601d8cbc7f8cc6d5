import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { assertOperatorSize, linearOperator, type LinearOperator } from './linear-operator.js';

/** Options of {@link denseOperator}. */
export interface DenseOperatorOptions {
  /**
   * Whether A = Aᵀ. When omitted it is detected: symmetric when max |a_ij − a_ji| ≤ 1e-12 · max |a_ij|.
   * When `true` is given for a matrix beyond that tolerance, an InvalidArgumentError is thrown.
   */
  symmetric?: boolean;
}

/** Relative asymmetry accepted as symmetric: max |a_ij − a_ji| ≤ 1e-12 · max |a_ij|. */
const SYMMETRY_TOLERANCE = 1e-12;

/**
 * A {@link LinearOperator} for a dense row-major n × n matrix. The matrix is referenced, not copied.
 * Cost: n² multiply-adds per vector; the block product streams each row of A once for all vectors.
 *
 * @param matrix - row-major n × n entries (finite).
 * @param n - the order.
 * @param options - the symmetry flag (detected when omitted).
 * @returns the operator x ↦ A x.
 * @throws ShapeMismatchError when `matrix.length !== n²`; InvalidArgumentError on a non-finite entry or a
 *   matrix declared symmetric that is not.
 * @example denseOperator(new Float64Array([2, 1, 1, 2]), 2).apply(new Float64Array([1, 0])) // → [2, 1]
 */
export function denseOperator(matrix: Float64Array, n: number, options: DenseOperatorOptions = {}): LinearOperator {
  assertOperatorSize(n, 'denseOperator');
  if (matrix.length !== n * n) {
    throw new ShapeMismatchError(`denseOperator: matrix has ${matrix.length} entries, expected n × n = ${n * n}`);
  }
  let maxAbs = 0;
  for (let i = 0; i < matrix.length; i++) {
    const v = matrix[i];
    if (!Number.isFinite(v)) {
      throw new InvalidArgumentError(`denseOperator: matrix entry (${Math.floor(i / n)}, ${i % n}) is ${v}`);
    }
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  let asymmetry = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) asymmetry = Math.max(asymmetry, Math.abs(matrix[i * n + j] - matrix[j * n + i]));
  }
  const looksSymmetric = asymmetry <= SYMMETRY_TOLERANCE * maxAbs;
  if (options.symmetric === true && !looksSymmetric) {
    throw new InvalidArgumentError(
      `denseOperator: declared symmetric but max |a_ij − a_ji| = ${asymmetry.toExponential(3)} exceeds 1e-12 · max |a_ij| = ${(SYMMETRY_TOLERANCE * maxAbs).toExponential(3)}`,
    );
  }
  const symmetric = options.symmetric ?? looksSymmetric;
  return linearOperator({
    size: n,
    symmetric,
    apply(x, y) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += matrix[row + j] * x[j];
        y[i] = s;
      }
    },
    applyBlock(X, count, Y) {
      for (let i = 0; i < n; i++) {
        const row = i * n;
        for (let c = 0; c < count; c++) {
          const offset = c * n;
          let s = 0;
          for (let j = 0; j < n; j++) s += matrix[row + j] * X[offset + j];
          Y[offset + i] = s;
        }
      }
    },
  });
}
