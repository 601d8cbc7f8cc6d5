import { describe, expect, it } from 'vitest';
import { syntheticDataset } from './data.js';
import { initializeParameters } from './init.js';
import { MlpEvaluation } from './mlp-engine.js';
import { mlpSpec } from './spec.js';
import { trainMlp } from './train-mlp.js';

describe('trainMlp (float64)', () => {
  it('linear regression converges to the least-squares solution (normal equations, solved here by Gauss–Jordan)', () => {
    // f(x) = W x with W 1 × 3; least squares: W* = yᵀX (XᵀX)⁻¹.
    const spec = mlpSpec({ widths: [3, 1], seed: 4 });
    const data = syntheticDataset({ kind: 'gaussian', count: 40, inputSize: 3, outputSize: 1, seed: 6 });
    const { inputs: X, targets: y } = data;
    const A = [0, 1, 2].map((a) => [0, 1, 2].map((b) => X.reduce((s, _, i) => (i < 40 ? s + X[i * 3 + a] * X[i * 3 + b] : s), 0)));
    const rhs = [0, 1, 2].map((a) => y.reduce((s, yi, i) => s + X[i * 3 + a] * yi, 0));
    // Gauss–Jordan on [A | rhs].
    const M = A.map((row, i) => [...row, rhs[i]]);
    for (let c = 0; c < 3; c++) {
      const pivot = M[c][c];
      for (let j = c; j < 4; j++) M[c][j] /= pivot;
      for (let r = 0; r < 3; r++) if (r !== c) {
        const f = M[r][c];
        for (let j = c; j < 4; j++) M[r][j] -= f * M[c][j];
      }
    }
    const result = trainMlp(spec, initializeParameters(spec), data, 'mse', { optimizer: 'sgd', learningRate: 0.1, momentum: 0.5, epochs: 2000, targetGradientNorm: 1e-12 });
    expect(result.converged).toBe(true);
    for (let a = 0; a < 3; a++) expect(result.params[a]).toBeCloseTo(M[a][3], 10);
  });

  it('Adam with mini-batches fits a Gaussian mixture classifier, reproducibly for a seed', () => {
    const spec = mlpSpec({ widths: [5, 16, 3], activation: 'relu', bias: true, seed: 1 });
    const data = syntheticDataset({ kind: 'mixture', count: 120, inputSize: 5, outputSize: 3, seed: 2 });
    const initialLoss = new MlpEvaluation(spec, initializeParameters(spec), data, 'cross-entropy').value;
    const run = () => trainMlp(spec, initializeParameters(spec), data, 'cross-entropy', { epochs: 40, batchSize: 32, learningRate: 0.01, seed: 3 });
    const first = run();
    expect(first.loss).toBeLessThan(initialLoss / 5);
    expect(run().params).toEqual(first.params);
  });

  it('rejects a non-positive learning rate', () => {
    const spec = mlpSpec({ widths: [2, 1] });
    const data = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: 2, outputSize: 1, seed: 0 });
    expect(() => trainMlp(spec, initializeParameters(spec), data, 'mse', { epochs: 1, learningRate: -1 })).toThrow(/learning rate must be a positive number, got -1/);
  });
});
