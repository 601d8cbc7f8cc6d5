import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { assertDelta, assertInRange, assertInteger } from '../internal/guards.js';
import { gaussianKl } from './gaussian-kl.js';
import { klInverseUpper } from './kl-inverse.js';
import { monteCarloErrorBound } from './monte-carlo-error-bound.js';
import { DZIUGAITE_ROY_PRIOR_GRID, priorVarianceGridIndices, priorVarianceGridPoint, type PriorVarianceGridOptions } from './prior-variance-grid.js';

/** A contiguous block of coordinates with its own prior variance (e.g. one parameter array W1, b1, …). */
export interface PriorGroup {
  offset: number;
  size: number;
}

/** Options of {@link layerwisePriorBound}. */
export interface LayerwisePriorBoundOptions {
  /** w, σ (> 0), w₀: length p each. */
  mean: Float64Array;
  std: Float64Array;
  priorMean: Float64Array;
  /** The groups; together they must cover 0 … p − 1 exactly once, in order. */
  groups: PriorGroup[];
  /** j_g ≥ 1, one grid index per group. */
  priorGridIndices: number[];
  /** Ŝ, n, m, δ, δ′ as in `dziugaiteRoyBound` (Seeger–Maurer form). */
  sampledError: number;
  monteCarloSamples: number;
  trainingSetSize: number;
  delta: number;
  deltaMonteCarlo: number;
  priorGrid?: PriorVarianceGridOptions;
}

/** Result of {@link layerwisePriorBound}. */
export interface LayerwisePriorBoundResult {
  bound: number;
  /** kl⁻¹(Ŝ, ln(2/δ′)/n). */
  empiricalErrorUpper: number;
  /** c = (KL + Σ_g (2 ln j_g + ln(π²/6)) + ln(2√m/δ))/m. */
  complexity: number;
  /** Σ_g (2 ln j_g + ln(π²/6)). */
  gridPenalty: number;
  confidence: number;
  /** KL(Q‖P) = Σ_g KL_g. */
  kl: number;
  klByGroup: number[];
  priorVariances: number[];
  priorGridIndices: number[];
}

/**
 * The Dziugaite–Roy bound with a prior variance per group of coordinates: P = N(w₀, diag(λ_{g(i)})),
 * λ_g = c·e^{−j_g/b} on the same grid for every group, chosen after seeing the data. Union bound over the
 * product grid (j_1, …, j_G) ∈ {1, 2, …}^G with δ_{j} = δ · Π_g 6/(π² j_g²) (Σ over the product grid = δ),
 * so the penalty is Σ_g (2 ln j_g + ln(π²/6)): ln(π²/6) + 2 ln j_g more per extra group than one shared λ
 * (≈ 12 nats per group at j ≈ 300). Then, as in `dziugaiteRoyBound` (Seeger–Maurer form):
 *   e(Q) ≤ kl⁻¹(kl⁻¹(Ŝ, ln(2/δ′)/n), (Σ_g KL_g + penalty + ln(2√m/δ))/m)   with probability ≥ 1 − δ − δ′.
 * KL_g is {@link gaussianKl} on the group's coordinates. Cost O(p) plus two kl inversions.
 * @throws ShapeMismatchError when the groups do not tile 0 … p − 1 or the index count differs; InvalidArgumentError
 * on bad Ŝ, n, m, δ, δ′ or grid indices, and as {@link gaussianKl}.
 */
