import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { mlpSpec, parameterLayout } from '@intrinsic/models';
import { maskSparsity, prunableMask, prunedCount, selectPruningMask } from './pruning-mask.js';

// 4-3-2 with biases: W1 [0,12), b1 [12,15), W2 [15,21), b2 [21,23); 18 weights, p = 23.
const layout = parameterLayout(mlpSpec({ widths: [4, 3, 2], activation: 'tanh', bias: true }));
const W1 = Array.from({ length: 12 }, (_, i) => i);
const W2 = Array.from({ length: 6 }, (_, i) => 15 + i);

function zeros(mask: Uint8Array): number[] {
  const out: number[] = [];
  mask.forEach((m, i) => m === 0 && out.push(i));
  return out;
}

/** Brute-force reference: the k lowest (saliency, index) pairs among `indices`. */
function lowest(saliencies: Float64Array, indices: number[], k: number): number[] {
  return indices
    .map((i) => [saliencies[i], i] as const)
    .sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] - b[0]))
    .slice(0, k)
    .map((x) => x[1])
    .sort((a, b) => a - b);
}

describe('selectPruningMask', () => {
  const saliencies = new Random(3).fillGaussian(new Float64Array(23)).map(Math.abs);

  it('global: prunes exactly round(s·18) weights, the lowest-saliency ones, and no bias', () => {
    for (const s of [0, 0.1, 0.25, 0.5, 0.9, 1]) {
      const mask = selectPruningMask(layout, saliencies, { sparsity: s, scope: 'global' });
      const k = Math.round(s * 18);
      expect(zeros(mask)).toEqual(lowest(saliencies, [...W1, ...W2], k));
      expect(maskSparsity(layout, mask).prunable).toEqual({ size: 18, pruned: k, sparsity: k / 18 });
    }
    expect(prunedCount(18, 0.25)).toBe(5); // 4.5 rounds half up
  });

  it('layerwise: each layer reaches its own round(s·m_l), unlike global when one layer is more salient', () => {
    const skewed = Float64Array.from(saliencies, (v, i) => (i >= 15 ? v * 1000 : v));
    const layerwise = selectPruningMask(layout, skewed, { sparsity: 0.5, scope: 'layerwise' });
    expect(zeros(layerwise)).toEqual([...lowest(skewed, W1, 6), ...lowest(skewed, W2, 3)]);
    const s = maskSparsity(layout, layerwise);
    expect(s.views.map((v) => [v.name, v.pruned])).toEqual([
      ['W1', 6],
      ['b1', 0],
      ['W2', 3],
      ['b2', 0],
    ]);
    // Global with 9 to prune takes all of them from W1, whose saliencies are 1000 times smaller.
    const global = selectPruningMask(layout, skewed, { sparsity: 0.5, scope: 'global' });
    expect(zeros(global)).toEqual(lowest(skewed, W1, 9));
  });

  it('layerwise with a per-layer map prunes only the listed layers', () => {
    const mask = selectPruningMask(layout, saliencies, { sparsity: { 2: 0.5 }, scope: 'layerwise' });
    expect(zeros(mask)).toEqual(lowest(saliencies, W2, 3));
    expect(() => selectPruningMask(layout, saliencies, { sparsity: { 3: 0.5 }, scope: 'layerwise' })).toThrow(/layer 3/);
  });

  it('restricts to chosen layers and includes biases only when asked', () => {
    const only1 = selectPruningMask(layout, saliencies, { sparsity: 0.5, scope: 'global', layers: [1] });
    expect(zeros(only1)).toEqual(lowest(saliencies, W1, 6));
    const all = Array.from({ length: 23 }, (_, i) => i);
    const withBias = selectPruningMask(layout, saliencies, { sparsity: 0.5, scope: 'global', includeBiases: true });
    expect(zeros(withBias)).toEqual(lowest(saliencies, all, 12)); // round(11.5) = 12
    expect(Array.from(prunableMask(layout, { layers: [2] }))).toEqual(Array.from({ length: 23 }, (_, i) => (i >= 15 && i < 21 ? 1 : 0)));
  });

  it('breaks ties by the lower index', () => {
    const flat = new Float64Array(23).fill(1);
    expect(zeros(selectPruningMask(layout, flat, { sparsity: 0.5, scope: 'global' }))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps previously pruned entries pruned and counts them towards the target', () => {
    const previous = new Uint8Array(23).fill(1);
    const highest = lowest(Float64Array.from(saliencies, (v) => -v), W1, 2); // the two most salient weights of W1
    for (const q of highest) previous[q] = 0;
    previous[12] = 0; // a bias pruned earlier stays pruned although biases are not prunable now
    const mask = selectPruningMask(layout, saliencies, { sparsity: 0.5, scope: 'global', previousMask: previous });
    const rest = [...W1, ...W2].filter((q) => !highest.includes(q));
    expect(zeros(mask)).toEqual([...highest, ...lowest(saliencies, rest, 7), 12].sort((a, b) => a - b));
    expect(maskSparsity(layout, mask).prunable.pruned).toBe(9);
    // A target below what is already pruned leaves the previous mask as it is.
    expect(zeros(selectPruningMask(layout, saliencies, { sparsity: 0, scope: 'global', previousMask: previous }))).toEqual([...highest, 12]);
  });

  it('rejects bad sparsities, NaN saliencies, wrong lengths and unknown layers', () => {
    expect(() => selectPruningMask(layout, saliencies, { sparsity: 1.5, scope: 'global' })).toThrow(InvalidArgumentError);
    expect(() => selectPruningMask(layout, saliencies, { sparsity: { 1: 0.5 }, scope: 'global' })).toThrow(/global scope/);
    const nan = Float64Array.from(saliencies);
    nan[4] = NaN;
    expect(() => selectPruningMask(layout, nan, { sparsity: 0.5, scope: 'global' })).toThrow(/saliency 4 is NaN/);
    expect(() => selectPruningMask(layout, new Float64Array(5), { sparsity: 0.5, scope: 'global' })).toThrow(ShapeMismatchError);
    expect(() => prunableMask(layout, { layers: [0] })).toThrow(/layer 0 outside 1…2/);
  });
});
