import {
  assertMemoryBudget,
  DEFAULT_MEMORY_BUDGET_BYTES,
  numericalRank,
  symmetricEigenvalues,
  UnsupportedError,
  type TolerancePolicy,
} from '@intrinsic/spectra';
import type { MlpEvaluation } from '@intrinsic/models';
import { layerGeometry } from './curvature-factors.js';
import { multiplyTransposed } from './multiply-transposed.js';

/** Options of {@link outerGramMatrix}. */
export interface OuterGramOptions {
  /** Budget for the (N·K) × (N·K) matrix and its work arrays, in bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/** Options of {@link outerRankViaGram}. */
export interface OuterRankViaGramOptions extends OuterGramOptions {
  /** Eigenvalue routine (ascending eigenvalues of a row-major n × n symmetric matrix); spectra's by default. */
  eigenvalues?: (matrix: Float64Array, n: number) => Float64Array;
}

/** Result of {@link outerRankViaGram}. */
export interface OuterGramRank {
  /** rank(H_O). */
  rank: number;
  /** All N·K eigenvalues of the Gram matrix, ascending: the non-zero eigenvalues of H_O, then zeros. */
  eigenvalues: Float64Array;
  /** N·K, the order of the Gram matrix. */
  gramOrder: number;
  /** p, the order of H_O, used in the tolerance (numpy: σ_max · p · ε) so the rank matches the p × p route. */
  order: number;
  threshold: number;
  toleranceDescription: string;
  /** Largest eigenvalue magnitude (= λ_max(H_O)). */
  largest: number;
  /** Smallest magnitude above the threshold (NaN when the rank is 0). */
  smallestNonzero: number;
  /** Largest magnitude counted as zero (NaN when all N·K are above the threshold). */
  largestZero: number;
}

/**
 * A factor F_i with F_iᵀ F_i = Λ_i for every sample, K × K row-major per sample (N × K × K).
 * MSE: Λ = I, F = I. Softmax cross-entropy: Λ = m (diag(π) − ππᵀ) with π = softmax(f), m = Σ_k y_k; with
 * s = √π (‖s‖ = 1) and the projector P = I − s sᵀ, Λ = m D P D = (√m P D)ᵀ(√m P D), D = diag(s).
 */
export function lossHessianFactors(evaluation: MlpEvaluation): Float64Array {
  const N = evaluation.count;
  const K = evaluation.outputSize;
  const F = new Float64Array(N * K * K);
  if (evaluation.loss === 'mse') {
    for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) F[(i * K + k) * K + k] = 1;
    return F;
  }
  if (evaluation.loss !== 'cross-entropy') throw new UnsupportedError(`lossHessianFactors: no factor for loss '${String(evaluation.loss)}'`);
  const f = evaluation.outputs;
  const y = evaluation.data.targets;
  const s = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, f[i * K + k]);
    let sum = 0;
    let mass = 0;
    for (let k = 0; k < K; k++) {
      s[k] = Math.exp(f[i * K + k] - max);
      sum += s[k];
      mass += y[i * K + k];
    }
    for (let k = 0; k < K; k++) s[k] = Math.sqrt(s[k] / sum);
    const root = Math.sqrt(mass);
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) F[(i * K + a) * K + b] = root * ((a === b ? 1 : 0) - s[a] * s[b]) * s[b];
    }
  }
  return F;
}

/**
 * The (N·K) × (N·K) Gram matrix (1/N) Λ^{1/2} J Jᵀ Λ^{1/2}ᵀ of the outer-product Hessian
 * H_O = (1/N) Jᵀ Λ J: with J the stacked per-sample output Jacobians and Λ^{1/2} = blockdiag(F_i)
 * ({@link lossHessianFactors}), H_O = BᵀB and the Gram matrix = B Bᵀ for B = N^{−1/2} Λ^{1/2} J, so
 * both have the same non-zero eigenvalues (the kernel trick of the empirical NTK).
 *
 * J is never formed: row (i, k) of J restricted to layer l is u_{ikl} ⊗ ã_{i,l−1}, with u_{ikl} = ∂f_k/∂z_l
 * at sample i and ã = (a, 1) with a bias, so
 *   (J Jᵀ)[(i,k), (i′,k′)] = Σ_l (u_{ikl} · u_{i′k′l}) (ã_{i,l−1} · ã_{i′,l−1}),
 * and F is applied to the u's first. Cost O(Σ_l N²K² M_l + N² M_{l−1}) multiply–adds, (N·K)² memory:
 * cheaper than H_O's p² whenever N·K < p.
 *
 * @throws MemoryBudgetError when 2 (N·K)² + N² doubles exceed the budget.
 */
