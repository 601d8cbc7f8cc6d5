import {
  analyzeHessianRanks,
  dataRank,
  denseHessianMemoryBytes,
  networkHessianDecomposition,
  predictNetworkRank,
  type HessianRanks,
  type PartRank,
  type ProgressCallback,
} from '@intrinsic/hessian';
import { initializeNetworkParameters, initializeParameters, mlpSpec, networkParameterCount, networkParameterLayout, parameterCount, parameterLayout } from '@intrinsic/models';
import { assertMemoryBudget, numericalRank, parseTolerancePolicy, symmetricEigenvalues, type TolerancePolicy } from '@intrinsic/spectra';
import { convNetworkSpec, describeConvNetwork } from './page-network.js';
import { downsampleMatrix, type HeatmapData } from './heatmap-data.js';
import { pageDataset, type PageState } from './page-state.js';

/** Largest heatmap side sent to the page: 256 × 256 cells (a p = 1000 matrix is drawn in 4 × 4 blocks). */
export const HEATMAP_MAX_CELLS = 256;

/** One named parameter array of the flat layout (W1, b1, W2, …): where the layer-block grid lines go. */
export interface ParameterBlock {
  name: string;
  offset: number;
  size: number;
  /** `[out, in]` for a weight, `[out]` for a bias. */
  shape: number[];
}

/** Default memory budget of the page: 512 MiB of float64 matrices, what a browser tab can usually hold. */
export const BROWSER_MEMORY_BUDGET_BYTES = 512 * 1024 ** 2;

/** One row of the results table: the measured rank of a curvature matrix and its spectrum's ends. */
export interface PartSummary {
  rank: number;
  /** Smallest eigenvalue magnitude above the threshold (NaN when the rank is 0). */
  smallestNonzero: number;
  /** Largest eigenvalue magnitude. */
  largest: number;
  /** Largest magnitude counted as zero (NaN when full rank). */
  largestZero: number;
  threshold: number;
}

/** What the page shows; plain data, so it crosses the worker boundary by structured clone. */
export interface RankReport {
  params: number;
  samples: number;
  /** r = rank(Σ x_i x_iᵀ). */
  dataRank: number;
  rank: HessianRanks;
  parts: { hessian: PartSummary; outer: PartSummary; functional: PartSummary };
  prediction:
    /** `terms` is null for a prediction without the deep-linear terms (a CNN rank theory, when one exists). */
    | { applies: true; ranks: HessianRanks; terms: { q: number; s: number; r: number; M: number; L: number; K: number } | null; source: string }
    | { applies: false; reason: string };
  /** e.g. `numpy: σ_max·n·ε = 1.300e-12` (the one for H; H_O and H_F use the same policy on their own σ_max). */
  toleranceDescription: string;
  /** ‖H − H_O − H_F‖_F / ‖H‖_F. */
  splitResidual: number;
  lossValue: number;
  /** Bytes of the dense matrices and Jacobians (3p² + 2NKp doubles). */
  memoryBytes: number;
  elapsedMs: number;
  /** All eigenvalues of H, H_O and H_F, ascending. */
  eigenvalues: { hessian: Float64Array; outer: Float64Array; functional: Float64Array };
  /** The three matrices downsampled to at most {@link HEATMAP_MAX_CELLS} cells per side. */
  heatmaps: { hessian: HeatmapData; outer: HeatmapData; functional: HeatmapData };
  /** The parameter layout, for the layer-block grid. */
  blocks: ParameterBlock[];
  /** The network computed: `mlp d-M1-…-K` or the CNN's layers ({@link describeConvNetwork}). */
  network: string;
  /**
   * For a CNN: what `predictNetworkRank` of `@intrinsic/hessian` states per part — an exact rank, an upper bound, or
   * nothing — with its reason and source (docs/theory.md §7). Absent for an MLP (the closed form is `prediction`).
   */
  theory?: {
    kind: 'exact' | 'upper-bound' | 'none';
    parts: Record<'hessian' | 'outer' | 'functional', { kind: 'exact' | 'upper-bound' | 'none'; value: number | null }>;
    reason: string;
    source: string;
  };
}

