import { describe, expect, it } from 'vitest';
import { MemoryBudgetError, NotPositiveDefiniteError } from '@intrinsic/spectra';
import { initializeParameters, mlpForward, mlpGradient, mlpSpec, parameterLayout, syntheticDataset } from '@intrinsic/models';
import { denseHessian } from '@intrinsic/hessian';
import { cholesky, choleskySolve } from './cholesky.js';
import { magnitudeSaliency } from './magnitude-saliency.js';
import { kfacFactors, kfacInverse } from './kfac-inverse.js';
import { obsPrune } from './obs-update.js';
import { obsSaliency } from './obs-saliency.js';
import { pruneOneShot } from './prune-one-shot.js';
import { selectPruningMask } from './pruning-mask.js';
import { smallMlp } from './__fixtures__/small-mlp.js';

/**
 * A linear model f(x) = W x + b with MSE: the loss is exactly quadratic in θ, with a constant positive
 * definite Hessian (N > d), so one Newton step θ* = θ − H⁻¹∇L lands on the minimum.
 */
function quadraticAtMinimum() {
  const spec = mlpSpec({ widths: [5, 3], activation: 'linear', bias: true, seed: 3 });
  const data = syntheticDataset({ kind: 'gaussian', count: 40, inputSize: 5, outputSize: 3, seed: 4 });
  const theta = initializeParameters(spec);
  const p = theta.length;
  const H = denseHessian(spec, theta, data, 'mse');
  const step = choleskySolve(cholesky(H, p), p, mlpGradient(spec, theta, data, 'mse'));
  const params = Float64Array.from(theta, (t, i) => t - step[i]);
  return { spec, data, params, p, H };
}

