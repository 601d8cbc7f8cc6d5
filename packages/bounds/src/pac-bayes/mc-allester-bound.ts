import { checkPacBayesOptions, type PacBayesBoundOptions } from './pac-bayes-options.js';

/**
 * McAllester-form PAC-Bayes bound: with probability ≥ 1 − δ, for all Q,
 * e ≤ ê + √((KL(Q‖P) + ln(2√m/δ)) / (2m)), clipped to 1.
 *
 * This is the PAC-Bayes-kl bound relaxed by Pinsker's inequality kl(ê‖e) ≥ 2(e − ê)² (McAllester 1999,
 * with Maurer's 2004 constant, as in Guedj's 2019 primer, Theorem 3): it is never tighter than
 * {@link seegerMaurerBound}. Conditions as there: loss in [0, 1], data-independent prior. Cost O(1).
 *
 * @returns the upper bound on the true error, in [ê, 1].
 * @throws InvalidArgumentError on an error outside [0, 1], negative KL, m < 1 or δ ∉ (0, 1).
 * @example mcAllesterBound({ empiricalError: 0.1, kl: 5, sampleCount: 1000, delta: 0.05 }) // → 0.1 + √((5 + ln(2√1000/0.05))/2000) ≈ 0.17792
 */
export function mcAllesterBound(options: PacBayesBoundOptions): number {
  checkPacBayesOptions('mcAllesterBound', options);
  const { empiricalError, kl, sampleCount: m, delta } = options;
  const c = (kl + Math.log((2 * Math.sqrt(m)) / delta)) / m;
  return Math.min(1, empiricalError + Math.sqrt(c / 2));
}
