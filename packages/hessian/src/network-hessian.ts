import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, linearOperator, symmetricEigenvalues, type LinearOperator, type TolerancePolicy } from '@intrinsic/spectra';
import { NetworkEvaluation, type Dataset, type HessianPart, type Loss, type NetworkSpec } from '@intrinsic/models';
import { splitResidual, type HessianDecomposition, type ProgressCallback } from './dense-hessian.js';
import { dataRank, partRank, type HessianRankAnalysis } from './rank-analysis.js';

/** Options of {@link networkHessianDecomposition} and {@link networkCurvatureMatrix}. */
export interface NetworkHessianOptions {
  /** Budget for the dense allocations in bytes (default 4 GiB); checked before allocating. */
  memoryBudgetBytes?: number;
  onProgress?: ProgressCallback;
}

const PART_NAMES: Record<HessianPart, string> = { full: 'H', outer: 'H_O', functional: 'H_F', fisher: 'F' };

/**
 * Dense p × p matrix of a curvature part of a layered network (convolution, locally connected, pooling,
 * dense) by p exact R-operator products with the unit vectors, column j = (part) e_j, then symmetrised.
 * O(N p²) time (p products of O(N p) each), p² memory.
 * @throws MemoryBudgetError before allocating when p² doubles exceed the budget.
 */
export function networkCurvatureMatrix(evaluation: NetworkEvaluation, part: HessianPart, options: NetworkHessianOptions = {}): Float64Array {
  const p = evaluation.layout.size;
  assertMemoryBudget(
    p * p,
    `the dense ${PART_NAMES[part]} of p = ${p} parameters (${p} × ${p})`,
    options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
    'use curvature–vector products (NetworkEvaluation.curvatureProduct) with Lanczos for a model this size',
  );
  const H = new Float64Array(p * p);
  const e = new Float64Array(p);
  const column = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e[j] = 1;
    evaluation.curvatureProduct(e, part, column);
    e[j] = 0;
    for (let i = 0; i < p; i++) H[i * p + j] = column[i];
    if (options.onProgress && (j % 64 === 63 || j === p - 1)) options.onProgress(j + 1, p, `${PART_NAMES[part]} columns`);
  }
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const m = 0.5 * (H[i * p + j] + H[j * p + i]);
      H[i * p + j] = m;
      H[j * p + i] = m;
    }
  }
  return H;
}

/**
 * The dense Hessian of a layered network's mean loss and its split H = H_O + H_F (SCIENCE.md §1), each
 * from its own p R-operator products ({@link networkCurvatureMatrix}: the full recursion, the Gauss–Newton
 * recursion, and the functional recursion without the Λ seed), so `splitResidual` ‖H − H_O − H_F‖_F/‖H‖_F
 * is a check (≈ 1e-16). This is the exact path of the CNN Hessian paper (Singh et al., ICML 2023) for
 * convolutional and locally connected networks. O(3 N p²) time.
 * @throws MemoryBudgetError before any large allocation when 3p² doubles exceed the budget; the errors of
 * {@link NetworkEvaluation} for an invalid spec, parameters or data.
 */
export function networkHessianDecomposition(
  spec: NetworkSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  options: NetworkHessianOptions = {},
): HessianDecomposition {
  const evaluation = new NetworkEvaluation(spec, params, data, loss);
  const p = evaluation.layout.size;
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  assertMemoryBudget(
    3 * p * p,
    `the dense Hessian of p = ${p} parameters (3 matrices ${p} × ${p})`,
    budget,
    'use curvature–vector products (NetworkEvaluation.curvatureProduct) with Lanczos for a model this size',
  );
  const hessian = networkCurvatureMatrix(evaluation, 'full', options);
  const outer = networkCurvatureMatrix(evaluation, 'outer', options);
  const functional = networkCurvatureMatrix(evaluation, 'functional', options);
  return { size: p, hessian, outer, functional, splitResidual: splitResidual(hessian, outer, functional), lossValue: evaluation.value };
}

/**
 * A curvature part of a layered network as a matrix-free symmetric {@link LinearOperator} (p × p):
 * each `apply` is one exact R-operator product {@link NetworkEvaluation.curvatureProduct}, O(N · c) with c
 * the multiply–adds of one forward pass and O(N · activations) memory, so Lanczos, SLQ and the trace
 * estimators of @intrinsic/spectra run on convolutional networks far beyond the dense size.
 * @example
 * ```ts
 * const op = networkCurvatureOperator(new NetworkEvaluation(spec, params, data, 'mse'), 'full');
 * lanczosEigenpairs(op, { k: 3 }).values; // the three largest Hessian eigenvalues
 * ```
 */
export function networkCurvatureOperator(evaluation: NetworkEvaluation, part: HessianPart): LinearOperator {
  return linearOperator({
    size: evaluation.layout.size,
    symmetric: true,
    apply: (x, out) => {
      evaluation.curvatureProduct(x, part, out);
    },
  });
}

/** Options of {@link analyzeNetworkHessianRanks}. */
export interface NetworkRankAnalysisOptions extends NetworkHessianOptions {
  /** Tolerance policy for all three ranks; numpy's rule by default. */
  tolerance?: TolerancePolicy;
  /** Keep H, H_O, H_F in the result. */
  keepMatrices?: boolean;
}

/**
 * Exact ranks of H, H_O and H_F of a layered network's loss (convolution, locally connected, pooling,
 * dense): the three dense float64 matrices of {@link networkHessianDecomposition}, all their eigenvalues
 * (symmetric QR) and the numerical rank of each under one tolerance policy — the layered counterpart of
 * `analyzeHessianRanks`. No closed form applies (`prediction.applies` is false): compare with the
 * theory of `predictRank`. Cost O(3 N p²) for the matrices, O(p³) for the eigendecompositions; memory
 * 3p² doubles, checked against the budget first.
 */
export function analyzeNetworkHessianRanks(
  spec: NetworkSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  options: NetworkRankAnalysisOptions = {},
): HessianRankAnalysis {
  const policy = options.tolerance ?? { kind: 'numpy' };
  const matrices = networkHessianDecomposition(spec, params, data, loss, options);
  const p = matrices.size;
  const parts = {} as HessianRankAnalysis['parts'];
  (['hessian', 'outer', 'functional'] as const).forEach((name, index) => {
    options.onProgress?.(index, 3, 'eigenvalues');
    parts[name] = partRank(symmetricEigenvalues(matrices[name], p), p, policy);
  });
  options.onProgress?.(3, 3, 'eigenvalues');
  return {
    params: p,
    samples: data.count,
    dataRank: dataRank(data),
    loss,
    rank: { hessian: parts.hessian.rank, outer: parts.outer.rank, functional: parts.functional.rank },
    parts,
    prediction: { applies: false, reason: 'no closed-form rank for layered networks (the linear-MLP formula of Singh et al. 2021 does not apply)' },
    tolerance: policy,
    splitResidual: matrices.splitResidual,
    lossValue: matrices.lossValue,
    matrices: options.keepMatrices ? matrices : undefined,
  };
}
