import { InvalidArgumentError } from '../errors.js';
import type { ProbeDistribution } from './vector-kernels.js';

export type { ProbeDistribution } from './vector-kernels.js';

/** Options shared by the trace estimators ({@link hutchinsonTrace}, {@link hutchppTrace}, {@link xtraceTrace}). */
export interface TraceEstimatorOptions {
  /** Budget of products with A (all estimators compared at equal matvecs); default 100. */
  matvecs?: number;
  /** Test-vector distribution, both with E[ω ωᵀ] = I; default `rademacher`. */
  distribution?: ProbeDistribution;
  /** Seed of the test vectors; default 0. */
  seed?: number;
}

/** The wall-clock limit of {@link hutchinsonTrace} and {@link hutchinsonDiagonal}. */
export interface TimeLimitOptions {
  /** Milliseconds; default none. The estimate then uses the products done so far and says `timedOut: true`. */
  timeLimitMs?: number;
}

/** A stochastic trace estimate with its error bar. */
export interface TraceEstimate {
  /** The estimate of tr(A). */
  estimate: number;
  /** Estimated standard error of `estimate` (see each method for how it is obtained). */
  standardError: number;
  /** Products with A actually performed (≤ the budget). */
  matvecs: number;
  /** Present and true when `timeLimitMs` ended the estimate before the budget (fewer samples, larger error). */
  timedOut?: boolean;
}

/** A stochastic estimate of diag(A) with per-entry error bars. */
export interface DiagonalEstimate {
  /** Estimate of A_ii, i = 0 … n−1. */
  estimate: Float64Array;
  /** Estimated standard error of each entry. */
  standardErrors: Float64Array;
  /** Products with A actually performed. */
  matvecs: number;
  /** Present and true when `timeLimitMs` ended the estimate before the budget. */
  timedOut?: boolean;
}

/** @internal Validates the shared options; returns them with defaults. */
export function resolveEstimatorOptions(
  options: TraceEstimatorOptions,
  fn: string,
  minimumMatvecs: number,
): { matvecs: number; distribution: ProbeDistribution; seed: number } {
  const matvecs = options.matvecs ?? 100;
  if (!Number.isInteger(matvecs) || matvecs < minimumMatvecs) {
    throw new InvalidArgumentError(`${fn}: matvecs must be an integer ≥ ${minimumMatvecs}, got ${matvecs}`);
  }
  const distribution = options.distribution ?? 'rademacher';
  if (distribution !== 'rademacher' && distribution !== 'gaussian') {
    throw new InvalidArgumentError(`${fn}: distribution must be 'rademacher' or 'gaussian', got '${String(distribution)}'`);
  }
  return { matvecs, distribution, seed: options.seed ?? 0 };
}

/** @internal Mean and standard error (sample standard deviation / √count) of values. */
export function meanAndStandardError(values: ArrayLike<number>): { mean: number; standardError: number } {
  const count = values.length;
  let mean = 0;
  for (let i = 0; i < count; i++) mean += values[i];
  mean /= count;
  let variance = 0;
  for (let i = 0; i < count; i++) variance += (values[i] - mean) ** 2;
  variance /= Math.max(1, count - 1);
  return { mean, standardError: Math.sqrt(variance / count) };
}
