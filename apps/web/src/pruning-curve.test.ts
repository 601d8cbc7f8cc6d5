import { describe, expect, it } from 'vitest';
import { initializeParameters, mlpSpec, syntheticDataset, trainMlp } from '@intrinsic/models';
import { pruneOneShot } from '@intrinsic/pruning';
import { DEFAULT_PAGE_STATE, type PageState } from './page-state.js';
import { PANEL_SPARSITIES, PANEL_WOODFISHER_DAMPING, pruningCurve } from './pruning-curve.js';

describe('pruningCurve (the pruning panel computation)', () => {
  const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [6, 8, 3], samples: 30, loss: 'cross-entropy', activation: 'tanh', bias: true, seed: 2, data: 'mixture' };

  it('equals pruneOneShot on the trained model, point by point, with the mask counts of the rounding rule', () => {
    const curve = pruningCurve(state, { model: 'trained', epochs: 60, learningRate: 0.02 });
    const spec = mlpSpec({ widths: [6, 8, 3], activation: 'tanh', bias: true, init: 'glorot-normal', seed: 2 });
    const data = syntheticDataset({ kind: 'mixture', count: 30, inputSize: 6, outputSize: 3, seed: 2 });
    const params = trainMlp(spec, initializeParameters(spec), data, 'cross-entropy', { optimizer: 'adam', learningRate: 0.02, epochs: 60 }).params;
    expect(curve.hasLabels).toBe(true);
    for (const method of ['magnitude', 'woodfisher'] as const) {
      PANEL_SPARSITIES.forEach((sparsity, i) => {
        const r = pruneOneShot(spec, params, data, 'cross-entropy', { method, sparsity, damping: PANEL_WOODFISHER_DAMPING });
        const point = curve.methods[method][i];
        expect(point.lossAfter).toBe(r.lossAfter);
        expect(point.accuracyAfter).toBe(r.accuracyAfter!.top1);
        // 6·8 + 8·3 = 72 weights; round(s·72) pruned.
        expect(point.prunable).toBe(72);
        expect(point.pruned).toBe(Math.round(sparsity * 72));
      });
    }
    // At sparsity 0 nothing changes.
    expect(curve.methods.magnitude[0].lossAfter).toBeCloseTo(curve.lossBefore, 12);
    // The trained model starts from a lower loss than the initial one.
    expect(curve.lossBefore).toBeLessThan(pruningCurve(state, { model: 'initial', epochs: 60, learningRate: 0.02 }).lossBefore);
  });

  it('has no accuracy for Gaussian regression data', () => {
    const curve = pruningCurve({ ...DEFAULT_PAGE_STATE, widths: [5, 4, 2], samples: 12 }, { model: 'initial', epochs: 1, learningRate: 0.01 });
    expect(curve.hasLabels).toBe(false);
    expect(Number.isNaN(curve.methods.woodfisher[3].accuracyAfter)).toBe(true);
    expect(curve.methods.woodfisher[3].lossAfter).toBeGreaterThan(0);
  });
});
