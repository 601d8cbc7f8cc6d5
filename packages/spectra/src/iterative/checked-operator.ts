import { assertLinearOperator, linearOperator, type LinearOperator } from './linear-operator.js';
import { assertFiniteProduct } from './vector-kernels.js';

/** Options of {@link checkedOperator}. */
export interface CheckedOperatorOptions {
  /** A name used in error messages, e.g. `hessianOperator`; default `operator`. */
  name?: string;
}

/**
 * Wraps an operator so that every product is checked for NaN and ±Infinity (O(n) per vector on top of
 * the product). The iterative methods check their own products too; use this wrapper to catch a bad
 * product at its source (e.g. a Hessian-vector product that overflowed) in your own code.
 *
 * @param op - the operator to watch.
 * @param options - a name for messages.
 * @returns an operator with the same size, symmetry and products.
 * @throws (from its products) NonFiniteError naming the operator, the vector and the entry, e.g.
 *   `checkedOperator(hessian): product 3, vector 0: entry 17 of the product is NaN`.
 */
export function checkedOperator(op: LinearOperator, options: CheckedOperatorOptions = {}): LinearOperator {
  assertLinearOperator(op, 'checkedOperator');
  const name = options.name ?? 'operator';
  const n = op.size;
  let products = 0;
  return linearOperator({
    size: n,
    symmetric: op.symmetric,
    apply(x, y) {
      products++;
      op.apply(x, y);
      assertFiniteProduct(y, 0, n, `checkedOperator(${name}): product ${products}`);
    },
    applyBlock(X, count, Y) {
      products++;
      op.applyBlock(X, count, Y);
      for (let c = 0; c < count; c++) assertFiniteProduct(Y, c * n, n, `checkedOperator(${name}): product ${products}, vector ${c}`);
    },
  });
}
