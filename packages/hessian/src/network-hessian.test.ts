import { describe, expect, it } from 'vitest';
import { lanczosEigenpairs, numericalRank, symmetricEigenvalues } from '@intrinsic/spectra';
import { convolutionMatrix, initializeNetworkParameters, initializeParameters, mlpAsNetworkSpec, mlpSpec, NetworkEvaluation, networkSpec, syntheticDataset, type LayerSpec } from '@intrinsic/models';
import { hessianDecomposition } from './dense-hessian.js';
import { analyzeNetworkHessianRanks, networkCurvatureOperator, networkHessianDecomposition } from './network-hessian.js';
import { analyzeHessianRanks } from './rank-analysis.js';

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / Math.max(n, 1e-300));
}

/** Pᵀ A P for A (m × m) and P (m × p), row-major. */
function congruence(A: Float64Array, P: Float64Array, m: number, p: number): Float64Array {
  const AP = new Float64Array(m * p);
  for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) {
    const a = A[i * m + k];
    if (a === 0) continue;
    for (let j = 0; j < p; j++) AP[i * p + j] += a * P[k * p + j];
  }
  const out = new Float64Array(p * p);
  for (let k = 0; k < m; k++) for (let i = 0; i < p; i++) {
    const pki = P[k * p + i];
    if (pki === 0) continue;
    for (let j = 0; j < p; j++) out[i * p + j] += pki * AP[k * p + j];
  }
  return out;
}

describe('networkHessianDecomposition', () => {
  it('a one-hidden-conv-layer linear CNN: H, H_O, H_F are the MLP matrices pulled back through the Toeplitz map, and their ranks follow', () => {
    // f(x) = W₂ T(w) x: conv1d (2 filters, kernel 3) on a length-8 signal, then a dense layer to K = 3.
    const d = 8;
    const conv: LayerSpec = { type: 'conv1d', filters: 2, kernel: 3 };
    const spec = networkSpec({ input: [1, d], layers: [conv, { type: 'flatten' }, { type: 'dense', units: 3 }], seed: 1 });
    const params = initializeNetworkParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian', count: 20, inputSize: d, outputSize: 3, seed: 4 });
    const cnn = networkHessianDecomposition(spec, params, data, 'mse');
    const p = cnn.size; // 2·3 + 3·12 = 42
    expect(p).toBe(42);
    expect(cnn.splitResidual).toBeLessThan(1e-14);

    // The same function as an MLP 8-12-3 with W₁ = T(w). θ_mlp = P θ_cnn is linear, so each curvature
    // matrix of the CNN is Pᵀ (MLP matrix) P, the MLP matrices coming from the structured assembly.
    const kernelSize = 6;
    const hidden = 12;
    const T = convolutionMatrix(conv, [1, d], params.subarray(0, kernelSize));
    const m = hidden * d + 3 * hidden;
    const mlpParams = new Float64Array(m);
    mlpParams.set(T.values, 0);
    mlpParams.set(params.subarray(kernelSize), hidden * d);
    const P = new Float64Array(m * p);
    for (let j = 0; j < kernelSize; j++) {
      const unit = new Float64Array(kernelSize);
      unit[j] = 1;
      const Tj = convolutionMatrix(conv, [1, d], unit).values;
      for (let r = 0; r < Tj.length; r++) P[r * p + j] = Tj[r];
    }
    for (let j = 0; j < 3 * hidden; j++) P[(hidden * d + j) * p + kernelSize + j] = 1;
    const mlp = hessianDecomposition(mlpSpec({ widths: [d, hidden, 3], activation: 'linear', bias: false }), mlpParams, data, 'mse');
    expect(mlp.lossValue).toBeCloseTo(cnn.lossValue, 13);
    const pairs = [
      [cnn.hessian, mlp.hessian],
      [cnn.outer, mlp.outer],
      [cnn.functional, mlp.functional],
    ] as const;
    const ranks = pairs.map(([mine, reference]) => {
      const pulled = congruence(reference, P, m, p);
      expect(relativeError(mine, pulled)).toBeLessThan(1e-12);
      const rank = numericalRank(symmetricEigenvalues(mine, p), p).rank;
      expect(rank).toBe(numericalRank(symmetricEigenvalues(pulled, p), p).rank);
      return rank;
    });
    // rank(H_O) = rank(J) ≤ N·K and the parameters are redundant to second order: rank(H) < p.
    expect(ranks[1]).toBeLessThanOrEqual(p);
    expect(ranks[0]).toBeLessThan(p);
  });

  it('checks the memory budget first', () => {
    const spec = networkSpec({ input: [1, 8], layers: [{ type: 'conv1d', filters: 2, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }] });
    const data = syntheticDataset({ kind: 'gaussian', count: 5, inputSize: 8, outputSize: 3, seed: 0 });
    expect(() => networkHessianDecomposition(spec, initializeNetworkParameters(spec), data, 'mse', { memoryBudgetBytes: 1000 })).toThrow(/3 matrices 42 × 42.*over the budget/);
  });
});

