import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, InvalidArgumentError } from '@intrinsic/spectra';
import { MlpEvaluation, type Dataset, type HessianPart, type Loss, type MlpSpec } from '@intrinsic/models';
import { multiplyTransposed } from './assembly/multiply-transposed.js';
import { structuredCurvature } from './assembly/structured-curvature.js';

/** Progress callback: `done` of `total` units of work finished. */
export type ProgressCallback = (done: number, total: number, stage: string) => void;

/** Options shared by the dense Hessian builders. */
export interface DenseHessianOptions {
  /** Budget for the dense allocations in bytes (default 4 GiB); checked before allocating. */
  memoryBudgetBytes?: number;
  onProgress?: ProgressCallback;
  /**
   * How the dense matrices are built: `structured` (default) assembles each layer block from per-sample
   * factors ({@link structuredCurvature}, about N p²/4 multiply–adds); `products` takes p exact
   * curvature–vector products ({@link denseCurvature}, the R-operator reference, ~3N p² and slower).
   */
  assembly?: 'structured' | 'products';
}

/** The three dense matrices of SCIENCE.md §1, each p × p row-major. */
export interface HessianDecomposition {
  /** Parameter count p. */
  size: number;
  /** H, the loss Hessian (from the full second-order recursion G_L = Λ, or from full R-operator products). */
  hessian: Float64Array;
  /** H_O = (1/N) Σ_i J_iᵀ Λ_i J_i (from the Gauss–Newton recursion, or from the per-sample Jacobians). */
  outer: Float64Array;
  /** H_F = (1/N) Σ_i Σ_k g_ik ∇²f_k(x_i) (from the functional recursion G_L = 0, or the functional R-operator). */
  functional: Float64Array;
  /** ‖H − H_O − H_F‖_F / ‖H‖_F: the check that the split is exact (≈ 1e-16 in float64). */
  splitResidual: number;
  /** Mean loss at the parameters. */
  lossValue: number;
}

/** Bytes needed by {@link hessianDecomposition} for p parameters, N samples, K outputs. */
export function denseHessianMemoryBytes(p: number, count: number, outputs: number): number {
  return 8 * (3 * p * p + 2 * count * outputs * p);
}

function checkBudget(p: number, count: number, outputs: number, options: DenseHessianOptions): void {
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  assertMemoryBudget(
    denseHessianMemoryBytes(p, count, outputs) / 8,
    `the dense Hessian of p = ${p} parameters (3 matrices ${p} × ${p} and Jacobians ${count * outputs} × ${p})`,
    budget,
    'use Hessian-vector products and Lanczos (intrinsic spectrum) for a model this size',
  );
}

function symmetrize(A: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (A[i * n + j] + A[j * n + i]);
      A[i * n + j] = m;
      A[j * n + i] = m;
    }
  }
}

/**
 * Dense matrix of a curvature part by p exact curvature–vector products, H e_j for j = 1 … p (column j
 * is the product with the j-th unit vector), then symmetrised. O(N p²) time, p² memory.
 */
export function denseCurvature(evaluation: MlpEvaluation, part: HessianPart, options: DenseHessianOptions = {}): Float64Array {
  const p = evaluation.layout.size;
  const H = new Float64Array(p * p);
  const e = new Float64Array(p);
  const column = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e[j] = 1;
    evaluation.curvatureProduct(e, part, column);
    e[j] = 0;
    for (let i = 0; i < p; i++) H[i * p + j] = column[i];
    if (options.onProgress && (j % 64 === 63 || j === p - 1)) options.onProgress(j + 1, p, `${part === 'full' ? 'H' : part === 'outer' ? 'H_O' : part === 'functional' ? 'H_F' : 'F'} columns`);
  }
  symmetrize(H, p);
  return H;
}

/**
 * H_O = (1/N) Jᵀ Λ J from the stacked per-sample output Jacobians J ((N·K) × p) and the loss Hessians Λ_i
 * (block-diagonal Λ): ΛJ is formed sample by sample, then the upper triangle of Jᵀ(ΛJ) is computed as
 * dot products over the N·K rows by the register-blocked kernel of the structured assembly and mirrored.
 * This is the Jacobian route, independent of {@link structuredCurvature}'s Gauss–Newton recursion.
 * O(N K p²/2 + N K² p) time, 2NKp + p² memory.
 */
export function outerProductHessian(evaluation: MlpEvaluation, jacobian?: Float64Array): Float64Array {
  const p = evaluation.layout.size;
  const N = evaluation.count;
  const K = evaluation.outputSize;
  const J = jacobian ?? evaluation.outputJacobian();
  if (J.length !== N * K * p) throw new InvalidArgumentError(`outerProductHessian: jacobian has ${J.length} entries, expected N·K·p = ${N * K * p}`);
  const Lambda = evaluation.outputHessians;
  const rowsJ = N * K;
  // Column-major copies (p × NK): Jᵀ and (ΛJ)ᵀ / N, so that the kernel reads contiguous rows.
  const Jt = new Float64Array(p * rowsJ);
  const LJt = new Float64Array(p * rowsJ);
  for (let s = 0; s < rowsJ; s++) for (let c = 0; c < p; c++) Jt[c * rowsJ + s] = J[s * p + c];
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < K; a++) {
      const s = i * K + a;
      for (let b = 0; b < K; b++) {
        const lab = Lambda[(i * K + a) * K + b] / N;
        if (lab === 0) continue;
        const t = i * K + b;
        for (let c = 0; c < p; c++) LJt[c * rowsJ + s] += lab * Jt[c * rowsJ + t];
      }
    }
  }
  const H = new Float64Array(p * p);
  multiplyTransposed({ a: Jt, aOffset: 0, rows: p, b: LJt, bOffset: 0, cols: p, n: rowsJ, c: H, cOffset: 0, cStride: p, upperOnly: true });
  for (let r = 1; r < p; r++) for (let c = 0; c < r; c++) H[r * p + c] = H[c * p + r];
  return H;
}

