import { describe, expect, it } from 'vitest';
import { MlpEvaluation, initializeParameters, mlpSpec, syntheticDataset, type Activation, type Loss } from '@intrinsic/models';
import { MemoryBudgetError, numericalRank, symmetricEigenvalues } from '@intrinsic/spectra';
import { outerProductHessian } from '../dense-hessian.js';
import { lossHessianFactors, outerGramMatrix, outerRankViaGram } from './outer-rank-via-gram.js';

interface Network {
  widths: number[];
  activation: Activation;
  bias: boolean;
  loss: Loss;
  count: number;
}

function evaluate({ widths, activation, bias, loss, count }: Network): MlpEvaluation {
  const spec = mlpSpec({ widths, activation, bias, seed: 7 });
  const params = initializeParameters(spec);
  for (let i = 0; i < params.length; i++) params[i] += 0.1 * Math.cos(2 * i + 1);
  const data = syntheticDataset({
    kind: loss === 'mse' ? 'gaussian' : 'gaussian-classes',
    count,
    inputSize: widths[0],
    outputSize: widths[widths.length - 1],
    seed: 4,
  });
  return new MlpEvaluation(spec, params, data, loss);
}

describe('lossHessianFactors', () => {
  it.each(['mse', 'cross-entropy'] as const)('F_iᵀ F_i = Λ_i for %s', (loss) => {
    const evaluation = evaluate({ widths: [3, 4, 5], activation: 'tanh', bias: true, loss, count: 6 });
    const F = lossHessianFactors(evaluation);
    const Lambda = evaluation.outputHessians;
    const K = 5;
    let worst = 0;
    for (let i = 0; i < 6; i++) {
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += F[(i * K + k) * K + a] * F[(i * K + k) * K + b];
        worst = Math.max(worst, Math.abs(s - Lambda[(i * K + a) * K + b]));
      }
    }
    expect(worst).toBeLessThan(1e-15);
  });
});

describe('outerGramMatrix', () => {
  it('equals (1/N) Λ^{1/2} J Jᵀ Λ^{1/2}ᵀ built from the explicit Jacobian', () => {
    const evaluation = evaluate({ widths: [4, 6, 5, 3], activation: 'softplus', bias: true, loss: 'cross-entropy', count: 5 });
    const J = evaluation.outputJacobian();
    const F = lossHessianFactors(evaluation);
    const N = 5;
    const K = 3;
    const p = evaluation.layout.size;
    const n = N * K;
    const B = new Float64Array(n * p); // rows F_i J_i
    for (let i = 0; i < N; i++) for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) {
      const f = F[(i * K + a) * K + b];
      for (let c = 0; c < p; c++) B[(i * K + a) * p + c] += f * J[(i * K + b) * p + c];
    }
    const gram = outerGramMatrix(evaluation);
    let d = 0;
    let norm = 0;
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += B[r * p + t] * B[c * p + t];
      d += (gram[r * n + c] - s / N) ** 2;
      norm += (s / N) ** 2;
    }
    expect(Math.sqrt(d / norm)).toBeLessThan(1e-13);
  });

  it('refuses a Gram matrix over the memory budget', () => {
    const evaluation = evaluate({ widths: [3, 4, 2], activation: 'tanh', bias: false, loss: 'mse', count: 10 });
    expect(() => outerGramMatrix(evaluation, { memoryBudgetBytes: 1000 })).toThrow(MemoryBudgetError);
  });
});

describe('outerRankViaGram agrees with the p × p route', () => {
  const networks: Network[] = [
    // Public linear case (SCIENCE.md §2): d = 8, hidden [5], K = 3 → rank H_O = q(r + K − q) = 24 for any N ≥ d
    // (r = 8); N = 15 instead of 20 so that N·K = 45 < p = 55.
    { widths: [8, 5, 3], activation: 'linear', bias: false, loss: 'mse', count: 15 },
    { widths: [6, 10, 10, 4], activation: 'linear', bias: false, loss: 'mse', count: 12 },
    { widths: [5, 12, 4], activation: 'tanh', bias: true, loss: 'mse', count: 9 },
    { widths: [5, 12, 4], activation: 'tanh', bias: false, loss: 'cross-entropy', count: 9 },
    { widths: [4, 8, 6, 3], activation: 'relu', bias: true, loss: 'cross-entropy', count: 10 },
    { widths: [4, 7, 5, 6, 3], activation: 'gelu', bias: false, loss: 'mse', count: 8 },
  ];
  it.each(networks)('$widths $activation bias=$bias $loss N=$count', (network) => {
    const evaluation = evaluate(network);
    const p = evaluation.layout.size;
    const n = network.count * network.widths[network.widths.length - 1];
    expect(n).toBeLessThan(p);
    const dense = symmetricEigenvalues(outerProductHessian(evaluation), p);
    const denseRank = numericalRank(dense, p).rank;
    const viaGram = outerRankViaGram(evaluation);
    expect(viaGram.rank).toBe(denseRank);
    expect([viaGram.order, viaGram.gramOrder]).toEqual([p, n]);
    if (network.widths.length === 3 && network.activation === 'linear') expect(viaGram.rank).toBe(24);
    // Non-zero eigenvalues: the top `rank` of each list, ascending.
    const lambdaMax = dense[p - 1];
    expect(viaGram.largest / lambdaMax - 1).toBeLessThan(1e-12);
    let worst = 0;
    for (let t = 1; t <= denseRank; t++) worst = Math.max(worst, Math.abs(viaGram.eigenvalues[n - t] - dense[p - t]) / lambdaMax);
    expect(worst).toBeLessThan(1e-10);
  });
});
