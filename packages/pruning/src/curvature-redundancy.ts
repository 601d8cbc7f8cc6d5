import { symmetricEigenvalues, type TolerancePolicy } from '@intrinsic/spectra';
import type { Dataset, Loss, MlpSpec } from '@intrinsic/models';
import { denseHessian } from '@intrinsic/hessian';
import { hessianNullity, type HessianNullity } from './hessian-nullity.js';

/** Options of {@link curvatureRedundancy}. */
export interface CurvatureRedundancyOptions {
  /** Tolerance policy of the numerical rank (default numpy's σ_max·p·ε). */
  policy?: TolerancePolicy;
  /** Budget for the dense Hessian and its eigendecomposition in bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/**
 * The structural count of redundancy of a trained network: the dimension p − rank(H) of the numerical
 * null space of its exact loss Hessian H = ∇²L(θ) on `data` (dense float64 Hessian, all eigenvalues,
 * {@link hessianNullity}). For deep linear networks without bias rank(H) has a closed form (Singh,
 * Bachmann & Hofmann, NeurIPS 2021; `linearNetworkRankPrediction` of @intrinsic/hessian), so the
 * nullity is known exactly there. To be set beside the sparsity pruning tolerates.
 * Cost O(N p²) for H and O(p³) for its eigenvalues; p² doubles, checked against the budget.
 *
 * @param spec - the model.
 * @param params - its parameters.
 * @param data - the data of the loss (e.g. the training split).
 * @param loss - the loss.
 * @param options - tolerance policy and memory budget.
 * @returns size p, rank, nullity p − rank, nullity / p and the tolerance.
 * @throws MemoryBudgetError when the dense Hessian exceeds the budget (large p).
 */
export function curvatureRedundancy(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options: CurvatureRedundancyOptions = {}): HessianNullity {
  const p = params.length;
  const H = denseHessian(spec, params, data, loss, { memoryBudgetBytes: options.memoryBudgetBytes });
  return hessianNullity(symmetricEigenvalues(H, p), options.policy);
}