/** Options of {@link computeRanks}. */
export interface ComputeRanksOptions {
  /** Budget for the dense float64 allocations; {@link BROWSER_MEMORY_BUDGET_BYTES} by default. */
  memoryBudgetBytes?: number;
  onProgress?: ProgressCallback;
}

function summarize(part: PartRank): PartSummary {
  return {
    rank: part.rank,
    smallestNonzero: part.smallestNonzero,
    largest: part.largest,
    largestZero: part.largestZero,
    threshold: part.threshold,
  };
}

/**
 * The page's computation: the MLP of `state` initialised with its seed, the paper's data for its loss
 * (Gaussian inputs; Gaussian targets for MSE, uniform labels for cross-entropy) with the same seed, and
 * {@link analyzeHessianRanks} on them — dense H, H_O, H_F in float64, their eigenvalues and numerical
 * ranks under the state's tolerance, and the closed form where it applies.
 *
 * Cost: O(N p²) for the matrices and O(p³) for three eigendecompositions; memory 3p² + 2NKp doubles.
 * @throws MemoryBudgetError before allocating anything when the parameters and data, or the dense
 * matrices, exceed the budget; InvalidArgumentError for a bad tolerance or spec.
 */
export function computeRanks(state: PageState, options: ComputeRanksOptions = {}): RankReport {
  if (state.arch === 'conv') return computeConvRanks(state, options);
  const started = performance.now();
  const budget = options.memoryBudgetBytes ?? BROWSER_MEMORY_BUDGET_BYTES;
  const tolerance = parseTolerancePolicy(state.tolerance);
  const spec = mlpSpec({ widths: state.widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const p = parameterCount(spec);
  const K = state.widths[state.widths.length - 1];
  assertInputsFit(state, p, budget);
  // analyzeHessianRanks checks this estimate against the same budget and throws with its own message.
  const memoryBytes = denseHessianMemoryBytes(p, state.samples, K);
  const params = initializeParameters(spec);
  const data = pageDataset(state);
  const analysis = analyzeHessianRanks(spec, params, data, state.loss, {
    tolerance,
    memoryBudgetBytes: budget,
    onProgress: options.onProgress,
    keepMatrices: true,
  });
  const matrices = analysis.matrices!;
  const p2 = matrices.size;
  const heatmaps = {
    hessian: downsampleMatrix(matrices.hessian, p2, HEATMAP_MAX_CELLS),
    outer: downsampleMatrix(matrices.outer, p2, HEATMAP_MAX_CELLS),
    functional: downsampleMatrix(matrices.functional, p2, HEATMAP_MAX_CELLS),
  };
  const blocks = parameterLayout(spec).views.map((view) => ({ name: view.name, offset: view.offset, size: view.size, shape: view.shape }));
  const prediction: RankReport['prediction'] = analysis.prediction.applies
    ? { applies: true, ranks: analysis.prediction.ranks, terms: analysis.prediction.terms, source: analysis.prediction.source }
    : { applies: false, reason: analysis.prediction.reason };
  return {
    params: analysis.params,
    samples: analysis.samples,
    dataRank: analysis.dataRank,
    rank: analysis.rank,
    parts: {
      hessian: summarize(analysis.parts.hessian),
      outer: summarize(analysis.parts.outer),
      functional: summarize(analysis.parts.functional),
    },
    prediction,
    toleranceDescription: analysis.parts.hessian.toleranceDescription,
    splitResidual: analysis.splitResidual,
    lossValue: analysis.lossValue,
    memoryBytes,
    elapsedMs: performance.now() - started,
    eigenvalues: {
      hessian: analysis.parts.hessian.eigenvalues,
      outer: analysis.parts.outer.eigenvalues,
      functional: analysis.parts.functional.eigenvalues,
    },
    heatmaps,
    blocks,
    network: `MLP ${state.widths.join('-')}`,
  };
}

function partFromEigenvalues(eigenvalues: Float64Array, p: number, policy: TolerancePolicy): PartSummary & { description: string } {
  const result = numericalRank(eigenvalues, p, policy);
  return {
    rank: result.rank,
    smallestNonzero: result.smallestNonzero,
    largest: result.tolerance.maxMagnitude,
    largestZero: result.largestZero,
    threshold: result.tolerance.threshold,
    description: result.tolerance.description,
  };
}

/**
 * The page's computation for `arch: conv`: the CNN of {@link convNetworkSpec} with the state's initialiser and seed,
 * dense H, H_O, H_F by `networkHessianDecomposition` of `@intrinsic/hessian` (p exact R-operator products each),
 * their eigenvalues and ranks under the state's tolerance, and what `predictNetworkRank` states for the spec
 * (exact ranks or upper bounds for bias-free linear CNNs, docs/theory.md §7; nothing otherwise).
 * Cost: O(3 N p c) for the matrices (c the multiply–adds of one forward pass) and O(p³) for the eigenvalues.
 * @throws MemoryBudgetError before allocating the matrices when 3p² doubles exceed the budget.
 */
/**
 * The parameters and the data are allocated before the library checks its dense matrices against the budget,
 * so they are checked here first (p + N·(d + K) doubles).
 */
function assertInputsFit(state: PageState, p: number, budget: number): void {
  const d = state.widths[0];
  const K = state.widths[state.widths.length - 1];
  assertMemoryBudget(p + state.samples * (d + K), `the parameters (p = ${p}) and data (N = ${state.samples}, d = ${d}, K = ${K})`, budget, 'choose a smaller network or fewer samples');
}

function computeConvRanks(state: PageState, options: ComputeRanksOptions): RankReport {
  const started = performance.now();
  const budget = options.memoryBudgetBytes ?? BROWSER_MEMORY_BUDGET_BYTES;
  const tolerance = parseTolerancePolicy(state.tolerance);
  const spec = convNetworkSpec(state);
  const p = networkParameterCount(spec);
  assertInputsFit(state, p, budget);
  const params = initializeNetworkParameters(spec);
  const data = pageDataset(state);
  const matrices = networkHessianDecomposition(spec, params, data, state.loss, { memoryBudgetBytes: budget, onProgress: options.onProgress });
  const names = ['hessian', 'outer', 'functional'] as const;
  const eigenvalues = {} as RankReport['eigenvalues'];
  const parts = {} as Record<(typeof names)[number], PartSummary & { description: string }>;
  names.forEach((name, index) => {
    options.onProgress?.(index, 3, 'eigenvalues');
    eigenvalues[name] = symmetricEigenvalues(matrices[name], p);
    parts[name] = partFromEigenvalues(eigenvalues[name], p, tolerance);
  });
  options.onProgress?.(3, 3, 'eigenvalues');
  const r = dataRank(data);
  const theory = predictNetworkRank(spec, data, state.loss);
  const prediction: RankReport['prediction'] =
    theory.kind === 'exact' && theory.ranks
      ? { applies: true, ranks: theory.ranks, terms: null, source: theory.source }
      : { applies: false, reason: `CNN rank theory: ${theory.reason}` };
  const claim = (name: (typeof names)[number]) => ({ kind: theory.parts[name].kind, value: theory.parts[name].value });
  const strip = ({ description: _description, ...summary }: PartSummary & { description: string }): PartSummary => summary;
  return {
    params: p,
    samples: data.count,
    dataRank: r,
    rank: { hessian: parts.hessian.rank, outer: parts.outer.rank, functional: parts.functional.rank },
    parts: { hessian: strip(parts.hessian), outer: strip(parts.outer), functional: strip(parts.functional) },
    prediction,
    toleranceDescription: parts.hessian.description,
    splitResidual: matrices.splitResidual,
    lossValue: matrices.lossValue,
    memoryBytes: 3 * p * p * 8,
    elapsedMs: performance.now() - started,
    eigenvalues,
    heatmaps: {
      hessian: downsampleMatrix(matrices.hessian, p, HEATMAP_MAX_CELLS),
      outer: downsampleMatrix(matrices.outer, p, HEATMAP_MAX_CELLS),
      functional: downsampleMatrix(matrices.functional, p, HEATMAP_MAX_CELLS),
    },
    blocks: networkParameterLayout(spec).views.map((view) => ({ name: view.name, offset: view.offset, size: view.size, shape: view.shape })),
    network: `CNN: ${describeConvNetwork(state)}`,
    theory: {
      kind: theory.kind,
      parts: { hessian: claim('hessian'), outer: claim('outer'), functional: claim('functional') },
      reason: theory.reason,
      source: theory.source,
    },
  };
}
