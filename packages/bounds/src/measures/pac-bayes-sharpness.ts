import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { mlpLoss, parameterCount, type Dataset, type Loss, type MlpSpec } from '@intrinsic/models';
import { assertInteger, assertPositive } from '../internal/guards.js';

/** Options of {@link pacBayesSharpness}. */
export interface PacBayesSharpnessOptions {
  spec: MlpSpec;
  /** θ, the trained parameters. */
  params: Float64Array;
  data: Dataset;
  loss: Loss;
  /** τ > 0: the largest allowed mean loss increase E_u[L(θ + u)] − L(θ). */
  threshold: number;
  /** Monte-Carlo draws S (default 16). Ignored when `directions` is given. */
  samples?: number;
  /** Seed of the Gaussian directions (default 0). */
  seed?: number;
  /** Optional fixed directions u_s ~ N(0, I), row-major S × p; overrides `samples`/`seed`. */
  directions?: Float64Array;
  /** Starting upper end of the σ bracket (default 1); doubled until the increase exceeds τ. */
  initialSigma?: number;
  /** Stop when the bracket is narrower than tolerance·σ (default 1e-10). */
  tolerance?: number;
  /** Bisection cap (default 200). */
  maxIterations?: number;
}

/** Result of {@link pacBayesSharpness}. */
export interface PacBayesSharpnessResult {
  /** σ′: the lower end of the final bracket, where the estimated increase is ≤ τ. */
  sigma: number;
  /** Estimated E_u[L(θ + σ′u)] − L(θ) at σ′. */
  lossIncrease: number;
  /** L(θ). */
  baseLoss: number;
  /** The upper end of the final bracket (increase > τ). */
  sigmaUpper: number;
  iterations: number;
  converged: boolean;
  /** Bracket widths (σ_hi − σ_lo)/σ_hi after each bisection step. */
  residualNorms: Float64Array;
  /** Loss evaluations (each S forward passes). */
  evaluations: number;
}

/**
 * PAC-Bayes sharpness σ′: the largest σ with E_{u~N(0, σ²I)}[L(θ + u)] − L(θ) ≤ τ (Jiang et al., ICLR 2020,
 * §C "pacbayes.sharpness", after Keskar et al. 2017 and Neyshabur et al. 2017; SCIENCE.md §7).
 *
 * The expectation is estimated by Monte Carlo with common random numbers: S directions u_s ~ N(0, I) are
 * drawn once (seeded) and D(σ) = (1/S) Σ_s L(θ + σ u_s) − L(θ) is used for every σ, which makes D
 * continuous in σ. The bracket [0, σ_hi] is found by doubling σ_hi until D(σ_hi) > τ (at most 200 doublings),
 * then bisected until (σ_hi − σ_lo) ≤ tolerance·σ_hi. σ′ is the crossing found, σ_lo; if D is not monotone it is
 * a crossing point, not necessarily the largest. Jiang et al. report 1/σ′² as the measure. Cost: S forward
 * passes per evaluation, about log₂(1/tolerance) + doublings evaluations.
 *
 * @throws InvalidArgumentError on τ ≤ 0, bad counts, or when no σ up to 2²⁰⁰·initialSigma raises the loss by τ;
 * ShapeMismatchError on parameter or direction lengths.
 */
export function pacBayesSharpness(options: PacBayesSharpnessOptions): PacBayesSharpnessResult {
  const fn = 'pacBayesSharpness';
  const { spec, params, data, loss, threshold } = options;
  assertPositive(fn, 'threshold', threshold);
  const p = parameterCount(spec);
  if (params.length !== p) throw new ShapeMismatchError(`${fn}: parameters have length ${params.length}, the spec has p = ${p}`);
  let directions: Float64Array;
  if (options.directions) {
    directions = options.directions;
    if (directions.length === 0 || directions.length % p !== 0) {
      throw new ShapeMismatchError(`${fn}: directions have length ${directions.length}, not a positive multiple of p = ${p}`);
    }
  } else {
    const samples = options.samples ?? 16;
    assertInteger(fn, 'samples', samples, 1);
    directions = new Random(options.seed ?? 0).fillGaussian(new Float64Array(samples * p));
  }
  const S = directions.length / p;
  const tolerance = options.tolerance ?? 1e-10;
  assertPositive(fn, 'tolerance', tolerance);
  const maxIterations = options.maxIterations ?? 200;
  assertInteger(fn, 'maxIterations', maxIterations, 1);
  let sigmaHigh = options.initialSigma ?? 1;
  assertPositive(fn, 'initialSigma', sigmaHigh);

  const baseLoss = mlpLoss(spec, params, data, loss);
  const perturbed = new Float64Array(p);
  let evaluations = 0;
  const increase = (sigma: number): number => {
    evaluations++;
    let total = 0;
    for (let s = 0; s < S; s++) {
      const offset = s * p;
      for (let i = 0; i < p; i++) perturbed[i] = params[i] + sigma * directions[offset + i];
      total += mlpLossOrInfinity(spec, perturbed, data, loss);
    }
    return total / S - baseLoss;
  };

  let high = increase(sigmaHigh);
  let doublings = 0;
  while (!(high > threshold)) {
    if (++doublings > 200) throw new InvalidArgumentError(`${fn}: no σ up to ${sigmaHigh} raises the loss by threshold = ${threshold}`);
    sigmaHigh *= 2;
    high = increase(sigmaHigh);
  }
  let sigmaLow = 0;
  let lowValue = 0;
  const widths: number[] = [];
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    if (sigmaHigh - sigmaLow <= tolerance * sigmaHigh) {
      converged = true;
      break;
    }
    iterations++;
    const mid = 0.5 * (sigmaLow + sigmaHigh);
    const value = increase(mid);
    if (value > threshold) sigmaHigh = mid;
    else {
      sigmaLow = mid;
      lowValue = value;
    }
    widths.push((sigmaHigh - sigmaLow) / sigmaHigh);
  }
  if (!converged && sigmaHigh - sigmaLow <= tolerance * sigmaHigh) converged = true;
  return { sigma: sigmaLow, lossIncrease: lowValue, baseLoss, sigmaUpper: sigmaHigh, iterations, converged, residualNorms: Float64Array.from(widths), evaluations };
}

/** The loss, or +∞ when a large perturbation makes it overflow (which only means "above τ"). */
function mlpLossOrInfinity(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss): number {
  try {
    return mlpLoss(spec, params, data, loss);
  } catch (error) {
    if (error instanceof InvalidArgumentError && /non-finite|is (NaN|Infinity)/.test(error.message)) return Infinity;
    throw error;
  }
}
