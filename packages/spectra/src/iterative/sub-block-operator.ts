import { InvalidArgumentError } from '../errors.js';
import { assertLinearOperator, linearOperator, type LinearOperator } from './linear-operator.js';

/**
 * The restriction P A Pᵀ of an operator to an index set I = (i₁, …, i_r): the r × r block
 * [A]_{I,I} (e.g. one layer's block of a Hessian), where P is the r × n row selection. Its product
 * scatters x into a zero vector of length n, applies A and gathers the entries of I.
 * Cost: one product of A per vector; memory: one length-n scratch vector (per block vector).
 *
 * @param op - the operator A of order n.
 * @param indices - distinct integers in [0, n), in the order of the block's rows.
 * @returns the operator of order r, symmetric when A is.
 * @throws InvalidArgumentError for an empty set, an index out of range, a non-integer or a repeated index.
 * @example subBlockOperator(denseOperator(A, 3), [0, 2]) // acts as [[a00, a02], [a20, a22]]
 */
export function subBlockOperator(op: LinearOperator, indices: ArrayLike<number>): LinearOperator {
  assertLinearOperator(op, 'subBlockOperator');
  const n = op.size;
  const r = indices.length;
  if (r === 0) throw new InvalidArgumentError('subBlockOperator: the index set is empty');
  const index = new Int32Array(r);
  const seen = new Uint8Array(n);
  for (let q = 0; q < r; q++) {
    const i = indices[q];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new InvalidArgumentError(`subBlockOperator: index ${q} is ${i}, expected an integer in [0, ${n})`);
    }
    if (seen[i]) throw new InvalidArgumentError(`subBlockOperator: index ${i} appears twice`);
    seen[i] = 1;
    index[q] = i;
  }
  let full = new Float64Array(n);
  let product = new Float64Array(n);
  const ensure = (count: number): void => {
    if (full.length < count * n) {
      full = new Float64Array(count * n);
      product = new Float64Array(count * n);
    }
  };
  return linearOperator({
    size: r,
    symmetric: op.symmetric,
    apply(x, y) {
      const z = full.subarray(0, n);
      z.fill(0);
      for (let q = 0; q < r; q++) z[index[q]] = x[q];
      const w = op.apply(z, product.subarray(0, n));
      for (let q = 0; q < r; q++) y[q] = w[index[q]];
    },
    applyBlock(X, count, Y) {
      ensure(count);
      const Z = full.subarray(0, count * n);
      Z.fill(0);
      for (let c = 0; c < count; c++) for (let q = 0; q < r; q++) Z[c * n + index[q]] = X[c * r + q];
      const W = op.applyBlock(Z, count, product.subarray(0, count * n));
      for (let c = 0; c < count; c++) for (let q = 0; q < r; q++) Y[c * r + q] = W[c * n + index[q]];
    },
  });
}