/**
 * The dense Hessian of the mean loss and its two parts, each computed independently so that
 * H = H_O + H_F is a check (SCIENCE.md §1; Singh et al., NeurIPS 2021).
 *
 * By default ({@link DenseHessianOptions.assembly} `structured`) each matrix is assembled from its own
 * per-sample backward recursion over the pre-activations ({@link structuredCurvature}): H from
 * G_L = Λ with the activation-curvature terms, H_O from G_L = Λ without them, H_F from G_L = 0 with them;
 * about 3 · N p²/4 multiply–adds. With `products`: H from p full R-operator products, H_O from the
 * Jacobians, H_F from p functional R-operator products (~7 N p²).
 *
 * @throws MemoryBudgetError before any large allocation when 3p² + 2NKp doubles exceed the budget.
 */
export function hessianDecomposition(
  spec: MlpSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  options: DenseHessianOptions = {},
): HessianDecomposition {
  const K = spec.widths[spec.widths.length - 1];
  let p = 0;
  for (let l = 1; l < spec.widths.length; l++) p += spec.widths[l] * (spec.widths[l - 1] + (spec.bias ? 1 : 0));
  checkBudget(p, data.count, K, options);
  const evaluation = new MlpEvaluation(spec, params, data, loss);
  let hessian: Float64Array;
  let outer: Float64Array;
  let functional: Float64Array;
  if (options.assembly === 'products') {
    hessian = denseCurvature(evaluation, 'full', options);
    options.onProgress?.(0, 1, 'H_O from Jacobians');
    outer = outerProductHessian(evaluation);
    options.onProgress?.(1, 1, 'H_O from Jacobians');
    functional = denseCurvature(evaluation, 'functional', options);
  } else {
    const structured = { memoryBudgetBytes: options.memoryBudgetBytes, onProgress: options.onProgress };
    hessian = structuredCurvature(evaluation, 'full', structured);
    outer = structuredCurvature(evaluation, 'outer', structured);
    functional = structuredCurvature(evaluation, 'functional', structured);
  }
  return { size: p, hessian, outer, functional, splitResidual: splitResidual(hessian, outer, functional), lossValue: evaluation.value };
}

/**
 * ‖H − H_O − H_F‖_F / ‖H‖_F (absolute when H = 0): the check that three independently computed matrices
 * satisfy the Gauss–Newton split H = H_O + H_F (Singh, Bachmann & Hofmann, NeurIPS 2021, eq. 2).
 */
export function splitResidual(hessian: Float64Array, outer: Float64Array, functional: Float64Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < hessian.length; i++) {
    const d = hessian[i] - outer[i] - functional[i];
    diff += d * d;
    norm += hessian[i] * hessian[i];
  }
  return norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff);
}

/**
 * The dense Hessian H only: by default assembled from the layer structure ({@link structuredCurvature},
 * about N p²/4 multiply–adds, p² memory plus small work arrays, checked against the budget first); with
 * `assembly: 'products'` from p exact Hessian-vector products (checked as p² doubles).
 * @throws MemoryBudgetError before allocating when the matrix does not fit the budget.
 */
export function denseHessian(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options: DenseHessianOptions = {}): Float64Array {
  const evaluation = new MlpEvaluation(spec, params, data, loss);
  if (options.assembly === 'products') {
    const p = evaluation.layout.size;
    assertMemoryBudget(p * p, `the dense Hessian of p = ${p} parameters (${p} × ${p})`, options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES, 'use Hessian-vector products and Lanczos (intrinsic spectrum) for a model this size');
    return denseCurvature(evaluation, 'full', options);
  }
  return structuredCurvature(evaluation, 'full', { memoryBudgetBytes: options.memoryBudgetBytes, onProgress: options.onProgress });
}

/**
 * A block of a dense p × p matrix: rows `rows`, columns `columns` (index lists), as a new row-major
 * matrix rows.length × columns.length.
 */
export function matrixBlock(matrix: Float64Array, size: number, rows: ArrayLike<number>, columns: ArrayLike<number>): Float64Array {
  if (matrix.length !== size * size) throw new InvalidArgumentError(`matrixBlock: matrix has ${matrix.length} entries, expected ${size}²`);
  const out = new Float64Array(rows.length * columns.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < size)) throw new InvalidArgumentError(`matrixBlock: row index ${r} outside 0…${size - 1}`);
    for (let j = 0; j < columns.length; j++) out[i * columns.length + j] = matrix[r * size + columns[j]];
  }
  return out;
}
