import { analyzeHessianRanks, type HessianRanks } from '@intrinsic/hessian';
import { initializeParameters, mlpSpec } from '@intrinsic/models';
import { InvalidArgumentError, parseTolerancePolicy } from '@intrinsic/spectra';
import { computeRanks } from './compute-ranks.js';
import { pageDataset, type PageState } from './page-state.js';

/** One point of the width sweep: measured ranks and the closed form (null where none applies). */
export interface SweepPoint {
  width: number;
  /** The network of this point, [d, …, K]. */
  widths: number[];
  params: number;
  rank: HessianRanks;
  predicted: HessianRanks | null;
}

/** Options of {@link widthSweepPoint}. */
export interface WidthSweepPointOptions {
  /** Hidden layer whose width changes, 1 … L − 1. */
  layer: number;
  width: number;
  memoryBudgetBytes?: number;
}

/**
 * One point of the rank-vs-width sweep: the page's network with hidden layer `layer` set to `width`, the
 * same data, seed, loss and tolerance, and {@link analyzeHessianRanks} on it (dense H, H_O, H_F and all
 * their eigenvalues). The sweep shows rank/p → 0 as the width grows (Singh et al. 2021: rank ∝ √p).
 *
 * For `arch: conv` the width is the number of filters of that convolution and the point is the page's CNN
 * computation ({@link computeRanks}: dense H, H_O, H_F by R-operator products), with the closed form only when
 * `predictRank` has one.
 *
 * Cost: as one page computation at that width, O(N p² + p³).
 * @throws InvalidArgumentError when the network has no hidden layer `layer`; MemoryBudgetError when the
 * dense matrices of that width exceed the budget.
 */
export function widthSweepPoint(state: PageState, options: WidthSweepPointOptions): SweepPoint {
  const hidden = state.widths.length - 2;
  if (!Number.isInteger(options.layer) || options.layer < 1 || options.layer > hidden) {
    throw new InvalidArgumentError(
      hidden === 0
        ? `width sweep: the network ${state.widths.join('-')} has no hidden layer to vary; add one, e.g. ${state.widths[0]},5,${state.widths[1]}`
        : `width sweep: layer must be between 1 and ${hidden} for ${state.widths.join('-')}, got ${options.layer}`,
    );
  }
  const widths = state.widths.slice();
  widths[options.layer] = options.width;
  if (state.arch === 'conv') {
    const report = computeRanks({ ...state, widths }, { memoryBudgetBytes: options.memoryBudgetBytes });
    return { width: options.width, widths, params: report.params, rank: report.rank, predicted: report.prediction.applies ? report.prediction.ranks : null };
  }
  const spec = mlpSpec({ widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const data = pageDataset(state);
  const analysis = analyzeHessianRanks(spec, initializeParameters(spec), data, state.loss, {
    tolerance: parseTolerancePolicy(state.tolerance),
    memoryBudgetBytes: options.memoryBudgetBytes,
  });
  return {
    width: options.width,
    widths,
    params: analysis.params,
    rank: analysis.rank,
    predicted: analysis.prediction.applies ? analysis.prediction.ranks : null,
  };
}
