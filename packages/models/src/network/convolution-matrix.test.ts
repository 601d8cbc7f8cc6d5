import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { syntheticDataset } from '../data.js';
import { convolutionMatrix } from './convolution-matrix.js';
import { initializeNetworkParameters } from './network-init.js';
import { networkForward } from './network-engine.js';
import { networkSpec, type LayerSpec } from './network-spec.js';

const layers: { input: number[]; layer: LayerSpec }[] = [
  { input: [2, 7], layer: { type: 'conv1d', filters: 3, kernel: 3 } },
  { input: [2, 8], layer: { type: 'conv1d', filters: 2, kernel: 4, stride: 2, padding: 'same' } },
  { input: [2, 5, 4], layer: { type: 'conv2d', filters: 2, kernel: [3, 2], stride: [1, 2], padding: 1 } },
  { input: [2, 9], layer: { type: 'locally-connected1d', filters: 2, kernel: 3, stride: 2, padding: 1 } },
  { input: [1, 4, 4], layer: { type: 'locally-connected2d', filters: 2, kernel: 2, padding: 'same' } },
  { input: [5], layer: { type: 'dense', units: 3 } },
];

describe('convolutionMatrix', () => {
  it.each(layers)('$layer.type $input: T x equals the layer forward pass', ({ input, layer }) => {
    const spec = networkSpec({ input, layers: [layer], seed: 2 });
    const params = initializeNetworkParameters(spec);
    const T = convolutionMatrix(layer, input, params);
    const data = syntheticDataset({ kind: 'gaussian', count: 4, inputSize: T.columns, outputSize: T.rows, seed: 8 });
    const out = networkForward(spec, params, data);
    for (let i = 0; i < 4; i++) {
      for (let r = 0; r < T.rows; r++) {
        let s = 0;
        for (let c = 0; c < T.columns; c++) s += T.values[r * T.columns + c] * data.inputs[i * T.columns + c];
        expect(s).toBeCloseTo(out[i * T.rows + r], 13);
      }
    }
  });

  it('is the banded Toeplitz matrix of the kernel for a stride-1 valid conv1d (SCIENCE.md §3)', () => {
    const T = convolutionMatrix({ type: 'conv1d', filters: 1, kernel: 3 }, [1, 5], Float64Array.from([1, 2, 3]));
    expect(T.rows).toBe(3);
    expect(Array.from(T.values)).toEqual([1, 2, 3, 0, 0, 0, 1, 2, 3, 0, 0, 0, 1, 2, 3]);
  });

  it('rejects layers without weights and weights of the wrong length', () => {
    expect(() => convolutionMatrix({ type: 'maxpool', size: 2 }, [1, 4], new Float64Array(0))).toThrow(/layer type 'maxpool' has no weights/);
    expect(() => convolutionMatrix({ type: 'conv1d', filters: 2, kernel: 3 }, [1, 5], new Float64Array(5))).toThrow(/weights have length 5, the layer's weight shape \[2, 1, 3\] has 6/);
  });
});

describe('convolutionMatrix on random geometries (stride, padding, channels, 1-D and 2-D)', () => {
  /** Entry of the padded cross-correlation written out: T[(f, t), (c, i)] = W[f, c, i + before − t·stride] inside the kernel, else 0. */
  function referenceEntry1d(W: Float64Array, channels: number, k: number, stride: number, before: number, f: number, t: number, c: number, i: number): number {
    const kappa = i + before - t * stride;
    return kappa >= 0 && kappa < k ? W[(f * channels + c) * k + kappa] : 0;
  }

  it('every entry of a conv1d Toeplitz matrix equals the written-out cross-correlation (60 random layers)', () => {
    const rng = new Random(17);
    for (let trial = 0; trial < 60; trial++) {
      const channels = 1 + rng.integer(3);
      const filters = 1 + rng.integer(3);
      const length = 3 + rng.integer(8);
      const k = 1 + rng.integer(Math.min(4, length));
      const stride = 1 + rng.integer(3);
      const pad = rng.integer(3);
      const spec = networkSpec({ input: [channels, length], layers: [{ type: 'conv1d', filters, kernel: k, stride, padding: pad }] });
      const W = rng.fillGaussian(new Float64Array(filters * channels * k));
      const T = convolutionMatrix(spec.layers[0], [channels, length], W);
      const out = Math.floor((length + 2 * pad - k) / stride) + 1;
      expect(T.rows).toBe(filters * out);
      expect(T.columns).toBe(channels * length);
      for (let f = 0; f < filters; f++) for (let t = 0; t < out; t++) for (let c = 0; c < channels; c++) for (let i = 0; i < length; i++) {
        expect(T.values[(f * out + t) * T.columns + c * length + i]).toBe(referenceEntry1d(W, channels, k, stride, pad, f, t, c, i));
      }
    }
  });

  it('T x equals the forward pass of conv2d, locally connected 1-D/2-D layers with random stride and padding (80 random layers)', () => {
    const rng = new Random(5);
    const types = ['conv1d', 'conv2d', 'locally-connected1d', 'locally-connected2d'] as const;
    let checked = 0;
    while (checked < 80) {
      const type = types[checked % 4];
      const twoD = type.endsWith('2d');
      const channels = 1 + rng.integer(3);
      const input = twoD ? [channels, 2 + rng.integer(5), 2 + rng.integer(5)] : [channels, 2 + rng.integer(9)];
      const kernel = twoD ? [1 + rng.integer(3), 1 + rng.integer(3)] : 1 + rng.integer(4);
      const stride = twoD ? [1 + rng.integer(3), 1 + rng.integer(3)] : 1 + rng.integer(3);
      const paddings = ['valid', 'same', rng.integer(3), twoD ? [rng.integer(2), rng.integer(2)] : 1] as const;
      const layer = { type, filters: 1 + rng.integer(3), kernel, stride, padding: paddings[rng.integer(4)] } as LayerSpec;
      let spec;
      try {
        spec = networkSpec({ input, layers: [layer], seed: checked });
      } catch {
        continue; // a kernel larger than its padded input
      }
      const params = initializeNetworkParameters(spec);
      const T = convolutionMatrix(layer, input, params);
      const data = syntheticDataset({ kind: 'gaussian', count: 2, inputSize: T.columns, outputSize: T.rows, seed: checked });
      const forward = networkForward(spec, params, data);
      for (let n = 0; n < 2; n++) {
        for (let r = 0; r < T.rows; r++) {
          let s = 0;
          for (let c = 0; c < T.columns; c++) s += T.values[r * T.columns + c] * data.inputs[n * T.columns + c];
          expect(Math.abs(s - forward[n * T.rows + r])).toBeLessThan(1e-12);
        }
      }
      checked++;
    }
  });
});
