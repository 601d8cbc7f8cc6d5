import { numericalRank, symmetricEigenvalues, type NumericalRankResult, type TolerancePolicy } from '@intrinsic/spectra';
import { parameterCount, type Dataset, type Loss, type MlpSpec } from '@intrinsic/models';
import { hessianDecomposition, type DenseHessianOptions, type HessianDecomposition } from './dense-hessian.js';
import { predictHessianRanks, type HessianRanks, type RankPrediction } from './linear-rank-theory.js';

/** Measured spectrum and rank of one curvature matrix. */
export interface PartRank {
  rank: number;
  /** All eigenvalues, ascending. */
  eigenvalues: Float64Array;
  /** Smallest eigenvalue magnitude above the threshold (NaN when rank 0). */
  smallestNonzero: number;
  /** Largest eigenvalue magnitude. */
  largest: number;
  /** Largest magnitude counted as zero (NaN when full rank). */
  largestZero: number;
  threshold: number;
  toleranceDescription: string;
}

/** Result of {@link analyzeHessianRanks}. */
export interface HessianRankAnalysis {
  params: number;
  samples: number;
  /** r = rank(Σ x_i x_iᵀ), numerically (numpy rule). */
  dataRank: number;
  loss: Loss;
  rank: HessianRanks;
  parts: { hessian: PartRank; outer: PartRank; functional: PartRank };
  prediction: RankPrediction;
  tolerance: TolerancePolicy;
  /** ‖H − H_O − H_F‖_F / ‖H‖_F. */
  splitResidual: number;
  /** The mean loss at the parameters. */
  lossValue: number;
  /** The dense matrices, when `keepMatrices` was set. */
  matrices?: HessianDecomposition;
}

/** Options of {@link analyzeHessianRanks}. */
export interface RankAnalysisOptions extends DenseHessianOptions {
  /** Tolerance policy for all three ranks; numpy's rule by default. */
  tolerance?: TolerancePolicy;
  /** Keep H, H_O, H_F in the result. */
  keepMatrices?: boolean;
  /** Eigenvalue routine (ascending eigenvalues of a row-major n × n symmetric matrix). */
  eigenvalues?: (matrix: Float64Array, n: number) => Float64Array;
}

/**
 * r = rank(XᵀX) of the inputs (numpy tolerance), computed on the smaller of the d × d and N × N Gram
 * matrices. The d × d Gram matrix is accumulated row by row over each row's nonzero entries only (the
 * same sums in the same order, skipping exact zero terms), so sparse rows — patch matrices, the structural
 * matrices of the CNN rank theory, images with empty borders — cost (nonzeros)² instead of d².
 */
export function dataRank(data: Dataset): number {
  const { inputs: X, count: N, inputSize: d } = data;
  const n = Math.min(N, d);
  const G = new Float64Array(n * n);
  if (d <= N) {
    const nonzero = new Int32Array(d);
    for (let i = 0; i < N; i++) {
      const row = i * d;
      let k = 0;
      for (let a = 0; a < d; a++) if (X[row + a] !== 0) nonzero[k++] = a;
      for (let p = 0; p < k; p++) {
        const a = nonzero[p];
        const xa = X[row + a];
        for (let q = p; q < k; q++) G[a * d + nonzero[q]] += xa * X[row + nonzero[q]];
      }
    }
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) G[b * d + a] = G[a * d + b];
  } else {
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += X[i * d + a] * X[j * d + a];
      G[i * N + j] = s;
    }
  }
  return numericalRank(symmetricEigenvalues(G, n), n).rank;
}

/** The rank of one part (H, H_O or H_F) from its eigenvalues under a tolerance policy, with the figures around the cut. */
export function partRank(values: Float64Array, n: number, policy: TolerancePolicy): PartRank {
  const result: NumericalRankResult = numericalRank(values, n, policy);
  return {
    rank: result.rank,
    eigenvalues: values,
    smallestNonzero: result.smallestNonzero,
    largest: result.tolerance.maxMagnitude,
    largestZero: result.largestZero,
    threshold: result.tolerance.threshold,
    toleranceDescription: result.tolerance.description,
  };
}

/**
 * Exact ranks of H, H_O and H_F of an MLP's loss at given parameters and data: the three dense float64
 * matrices, all their eigenvalues, the numerical rank of each under one tolerance policy, and the
 * closed-form prediction where one applies (Singh et al., NeurIPS 2021).
 *
 * Cost: O(N p²) for the matrices and O(p³) for the three eigendecompositions; memory 3p² + 2NKp doubles,
 * checked against the budget first.
 */
export function analyzeHessianRanks(
  spec: MlpSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  options: RankAnalysisOptions = {},
): HessianRankAnalysis {
  const policy = options.tolerance ?? { kind: 'numpy' };
  const eig = options.eigenvalues ?? symmetricEigenvalues;
  const matrices = hessianDecomposition(spec, params, data, loss, options);
  const p = matrices.size;
  const parts = {} as HessianRankAnalysis['parts'];
  const names = ['hessian', 'outer', 'functional'] as const;
  names.forEach((name, index) => {
    options.onProgress?.(index, 3, 'eigenvalues');
    parts[name] = partRank(eig(matrices[name], p), p, policy);
  });
  options.onProgress?.(3, 3, 'eigenvalues');
  const r = dataRank(data);
  return {
    params: parameterCount(spec),
    samples: data.count,
    dataRank: r,
    loss,
    rank: { hessian: parts.hessian.rank, outer: parts.outer.rank, functional: parts.functional.rank },
    parts,
    prediction: predictHessianRanks(spec, r, loss),
    tolerance: policy,
    splitResidual: matrices.splitResidual,
    lossValue: matrices.lossValue,
    matrices: options.keepMatrices ? matrices : undefined,
  };
}

