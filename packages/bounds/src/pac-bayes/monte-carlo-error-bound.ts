import { assertDelta, assertInRange, assertInteger } from '../internal/guards.js';
import { klInverseUpper } from './kl-inverse.js';

/** Options of {@link monteCarloErrorBound}. */
export interface MonteCarloErrorBoundOptions {
  /** Ŝ, the mean training error of n networks sampled from Q, in [0, 1]. */
  sampledError: number;
  /** n, the number of sampled networks (≥ 1). */
  sampleCount: number;
  /** δ′ ∈ (0, 1) for this estimate alone. */
  delta: number;
}

/**
 * Upper confidence bound on the empirical error ê(Q) of a stochastic network from n Monte-Carlo draws:
 * ê(Q) ≤ kl⁻¹(Ŝ, ln(2/δ′)/n) with probability ≥ 1 − δ′ (Langford & Caruana 2002, sample convergence bound;
 * used by Dziugaite & Roy, UAI 2017, §3). Conditions: the n draws are independent samples of Q and the loss
 * is in [0, 1]. Cost: one kl inversion.
 *
 * @returns the bound, in [Ŝ, 1].
 * @throws InvalidArgumentError on Ŝ ∉ [0, 1], n < 1 or δ′ ∉ (0, 1).
 * @example monteCarloErrorBound({ sampledError: 0, sampleCount: 1000, delta: 0.01 }) // → 1 − (0.01/2)^{1/1000} ≈ 0.005284
 */
export function monteCarloErrorBound(options: MonteCarloErrorBoundOptions): number {
  const fn = 'monteCarloErrorBound';
  assertInRange(fn, 'sampledError', options.sampledError, 0, 1);
  assertInteger(fn, 'sampleCount', options.sampleCount, 1);
  assertDelta(fn, 'delta', options.delta);
  return klInverseUpper(options.sampledError, Math.log(2 / options.delta) / options.sampleCount);
}
