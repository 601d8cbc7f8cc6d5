import { checkPacBayesOptions, type PacBayesBoundOptions } from './pac-bayes-options.js';
import { klInverseUpper } from './kl-inverse.js';

/**
 * PAC-Bayes-kl bound (Seeger 2002, with Maurer's 2004 constant): with probability ≥ 1 − δ, for all Q,
 * kl(ê ‖ e) ≤ (KL(Q‖P) + ln(2√m/δ)) / m, so e ≤ kl⁻¹(ê, (KL(Q‖P) + ln(2√m/δ)) / m) (SCIENCE.md §7).
 *
 * Conditions: loss in [0, 1] (e.g. the 0–1 error), prior P chosen before seeing the sample. The constant
 * 2√m bounds ξ(m) = E[e^{m·kl(ê‖e)}] ≤ Σ_k C(m,k)(k/m)^k(1 − k/m)^{m−k}; Maurer proves ξ(m) ≤ 2√m for
 * m ≥ 8, and the test suite checks the sum directly for m = 1 … 7. Cost: one kl inversion.
 *
 * @returns the upper bound on the true error e, in [ê, 1].
 * @throws InvalidArgumentError on an error outside [0, 1], negative KL, m < 1 or δ ∉ (0, 1).
 * @example seegerMaurerBound({ empiricalError: 0, kl: 0, sampleCount: 100, delta: 0.05 }) // → 1 − e^{−ln(400)/100} ≈ 0.058155
 */
export function seegerMaurerBound(options: PacBayesBoundOptions): number {
  checkPacBayesOptions('seegerMaurerBound', options);
  const { empiricalError, kl, sampleCount: m, delta } = options;
  const c = (kl + Math.log((2 * Math.sqrt(m)) / delta)) / m;
  return klInverseUpper(empiricalError, c);
}
