import { describe, expect, it } from 'vitest';
import { effectiveDimension, lipschitzLowerBound, lipschitzUpperBound, normMeasures } from '@intrinsic/bounds';
import { analyzeHessianRanks } from '@intrinsic/hessian';
import { initializeParameters, mlpSpec, syntheticDataset, trainMlp } from '@intrinsic/models';
import { DEFAULT_PAGE_STATE, type PageState } from './page-state.js';
import { boundTable } from './bound-table.js';

describe('boundTable (the bounds panel computation)', () => {
  it('equals the library on the trained model, with the margin bound marked vacuous or not', () => {
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [5, 6, 3], samples: 40, loss: 'cross-entropy', activation: 'relu', bias: true, seed: 1, data: 'mixture' };
    const table = boundTable(state, { model: 'trained', epochs: 80, learningRate: 0.02 });
    const spec = mlpSpec({ widths: [5, 6, 3], activation: 'relu', bias: true, init: 'glorot-normal', seed: 1 });
    const data = syntheticDataset({ kind: 'mixture', count: 40, inputSize: 5, outputSize: 3, seed: 1 });
    const initial = initializeParameters(spec);
    const params = trainMlp(spec, initial, data, 'cross-entropy', { optimizer: 'adam', learningRate: 0.02, epochs: 80 }).params;
    const row = (key: string) => table.rows.find((r) => r.key === key)!;
    expect(row('lipschitz-upper').value).toBe(lipschitzUpperBound(spec, params).bound);
    expect(row('lipschitz-lower').value).toBe(lipschitzLowerBound({ spec, params, inputs: data.inputs, pairs: 20, seed: 1 }).bound);
    expect(row('lipschitz-lower').value).toBeLessThanOrEqual(row('lipschitz-upper').value);
    const norms = normMeasures(spec, params, { initialParams: initial });
    expect(row('path-norm').value).toBe(norms.pathNorm);
    expect(row('distance').value).toBe(norms.distanceToInitialization);
    expect(row('distance').value).toBeGreaterThan(0);
    const eigenvalues = analyzeHessianRanks(spec, params, data, 'cross-entropy').parts.hessian.eigenvalues;
    expect(row('effective-dimension').value).toBe(effectiveDimension(eigenvalues, 1e-3));
    const bound = row('margin-bound');
    // The trained mixture classifier has a positive 10 % margin: the row applies, √(spec-orig/N) < 1 here.
    expect(row('margin').value).toBeGreaterThan(0);
    expect(bound.value).toBeCloseTo(Math.sqrt(row('spec-orig').value / 40), 12);
    expect(bound.vacuous).toBe(false);
    expect(bound.value).toBeLessThan(1);
  });

  it('has no margin rows for regression data and a zero distance for the initial model', () => {
    const table = boundTable({ ...DEFAULT_PAGE_STATE, widths: [4, 3, 2], samples: 10 }, { model: 'initial', epochs: 1, learningRate: 0.01 });
    expect(table.rows.some((r) => r.key === 'margin')).toBe(false);
    expect(table.rows.find((r) => r.key === 'distance')!.value).toBe(0);
    // A linear network: upper = lower = ‖W2 W1‖₂ ≤ ‖W2‖₂‖W1‖₂ (the lower bound is the exact constant).
    const upper = table.rows.find((r) => r.key === 'lipschitz-upper')!.value;
    const lower = table.rows.find((r) => r.key === 'lipschitz-lower')!.value;
    expect(lower).toBeLessThanOrEqual(upper * (1 + 1e-12));
  });
});
