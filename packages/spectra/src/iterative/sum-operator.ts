import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { assertLinearOperator, linearOperator, type LinearOperator } from './linear-operator.js';

/**
 * The sum A₁ + A₂ + … of operators of one order (e.g. H = H_O + H_F). Symmetric when every term is.
 * Cost: one product of each term per vector, plus n additions per term; one scratch vector (block) of memory.
 *
 * @param operators - at least one operator, all of the same size.
 * @returns the operator x ↦ Σ_t A_t x.
 * @throws InvalidArgumentError for an empty list; ShapeMismatchError when the sizes differ.
 * @example sumOperator([denseOperator(I, 2), denseOperator(I, 2)]).apply(x) // → 2x
 */
export function sumOperator(operators: readonly LinearOperator[]): LinearOperator {
  if (!Array.isArray(operators) || operators.length === 0) {
    throw new InvalidArgumentError('sumOperator: expected a non-empty array of operators');
  }
  operators.forEach((op) => assertLinearOperator(op, 'sumOperator'));
  const n = operators[0].size;
  operators.forEach((op, t) => {
    if (op.size !== n) throw new ShapeMismatchError(`sumOperator: operator ${t} has size ${op.size}, operator 0 has size ${n}`);
  });
  let scratch = new Float64Array(n);
  const ensure = (length: number): Float64Array => {
    if (scratch.length < length) scratch = new Float64Array(length);
    return scratch.subarray(0, length);
  };
  return linearOperator({
    size: n,
    symmetric: operators.every((op) => op.symmetric),
    apply(x, y) {
      operators[0].apply(x, y);
      const t = ensure(n);
      for (let k = 1; k < operators.length; k++) {
        operators[k].apply(x, t);
        for (let i = 0; i < n; i++) y[i] += t[i];
      }
    },
    applyBlock(X, count, Y) {
      operators[0].applyBlock(X, count, Y);
      const t = ensure(count * n);
      for (let k = 1; k < operators.length; k++) {
        operators[k].applyBlock(X, count, t);
        for (let i = 0; i < count * n; i++) Y[i] += t[i];
      }
    },
  });
}
