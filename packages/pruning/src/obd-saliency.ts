import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';

/**
 * Diagonal of a dense row-major n × n matrix (e.g. the Hessian from `denseHessian` of @intrinsic/hessian).
 * @throws ShapeMismatchError when `matrix.length !== n²`.
 */
export function matrixDiagonal(matrix: Float64Array, n: number): Float64Array {
  if (matrix.length !== n * n) throw new ShapeMismatchError(`matrixDiagonal: matrix has ${matrix.length} entries, expected ${n}² = ${n * n}`);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = matrix[i * n + i];
  return d;
}

/**
 * Optimal Brain Damage saliency ρ_q = ½ H_qq w_q² (LeCun, Denker & Solla, NIPS 1990, eq. 5): the
 * increase of the quadratic model of the loss when w_q is set to zero and the Hessian is taken as
 * diagonal. Here H_qq is the exact diagonal (from a dense Hessian, or given values such as a
 * Hutchinson estimate). O(p).
 *
 * Negative H_qq (possible away from a minimum) gives a negative saliency: such weights are pruned first,
 * as the quadratic model predicts a loss decrease.
 *
 * @param params - w, length p.
 * @param hessianDiagonal - H_qq, length p.
 * @returns ρ, length p.
 * @throws ShapeMismatchError on different lengths; InvalidArgumentError on a non-finite entry.
 * @example obdSaliency(new Float64Array([2, 1]), new Float64Array([3, -1])) // → [6, −0.5]
 */
export function obdSaliency(params: Float64Array, hessianDiagonal: Float64Array): Float64Array {
  if (hessianDiagonal.length !== params.length) {
    throw new ShapeMismatchError(`obdSaliency: Hessian diagonal has length ${hessianDiagonal.length}, parameters ${params.length}`);
  }
  const out = new Float64Array(params.length);
  for (let q = 0; q < params.length; q++) {
    const h = hessianDiagonal[q];
    if (!Number.isFinite(h) || !Number.isFinite(params[q])) {
      throw new InvalidArgumentError(`obdSaliency: entry ${q} has H_qq = ${h}, w_q = ${params[q]}`);
    }
    out[q] = 0.5 * h * params[q] * params[q];
  }
  return out;
}
