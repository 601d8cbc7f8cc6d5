import { assertDelta, assertInRange, assertInteger, assertNonNegative } from '../internal/guards.js';

/** Inputs shared by the PAC-Bayes bound forms. */
export interface PacBayesBoundOptions {
  /** Empirical error ê of the posterior Q on the m training samples, in [0, 1] (a bounded loss in [0, 1]). */
  empiricalError: number;
  /** KL(Q‖P) between posterior and prior, ≥ 0 (nats). */
  kl: number;
  /** Number of training samples m (≥ 1). */
  sampleCount: number;
  /** Confidence parameter δ ∈ (0, 1): the bound holds with probability ≥ 1 − δ over the sample. */
  delta: number;
}

/** @internal Validates {@link PacBayesBoundOptions}. */
export function checkPacBayesOptions(fn: string, options: PacBayesBoundOptions): void {
  assertInRange(fn, 'empiricalError', options.empiricalError, 0, 1);
  assertNonNegative(fn, 'kl', options.kl, true);
  assertInteger(fn, 'sampleCount', options.sampleCount, 1);
  assertDelta(fn, 'delta', options.delta);
}
