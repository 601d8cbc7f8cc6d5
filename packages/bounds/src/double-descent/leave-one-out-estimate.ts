import { assertMemoryBudget, ShapeMismatchError, type ResolvedTolerance, type TolerancePolicy } from '@intrinsic/spectra';
import { lossTerms, type MlpEvaluation } from '@intrinsic/models';
import { assertFiniteArray } from '../internal/guards.js';
import { smallestPositiveEigenvalue } from './smallest-positive-eigenvalue.js';

/** Options of {@link leaveOneOutEstimate}. */
export interface LeaveOneOutOptions {
  /** The trained model on its N training samples (θ* a stationary point of the training objective). */
  evaluation: MlpEvaluation;
  /** Eigenvalues of the Hessian of the training objective per sample (mean loss [+ regulariser]), length p. */
  eigenvalues: Float64Array;
  /** Eigenvectors, row-major p × p, column j for `eigenvalues[j]`. */
  eigenvectors: Float64Array;
  /** Which eigenvalues count as positive in H⁺ (default numpy's rule). */
  tolerance?: TolerancePolicy;
  /** Budget in bytes for the N·K × p output Jacobian (default 4 GiB), checked before allocating. */
  memoryBudgetBytes?: number;
}

/** Result of {@link leaveOneOutEstimate}. */
export interface LeaveOneOutResult {
  /** ℓ_i(θ_{−i}) predicted by the one-step (Newton/Woodbury) leave-one-out formula; +∞ where I − Λ_i S_i is numerically singular (pivot ≤ 1e-12·max(1, max|ΛS|)). */
  losses: Float64Array;
  /** Their mean: the leave-one-out estimate of the population loss. */
  meanLoss: number;
  /** First-order influence version ℓ_i + (1/N) ∇ℓ_iᵀ H⁺ ∇ℓ_i per sample. */
  firstOrderLosses: Float64Array;
  /** Mean of `firstOrderLosses`. */
  firstOrderMeanLoss: number;
  /** tr S_i = (1/N) tr(J_i H⁺ J_iᵀ), the leverage of sample i (h_ii for linear regression). */
  leverages: Float64Array;
  /** Samples whose I − Λ_i S_i was singular (LOO undefined, e.g. h_ii = 1 when interpolating). */
  singularCount: number;
  tolerance: ResolvedTolerance;
}

/**
 * Leave-one-out estimate of the population loss from the Hessian at θ*, without retraining.
 *
 * Removing sample i from the objective F = Σ_j ℓ_j + N R (mean loss times N, with an optional regulariser
 * whose Hessian is included in H) leaves the gradient −∇ℓ_i at θ*; one Newton step with the per-sample
 * Gauss–Newton curvature J_iᵀΛ_iJ_i gives θ_{−i} − θ* = (N H − J_iᵀΛ_iJ_i)⁺ J_iᵀ g_i, and by Woodbury the
 * output change is
 *   Δf_i = S_i (I − Λ_i S_i)⁻¹ g_i,   S_i = (1/N) J_i H⁺ J_iᵀ   (K × K),
 * so ℓ_i(θ_{−i}) ≈ ℓ(f_i + Δf_i, y_i). This is exact when ℓ is quadratic in θ (linear model, MSE, any ridge):
 * for K = 1 it is the closed-form LOO residual e_i/(1 − h_ii) (PRESS; Allen 1974). For a network it is the
 * one-step approximation of Koh & Liang (2017) with the self-influence correction; SCIENCE.md §4.
 * The first-order influence value ℓ_i + (1/N)∇ℓ_iᵀH⁺∇ℓ_i is returned as well. H⁺ uses the eigenvalues above τ.
 * Cost O(N K p r + N K³) with r the positive rank, plus one output-Jacobian pass (N K p memory).
 *
 * @throws ShapeMismatchError when the eigen-decomposition does not match p; InvalidArgumentError on
 * non-finite eigen-data; MemoryBudgetError when the N·K × p Jacobian exceeds the budget.
 */