export function outerGramMatrix(evaluation: MlpEvaluation, options: OuterGramOptions = {}): Float64Array {
  const N = evaluation.count;
  const K = evaluation.outputSize;
  const n = N * K;
  assertMemoryBudget(
    2 * n * n + N * N,
    `the outer-product Gram matrix of N·K = ${n} rows (${n} × ${n})`,
    options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
    'use fewer samples, or the dense H_O when p < N·K',
  );
  const layers = layerGeometry(evaluation);
  const L = layers.length;
  const W = evaluation.params;
  const F = lossHessianFactors(evaluation);
  // U_L = F_i (rows k: the F-weighted ∂f/∂z_L); U_l = U_{l+1} W_{l+1} D′_l. Stored as (N·K) × M_l.
  let U = new Float64Array(n * K);
  U.set(F);
  const gram = new Float64Array(n * n);
  const layerGram = new Float64Array(n * n);
  const inputGram = new Float64Array(N * N);
  for (let l = L; l >= 1; l--) {
    const { fanIn: d, fanOut: M, biasOffset } = layers[l - 1];
    multiplyTransposed({ a: U, aOffset: 0, rows: n, b: U, bOffset: 0, cols: n, n: M, c: layerGram, cOffset: 0, cStride: n, upperOnly: true });
    const A = evaluation.layerActivations(l - 1);
    multiplyTransposed({ a: A, aOffset: 0, rows: N, b: A, bOffset: 0, cols: N, n: d, c: inputGram, cOffset: 0, cStride: N, upperOnly: true });
    const one = biasOffset >= 0 ? 1 : 0;
    for (let r = 0; r < n; r++) {
      const i = (r / K) | 0;
      for (let c = r; c < n; c++) {
        const i2 = (c / K) | 0;
        gram[r * n + c] += layerGram[r * n + c] * (inputGram[i * N + i2] + one);
      }
    }
    if (l > 1) {
      const { weightOffset } = layers[l - 1]; // W_l: M × d, d = M_{l−1}
      const s1 = evaluation.activationFirstDerivatives(l - 1);
      const next = new Float64Array(n * d);
      for (let r = 0; r < n; r++) {
        const i = (r / K) | 0;
        for (let o = 0; o < M; o++) {
          const x = U[r * M + o];
          if (x === 0) continue;
          const row = weightOffset + o * d;
          for (let j = 0; j < d; j++) next[r * d + j] += x * W[row + j];
        }
        for (let j = 0; j < d; j++) next[r * d + j] *= s1[i * d + j];
      }
      U = next;
    }
  }
  const scale = 1 / N;
  for (let r = 0; r < n; r++) {
    gram[r * n + r] *= scale;
    for (let c = r + 1; c < n; c++) {
      const v = gram[r * n + c] * scale;
      gram[r * n + c] = v;
      gram[c * n + r] = v;
    }
  }
  return gram;
}

/**
 * rank(H_O) and the non-zero spectrum of H_O from the (N·K) × (N·K) Gram matrix
 * ({@link outerGramMatrix}) instead of the p × p matrix: the cheaper route when N·K < p.
 *
 * The tolerance uses p, the order of H_O, not N·K: numpy's rule is σ_max · p · ε, exactly the threshold
 * the p × p route applies to the same σ_max, so both routes count the same eigenvalues whenever no
 * eigenvalue lies within rounding of the threshold. Cost O(N²K² Σ M_l) for the matrix and O((N·K)³)
 * for its eigenvalues, against O(p³) for the dense route.
 *
 * @param evaluation - the float64 engine at the parameters and data.
 * @param policy - tolerance policy (numpy by default), as for the dense ranks.
 * @throws MemoryBudgetError when the Gram matrix does not fit the budget.
 */
export function outerRankViaGram(
  evaluation: MlpEvaluation,
  policy: TolerancePolicy = { kind: 'numpy' },
  options: OuterRankViaGramOptions = {},
): OuterGramRank {
  const gram = outerGramMatrix(evaluation, options);
  const n = evaluation.count * evaluation.outputSize;
  const p = evaluation.layout.size;
  const values = (options.eigenvalues ?? symmetricEigenvalues)(gram, n);
  const result = numericalRank(values, p, policy);
  return {
    rank: result.rank,
    eigenvalues: values,
    gramOrder: n,
    order: p,
    threshold: result.tolerance.threshold,
    toleranceDescription: result.tolerance.description,
    largest: result.tolerance.maxMagnitude,
    smallestNonzero: result.smallestNonzero,
    largestZero: result.largestZero,
  };
}
