import { InvalidArgumentError } from '@intrinsic/spectra';
import { assertDelta, assertInRange, assertInteger, assertNonNegative } from '../internal/guards.js';
import { klInverseUpper } from './kl-inverse.js';
import { monteCarloErrorBound } from './monte-carlo-error-bound.js';
import { priorVarianceGridPoint } from './prior-variance-grid.js';

/**
 * Which PAC-Bayes-kl right-hand side to use:
 * - `seeger-maurer`: (KL + ln(2√m/δ)) / m (Maurer 2004; SCIENCE.md §7);
 * - `langford-seeger`: (KL + ln(m/δ)) / (m − 1) (Langford & Seeger 2001), the form used by Dziugaite & Roy (2017).
 */
export type PacBayesKlForm = 'seeger-maurer' | 'langford-seeger';

/** Options of {@link dziugaiteRoyBound}. */
export interface DziugaiteRoyBoundOptions {
  /** Ŝ, mean training error of the `monteCarloSamples` networks drawn from Q, in [0, 1]. */
  sampledError: number;
  /** n, the number of networks drawn from Q to estimate its training error. */
  monteCarloSamples: number;
  /** KL(Q‖P_j) for the prior of grid index j (e.g. from {@link gaussianKl}). */
  kl: number;
  /** m, the training set size. */
  trainingSetSize: number;
  /** j ≥ 1, the index of the prior variance on the grid (see {@link priorVarianceGridPoint}). */
  priorGridIndex: number;
  /** δ for the PAC-Bayes bound (union over the grid included); Dziugaite & Roy: 0.025. */
  delta: number;
  /** δ′ for the Monte-Carlo estimate; Dziugaite & Roy: 0.01. */
  deltaMonteCarlo: number;
  /** Right-hand side of the PAC-Bayes-kl inequality; `seeger-maurer` by default. */
  form?: PacBayesKlForm;
}

/** The final certified bound and its pieces. */
export interface DziugaiteRoyBoundResult {
  /** Upper bound on the true error of Q, holding with probability ≥ `confidence`. */
  bound: number;
  /** kl⁻¹(Ŝ, ln(2/δ′)/n): the Monte-Carlo upper bound on the empirical error of Q. */
  empiricalErrorUpper: number;
  /** The right-hand side c of kl(ê‖e) ≤ c. */
  complexity: number;
  /** 2 ln j + ln(π²/6), the union-bound penalty of the grid. */
  gridPenalty: number;
  /** 1 − δ − δ′. */
  confidence: number;
}

/**
 * Combines the two confidence terms of Dziugaite & Roy (UAI 2017, §3 and their final reported bound):
 *
 *   ê⁺ = kl⁻¹(Ŝ, ln(2/δ′)/n),
 *   c  = (KL(Q‖P_j) + 2 ln j + ln(π²/6) + ln(2√m/δ)) / m        (seeger-maurer)
 *      = (KL(Q‖P_j) + 2 ln j + ln(π² m/(6δ))) / (m − 1)          (langford-seeger),
 *   e(Q) ≤ kl⁻¹(ê⁺, c).
 *
 * Why it holds with probability ≥ 1 − δ − δ′: the PAC-Bayes-kl bound for prior P_j at confidence
 * δ_j = 6δ/(π² j²) holds for all j simultaneously with probability ≥ 1 − Σ_j δ_j = 1 − δ; the
 * Monte-Carlo event ê(Q) ≤ ê⁺ has probability ≥ 1 − δ′; on both events, since kl⁻¹(·, c) is increasing
 * in its first argument, e(Q) ≤ kl⁻¹(ê(Q), c) ≤ kl⁻¹(ê⁺, c). Cost: two kl inversions.
 *
 * @throws InvalidArgumentError on Ŝ ∉ [0, 1], n < 1, KL < 0, m < 2, j < 1, δ or δ′ ∉ (0, 1),
 * δ + δ′ ≥ 1, or an unknown form.
 * @example see the hand-derived case in dziugaite-roy-bound.test.ts.
 */
export function dziugaiteRoyBound(options: DziugaiteRoyBoundOptions): DziugaiteRoyBoundResult {
  const fn = 'dziugaiteRoyBound';
  const { sampledError, monteCarloSamples, kl, trainingSetSize: m, priorGridIndex: j, delta, deltaMonteCarlo } = options;
  const form = options.form ?? 'seeger-maurer';
  assertInRange(fn, 'sampledError', sampledError, 0, 1);
  assertInteger(fn, 'monteCarloSamples', monteCarloSamples, 1);
  assertNonNegative(fn, 'kl', kl, true);
  assertInteger(fn, 'trainingSetSize', m, 2);
  assertInteger(fn, 'priorGridIndex', j, 1);
  assertDelta(fn, 'delta', delta);
  assertDelta(fn, 'deltaMonteCarlo', deltaMonteCarlo);
  if (!(delta + deltaMonteCarlo < 1)) throw new InvalidArgumentError(`${fn}: delta + deltaMonteCarlo must be < 1, got ${delta + deltaMonteCarlo}`);
  if (form !== 'seeger-maurer' && form !== 'langford-seeger') {
    throw new InvalidArgumentError(`${fn}: unknown form '${String(form)}'; supported: seeger-maurer, langford-seeger`);
  }
  const empiricalErrorUpper = monteCarloErrorBound({ sampledError, sampleCount: monteCarloSamples, delta: deltaMonteCarlo });
  // 2 ln j + ln(π²/6): the union bound over the prior-variance grid, as for every grid point.
  const gridPenalty = priorVarianceGridPoint(j).penalty;
  const complexity =
    form === 'seeger-maurer'
      ? (kl + gridPenalty + Math.log((2 * Math.sqrt(m)) / delta)) / m
      : (kl + gridPenalty + Math.log(m / delta)) / (m - 1);
  return {
    bound: klInverseUpper(empiricalErrorUpper, complexity),
    empiricalErrorUpper,
    complexity,
    gridPenalty,
    confidence: 1 - delta - deltaMonteCarlo,
  };
}
