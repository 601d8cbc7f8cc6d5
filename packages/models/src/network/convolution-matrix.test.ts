import { describe, expect, it } from 'vitest';
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