describe('pruneOneShot', () => {
  it('OBS on a quadratic loss at its minimum: removing one weight raises the loss by exactly its saliency (1e-10)', () => {
    const { spec, data, params } = quadraticAtMinimum();
    let gradientNorm = 0;
    for (const g of mlpGradient(spec, params, data, 'mse')) gradientNorm = Math.max(gradientNorm, Math.abs(g));
    expect(gradientNorm).toBeLessThan(1e-13);
    // 15 weights, sparsity 1/15 → round(1) = 1 pruned.
    const result = pruneOneShot(spec, params, data, 'mse', { method: 'obs', sparsity: 1 / 15, damping: 0 });
    const q = result.mask.indexOf(0);
    expect(result.sparsity.prunable.pruned).toBe(1);
    expect(result.params[q]).toBe(0);
    const increase = result.lossAfter - result.lossBefore;
    expect(Math.abs(increase - result.saliencies[q]) / result.saliencies[q]).toBeLessThan(1e-10);
    let minimum = Infinity;
    for (let i = 0; i < 15; i++) minimum = Math.min(minimum, result.saliencies[i]);
    expect(result.saliencies[q]).toBe(minimum);
    // Without the update (scale 0) the loss rises by ½ H_qq w_q² ≥ ρ_q (OBD on the same weight).
    const noUpdate = pruneOneShot(spec, params, data, 'mse', { method: 'obs', sparsity: 1 / 15, damping: 0, updateScale: 0 });
    expect(noUpdate.mask).toEqual(result.mask);
    expect(noUpdate.lossAfter - noUpdate.lossBefore).toBeGreaterThan(increase);
  });

  it('WoodFisher with one block of size p equals OBS on the dense empirical Fisher with the same λ (1e-10)', () => {
    const { spec, params, data, loss } = smallMlp(30);
    const common = { sparsity: 0.5, damping: 1e-3, gradients: 20 } as const;
    const obs = pruneOneShot(spec, params, data, loss, { ...common, method: 'obs', curvature: 'empirical-fisher' });
    for (const solver of ['recursion', 'closed-form'] as const) {
      const wood = pruneOneShot(spec, params, data, loss, { ...common, method: 'woodfisher', blockBoundaries: 'none', solver });
      for (let q = 0; q < params.length; q++) expect(Math.abs(wood.saliencies[q] - obs.saliencies[q])).toBeLessThan(1e-10 * obs.saliencies[q]);
      expect(wood.mask).toEqual(obs.mask);
      for (let q = 0; q < params.length; q++) expect(Math.abs(wood.params[q] - obs.params[q])).toBeLessThan(1e-10);
      expect(wood.details.gradients).toBe(20);
    }
  });

  it('kfac: saliencies and update are OBS with the K-FAC inverse of the first n samples', () => {
    const { spec, params, data, loss, p } = smallMlp(20);
    const result = pruneOneShot(spec, params, data, loss, { method: 'kfac', sparsity: 0.4, damping: 1e-2, gradients: 12, updateScale: 0.5 });
    const subset = { ...data, count: 12, inputs: data.inputs.slice(0, 48), targets: data.targets.slice(0, 24) };
    const inverse = kfacInverse(kfacFactors(spec, params, subset, loss), 1e-2, p);
    expect(Array.from(result.saliencies)).toEqual(Array.from(obsSaliency(params, inverse)));
    expect(Array.from(result.params)).toEqual(Array.from(obsPrune(params, inverse, result.mask, { updateScale: 0.5 })));
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'kfac', sparsity: 0.4, damping: 0 })).toThrow(/damping > 0/);
  });

  it('magnitude: the mask of selectPruningMask on w², params multiplied by it, biases untouched', () => {
    const { spec, params, data, loss } = smallMlp();
    const layout = parameterLayout(spec);
    for (const scope of ['global', 'layerwise'] as const) {
      const result = pruneOneShot(spec, params, data, loss, { method: 'magnitude', sparsity: 0.5, scope });
      expect(result.mask).toEqual(selectPruningMask(layout, magnitudeSaliency(params), { sparsity: 0.5, scope }));
      expect(Array.from(result.params)).toEqual(Array.from(params, (w, q) => (result.mask[q] ? w : 0)));
      const names = Object.fromEntries(result.sparsity.views.map((v) => [v.name, v.pruned]));
      expect(names.b1 + names.b2).toBe(0);
      if (scope === 'layerwise') expect([names.W1, names.W2]).toEqual([6, 3]);
      else expect(names.W1 + names.W2).toBe(9);
    }
  });

  it('keeps previously pruned weights pruned; random is seeded', () => {
    const { spec, params, data, loss } = smallMlp();
    const first = pruneOneShot(spec, params, data, loss, { method: 'random', sparsity: 0.3, seed: 1 });
    expect(pruneOneShot(spec, params, data, loss, { method: 'random', sparsity: 0.3, seed: 1 }).mask).toEqual(first.mask);
    const second = pruneOneShot(spec, first.params, data, loss, { method: 'obd', sparsity: 0.6, previousMask: first.mask });
    for (let q = 0; q < params.length; q++) if (first.mask[q] === 0) expect(second.mask[q]).toBe(0);
    expect(second.sparsity.prunable.pruned).toBe(Math.round(0.6 * 18));
  });

  it('obd with given diagonal values uses them: ρ_q = ½ d_q w_q²', () => {
    const { spec, params, data, loss, p } = smallMlp();
    const d = Float64Array.from({ length: p }, (_, q) => 1 + (q % 4));
    const result = pruneOneShot(spec, params, data, loss, { method: 'obd', sparsity: 0.5, hessianDiagonal: d });
    expect(Array.from(result.saliencies)).toEqual(Array.from(params, (w, q) => 0.5 * d[q] * w * w));
    expect(result.details.curvature).toBe('given Hessian diagonal');
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'obd', sparsity: 0.5, hessianDiagonal: new Float64Array(3) })).toThrow(/length 3, expected p = 23/);
  });

  it('reports top-1 and top-5 accuracy from the forward outputs for labelled data', () => {
    const spec = mlpSpec({ widths: [4, 8, 7], activation: 'relu', bias: true, seed: 5 });
    const data = syntheticDataset({ kind: 'mixture', count: 50, inputSize: 4, outputSize: 7, seed: 6 });
    const params = initializeParameters(spec);
    const result = pruneOneShot(spec, params, data, 'cross-entropy', { method: 'diagonal-fisher', sparsity: 0.4 });
    const argmaxAccuracy = (theta: Float64Array) => {
      const f = mlpForward(spec, theta, data);
      let correct = 0;
      for (let i = 0; i < 50; i++) {
        let best = 0;
        for (let k = 1; k < 7; k++) if (f[i * 7 + k] > f[i * 7 + best]) best = k;
        if (best === data.labels![i]) correct++;
      }
      return correct / 50;
    };
    expect(result.accuracyBefore!.top1).toBe(argmaxAccuracy(params));
    expect(result.accuracyAfter!.top1).toBe(argmaxAccuracy(result.params));
    expect(result.accuracyBefore!.top5).toBeGreaterThanOrEqual(result.accuracyBefore!.top1);
    expect(result.timing.totalMs).toBeGreaterThanOrEqual(result.timing.saliencyMs);
  });

  it('refuses an indefinite dampened Hessian, an unknown method and blocks over the budget', () => {
    const { spec, params, data, loss } = smallMlp();
    // The tanh network's Hessian is indefinite (see the OBS fixture), so H + 1e-5 I is not positive definite.
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'obs', sparsity: 0.5 })).toThrow(NotPositiveDefiniteError);
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'obs', sparsity: 0.5 })).toThrow(/raise damping/);
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'foo' as never, sparsity: 0.5 })).toThrow(/unknown method 'foo'/);
    // Per-sample gradients 10 × 23 need 1840 bytes (fit); one recursion block 23 × 23 needs 4232 (does not).
    const overBudget = () =>
      pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, solver: 'recursion', blockBoundaries: 'none', memoryBudgetBytes: 2000 });
    expect(overBudget).toThrow(MemoryBudgetError);
    expect(overBudget).toThrow(/woodFisherInverse with n = 10 gradients, p = 23, block size c = 23/);
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, memoryBudgetBytes: 1000 })).toThrow(
      /per-sample gradients 10 × 23 needs 1.8 KB/,
    );
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, gradients: 11 })).toThrow(/1…10/);
    // OBS holds 4 dense 23 × 23 matrices: 16.9 KB.
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'obs', sparsity: 0.5, damping: 10, memoryBudgetBytes: 16000 })).toThrow(
      /OBS with a dense 23 × 23 inverse \(4 matrices\) needs 16.9 KB/,
    );
  });
});