describe('networkCurvatureOperator', () => {
  it('Lanczos on the matrix-free Hessian of a small non-linear CNN finds the top eigenvalues of the dense matrix', () => {
    const spec = networkSpec({
      input: [1, 6, 6],
      bias: true,
      seed: 3,
      layers: [{ type: 'conv2d', filters: 2, kernel: 3, padding: 'same' }, { type: 'activation', activation: 'tanh' }, { type: 'maxpool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }],
    });
    const params = initializeNetworkParameters(spec);
    const data = syntheticDataset({ kind: 'mixture', count: 12, inputSize: 36, outputSize: 3, seed: 1 });
    const dense = networkHessianDecomposition(spec, params, data, 'cross-entropy');
    const eigenvalues = symmetricEigenvalues(dense.hessian, dense.size);
    const op = networkCurvatureOperator(new NetworkEvaluation(spec, params, data, 'cross-entropy'), 'full');
    const result = lanczosEigenpairs(op, { k: 3, seed: 5 });
    expect(result.allConverged).toBe(true);
    for (let j = 0; j < 3; j++) expect(result.values[j]).toBeCloseTo(eigenvalues[dense.size - 1 - j], 9);
  });
});

describe('analyzeNetworkHessianRanks', () => {
  it('an MLP written as a network has the ranks and eigenvalues of the MLP engine', () => {
    const mlp = mlpSpec({ widths: [5, 4, 3], activation: 'tanh', bias: true, seed: 2 });
    const params = initializeParameters(mlp);
    const data = syntheticDataset({ kind: 'gaussian', count: 6, inputSize: 5, outputSize: 3, seed: 3 });
    const reference = analyzeHessianRanks(mlp, params, data, 'mse');
    const analysis = analyzeNetworkHessianRanks(mlpAsNetworkSpec(mlp), params, data, 'mse');
    expect(analysis.rank).toEqual(reference.rank);
    expect(analysis.dataRank).toBe(reference.dataRank);
    expect(relativeError(analysis.parts.hessian.eigenvalues, reference.parts.hessian.eigenvalues)).toBeLessThan(1e-10);
    expect(analysis.prediction.applies).toBe(false);
  });

  it('a CNN with MSE: rank H_O = rank of the stacked output Jacobian J (H_O = JᵀJ/N), computed from J directly', () => {
    const spec = networkSpec({
      input: [1, 6, 6],
      layers: [
        { type: 'conv2d', filters: 2, kernel: 3 },
        { type: 'activation', activation: 'tanh' },
        { type: 'maxpool', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
      seed: 1,
    });
    const params = initializeNetworkParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian', count: 4, inputSize: 36, outputSize: 2, seed: 5 });
    const analysis = analyzeNetworkHessianRanks(spec, params, data, 'mse');
    const J = new NetworkEvaluation(spec, params, data, 'mse').outputJacobian();
    const rows = 8;
    const p = analysis.params;
    // rank J = rank of the rows × rows Gram matrix J Jᵀ (numpy rule).
    const gram = new Float64Array(rows * rows);
    for (let a = 0; a < rows; a++) for (let b = 0; b < rows; b++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += J[a * p + j] * J[b * p + j];
      gram[a * rows + b] = s;
    }
    expect(analysis.rank.outer).toBe(numericalRank(symmetricEigenvalues(gram, rows), rows).rank);
    expect(analysis.rank.outer).toBe(8);
    expect(analysis.rank.hessian).toBeGreaterThanOrEqual(analysis.rank.outer - analysis.rank.functional);
  });
});
