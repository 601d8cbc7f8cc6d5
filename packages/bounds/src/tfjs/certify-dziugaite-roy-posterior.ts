import type { Dataset, MlpSpec } from '@intrinsic/models';
import { assertPositive } from '../internal/guards.js';
import type { PacBayesKlForm } from '../pac-bayes/dziugaite-roy-bound.js';
import { pacBayesBoundForPosterior, type PacBayesPosteriorBoundResult } from '../pac-bayes/pac-bayes-bound-for-posterior.js';
import { DZIUGAITE_ROY_PRIOR_GRID, priorVarianceGridIndices, type PriorVarianceGridOptions } from '../pac-bayes/prior-variance-grid.js';
import { posteriorErrorMonteCarlo } from './posterior-error-monte-carlo.js';

/** Options of {@link certifyDziugaiteRoyPosterior}. */
export interface CertifyDziugaiteRoyOptions {
  spec: MlpSpec;
  /** w (length p). */
  mean: Float64Array;
  /** σ (length p, > 0). */
  std: Float64Array;
  /** w₀, the prior mean. */
  priorMean: Float64Array;
  /** The optimised continuous λ; the bound is evaluated at the two grid points around it and the better kept. */
  priorVariance: number;
  /** S with labels. */
  data: Dataset;
  /** n, Monte-Carlo draws (Dziugaite & Roy: 150 000). Default 100 000. */
  monteCarloSamples?: number;
  /** δ (default 0.025) and δ′ (default 0.01). */
  delta?: number;
  deltaMonteCarlo?: number;
  form?: PacBayesKlForm;
  priorGrid?: PriorVarianceGridOptions;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The certified bound with the Monte-Carlo estimate it used. */
export interface CertifyDziugaiteRoyResult extends PacBayesPosteriorBoundResult {
  /** Ŝ, the sampled empirical error of Q. */
  sampledError: number;
  monteCarloSamples: number;
  /** The grid index j used. */
  priorGridIndex: number;
  /** m, the rows the bound was evaluated on (`data.count`). */
  trainingSetSize: number;
}

/**
 * Certifies a Gaussian posterior: Ŝ from n independent draws ({@link posteriorErrorMonteCarlo}), then
 * e(Q) ≤ kl⁻¹(kl⁻¹(Ŝ, ln(2/δ′)/n), c_j) ({@link pacBayesBoundForPosterior}) at the grid indices j ∈
 * {⌊b ln(c/λ)⌋, ⌈b ln(c/λ)⌉}, keeping the smaller bound (valid for every j at once by the union bound), with
 * probability ≥ 1 − δ − δ′. Cost: the Monte-Carlo draws plus O(p).
 * @throws as {@link posteriorErrorMonteCarlo} and {@link pacBayesBoundForPosterior}.
 */
export async function certifyDziugaiteRoyPosterior(options: CertifyDziugaiteRoyOptions): Promise<CertifyDziugaiteRoyResult> {
  assertPositive('certifyDziugaiteRoyPosterior', 'priorVariance', options.priorVariance);
  const monteCarloSamples = options.monteCarloSamples ?? 100_000;
  const grid = options.priorGrid ?? DZIUGAITE_ROY_PRIOR_GRID;
  // The certifiers' options carry every field the estimator reads (spec, mean, std, data, seed, batchSize, onProgress).
  const estimate = await posteriorErrorMonteCarlo({ ...options, samples: monteCarloSamples });
  let best: CertifyDziugaiteRoyResult | undefined;
  for (const j of new Set(priorVarianceGridIndices(options.priorVariance, grid))) {
    const result = pacBayesBoundForPosterior({
      mean: options.mean,
      std: options.std,
      priorMean: options.priorMean,
      priorGridIndex: j,
      priorGrid: grid,
      sampledError: estimate.sampledError,
      monteCarloSamples,
      trainingSetSize: options.data.count,
      delta: options.delta ?? 0.025,
      deltaMonteCarlo: options.deltaMonteCarlo ?? 0.01,
      form: options.form,
    });
    if (!best || result.bound < best.bound) best = { ...result, sampledError: estimate.sampledError, monteCarloSamples, priorGridIndex: j, trainingSetSize: options.data.count };
  }
  return best!;
}
