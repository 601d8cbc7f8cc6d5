import { describe, expect, it } from 'vitest';
import { IntrinsicError } from '@intrinsic/spectra';
import { parameterLayout } from '../layout.js';
import { mlpSpec } from '../spec.js';
import { initializeNetworkParameters } from './network-init.js';
import { networkParameterLayout } from './network-layout.js';
import { inferNetworkShapes } from './network-shapes.js';
import { mlpAsNetworkSpec, networkSpec, validateNetworkSpec, type LayerSpec } from './network-spec.js';

function build(input: number[], layers: LayerSpec[]) {
  return () => networkSpec({ input, layers });
}

describe('network spec validation and shape inference', () => {
  it('infers shapes and parameter shapes layer by layer', () => {
    const spec = networkSpec({
      input: [3, 10, 10],
      bias: true,
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, padding: 'same' },
        { type: 'activation', activation: 'relu' },
        { type: 'maxpool', size: 2 },
        { type: 'locally-connected2d', filters: 2, kernel: 2, stride: 1, bias: false },
        { type: 'flatten' },
        { type: 'dense', units: 5 },
      ],
    });
    const shapes = inferNetworkShapes(spec);
    expect(shapes.map((s) => s.outputShape)).toEqual([[4, 10, 10], [4, 10, 10], [4, 5, 5], [2, 4, 4], [32], [5]]);
    const layout = networkParameterLayout(spec);
    expect(layout.views.map((v) => [v.name, v.layerIndex, v.shape])).toEqual([
      ['W1', 0, [4, 3, 3, 3]],
      ['b1', 0, [4]],
      ['W2', 3, [16, 2, 4, 2, 2]],
      ['W3', 5, [5, 32]],
      ['b3', 5, [5]],
    ]);
    // p = 4·3·9 + 4 + 16·2·4·4 + 5·32 + 5
    expect(layout.size).toBe(108 + 4 + 512 + 160 + 5);
    expect(initializeNetworkParameters(spec)).toHaveLength(layout.size);
  });

  it('gives a dense network exactly the MLP layout', () => {
    const mlp = mlpSpec({ widths: [4, 3, 2], bias: true });
    const a = parameterLayout(mlp);
    const b = networkParameterLayout(mlpAsNetworkSpec(mlp));
    expect(b.views.map(({ name, layer, kind, shape, offset, size }) => ({ name, layer, kind, shape, offset, size }))).toEqual(a.views);
  });

  it('names the layer and the problem in its errors', () => {
    expect(build([1, 4], [{ type: 'conv1d', filters: 2, kernel: 5 }])).toThrow('layer 0 (conv1d): kernel 5 is larger than the input length 4');
    expect(build([1, 4], [{ type: 'conv1d', filters: 2, kernel: 7, padding: 1 }])).toThrow('layer 0 (conv1d): kernel 7 is larger than the padded input length 6');
    expect(build([1, 4, 4], [{ type: 'conv2d', filters: 1, kernel: [2, 5] }])).toThrow('layer 0 (conv2d): kernel 5 is larger than the input width 4');
    expect(build([6], [{ type: 'conv1d', filters: 2, kernel: 2 }])).toThrow('layer 0 (conv1d): needs a [channels, length] input, got [6]');
    expect(build([2, 6], [{ type: 'conv1d', filters: 2, kernel: 2 }, { type: 'dense', units: 3 }])).toThrow('layer 1 (dense): needs a flat input, got [2, 5]; add a flatten layer before it');
    expect(build([2, 3], [{ type: 'conv1d', filters: 1, kernel: 1 }, { type: 'maxpool', size: 4 }])).toThrow('layer 1 (maxpool): kernel 4 is larger than the input length 3');
    expect(build([2, 3], [{ type: 'conv1d', filters: 1, kernel: 1 }, { type: 'avgpool', size: [2, 2] }])).toThrow('layer 1 (avgpool): size [2,2] has 2 entries, the input has 1 spatial axes');
    expect(build([4], [{ type: 'dense', units: 0 }])).toThrow('layer 0 (dense): units must be a positive integer, got 0');
    expect(build([1, 4], [{ type: 'conv1d', filters: 1, kernel: 2, padding: 'full' as never }])).toThrow(/layer 0 \(conv1d\): padding/);
    expect(build([4], [{ type: 'activation', activation: 'swish' as never }])).toThrow(/layer 0 \(activation\): unknown activation "swish"/);
    expect(build([4], [{ type: 'pool' as never } as LayerSpec])).toThrow(/layer 0: unknown type "pool"; supported: dense, conv1d/);
    expect(build([4], [{ type: 'activation', activation: 'tanh' }])).toThrow('network has no layer with parameters');
    expect(build([0], [{ type: 'dense', units: 1 }])).toThrow(/network input must be 1 to 3 positive integers/);
    expect(() => validateNetworkSpec({ kind: 'mlp' })).toThrow(/kind must be 'network'/);
    let caught: unknown = null;
    try {
      build([1, 2], [{ type: 'conv1d', filters: 1, kernel: 3 }])();
    } catch (error) {
      caught = error;
    }
    expect(IntrinsicError.isInstance(caught)).toBe(true);
    expect((caught as IntrinsicError).code).toBe('invalid-argument');
  });

  it('survives a JSON round trip', () => {
    const spec = networkSpec({ input: [1, 8], layers: [{ type: 'locally-connected1d', filters: 2, kernel: 3, stride: 2, padding: 'same' }, { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true, seed: 5 });
    const copy = JSON.parse(JSON.stringify(spec)) as unknown;
    validateNetworkSpec(copy);
    expect(initializeNetworkParameters(copy)).toEqual(initializeNetworkParameters(spec));
  });
});
