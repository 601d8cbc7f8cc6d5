import { InvalidArgumentError } from '../errors.js';
import { assertLinearOperator, linearOperator, type LinearOperator } from './linear-operator.js';

/**
 * The operator α A. Symmetric when A is. Cost: one product of A and n multiplications per vector.
 *
 * @param alpha - a finite scalar.
 * @param op - the operator A.
 * @returns the operator x ↦ α (A x).
 * @throws InvalidArgumentError when α is not finite.
 * @example scaledOperator(-1, op) // −A, so Lanczos 'largest' of −A gives the smallest of A
 */
export function scaledOperator(alpha: number, op: LinearOperator): LinearOperator {
  if (!Number.isFinite(alpha)) throw new InvalidArgumentError(`scaledOperator: alpha must be finite, got ${alpha}`);
  assertLinearOperator(op, 'scaledOperator');
  return linearOperator({
    size: op.size,
    symmetric: op.symmetric,
    apply(x, y) {
      op.apply(x, y);
      for (let i = 0; i < y.length; i++) y[i] *= alpha;
    },
    applyBlock(X, count, Y) {
      op.applyBlock(X, count, Y);
      for (let i = 0; i < Y.length; i++) Y[i] *= alpha;
    },
  });
}
