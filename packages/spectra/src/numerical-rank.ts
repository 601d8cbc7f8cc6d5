import { InvalidArgumentError } from './errors.js';

/**
 * How small an eigenvalue (or singular value) must be to count as zero.
 *
 * - `numpy`: threshold = σ_max · n · ε (ε = 2⁻⁵² ≈ 2.22e-16), numpy.linalg.matrix_rank's default.
 * - `relative`: threshold = value · σ_max.
 * - `absolute`: threshold = value.
 */
export type TolerancePolicy =
  | { kind: 'numpy' }
  | { kind: 'relative'; value: number }
  | { kind: 'absolute'; value: number };

/** The policy, the threshold it produced, and a one-line description for reports. */
export interface ResolvedTolerance {
  policy: TolerancePolicy;
  /** Magnitudes strictly above this count towards the rank. */
  threshold: number;
  /** The largest magnitude, σ_max. */
  maxMagnitude: number;
  /** e.g. `numpy: σ_max·n·ε = 3.1e-12`. */
  description: string;
}

/** Result of {@link numericalRank}. */
export interface NumericalRankResult {
  rank: number;
  tolerance: ResolvedTolerance;
  /** Smallest magnitude above the threshold (the smallest non-zero), or NaN when the rank is 0. */
  smallestNonzero: number;
  /** Largest magnitude below or at the threshold (the largest "zero"), or NaN when full rank. */
  largestZero: number;
}

/** Machine epsilon of float64, 2⁻⁵². */
export const FLOAT64_EPSILON = 2 ** -52;

/**
 * Parses a tolerance policy from its text form: `numpy`, `rel:1e-10`, `abs:1e-12`.
 * @throws InvalidArgumentError naming the text when it is malformed or the value is not a positive finite number.
 */
export function parseTolerancePolicy(text: string): TolerancePolicy {
  if (typeof text !== 'string') throw new InvalidArgumentError(`tolerance must be a string (numpy, rel:X or abs:X), got ${typeof text}`);
  // Quoted in messages on one line and at most 40 characters.
  const shown = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s).replace(/[\r\n\u2028\u2029]/g, ' ');
  const trimmed = text.trim();
  if (trimmed === 'numpy') return { kind: 'numpy' };
  const match = /^(rel|abs):(.+)$/.exec(trimmed);
  if (!match) {
    throw new InvalidArgumentError(`tolerance '${shown(text)}' is not one of numpy, rel:X, abs:X (e.g. rel:1e-10)`);
  }
  const value = Number(match[2]);
  if (match[2].trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`tolerance '${shown(text)}': '${shown(match[2])}' is not a positive finite number`);
  }
  return match[1] === 'rel' ? { kind: 'relative', value } : { kind: 'absolute', value };
}

/** Text form of a policy, the inverse of {@link parseTolerancePolicy}. */
export function formatTolerancePolicy(policy: TolerancePolicy): string {
  if (policy.kind === 'numpy') return 'numpy';
  return `${policy.kind === 'relative' ? 'rel' : 'abs'}:${policy.value}`;
}

/**
 * Resolves a policy to a threshold for a set of eigenvalues or singular values of an n × n matrix.
 * @param values - eigenvalues (any sign) or singular values.
 * @param n - the matrix order (the numpy rule uses max(m, n) = n).
 */
export function resolveTolerance(values: ArrayLike<number>, n: number, policy: TolerancePolicy = { kind: 'numpy' }): ResolvedTolerance {
  let maxMagnitude = 0;
  for (let i = 0; i < values.length; i++) maxMagnitude = Math.max(maxMagnitude, Math.abs(values[i]));
  let threshold: number;
  let description: string;
  switch (policy.kind) {
    case 'numpy':
      threshold = maxMagnitude * n * FLOAT64_EPSILON;
      description = `numpy: σ_max·n·ε = ${threshold.toExponential(3)}`;
      break;
    case 'relative':
      threshold = maxMagnitude * policy.value;
      description = `relative: ${policy.value}·σ_max = ${threshold.toExponential(3)}`;
      break;
    case 'absolute':
      threshold = policy.value;
      description = `absolute: ${threshold.toExponential(3)}`;
      break;
    default:
      throw new InvalidArgumentError(`unknown tolerance policy ${JSON.stringify(policy)}`);
  }
  return { policy, threshold, maxMagnitude, description };
}

/**
 * Numerical rank from the eigenvalues of a symmetric matrix (or singular values of any matrix): the
 * number of magnitudes strictly above the policy's threshold.
 *
 * @param values - eigenvalues or singular values, in any order.
 * @param n - the matrix order, used by the numpy rule (defaults to `values.length`).
 * @param policy - tolerance policy; numpy's rule by default.
 * @example numericalRank([3, 1e-20, -2], 3).rank // → 2
 */
export function numericalRank(
  values: ArrayLike<number>,
  n: number = values.length,
  policy: TolerancePolicy = { kind: 'numpy' },
): NumericalRankResult {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InvalidArgumentError(`numericalRank: value ${i} is ${values[i]}`);
  }
  const tolerance = resolveTolerance(values, n, policy);
  let rank = 0;
  let smallestNonzero = Infinity;
  let largestZero = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > tolerance.threshold) {
      rank++;
      smallestNonzero = Math.min(smallestNonzero, a);
    } else {
      largestZero = Math.max(largestZero, a);
    }
  }
  return {
    rank,
    tolerance,
    smallestNonzero: rank > 0 ? smallestNonzero : NaN,
    largestZero: rank < values.length ? largestZero : NaN,
  };
}
