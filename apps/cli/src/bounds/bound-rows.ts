import {
  lipschitzLowerBound,
  lipschitzUpperBound,
  marginQuantile,
  mcAllesterBound,
  normMeasures,
  outputMargins,
  pacBayesSharpness,
  splitPriorBoundData,
} from '@intrinsic/bounds';
import { initializeParameters, mlpForward, type Dataset, type Loss, type MlpSpec } from '@intrinsic/models';

/** One line of `intrinsic bound`: a bound or a measure with what it assumes. */
export interface BoundRow {
  section: 'measures' | 'lipschitz' | 'pac-bayes';
  name: string;
  value: number;
  /** What the number assumes or how it was computed. */
  assumptions: string;
  /** For bounds on the 0-1 error: true when ≥ 1 − 1/K (no better than guessing uniformly); null for measures. */
  vacuous: boolean | null;
}

/** The network and data `intrinsic bound` works on. */
export interface BoundTarget {
  spec: MlpSpec;
  params: Float64Array;
  data: Dataset;
  loss: Loss;
}

/** The fraction of samples whose largest output is not the label. */
export function trainingError(spec: MlpSpec, params: Float64Array, data: Dataset): number {
  const f = mlpForward(spec, params, data);
  const K = data.outputSize;
  let wrong = 0;
  for (let i = 0; i < data.count; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (f[i * K + k] > f[i * K + best]) best = k;
    if (best !== data.labels![i]) wrong++;
  }
  return wrong / data.count;
}

/** Norm, margin and sharpness measures (Jiang et al., ICLR 2020); θ₀ = the spec's seeded initialisation. */
export function measureRows(target: BoundTarget): BoundRow[] {
  const { spec, params, data, loss } = target;
  const initial = initializeParameters(spec);
  const margin = data.labels && data.outputSize >= 2 ? marginQuantile(outputMargins(mlpForward(spec, params, data), data.labels), 0.1) : undefined;
  const usableMargin = margin !== undefined && margin > 0 ? margin : undefined;
  const m = normMeasures(spec, params, { initialParams: initial, ...(usableMargin ? { margin: usableMargin } : {}) });
  const row = (name: string, value: number, assumptions: string): BoundRow => ({ section: 'measures', name, value, assumptions, vacuous: null });
  const rows = [
    row('parameter count p', m.parameterCount, 'all weights and biases'),
    row('Π ‖W_l‖_F', m.frobeniusProduct, 'Frobenius norms of the weight matrices'),
    row('Σ ‖W_l‖_F', m.frobeniusSum, ''),
    row('Π ‖W_l‖₂', m.spectralProduct, `spectral norms by power iteration${m.spectralConverged ? '' : ' (not all converged)'}`),
    row('Σ ‖W_l‖₂', m.spectralSum, ''),
    row('‖θ − θ₀‖₂', m.distanceToInitialization, `θ₀ = ${spec.init} initialisation with seed ${spec.seed}`),
    row('path-norm', m.pathNorm, 'ℓ2 path-norm √(Σ_paths Π w²) (Neyshabur et al. 2015)'),
  ];
  if (margin !== undefined) {
    rows.push(row('margin γ (10 % quantile)', margin, 'f_y − max_{k≠y} f_k on the training data'));
    if (usableMargin) {
      rows.push(
        row('Π ‖W_l‖₂² / γ²', m.spectralProductOverMargin, 'margin-normalised'),
        row('Π ‖W_l‖_F² / γ²', m.frobeniusProductOverMargin, 'margin-normalised'),
        row('spec-orig / γ²', m.spectralOriginalOverMargin, 'Π‖W‖₂² Σ‖W‖_F²/‖W‖₂² / γ² (Bartlett et al. 2017)'),
        row('path-norm² / γ²', m.pathNormOverMargin, 'margin-normalised'),
      );
    }
  }
  const sharpness = pacBayesSharpness({ spec, params, data, loss, threshold: 0.1, samples: 8, seed: 0 });
  rows.push(row('PAC-Bayes sharpness σ′', sharpness.sigma, `largest σ with E_u[L(θ + σu)] − L(θ) ≤ 0.1, 8 draws${sharpness.converged ? '' : ' (bisection not converged)'}`));
  return rows;
}