export function leaveOneOutEstimate(options: LeaveOneOutOptions): LeaveOneOutResult {
  const fn = 'leaveOneOutEstimate';
  const { evaluation, eigenvalues, eigenvectors } = options;
  const p = evaluation.layout.size;
  const N = evaluation.count;
  const K = evaluation.outputSize;
  if (eigenvalues.length !== p) throw new ShapeMismatchError(`${fn}: ${eigenvalues.length} eigenvalues, the model has p = ${p}`);
  assertFiniteArray(fn, 'eigenvectors', eigenvectors, p * p);
  const spectrum = smallestPositiveEigenvalue(eigenvalues, options.tolerance);
  const positive: number[] = [];
  for (let j = 0; j < p; j++) if (eigenvalues[j] > spectrum.tolerance.threshold) positive.push(j);
  const r = positive.length;
  assertMemoryBudget(
    N * K * p,
    `leaveOneOutEstimate: the output Jacobian ${N * K} × ${p}`,
    options.memoryBudgetBytes,
    'use a subset of the samples',
  );
  const J = evaluation.outputJacobian();
  const G = evaluation.outputGradients;
  const Lambda = evaluation.outputHessians;
  const f = evaluation.outputs;
  const targets = evaluation.data.targets;
  const losses = new Float64Array(N);
  const firstOrder = new Float64Array(N);
  const leverages = new Float64Array(N);
  const B = new Float64Array(K * r); // B = J_i U_+ diag(λ)^{-1/2}
  const S = new Float64Array(K * K);
  const M = new Float64Array(K * K);
  const y = new Float64Array(K);
  const shifted = new Float64Array(K);
  let singularCount = 0;
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < K; k++) {
      const row = (i * K + k) * p;
      for (let t = 0; t < r; t++) {
        const j = positive[t];
        let s = 0;
        for (let c = 0; c < p; c++) s += J[row + c] * eigenvectors[c * p + j];
        B[k * r + t] = s / Math.sqrt(eigenvalues[j]);
      }
    }
    let trace = 0;
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) {
        let s = 0;
        for (let t = 0; t < r; t++) s += B[a * r + t] * B[b * r + t];
        S[a * K + b] = s / N;
      }
      trace += S[a * K + a];
    }
    leverages[i] = trace;
    const g = G.subarray(i * K, (i + 1) * K);
    // First order: ℓ_i + (1/N) gᵀ J H⁺ Jᵀ g = ℓ_i + gᵀ S g.
    let quad = 0;
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) quad += g[a] * S[a * K + b] * g[b];
    const base = lossTerms(evaluation.loss, f, targets, i * K, K);
    firstOrder[i] = base + quad;
    // M = I − Λ_i S_i; solve M y = g; Δf = S y.
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) {
        let s = 0;
        for (let c = 0; c < K; c++) s += Lambda[(i * K + a) * K + c] * S[c * K + b];
        M[a * K + b] = (a === b ? 1 : 0) - s;
      }
    }
    if (!solveInPlace(M, g, y, K)) {
      losses[i] = Infinity;
      singularCount++;
      continue;
    }
    for (let a = 0; a < K; a++) {
      let s = 0;
      for (let b = 0; b < K; b++) s += S[a * K + b] * y[b];
      shifted[a] = f[i * K + a] + s;
    }
    losses[i] = lossTerms(evaluation.loss, shifted, targets.subarray(i * K, (i + 1) * K), 0, K);
  }
  const mean = (a: Float64Array) => a.reduce((x, v) => x + v, 0) / a.length;
  return {
    losses,
    meanLoss: mean(losses),
    firstOrderLosses: firstOrder,
    firstOrderMeanLoss: mean(firstOrder),
    leverages,
    singularCount,
    tolerance: spectrum.tolerance,
  };
}

/**
 * Solves the K × K system M y = g, M = I − Λ S, by Gaussian elimination with partial pivoting (M is
 * overwritten). Returns false when a pivot is at most 1e-12·max(1, max|ΛS|): the LOO change would be amplified
 * by more than 1e12 (h_ii = 1 when a sample is interpolated alone), beyond what float64 can resolve.
 */
function solveInPlace(M: Float64Array, g: Float64Array, y: Float64Array, K: number): boolean {
  const rhs = Float64Array.from(g);
  let scale = 1;
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) scale = Math.max(scale, Math.abs(M[a * K + b] - (a === b ? 1 : 0)));
  for (let c = 0; c < K; c++) {
    let pivot = c;
    for (let rIdx = c + 1; rIdx < K; rIdx++) if (Math.abs(M[rIdx * K + c]) > Math.abs(M[pivot * K + c])) pivot = rIdx;
    if (Math.abs(M[pivot * K + c]) <= 1e-12 * scale) return false;
    if (pivot !== c) {
      for (let k = 0; k < K; k++) {
        const t = M[c * K + k];
        M[c * K + k] = M[pivot * K + k];
        M[pivot * K + k] = t;
      }
      const t = rhs[c];
      rhs[c] = rhs[pivot];
      rhs[pivot] = t;
    }
    for (let rIdx = c + 1; rIdx < K; rIdx++) {
      const factor = M[rIdx * K + c] / M[c * K + c];
      if (factor === 0) continue;
      for (let k = c; k < K; k++) M[rIdx * K + k] -= factor * M[c * K + k];
      rhs[rIdx] -= factor * rhs[c];
    }
  }
  for (let c = K - 1; c >= 0; c--) {
    let s = rhs[c];
    for (let k = c + 1; k < K; k++) s -= M[c * K + k] * y[k];
    y[c] = s / M[c * K + c];
  }
  return true;
}
