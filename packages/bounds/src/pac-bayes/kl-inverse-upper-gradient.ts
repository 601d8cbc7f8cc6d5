import { InvalidArgumentError } from '@intrinsic/spectra';
import { assertInRange } from '../internal/guards.js';
import { klInverseUpper } from './kl-inverse.js';

/** q = kl⁻¹(ê, c) with its partial derivatives (see {@link klInverseUpperGradient}). */
export interface KlInverseUpperGradient {
  /** q = kl⁻¹(ê, c), the upper inverse. */
  value: number;
  /** ∂q/∂ê. */
  dEmpirical: number;
  /** ∂q/∂c. */
  dComplexity: number;
}

/**
 * The upper kl inverse q = kl⁻¹(ê, c) (the largest q with kl(ê‖q) ≤ c, {@link klInverseUpper}) and its
 * partial derivatives by the implicit-function theorem applied to F(ê, q, c) = kl(ê‖q) − c = 0:
 *   ∂q/∂c = 1 / ∂_q kl(ê‖q),   ∂q/∂ê = −∂_ê kl(ê‖q) / ∂_q kl(ê‖q),
 *   ∂_q kl(ê‖q) = (q − ê)/(q(1 − q)),   ∂_ê kl(ê‖q) = ln(ê(1 − q)/(q(1 − ê))).
 * q comes from the safeguarded Newton inversion (no differentiation through its iterations). Used to
 * optimise the PAC-Bayes-kl bound itself rather than its Pinsker relaxation (issue 8). Valid for
 * 0 < ê < q < 1 (c > 0); at ê = 0 the closed form q = 1 − e^{−c} gives ∂q/∂c = e^{−c} and ∂_ê kl → −∞ (so
 * ∂q/∂ê → +∞): ê is clamped to [`minEmpirical`, 1 − `minEmpirical`] for the derivatives. When q rounds to 1
 * (or c = 0) both derivatives are reported as 0 (callers fall back to another objective).
 * @param empirical - ê ∈ [0, 1].
 * @param complexity - c ≥ 0, finite.
 * @param minEmpirical - the smallest ê used for the derivatives (default 1e-6).
 * @throws InvalidArgumentError when ê is outside [0, 1] or c is negative, NaN or infinite.
 */
export function klInverseUpperGradient(empirical: number, complexity: number, minEmpirical = 1e-6): KlInverseUpperGradient {
  const fn = 'klInverseUpperGradient';
  assertInRange(fn, 'empirical', empirical, 0, 1);
  if (typeof complexity !== 'number' || !Number.isFinite(complexity) || complexity < 0) {
    throw new InvalidArgumentError(`${fn}: complexity must be a finite number ≥ 0, got ${complexity}`);
  }
  const e = Math.min(Math.max(empirical, minEmpirical), 1 - minEmpirical);
  const value = klInverseUpper(empirical, complexity);
  const q = klInverseUpper(e, complexity);
  // q rounded to 1 (or c = 0, where ∂q/∂c is infinite): no usable derivative, reported as 0.
  if (!(q < 1) || !(q > e)) return { value, dEmpirical: 0, dComplexity: 0 };
  const dqKl = (q - e) / (q * (1 - q));
  const deKl = Math.log((e * (1 - q)) / (q * (1 - e)));
  return { value, dEmpirical: -deKl / dqKl, dComplexity: 1 / dqKl };
}