/** Lipschitz upper (product of spectral norms) and lower (input–output Jacobian norms) bounds (Khromov & Singh 2024). */
export function lipschitzRows(target: BoundTarget): BoundRow[] {
  const { spec, params, data } = target;
  const upper = lipschitzUpperBound(spec, params);
  const lower = lipschitzLowerBound({ spec, params, inputs: data.inputs, pairs: Math.min(100, data.count), seed: 0 });
  const row = (name: string, value: number, assumptions: string): BoundRow => ({ section: 'lipschitz', name, value, assumptions, vacuous: null });
  return [
    row('Lipschitz upper bound', upper.bound, `Π_l ‖W_l‖₂ × activation constant^{L−1} (${spec.activation}), ℓ2 → ℓ2`),
    row('Lipschitz lower bound', lower.bound, `max ‖∂f/∂x‖₂ over ${data.count} data points and ${lower.interpolation.count} convex combinations`),
    row('‖∂f/∂x‖₂ mean (data)', lower.data.mean, 'mean over the data points'),
    row('‖∂f/∂x‖₂ RMS (data)', lower.data.rms, 'root mean square over the data points'),
  ];
}

/** Options of {@link pacBayesRows}. */
export interface PacBayesRowsOptions {
  iterations: number;
  learningRate: number;
  meanLearningRate: number;
  initialPriorVariance: number;
  initialStd: number | 'abs-weights';
  monteCarloSamples: number;
  seed: number;
  /** A data-dependent prior (see {@link pacBayesRows}); absent: the prior is centred at θ₀. */
  priorData?: PriorDataOptions;
  onProgress?: (done: number, total: number, stage: string) => void;
}

/** `--prior-data α`: the prior mean learnt on a seeded fraction α of the data, the bound on the rest. */
export interface PriorDataOptions {
  /** α ∈ (0, 1). */
  fraction: number;
  /** SGD epochs of the prior mean on S_prior (lr 0.01, momentum 0.9, batch 100, fixed in advance). */
  epochs: number;
  /** Where Q starts: `prior` (w_P) or `trained` (the run's trained weights, which saw all the data — allowed for Q). */
  posteriorStart: 'prior' | 'trained';
}

/** Extra numbers of the PAC-Bayes section for JSON output (no wall-clock times: the JSON is deterministic). */
export interface PacBayesDetails {
  backend: string;
  kl: number;
  priorVariance: number;
  priorGridIndex: number;
  sampledError: number;
  empiricalErrorUpper: number;
  confidence: number;
  /** m, the rows the bound is evaluated on (all the data, or S_bound with a data-dependent prior). */
  trainingSetSize: number;
  /** The prior mean: θ₀ (`initial-weights`) or w_P learnt on S_prior (`data-dependent`, with the split). */
  prior: { kind: 'initial-weights' } | { kind: 'data-dependent'; fraction: number; splitSeed: number; priorRows: number; boundRows: number; epochs: number; priorTrainError: number; posteriorStart: 'prior' | 'trained' };
  history: { iteration: number; objective: number; kl: number }[];
}

/**
 * The Dziugaite–Roy procedure on TensorFlow.js (the active backend): optimise Q = N(w, diag σ²) and λ
 * from the trained weights, certify with Monte Carlo, and report the bound with the McAllester relaxation
 * and the deterministic training error beside it. With `priorData` (Dziugaite et al., AISTATS 2021;
 * Pérez-Ortiz et al., JMLR 2021): the data are split by a permutation seeded with `seed` into S_prior (α) and
 * S_bound, the prior mean w_P = SGD(θ₀; S_prior) with fixed settings, and Q (started at w_P or at the
 * trained weights) is optimised and certified on S_bound with m = |S_bound| against N(w_P, λ_j I).
 */