export function layerwisePriorBound(options: LayerwisePriorBoundOptions): LayerwisePriorBoundResult {
  const fn = 'layerwisePriorBound';
  const { mean, std, priorMean, groups, priorGridIndices, sampledError, monteCarloSamples, trainingSetSize: m, delta, deltaMonteCarlo } = options;
  const grid = options.priorGrid ?? DZIUGAITE_ROY_PRIOR_GRID;
  checkGroups(fn, groups, mean.length);
  if (priorGridIndices.length !== groups.length) throw new ShapeMismatchError(`${fn}: ${priorGridIndices.length} grid indices for ${groups.length} groups`);
  assertInRange(fn, 'sampledError', sampledError, 0, 1);
  assertInteger(fn, 'monteCarloSamples', monteCarloSamples, 1);
  assertInteger(fn, 'trainingSetSize', m, 2);
  assertDelta(fn, 'delta', delta);
  assertDelta(fn, 'deltaMonteCarlo', deltaMonteCarlo);
  if (!(delta + deltaMonteCarlo < 1)) throw new InvalidArgumentError(`${fn}: delta + deltaMonteCarlo must be < 1, got ${delta + deltaMonteCarlo}`);
  const klByGroup: number[] = [];
  const priorVariances: number[] = [];
  let gridPenalty = 0;
  groups.forEach((group, g) => {
    const point = priorVarianceGridPoint(priorGridIndices[g], grid);
    const slice = (a: Float64Array) => a.subarray(group.offset, group.offset + group.size);
    klByGroup.push(gaussianKl({ posteriorMean: slice(mean), posteriorStd: slice(std), priorMean: slice(priorMean), priorVariance: point.variance }));
    priorVariances.push(point.variance);
    gridPenalty += point.penalty;
  });
  const kl = klByGroup.reduce((a, b) => a + b, 0);
  const empiricalErrorUpper = monteCarloErrorBound({ sampledError, sampleCount: monteCarloSamples, delta: deltaMonteCarlo });
  const complexity = (kl + gridPenalty + Math.log((2 * Math.sqrt(m)) / delta)) / m;
  return {
    bound: klInverseUpper(empiricalErrorUpper, complexity),
    empiricalErrorUpper,
    complexity,
    gridPenalty,
    confidence: 1 - delta - deltaMonteCarlo,
    kl,
    klByGroup,
    priorVariances,
    priorGridIndices: priorGridIndices.slice(),
  };
}

/**
 * Rounds per-group continuous variances onto the grid: for each group, of ⌊b ln(c/λ_g)⌋ and ⌈b ln(c/λ_g)⌉ the
 * index with the smaller KL_g + 2 ln j_g (the bound is increasing in Σ_g (KL_g + 2 ln j_g) and the terms are
 * separable, so this minimises it over all 2^G roundings). Cost O(p).
 */
export function roundLayerwisePriorVariances(
  mean: Float64Array,
  std: Float64Array,
  priorMean: Float64Array,
  groups: PriorGroup[],
  variances: ArrayLike<number>,
  grid: PriorVarianceGridOptions = DZIUGAITE_ROY_PRIOR_GRID,
): number[] {
  const fn = 'roundLayerwisePriorVariances';
  checkGroups(fn, groups, mean.length);
  if (variances.length !== groups.length) throw new ShapeMismatchError(`${fn}: ${variances.length} variances for ${groups.length} groups`);
  return groups.map((group, g) => {
    const slice = (a: Float64Array) => a.subarray(group.offset, group.offset + group.size);
    let best = 0;
    let bestCost = Infinity;
    for (const j of new Set(priorVarianceGridIndices(variances[g], grid))) {
      const point = priorVarianceGridPoint(j, grid);
      const cost = gaussianKl({ posteriorMean: slice(mean), posteriorStd: slice(std), priorMean: slice(priorMean), priorVariance: point.variance }) + point.penalty;
      if (cost < bestCost) [best, bestCost] = [j, cost];
    }
    return best;
  });
}

function checkGroups(fn: string, groups: PriorGroup[], p: number): void {
  let next = 0;
  for (const group of groups) {
    if (group.offset !== next || !Number.isInteger(group.size) || group.size < 1) {
      throw new ShapeMismatchError(`${fn}: the groups must tile 0 … ${p - 1} in order; a group starts at ${group.offset} (size ${group.size}), expected ${next}`);
    }
    next += group.size;
  }
  if (next !== p) throw new ShapeMismatchError(`${fn}: the groups cover ${next} coordinates, the parameters ${p}`);
}
