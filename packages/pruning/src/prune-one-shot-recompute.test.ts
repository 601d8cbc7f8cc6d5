import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { MlpEvaluation, parameterLayout } from '@intrinsic/models';
import { jointObsPrune } from './joint-obs-update.js';
import { pruneOneShot } from './prune-one-shot.js';
import { smallMlp } from './__fixtures__/small-mlp.js';
import { relativeError } from './__fixtures__/linear-algebra.js';

const { spec, params, data, loss, p } = smallMlp(12);
const layout = parameterLayout(spec);
const weights = layout.views.filter((v) => v.kind === 'weight').reduce((s, v) => s + v.size, 0); // 18 of p = 23

describe('pruneOneShot: the joint update and recomputation', () => {
  it('updateRule joint moves the kept weights by the exact per-layer OBS solution for the WoodFisher mask', () => {
    const result = pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, damping: 1e-3, updateRule: 'joint' });
    const G = new MlpEvaluation(spec, params, data, loss).perSampleGradients();
    const blocks = layout.views.map((v) => ({ start: v.offset, length: v.size }));
    const expected = jointObsPrune(params, G, result.mask, { count: 12, size: p, damping: 1e-3, blocks });
    expect(relativeError(result.params, expected)).toBeLessThan(1e-12);
    expect(result.sparsity.prunable.pruned).toBe(9);
    expect(result.details.updateRule).toBe('joint');
    // The update changes the kept weights (it is not plain masking).
    expect(relativeError(result.params, Float64Array.from(params, (w, q) => (result.mask[q] ? w : 0)))).toBeGreaterThan(1e-3);
  });

  it('the joint update needs woodfisher gradients: other methods are refused in one line', () => {
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'magnitude', sparsity: 0.5, updateRule: 'joint' })).toThrow(InvalidArgumentError);
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'kfac', sparsity: 0.5, updateRule: 'joint' })).toThrow(/joint update needs the gradients of woodfisher, not method kfac/);
  });

  it('recomputeSteps K = 2 is pruning to s/2, then to s from there with the first mask kept', () => {
    const options = { method: 'woodfisher' as const, damping: 1e-3 };
    const first = pruneOneShot(spec, params, data, loss, { ...options, sparsity: 0.35 });
    const second = pruneOneShot(spec, first.params, data, loss, { ...options, sparsity: 0.7, previousMask: first.mask });
    const both = pruneOneShot(spec, params, data, loss, { ...options, sparsity: 0.7, recomputeSteps: 2 });
    expect(Array.from(both.mask)).toEqual(Array.from(second.mask));
    expect(relativeError(both.params, second.params)).toBeLessThan(1e-15);
    expect(both.lossBefore).toBe(first.lossBefore);
    expect(both.details.recomputeSteps).toBe(2);
    for (let q = 0; q < p; q++) if (first.mask[q] === 0) expect(both.mask[q]).toBe(0);
  });

  it('recomputeSteps K = 5 ends at exactly round(s·m) pruned weights, all exactly 0', () => {
    const result = pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.8, damping: 1e-3, recomputeSteps: 5, updateRule: 'joint' });
    expect(result.sparsity.prunable.pruned).toBe(Math.round(0.8 * weights));
    for (let q = 0; q < p; q++) if (result.mask[q] === 0) expect(result.params[q]).toBe(0);
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.8, recomputeSteps: 0 })).toThrow(/recomputeSteps must be a positive integer, got 0/);
  });
});