export async function pacBayesRows(target: BoundTarget, options: PacBayesRowsOptions): Promise<{ rows: BoundRow[]; details: PacBayesDetails }> {
  const { spec, params } = target;
  const { certifyDziugaiteRoyPosterior, optimizeDziugaiteRoyPosterior, trainDataDependentPrior } = await import('@intrinsic/bounds/tfjs');
  const tf = await import('@tensorflow/tfjs-core');
  const initial = initializeParameters(spec);
  const split = options.priorData ? splitPriorBoundData(target.data, { priorFraction: options.priorData.fraction, seed: options.seed }) : null;
  const prior = split
    ? await trainDataDependentPrior({ spec, initialParams: initial, split, epochs: options.priorData!.epochs, learningRate: 0.01, momentum: 0.9, batchSize: 100, seed: options.seed, onEpoch: (e) => options.onProgress?.(e, options.priorData!.epochs, 'training the prior mean on S_prior') })
    : null;
  const priorMean = prior ? prior.priorMean : initial;
  // The bound's data: S_bound with a data-dependent prior, else all of S.
  const data = split ? split.bound : target.data;
  const start = split && options.priorData!.posteriorStart === 'prior' ? priorMean : params;
  const optimised = await optimizeDziugaiteRoyPosterior({
    spec,
    params: start,
    initialParams: priorMean,
    data,
    initialStd: options.initialStd,
    iterations: options.iterations,
    learningRate: options.learningRate,
    meanLearningRate: options.meanLearningRate,
    initialPriorVariance: options.initialPriorVariance,
    seed: options.seed,
    onIteration: (done, total) => options.onProgress?.(done, total, 'optimising the posterior'),
  });
  const certified = await certifyDziugaiteRoyPosterior({
    spec,
    mean: optimised.mean,
    std: optimised.std,
    priorMean,
    priorVariance: optimised.priorVariance,
    data,
    monteCarloSamples: options.monteCarloSamples,
    seed: options.seed + 1,
    onProgress: (done, total) => options.onProgress?.(done, total, 'Monte-Carlo error of the posterior'),
  });
  const K = data.outputSize;
  const chance = 1 - 1 / K;
  const m = certified.trainingSetSize;
  const priorText = split
    ? `P = N(w_P, λI), w_P = SGD from θ₀ on S_prior (${split.prior.count} of ${target.data.count} rows, α = ${split.priorFraction}, split seed ${split.seed}, ${prior!.epochs} epochs)`
    : 'P = N(θ₀, λI)';
  const mcAllester = mcAllesterBound({ empiricalError: certified.empiricalErrorUpper, kl: certified.kl + certified.gridPenalty, sampleCount: m, delta: 0.025 });
  const confidence = `probability ≥ ${certified.confidence.toFixed(3)} (δ = 0.025, δ′ = 0.01)`;
  const rows: BoundRow[] = [
    { section: 'pac-bayes', name: 'training error of w (0-1)', value: trainingError(spec, params, target.data), assumptions: 'the trained network itself (no guarantee)', vacuous: null },
    ...(split ? [{ section: 'pac-bayes' as const, name: 'error of w_P on S_bound (0-1)', value: trainingError(spec, priorMean, data), assumptions: `the prior mean on the ${data.count} rows it never saw (held-out error, no guarantee)`, vacuous: null }] : []),
    { section: 'pac-bayes', name: 'sampled training error of Q', value: certified.sampledError, assumptions: `${certified.monteCarloSamples} independent draws (i, θ ~ Q)${split ? `, i on S_bound (${m} rows)` : ''}`, vacuous: null },
    { section: 'pac-bayes', name: 'KL(Q‖P) (nats)', value: certified.kl, assumptions: `${priorText}, λ = ${certified.priorVariance.toExponential(3)} (grid index ${certified.priorGridIndex})`, vacuous: null },
    {
      section: 'pac-bayes',
      name: 'Dziugaite–Roy bound on e(Q)',
      value: certified.bound,
      assumptions: `0-1 error of the stochastic network Q, kl⁻¹(kl⁻¹(Ŝ, ln(2/δ′)/n), (KL + 2 ln j + ln(π²/6) + ln(2√m/δ))/m), m = ${m}${split ? ' = |S_bound| (the prior is independent of S_bound; Q may use all the data)' : ''}, i.i.d. training data, ${confidence}`,
      vacuous: certified.bound >= chance,
    },
    {
      section: 'pac-bayes',
      name: 'McAllester bound on e(Q)',
      value: Math.min(mcAllester, Number.POSITIVE_INFINITY),
      assumptions: `same Q and KL (with the grid penalty), Pinsker relaxation ê⁺ + √((KL + ln(2√m/δ))/(2m)), ${confidence}`,
      vacuous: mcAllester >= chance,
    },
  ];
  return {
    rows,
    details: {
      backend: tf.getBackend(),
      kl: certified.kl,
      priorVariance: certified.priorVariance,
      priorGridIndex: certified.priorGridIndex,
      sampledError: certified.sampledError,
      empiricalErrorUpper: certified.empiricalErrorUpper,
      confidence: certified.confidence,
      trainingSetSize: m,
      prior: split
        ? { kind: 'data-dependent', fraction: split.priorFraction, splitSeed: split.seed, priorRows: split.prior.count, boundRows: split.bound.count, epochs: prior!.epochs, priorTrainError: prior!.priorTrainError, posteriorStart: options.priorData!.posteriorStart }
        : { kind: 'initial-weights' },
      history: optimised.history.map((h) => ({ iteration: h.iteration, objective: h.objective, kl: h.kl })),
    },
  };
}
