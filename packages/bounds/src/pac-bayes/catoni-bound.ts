import { InvalidArgumentError } from '@intrinsic/spectra';
import { assertPositive } from '../internal/guards.js';
import { checkPacBayesOptions, type PacBayesBoundOptions } from './pac-bayes-options.js';

/** Options of {@link catoniBound}: one β, or a grid of β values paid for by a union bound. */
export interface CatoniBoundOptions extends PacBayesBoundOptions {
  /** A single β > 0 fixed before seeing the data. Exactly one of `beta`, `betaGrid`. */
  beta?: number;
  /** Several β > 0 fixed before seeing the data; each is evaluated at confidence δ/|grid| (union bound). */
  betaGrid?: readonly number[];
}

/** Result of {@link catoniBound}. */
export interface CatoniBoundResult {
  /** The bound on the true error (the minimum over the grid), in [0, 1]. */
  bound: number;
  /** The β that attained it. */
  beta: number;
  /** δ used for each β: δ for a single β, δ/|grid| for a grid. */
  deltaPerBeta: number;
}

/**
 * Catoni's PAC-Bayes bound (Catoni 2007, Theorem 1.2.6; in the form stated by Germain et al. 2009):
 * for a fixed β > 0, with probability ≥ 1 − δ, for all Q,
 * e ≤ (1 − exp(−β ê − (KL(Q‖P) + ln(1/δ)) / m)) / (1 − e^{−β}).
 *
 * Over a grid of g values of β, a union bound replaces δ by δ/g and the minimum over the grid is reported.
 * Conditions: loss in [0, 1], data-independent prior, β (or its grid) chosen before seeing the sample.
 * Cost O(g).
 *
 * @returns the bound, the β attaining it, and the per-β confidence.
 * @throws InvalidArgumentError on an invalid error, KL, m or δ, on a β ≤ 0, or unless exactly one of
 * `beta`, `betaGrid` (non-empty) is given.
 * @example catoniBound({ empiricalError: 0, kl: 0, sampleCount: 100, delta: 0.05, beta: 1 }).bound // → (1 − 0.05^{1/100})/(1 − e^{−1}) ≈ 0.046689
 */
export function catoniBound(options: CatoniBoundOptions): CatoniBoundResult {
  const fn = 'catoniBound';
  checkPacBayesOptions(fn, options);
  const hasBeta = options.beta !== undefined;
  const hasGrid = options.betaGrid !== undefined;
  if (hasBeta === hasGrid) throw new InvalidArgumentError(`${fn}: give exactly one of beta and betaGrid`);
  const grid = hasBeta ? [options.beta as number] : [...(options.betaGrid as readonly number[])];
  if (grid.length === 0) throw new InvalidArgumentError(`${fn}: betaGrid is empty`);
  grid.forEach((beta, i) => assertPositive(fn, `beta[${i}]`, beta));
  const { empiricalError, kl, sampleCount: m } = options;
  const deltaPerBeta = options.delta / grid.length;
  let best = Infinity;
  let bestBeta = grid[0];
  for (const beta of grid) {
    // (1 − exp(−x)) / (1 − exp(−β)) with expm1 for accuracy at small arguments.
    const x = beta * empiricalError + (kl + Math.log(1 / deltaPerBeta)) / m;
    const value = Math.min(1, -Math.expm1(-x) / -Math.expm1(-beta));
    if (value < best) {
      best = value;
      bestBeta = beta;
    }
  }
  return { bound: best, beta: bestBeta, deltaPerBeta };
}
