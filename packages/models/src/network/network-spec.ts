import { InvalidArgumentError } from '@intrinsic/spectra';
import { ACTIVATIONS, type Activation } from '../activations.js';
import { describeValue, INITIALIZERS, type Initializer, type MlpSpec } from '../spec.js';
import { inferNetworkShapes } from './network-shapes.js';

/** Layer types of a {@link NetworkSpec}. */
export const LAYER_TYPES = [
  'dense',
  'conv1d',
  'conv2d',
  'locally-connected1d',
  'locally-connected2d',
  'avgpool',
  'maxpool',
  'flatten',
  'activation',
] as const;
/** One of {@link LAYER_TYPES}. */
export type LayerType = (typeof LAYER_TYPES)[number];

/**
 * Zero padding of a convolution: `'valid'` (none), `'same'` (output length ⌈in / stride⌉; total padding
 * max((out − 1)·stride + k − in, 0), ⌊total/2⌋ before and the rest after, as TensorFlow and PyTorch), or
 * a number of zeros on both sides of every spatial axis (in 2-D also a pair [vertical, horizontal]).
 */
export type Padding = 'valid' | 'same' | number | number[];

/** Fully connected layer on a flat input [n]: y = W x + b, W of shape [units, n]. */
export interface DenseLayerSpec {
  type: 'dense';
  units: number;
  /** Overrides the network's `bias` for this layer. */
  bias?: boolean;
}

/**
 * Convolution (cross-correlation, as PyTorch and TensorFlow) over [channels, length] (1-D) or
 * [channels, height, width] (2-D) inputs: y[c, t] = b[c] + Σ_{c′, κ} W[c, c′, κ] x̃[c′, t·stride + κ]
 * with x̃ the zero-padded input. Locally connected layers have the same geometry with one kernel per
 * output position (no weight sharing).
 */
export interface ConvolutionLayerSpec {
  type: 'conv1d' | 'conv2d' | 'locally-connected1d' | 'locally-connected2d';
  /** Output channels. */
  filters: number;
  /** Kernel size; in 2-D a number (square) or [height, width]. */
  kernel: number | number[];
  /** Stride, default 1; in 2-D a number or [vertical, horizontal]. */
  stride?: number | number[];
  /** Default `'valid'`. */
  padding?: Padding;
  /** Overrides the network's `bias` for this layer. */
  bias?: boolean;
}

/**
 * Pooling without padding over [channels, length] or [channels, height, width]: the mean or the maximum
 * of each window (windows of `size`, moved by `stride`, default `size`). Max-pooling takes the first
 * maximal entry of a window on ties.
 */
export interface PoolingLayerSpec {
  type: 'avgpool' | 'maxpool';
  size: number | number[];
  stride?: number | number[];
}

/** Reshapes any input to [product of its dimensions] (channel-first row-major order, no copy). */
export interface FlattenLayerSpec {
  type: 'flatten';
}

/** Element-wise activation on any shape. */
export interface ActivationLayerSpec {
  type: 'activation';
  activation: Activation;
}

/** One layer of a {@link NetworkSpec}, told apart by its `type`. */
export type LayerSpec = DenseLayerSpec | ConvolutionLayerSpec | PoolingLayerSpec | FlattenLayerSpec | ActivationLayerSpec;

/**
 * A layered network, JSON-serialisable: the input shape ([d], [channels, length] or
 * [channels, height, width], channel-first as PyTorch) and a list of layers applied in order. The
 * output is the last layer's output read as a flat vector of K = product of its dimensions.
 */
export interface NetworkSpec {
  kind: 'network';
  input: number[];
  layers: LayerSpec[];
  init: Initializer;
  seed: number;
  /** Bias in every dense, convolutional and locally connected layer (unless the layer says otherwise). */
  bias: boolean;
  /** Negative slope of leaky-relu; 0.01 when omitted. */
  leakySlope?: number;
}

/**
 * Builds a validated network spec, filling `init: 'glorot-normal'`, `seed: 0`, `bias: false`.
 * @throws InvalidArgumentError as {@link validateNetworkSpec}.
 */
export function networkSpec(options: Pick<NetworkSpec, 'input' | 'layers'> & Partial<Omit<NetworkSpec, 'kind'>>): NetworkSpec {
  const spec: NetworkSpec = { init: 'glorot-normal', seed: 0, bias: false, ...options, kind: 'network' };
  validateNetworkSpec(spec);
  return spec;
}

/**
 * The network of an MLP spec: dense layers with the activation between them, the same parameters in the
 * same flat order (so `NetworkEvaluation` and `MlpEvaluation` agree exactly on one parameter vector).
 */
export function mlpAsNetworkSpec(mlp: MlpSpec): NetworkSpec {
  const layers: LayerSpec[] = [];
  for (let l = 1; l < mlp.widths.length; l++) {
    layers.push({ type: 'dense', units: mlp.widths[l] });
    if (l < mlp.widths.length - 1) layers.push({ type: 'activation', activation: mlp.activation });
  }
  const spec: NetworkSpec = { kind: 'network', input: [mlp.widths[0]], layers, init: mlp.init, seed: mlp.seed, bias: mlp.bias };
  if (mlp.leakySlope !== undefined) spec.leakySlope = mlp.leakySlope;
  return spec;
}

