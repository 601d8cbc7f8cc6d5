import { InvalidArgumentError } from '@intrinsic/spectra';
import type { PriorBoundSplit } from '../pac-bayes/split-prior-bound-data.js';
import { certifyDziugaiteRoyPosterior, type CertifyDziugaiteRoyOptions, type CertifyDziugaiteRoyResult } from './certify-dziugaite-roy-posterior.js';

/** Options of {@link certifyDataDependentPriorPosterior}: those of `certifyDziugaiteRoyPosterior` with the split instead of `data`. */
export interface CertifyDataDependentPriorOptions extends Omit<CertifyDziugaiteRoyOptions, 'data'> {
  /** The split the prior was built on; the bound reads `split.bound` only. */
  split: PriorBoundSplit;
  /** w_P, the prior mean, a function of S_prior and data-independent settings only (e.g. {@link trainDataDependentPrior}). */
  priorMean: Float64Array;
}

/** The certificate with what it was evaluated on. */
export interface CertifyDataDependentPriorResult extends CertifyDziugaiteRoyResult {
  /** Always `data-dependent`: P = N(w_P, λ_j I) with w_P learnt on S_prior. */
  priorKind: 'data-dependent';
  /** |S_prior|, the rows the prior saw (not counted in m). */
  priorSetSize: number;
  /** α. */
  priorFraction: number;
  /** Seed of the split. */
  splitSeed: number;
}

/**
 * Certifies a Gaussian posterior Q = N(w, diag σ²) against a data-dependent prior P = N(w_P, λ_j I): the
 * Dziugaite–Roy certificate ({@link certifyDziugaiteRoyPosterior}) evaluated on S_bound alone,
 *   e(Q) ≤ kl⁻¹( kl⁻¹(Ŝ_bound, ln(2/δ′)/n), (KL(Q‖P) + 2 ln j + ln(π²/6) + ln(2√m′/δ)) / m′ ),  m′ = |S_bound|,
 * with probability ≥ 1 − δ − δ′ over S_bound and the n Monte-Carlo draws, where Ŝ_bound is the Monte-Carlo
 * estimate of Q's error on S_bound. Valid because P is independent of S_bound (w_P from S_prior only); Q may
 * depend on all of S (Parrado-Hernández et al., JMLR 2012; Dziugaite et al., AISTATS 2021; Pérez-Ortiz et
 * al., JMLR 2021). The rows of S_prior are never read here. Cost: as `certifyDziugaiteRoyPosterior` on m′ rows.
 * @throws InvalidArgumentError when the split has no bound part; otherwise as `certifyDziugaiteRoyPosterior`.
 */
export async function certifyDataDependentPriorPosterior(options: CertifyDataDependentPriorOptions): Promise<CertifyDataDependentPriorResult> {
  const { split, ...rest } = options;
  if (!split || !split.bound || split.bound.count < 1) throw new InvalidArgumentError('certifyDataDependentPriorPosterior: the split has no bound rows');
  const result = await certifyDziugaiteRoyPosterior({ ...rest, data: split.bound });
  return { ...result, priorKind: 'data-dependent', priorSetSize: split.prior.count, priorFraction: split.priorFraction, splitSeed: split.seed };
}
