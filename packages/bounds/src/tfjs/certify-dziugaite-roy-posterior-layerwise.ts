import { parameterLayout, type Dataset, type MlpSpec } from '@intrinsic/models';
import { ShapeMismatchError } from '@intrinsic/spectra';
import { layerwisePriorBound, roundLayerwisePriorVariances, type LayerwisePriorBoundResult } from '../pac-bayes/layerwise-prior-bound.js';
import { DZIUGAITE_ROY_PRIOR_GRID, type PriorVarianceGridOptions } from '../pac-bayes/prior-variance-grid.js';
import { posteriorErrorMonteCarlo } from './posterior-error-monte-carlo.js';

/** Options of {@link certifyDziugaiteRoyPosteriorLayerwise}. */
export interface CertifyDziugaiteRoyLayerwiseOptions {
  spec: MlpSpec;
  mean: Float64Array;
  std: Float64Array;
  priorMean: Float64Array;
  /** The optimised continuous λ_l, one per parameter array (`parameterLayout` order). */
  priorVariances: ArrayLike<number>;
  data: Dataset;
  /** n (default 100 000), δ (default 0.025), δ′ (default 0.01). */
  monteCarloSamples?: number;
  delta?: number;
  deltaMonteCarlo?: number;
  priorGrid?: PriorVarianceGridOptions;
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** The certified bound with the Monte-Carlo estimate it used. */
export interface CertifyDziugaiteRoyLayerwiseResult extends LayerwisePriorBoundResult {
  sampledError: number;
  monteCarloSamples: number;
}

/**
 * Certifies a Gaussian posterior against the prior N(w₀, diag(λ_l)) with one grid variance per parameter
 * array (W1, b1, W2, …): Ŝ from n independent draws (`posteriorErrorMonteCarlo`), each λ_l rounded to the
 * better of its two neighbouring grid points ({@link roundLayerwisePriorVariances}), then
 * {@link layerwisePriorBound} (union bound over the product grid, penalty Σ_l (2 ln j_l + ln(π²/6))), valid
 * with probability ≥ 1 − δ − δ′. Cost: the Monte-Carlo draws plus O(p).
 * @throws ShapeMismatchError when the number of variances is not the number of parameter arrays; as
 * `posteriorErrorMonteCarlo` and {@link layerwisePriorBound}.
 */
export async function certifyDziugaiteRoyPosteriorLayerwise(options: CertifyDziugaiteRoyLayerwiseOptions): Promise<CertifyDziugaiteRoyLayerwiseResult> {
  const groups = parameterLayout(options.spec).views.map((v) => ({ offset: v.offset, size: v.size }));
  if (options.priorVariances.length !== groups.length) {
    throw new ShapeMismatchError(`certifyDziugaiteRoyPosteriorLayerwise: ${options.priorVariances.length} prior variances for ${groups.length} parameter arrays`);
  }
  const grid = options.priorGrid ?? DZIUGAITE_ROY_PRIOR_GRID;
  const monteCarloSamples = options.monteCarloSamples ?? 100_000;
  const priorGridIndices = roundLayerwisePriorVariances(options.mean, options.std, options.priorMean, groups, options.priorVariances, grid);
  // The certifiers' options carry every field the estimator reads (spec, mean, std, data, seed, batchSize, onProgress).
  const estimate = await posteriorErrorMonteCarlo({ ...options, samples: monteCarloSamples });
  const result = layerwisePriorBound({
    mean: options.mean,
    std: options.std,
    priorMean: options.priorMean,
    groups,
    priorGridIndices,
    sampledError: estimate.sampledError,
    monteCarloSamples,
    trainingSetSize: options.data.count,
    delta: options.delta ?? 0.025,
    deltaMonteCarlo: options.deltaMonteCarlo ?? 0.01,
    priorGrid: grid,
  });
  return { ...result, sampledError: estimate.sampledError, monteCarloSamples };
}
