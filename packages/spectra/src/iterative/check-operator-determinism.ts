import { InvalidArgumentError } from '../errors.js';
import { Random } from '../random.js';
import { assertLinearOperator, type LinearOperator } from './linear-operator.js';

/** Options of {@link checkOperatorDeterminism}. */
export interface OperatorDeterminismOptions {
  /** Seed of the random test vector; default 0. */
  seed?: number;
  /** Largest accepted |y₁ − y₂|_∞ / max(|y₁|_∞, tiny); default 0 (bitwise identical products). */
  tolerance?: number;
}

/** What {@link checkOperatorDeterminism} measured. */
export interface OperatorDeterminismReport {
  /** max_i |y₁[i] − y₂[i]| between the two products of the same vector. */
  maxDifference: number;
  /** The entry where it occurs (−1 when identical). */
  entry: number;
  /** Number of matvecs spent (2). */
  matvecs: number;
}

/**
 * Applies the operator twice to the same Gaussian vector and throws when the products differ. Krylov methods assume A is a fixed linear map; a product that changes from call to
 * call (dropout left on, a data loader reshuffling, non-deterministic GPU reductions) gives meaningless
 * eigenvalues without any other symptom.
 *
 * @param op - the operator.
 * @param options - seed and accepted relative difference.
 * @returns the measured difference when within tolerance.
 * @throws InvalidArgumentError naming the entry, both values and the relative difference.
 * @example checkOperatorDeterminism(denseOperator(A, n)) // → { maxDifference: 0, entry: -1, matvecs: 2 }
 */
export function checkOperatorDeterminism(op: LinearOperator, options: OperatorDeterminismOptions = {}): OperatorDeterminismReport {
  assertLinearOperator(op, 'checkOperatorDeterminism');
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0)) throw new InvalidArgumentError(`checkOperatorDeterminism: tolerance must be ≥ 0, got ${tolerance}`);
  const n = op.size;
  const x = new Random(options.seed ?? 0).fillGaussian(new Float64Array(n));
  const y1 = op.apply(x);
  const y2 = op.apply(x.slice());
  let maxDifference = 0;
  let entry = -1;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(y1[i])) scale = Math.max(scale, Math.abs(y1[i]));
    const d = Object.is(y1[i], y2[i]) ? 0 : Math.abs(y1[i] - y2[i]);
    if (d > maxDifference || (Number.isNaN(d) && !Number.isNaN(maxDifference))) {
      maxDifference = d;
      entry = i;
    }
  }
  const relative = maxDifference / Math.max(scale, Number.MIN_VALUE);
  if (Number.isNaN(maxDifference) || relative > tolerance) {
    throw new InvalidArgumentError(
      `checkOperatorDeterminism: two products of the same vector differ at entry ${entry}: ${y1[entry]} vs ${y2[entry]} (relative ${relative.toExponential(3)} > ${tolerance})`,
    );
  }
  return { maxDifference, entry, matvecs: 2 };
}