function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
}

/**
 * Checks a network spec (e.g. one read from JSON): its fields, then its geometry (kernels against input
 * sizes, layers against input ranks) through {@link inferNetworkShapes}.
 * @throws InvalidArgumentError naming the layer index, its type and the bad value.
 */
export function validateNetworkSpec(spec: unknown): asserts spec is NetworkSpec {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('network spec must be an object');
  const s = spec as Record<string, unknown>;
  if (s.kind !== 'network') throw new InvalidArgumentError(`network spec kind must be 'network', got ${describeValue(s.kind)}`);
  if (!Array.isArray(s.input) || s.input.length < 1 || s.input.length > 3 || !s.input.every(isPositiveInteger)) {
    throw new InvalidArgumentError(`network input must be 1 to 3 positive integers ([d], [channels, length] or [channels, height, width]), got ${describeValue(s.input)}`);
  }
  if (!Array.isArray(s.layers) || s.layers.length < 1) throw new InvalidArgumentError(`network layers must be a non-empty array, got ${describeValue(s.layers)}`);
  if (typeof s.bias !== 'boolean') throw new InvalidArgumentError(`bias must be true or false, got ${describeValue(s.bias)}`);
  if (!(INITIALIZERS as readonly unknown[]).includes(s.init)) {
    throw new InvalidArgumentError(`unknown initialiser ${describeValue(s.init)}; supported: ${INITIALIZERS.join(', ')}`);
  }
  if (typeof s.seed !== 'number' || !Number.isSafeInteger(s.seed)) throw new InvalidArgumentError(`seed must be an integer, got ${describeValue(s.seed)}`);
  if (s.leakySlope !== undefined && (typeof s.leakySlope !== 'number' || !Number.isFinite(s.leakySlope))) {
    throw new InvalidArgumentError(`leakySlope must be a finite number, got ${describeValue(s.leakySlope)}`);
  }
  s.layers.forEach((layer: unknown, i: number) => validateLayerFields(layer, i));
  inferNetworkShapes(spec as NetworkSpec);
}

function layerError(index: number, type: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(`layer ${index} (${type}): ${problem}`);
}

function checkSizes(value: unknown, name: string, index: number, type: string, allowZero: boolean): void {
  const ok = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && (allowZero ? x >= 0 : x >= 1);
  const twoD = type.endsWith('2d') || type === 'avgpool' || type === 'maxpool';
  if (ok(value)) return;
  if (twoD && Array.isArray(value) && value.length >= 1 && value.length <= 2 && value.every(ok)) return;
  throw layerError(index, type, `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer${twoD ? ' or a pair of them' : ''}, got ${describeValue(value)}`);
}

function validateLayerFields(layer: unknown, index: number): void {
  if (typeof layer !== 'object' || layer === null) throw new InvalidArgumentError(`layer ${index} must be an object, got ${describeValue(layer)}`);
  const l = layer as Record<string, unknown>;
  const type = l.type;
  if (!(LAYER_TYPES as readonly unknown[]).includes(type)) {
    throw new InvalidArgumentError(`layer ${index}: unknown type ${describeValue(type)}; supported: ${LAYER_TYPES.join(', ')}`);
  }
  const t = type as LayerType;
  if (l.bias !== undefined && typeof l.bias !== 'boolean') throw layerError(index, t, `bias must be true or false, got ${describeValue(l.bias)}`);
  switch (t) {
    case 'dense':
      if (!isPositiveInteger(l.units)) throw layerError(index, t, `units must be a positive integer, got ${describeValue(l.units)}`);
      return;
    case 'conv1d':
    case 'conv2d':
    case 'locally-connected1d':
    case 'locally-connected2d':
      if (!isPositiveInteger(l.filters)) throw layerError(index, t, `filters must be a positive integer, got ${describeValue(l.filters)}`);
      checkSizes(l.kernel, 'kernel', index, t, false);
      if (l.stride !== undefined) checkSizes(l.stride, 'stride', index, t, false);
      if (l.padding !== undefined && l.padding !== 'valid' && l.padding !== 'same') checkSizes(l.padding, "padding ('valid', 'same' or zeros per side)", index, t, true);
      return;
    case 'avgpool':
    case 'maxpool':
      checkSizes(l.size, 'size', index, t, false);
      if (l.stride !== undefined) checkSizes(l.stride, 'stride', index, t, false);
      return;
    case 'flatten':
      return;
    case 'activation':
      if (!(ACTIVATIONS as readonly unknown[]).includes(l.activation)) {
        throw layerError(index, t, `unknown activation ${describeValue(l.activation)}; supported: ${ACTIVATIONS.join(', ')}`);
      }
      return;
  }
}
