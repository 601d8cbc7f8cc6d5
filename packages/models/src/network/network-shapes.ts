import { InvalidArgumentError } from '@intrinsic/spectra';
import type { Activation } from '../activations.js';
import type { LayerSpec, LayerType, NetworkSpec, Padding } from './network-spec.js';

/** The resolved geometry of one layer of a network. */
export interface NetworkLayerShape {
  /** Index in `spec.layers`, from 0. */
  index: number;
  type: LayerType;
  inputShape: number[];
  outputShape: number[];
  inputSize: number;
  outputSize: number;
  /** Spatial kernel / window per axis (1 or 2 entries) of a convolution, locally connected or pooling layer; [] otherwise. */
  kernel: number[];
  /** Stride per spatial axis; [] for layers without a window. */
  stride: number[];
  /** Zeros before the input on each spatial axis ('same' and numeric padding); the rest of the padding goes after. */
  padBefore: number[];
  /**
   * Shape of the weight array, or null: dense [out, in]; conv1d [filters, channels, k];
   * conv2d [filters, channels, kh, kw]; locally connected [positions, filters, channels, k…] with
   * positions = the output's spatial size (row-major over height, width).
   */
  weightShape: number[] | null;
  /** Bias shape, or null: [out] / [filters] for dense and conv; [positions, filters] for locally connected. */
  biasShape: number[] | null;
  /** The activation of an activation layer. */
  activation?: Activation;
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function perAxis(value: number | number[] | undefined, axes: number, fallback: number[], what: string, where: string): number[] {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return new Array<number>(axes).fill(value);
  if (value.length === 1) return new Array<number>(axes).fill(value[0]);
  if (value.length !== axes) throw new InvalidArgumentError(`${where}: ${what} ${JSON.stringify(value)} has ${value.length} entries, the input has ${axes} spatial axes`);
  return value.slice();
}

/**
 * Output length of a window of size k moved by `stride` over `length` entries with `padding`, and the
 * zeros placed before. 'same': out = ⌈length/stride⌉, total padding max((out − 1)·stride + k − length, 0).
 */
function windowAxis(length: number, k: number, stride: number, padding: 'valid' | 'same' | number, where: string, axis: string): { out: number; before: number } {
  let before = 0;
  let after = 0;
  if (padding === 'same') {
    const out = Math.ceil(length / stride);
    const total = Math.max((out - 1) * stride + k - length, 0);
    before = Math.floor(total / 2);
    after = total - before;
  } else if (typeof padding === 'number') {
    before = padding;
    after = padding;
  }
  const padded = length + before + after;
  if (k > padded) {
    throw new InvalidArgumentError(`${where}: kernel ${k} is larger than the ${before + after > 0 ? 'padded ' : ''}input ${axis} ${padded}`);
  }
  return { out: Math.floor((padded - k) / stride) + 1, before };
}

function shapeText(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Shape inference of a network: each layer's input and output shapes, window geometry and parameter
 * shapes. Channel-first layout throughout ([channels, length], [channels, height, width]).
 * @throws InvalidArgumentError naming the layer index and the problem: a dense layer on a non-flat
 * input, a convolution on an input of the wrong rank, a kernel or pooling window larger than its
 * (padded) input, a network without any layer that has parameters.
 */
export function inferNetworkShapes(spec: NetworkSpec): NetworkLayerShape[] {
  const shapes: NetworkLayerShape[] = [];
  let shape = spec.input.slice();
  let withParameters = 0;
  spec.layers.forEach((layer: LayerSpec, index) => {
    const where = `layer ${index} (${layer.type})`;
    const base = { index, type: layer.type, inputShape: shape, inputSize: product(shape), kernel: [] as number[], stride: [] as number[], padBefore: [] as number[] };
    let result: NetworkLayerShape;
    switch (layer.type) {
      case 'dense': {
        if (shape.length !== 1) throw new InvalidArgumentError(`${where}: needs a flat input, got ${shapeText(shape)}; add a flatten layer before it`);
        const bias = layer.bias ?? spec.bias;
        result = { ...base, outputShape: [layer.units], outputSize: layer.units, weightShape: [layer.units, shape[0]], biasShape: bias ? [layer.units] : null };
        break;
      }
      case 'conv1d':
      case 'conv2d':
      case 'locally-connected1d':
      case 'locally-connected2d': {
        const axes = layer.type.endsWith('2d') ? 2 : 1;
        if (shape.length !== axes + 1) {
          throw new InvalidArgumentError(`${where}: needs a [channels, ${axes === 1 ? 'length' : 'height, width'}] input, got ${shapeText(shape)}`);
        }
        const kernel = perAxis(layer.kernel, axes, [], 'kernel', where);
        const stride = perAxis(layer.stride, axes, new Array<number>(axes).fill(1), 'stride', where);
        const padding: Padding = layer.padding ?? 'valid';
        const pads: ('valid' | 'same' | number)[] = typeof padding === 'string' ? new Array(axes).fill(padding) : perAxis(padding, axes, [], 'padding', where);
        const spatial: number[] = [];
        const padBefore: number[] = [];
        for (let a = 0; a < axes; a++) {
          const { out, before } = windowAxis(shape[a + 1], kernel[a], stride[a], pads[a], where, axes === 1 ? 'length' : a === 0 ? 'height' : 'width');
          spatial.push(out);
          padBefore.push(before);
        }
        const channels = shape[0];
        const outputShape = [layer.filters, ...spatial];
        const local = layer.type.startsWith('locally');
        const positions = product(spatial);
        const bias = layer.bias ?? spec.bias;
        result = {
          ...base,
          kernel,
          stride,
          padBefore,
          outputShape,
          outputSize: product(outputShape),
          weightShape: local ? [positions, layer.filters, channels, ...kernel] : [layer.filters, channels, ...kernel],
          biasShape: bias ? (local ? [positions, layer.filters] : [layer.filters]) : null,
        };
        break;
      }
      case 'avgpool':
      case 'maxpool': {
        if (shape.length < 2) throw new InvalidArgumentError(`${where}: needs a [channels, length] or [channels, height, width] input, got ${shapeText(shape)}`);
        const axes = shape.length - 1;
        const kernel = perAxis(layer.size, axes, [], 'size', where);
        const stride = perAxis(layer.stride, axes, kernel, 'stride', where);
        const spatial: number[] = [];
        for (let a = 0; a < axes; a++) {
          spatial.push(windowAxis(shape[a + 1], kernel[a], stride[a], 'valid', where, axes === 1 ? 'length' : a === 0 ? 'height' : 'width').out);
        }
        const outputShape = [shape[0], ...spatial];
        result = { ...base, kernel, stride, padBefore: new Array<number>(axes).fill(0), outputShape, outputSize: product(outputShape), weightShape: null, biasShape: null };
        break;
      }
      case 'flatten':
        result = { ...base, outputShape: [product(shape)], outputSize: product(shape), weightShape: null, biasShape: null };
        break;
      case 'activation':
        result = { ...base, outputShape: shape.slice(), outputSize: product(shape), weightShape: null, biasShape: null, activation: layer.activation };
        break;
    }
    if (result.weightShape) withParameters++;
    shapes.push(result);
    shape = result.outputShape;
  });
  if (withParameters === 0) throw new InvalidArgumentError('network has no layer with parameters (dense, convolution or locally connected)');
  return shapes;
}
