import type * as tfl from '@tensorflow/tfjs-layers';
import { IntrinsicError, InvalidArgumentError } from '@intrinsic/spectra';
import type { Activation } from '../activations.js';
import { networkParameterLayout } from '../network/network-layout.js';
import { validateNetworkSpec, type LayerSpec, type NetworkSpec } from '../network/network-spec.js';
import { parametersFromTfjsWeight, tfjsWeightShape } from './network-to-layers-model.js';

/** tfjs / Keras layer classes that {@link networkFromLayersModel} and {@link networkFromModelJson} read. */
export const SUPPORTED_NETWORK_LAYERS = [
  'InputLayer',
  'Dense',
  'Conv1D',
  'Conv2D',
  'LocallyConnected1D',
  'LocallyConnected2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'ZeroPadding1D',
  'ZeroPadding2D',
  'Flatten',
  'Permute',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'Dropout',
] as const;

/** A layered network read from tfjs: the spec, float64 parameters, and what the last layer applied. */
export interface ImportedNetwork {
  spec: NetworkSpec;
  /** Flat parameters in the documented network layout, upcast from float32 to float64. */
  params: Float64Array;
  /** `softmax` when the model ends in softmax: the spec's outputs are the logits before it. */
  outputActivation: 'linear' | 'softmax';
}

/** One layer as the importer sees it: class, name, config (camelCase or model.json's snake_case keys). */
export interface LayerDescription {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

/** Supplies the float32 values of weight `kind` of a layer, checking they have the expected tfjs shape. */
export type WeightSource = (layer: LayerDescription, kind: 'kernel' | 'bias', expectedShape: number[]) => ArrayLike<number>;

/** Largest parameter count read (2²⁷ doubles, 1 GiB), checked before allocating. */
const MAX_IMPORTED_PARAMETERS = 2 ** 27;

/** tfjs-layers activation identifiers → spec activations. */
const FROM_LAYER: Record<string, Activation> = { linear: 'linear', relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softplus: 'softplus', gelu: 'gelu' };

/**
 * A value as short one-line text for messages: JSON when it serialises (NaN and Infinity as such), else
 * String(value); control characters become spaces and long texts are cut at 80 characters.
 */
export function safeJson(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return oneLine(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}

/** Replaces line breaks and other control characters by spaces, so an error message stays one line. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}

function field(config: Record<string, unknown>, camel: string): unknown {
  if (config[camel] !== undefined) return config[camel];
  return config[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function describe(layer: LayerDescription): string {
  return oneLine(`layer '${layer.name.slice(0, 80)}' (${layer.className.slice(0, 80)})`);
}

function positiveIntegers(value: unknown, axes: number, what: string, layer: LayerDescription): number[] {
  const list = typeof value === 'number' ? new Array<number>(axes).fill(value) : value;
  if (!Array.isArray(list) || (list.length !== axes && list.length !== 1) || !list.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 1e6)) {
    throw new InvalidArgumentError(`${describe(layer)}: ${what} must be ${axes === 1 ? 'a positive integer' : `${axes} positive integers`}, got ${safeJson(value)}`);
  }
  return list.length === 1 ? new Array<number>(axes).fill(list[0] as number) : (list as number[]);
}

function activationOf(value: unknown, layer: LayerDescription): string {
  if (value === undefined || value === null) return 'linear';
  if (typeof value === 'string') return value;
  const name = (value as { className?: unknown; class_name?: unknown }).className ?? (value as { class_name?: unknown }).class_name;
  if (typeof name === 'string') return name;
  throw new InvalidArgumentError(`${describe(layer)}: activation must be a name, got ${safeJson(value)}`);
}

function checkChannelsLast(config: Record<string, unknown>, layer: LayerDescription): void {
  const format = field(config, 'dataFormat');
  if (format !== undefined && format !== null && format !== 'channelsLast' && format !== 'channels_last') {
    throw new InvalidArgumentError(`${describe(layer)}: dataFormat ${safeJson(format)} is not supported; only channelsLast`);
  }
}

/**
 * Reads a chain of tfjs layers into a network spec and float64 parameters. The input shape is tfjs'
 * channels-last one (without the batch axis); the spec is channel-first (see `networkToLayersModel`
 * for the layer and weight layout mapping, here read backwards). Conv/dense activations become separate
 * activation layers; `ZeroPadding1D/2D` (symmetric) folds into the next convolution; `Permute` to
 * channel-first followed by `Flatten` is the engine's flatten, and a plain `Flatten` of a channels-last
 * tensor is too, with the next Dense kernel's rows reordered from (H, W, C) to (C, H, W); `Dropout` and
 * `InputLayer` are identities (inference). A final `softmax` is reported as `outputActivation`.
 *
 * @throws InvalidArgumentError naming the layer for an unsupported class (with the supported list),
 * option (dataFormat channelsFirst, dilation, causal padding, pooling padding 'same', asymmetric
 * zero padding, ReLU with max value, a softmax before the last layer, mixed LeakyReLU slopes) or weight
 * (wrong shape, non-finite entries).
 */
export function networkFromLayers(inputShape: unknown, layers: LayerDescription[], weightOf: WeightSource): ImportedNetwork {
  if (!Array.isArray(inputShape) || inputShape.length < 1 || inputShape.length > 3 || !inputShape.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 1)) {
    throw new InvalidArgumentError(`the model's input shape must be 1 to 3 positive integers (without the batch axis), got ${safeJson(inputShape)}`);
  }
  const tfShape = inputShape as number[];
  const input = tfShape.length === 1 ? tfShape.slice() : [tfShape[tfShape.length - 1], ...tfShape.slice(0, -1)];
  const spec: LayerSpec[] = [];
  /** The tfjs layer behind each spec layer with parameters, and whether its Dense kernel rows come in (H, W, C) order. */
  const sources = new Map<number, { layer: LayerDescription; hwcRows: number[] | null }>();
  let rank = input.length; // spatial axes + 1, or 1 when flat
  let padding: number[] | null = null;
  let permuted = false;
  let pendingHwc: number[] | null = null; // channel-first shape flattened in (H, W, C) order, waiting for a Dense
  let leakySlope: number | undefined;
  let outputActivation: 'linear' | 'softmax' = 'linear';
  const pushActivation = (name: string, layer: LayerDescription, isLast: boolean) => {
    if (name === 'linear') return;
    if (name === 'softmax') {
      if (!isLast) throw new InvalidArgumentError(`${describe(layer)}: softmax is only supported as the last layer's activation`);
      outputActivation = 'softmax';
      return;
    }
    const mapped = FROM_LAYER[name];
    if (!mapped) throw new InvalidArgumentError(`${describe(layer)}: activation '${name}' is not supported; supported: ${Object.keys(FROM_LAYER).join(', ')}, softmax (last layer), LeakyReLU`);
    spec.push({ type: 'activation', activation: mapped });
  };
  const lastIndex = layers.length - 1;
  layers.forEach((layer, i) => {
    const { className, config } = layer;
    const isLast = i === lastIndex;
    if (!(SUPPORTED_NETWORK_LAYERS as readonly string[]).includes(className)) {
      throw new InvalidArgumentError(`${describe(layer)} is not supported; supported layers: ${SUPPORTED_NETWORK_LAYERS.join(', ')}`);
    }
    if (padding && !['Conv1D', 'Conv2D', 'LocallyConnected1D', 'LocallyConnected2D'].includes(className)) {
      throw new InvalidArgumentError(`${describe(layer)}: a ZeroPadding layer must be followed by a convolution or locally connected layer`);
    }
    if (permuted && className !== 'Flatten') throw new InvalidArgumentError(`${describe(layer)}: Permute is only supported right before Flatten`);
    if (pendingHwc && !['Dense', 'Activation', 'ReLU', 'LeakyReLU', 'Dropout'].includes(className)) {
      throw new InvalidArgumentError(`${describe(layer)}: a Flatten of a channels-last tensor must be followed by a Dense layer (or preceded by Permute to channel-first)`);
    }
    switch (className) {
      case 'InputLayer':
      case 'Dropout':
        return;
      case 'Dense': {
        if (rank !== 1) throw new InvalidArgumentError(`${describe(layer)}: Dense on a ${rank - 1}-D input is not supported; add a Flatten before it`);
        const units = positiveIntegers(field(config, 'units'), 1, 'units', layer)[0];
        sources.set(spec.length, { layer, hwcRows: pendingHwc });
        pendingHwc = null;
        spec.push({ type: 'dense', units, bias: field(config, 'useBias') !== false });
        pushActivation(activationOf(field(config, 'activation'), layer), layer, isLast);
        return;
      }
      case 'Conv1D':
      case 'Conv2D':
      case 'LocallyConnected1D':
      case 'LocallyConnected2D': {
        const axes = className.endsWith('2D') ? 2 : 1;
        if (rank !== axes + 1) throw new InvalidArgumentError(`${describe(layer)}: needs a ${axes + 1}-D input (without the batch axis), got ${rank}-D`);
        checkChannelsLast(config, layer);
        const filters = positiveIntegers(field(config, 'filters'), 1, 'filters', layer)[0];
        const kernel = positiveIntegers(field(config, 'kernelSize'), axes, 'kernelSize', layer);
        const stride = positiveIntegers(field(config, 'strides') ?? 1, axes, 'strides', layer);
        const dilation = field(config, 'dilationRate');
        if (dilation !== undefined && dilation !== null && positiveIntegers(dilation, axes, 'dilationRate', layer).some((d) => d !== 1)) {
          throw new InvalidArgumentError(`${describe(layer)}: dilationRate ${safeJson(dilation)} is not supported; only 1`);
        }
        const pad = field(config, 'padding') ?? 'valid';
        let specPadding: 'valid' | 'same' | number[];
        if (pad === 'valid' || pad === 'same') specPadding = pad;
        else if (className.startsWith('Locally') && Array.isArray(pad)) specPadding = positiveOrZero(pad, axes, layer);
        else throw new InvalidArgumentError(`${describe(layer)}: padding ${safeJson(pad)} is not supported; supported: valid, same`);
        if (padding) {
          if (specPadding !== 'valid') throw new InvalidArgumentError(`${describe(layer)}: a ZeroPadding layer before a convolution with padding '${String(specPadding)}' is not supported`);
          specPadding = padding;
          padding = null;
        }
        const type = (className.startsWith('Conv') ? `conv${axes}d` : `locally-connected${axes}d`) as 'conv1d';
        sources.set(spec.length, { layer, hwcRows: null });
        spec.push({ type, filters, kernel: axes === 1 ? kernel[0] : kernel, stride: axes === 1 ? stride[0] : stride, padding: Array.isArray(specPadding) && axes === 1 ? specPadding[0] : specPadding, bias: field(config, 'useBias') !== false });
        pushActivation(activationOf(field(config, 'activation'), layer), layer, isLast);
        return;
      }
      case 'AveragePooling1D':
      case 'AveragePooling2D':
      case 'MaxPooling1D':
      case 'MaxPooling2D': {
        const axes = className.endsWith('2D') ? 2 : 1;
        if (rank !== axes + 1) throw new InvalidArgumentError(`${describe(layer)}: needs a ${axes + 1}-D input (without the batch axis), got ${rank}-D`);
        checkChannelsLast(config, layer);
        const pad = field(config, 'padding') ?? 'valid';
        if (pad !== 'valid') throw new InvalidArgumentError(`${describe(layer)}: pooling padding ${safeJson(pad)} is not supported; only valid`);
        const size = positiveIntegers(field(config, 'poolSize'), axes, 'poolSize', layer);
        const strides = field(config, 'strides');
        const stride = strides === undefined || strides === null ? size : positiveIntegers(strides, axes, 'strides', layer);
        spec.push({ type: className.startsWith('Average') ? 'avgpool' : 'maxpool', size: axes === 1 ? size[0] : size, stride: axes === 1 ? stride[0] : stride });
        return;
      }
      case 'ZeroPadding1D':
      case 'ZeroPadding2D': {
        const axes = className === 'ZeroPadding2D' ? 2 : 1;
        if (rank !== axes + 1) throw new InvalidArgumentError(`${describe(layer)}: needs a ${axes + 1}-D input (without the batch axis), got ${rank}-D`);
        checkChannelsLast(config, layer);
        padding = symmetricPadding(field(config, 'padding'), axes, layer);
        return;
      }
      case 'Permute': {
        const dims = field(config, 'dims');
        const expected = rank === 2 ? [2, 1] : [3, 1, 2];
        if (rank === 1 || safeJson(dims) !== safeJson(expected)) {
          throw new InvalidArgumentError(`${describe(layer)}: only Permute ${safeJson(expected)} (channels-last to channel-first, before Flatten) is supported, got dims ${safeJson(dims)}`);
        }
        permuted = true;
        return;
      }
      case 'Flatten': {
        if (rank > 1 && !permuted) {
          const full = currentShape(spec, input);
          if (full.length > 1 && full[0] > 1 && full.slice(1).some((s) => s > 1)) pendingHwc = full;
        }
        permuted = false;
        spec.push({ type: 'flatten' });
        rank = 1;
        return;
      }
      case 'Activation':
        pushActivation(activationOf(field(config, 'activation'), layer), layer, isLast);
        return;
      case 'ReLU': {
        const max = field(config, 'maxValue');
        if (max !== undefined && max !== null) throw new InvalidArgumentError(`${describe(layer)}: ReLU with maxValue ${safeJson(max)} is not supported; only the plain ReLU`);
        spec.push({ type: 'activation', activation: 'relu' });
        return;
      }
      case 'LeakyReLU': {
        const alpha = field(config, 'alpha') ?? 0.3;
        if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new InvalidArgumentError(`${describe(layer)}: alpha must be a finite number, got ${safeJson(alpha)}`);
        if (leakySlope !== undefined && leakySlope !== alpha) throw new InvalidArgumentError(`${describe(layer)}: alpha ${alpha} differs from an earlier LeakyReLU's ${leakySlope}; Intrinsic has one leaky slope per network`);
        leakySlope = alpha;
        spec.push({ type: 'activation', activation: 'leaky-relu' });
        return;
      }
    }
  });
  if (padding) throw new InvalidArgumentError('the model ends with a ZeroPadding layer');
  if (permuted) throw new InvalidArgumentError('the model ends with a Permute layer');
  if (pendingHwc) throw new InvalidArgumentError('the model ends with a Flatten of a channels-last tensor; add a Dense layer after it or a Permute to channel-first before it');
  const firstWithParameters = spec.find((l) => l.type === 'dense' || l.type.startsWith('conv') || l.type.startsWith('locally')) as { bias?: boolean } | undefined;
  const networkBias = firstWithParameters?.bias ?? false;
  for (const l of spec) {
    const withBias = l as { bias?: boolean };
    if (withBias.bias === networkBias) delete withBias.bias;
  }
  const result: NetworkSpec = { kind: 'network', input, layers: spec, init: 'glorot-uniform', seed: 0, bias: networkBias, ...(leakySlope !== undefined ? { leakySlope } : {}) };
  validateNetworkSpec(result);
  const layout = networkParameterLayout(result);
  if (layout.size > MAX_IMPORTED_PARAMETERS) throw new InvalidArgumentError(`the model has p = ${layout.size} parameters, above the ${MAX_IMPORTED_PARAMETERS} this reader accepts`);
  const params = new Float64Array(layout.size);
  for (const view of layout.views) {
    const source = sources.get(view.layerIndex)!;
    const shape = layout.shapes[view.layerIndex];
    const expected = tfjsWeightShape(view, shape);
    let values = weightOf(source.layer, view.kind === 'weight' ? 'kernel' : 'bias', expected);
    if (view.kind === 'weight' && source.hwcRows) values = hwcRowsToChw(values, source.hwcRows, expected[1]);
    parametersFromTfjsWeight(view, shape, values, params);
  }
  for (let i = 0; i < params.length; i++) {
    if (!Number.isFinite(params[i])) {
      const view = layout.views.find((v) => i >= v.offset && i < v.offset + v.size)!;
      throw new InvalidArgumentError(`${describe(sources.get(view.layerIndex)!.layer)}: weight ${view.name} has a non-finite entry (${params[i]})`);
    }
  }
  return { spec: result, params, outputActivation };
}

function positiveOrZero(value: unknown[], axes: number, layer: LayerDescription): number[] {
  if ((value.length !== axes && value.length !== 1) || !value.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1e6)) {
    throw new InvalidArgumentError(`${describe(layer)}: padding must be 'valid', 'same' or ${axes} non-negative integers, got ${safeJson(value)}`);
  }
  return value.length === 1 ? new Array<number>(axes).fill(value[0] as number) : (value as number[]);
}

/** Zero padding [[a, a], [b, b]] / [a, b] / a → [a, b]; asymmetric padding is rejected. */
function symmetricPadding(value: unknown, axes: number, layer: LayerDescription): number[] {
  const ok = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1e6;
  if (ok(value)) return new Array<number>(axes).fill(value as number);
  if (Array.isArray(value) && value.length === axes) {
    const out: number[] = [];
    for (const entry of value) {
      if (ok(entry)) out.push(entry as number);
      else if (Array.isArray(entry) && entry.length === 2 && ok(entry[0]) && entry[0] === entry[1]) out.push(entry[0] as number);
      else throw new InvalidArgumentError(`${describe(layer)}: padding ${safeJson(value)} is not supported; only symmetric zero padding`);
    }
    return out;
  }
  if (axes === 1 && Array.isArray(value) && value.length === 2 && ok(value[0]) && value[0] === value[1]) return [value[0] as number];
  throw new InvalidArgumentError(`${describe(layer)}: padding ${safeJson(value)} is not supported; only symmetric zero padding`);
}

/** Channel-first shape at the end of the layers read so far. */
function currentShape(layers: LayerSpec[], input: number[]): number[] {
  try {
    const spec: NetworkSpec = { kind: 'network', input, layers: [...layers, { type: 'flatten' }, { type: 'dense', units: 1 }], init: 'glorot-uniform', seed: 0, bias: false };
    validateNetworkSpec(spec);
    return networkParameterLayout(spec).shapes[layers.length].inputShape;
  } catch (error) {
    if (error instanceof IntrinsicError) throw error;
    throw new InvalidArgumentError(`cannot infer the shape before Flatten: ${String(error)}`);
  }
}

/** Reorders the rows of a Dense kernel [in, out] from (H, W, C) flatten order to the engine's (C, H, W). */
function hwcRowsToChw(values: ArrayLike<number>, chw: number[], out: number): Float32Array {
  const C = chw[0];
  const S = chw.slice(1).reduce((a, b) => a * b, 1);
  const result = new Float32Array(C * S * out);
  for (let c = 0; c < C; c++) {
    for (let s = 0; s < S; s++) {
      const from = (s * C + c) * out;
      const to = (c * S + s) * out;
      for (let k = 0; k < out; k++) result[to + k] = values[from + k];
    }
  }
  return result;
}

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Reads a network spec and float64 parameters (upcast from float32) from a tfjs `LayersModel` made of
 * supported layers (see {@link networkFromLayers}); the inverse of `networkToLayersModel`.
 * @throws InvalidArgumentError naming the layer for unsupported layers and options.
 */
export function networkFromLayersModel(model: tfl.LayersModel): ImportedNetwork {
  const inputShape = model.inputs[0].shape.slice(1);
  const descriptions: LayerDescription[] = [];
  const weights = new Map<string, ReturnType<tfl.layers.Layer['getWeights']>>();
  for (const layer of model.layers) {
    descriptions.push({ className: layer.getClassName(), name: layer.name, config: layer.getConfig() as Record<string, unknown> });
    weights.set(layer.name, layer.getWeights());
  }
  return networkFromLayers(inputShape, descriptions, (layer, kind, expected) => {
    const list = weights.get(layer.name) ?? [];
    const tensor = list[kind === 'kernel' ? 0 : 1];
    if (!tensor || shapeText(tensor.shape) !== shapeText(expected)) {
      throw new InvalidArgumentError(`${describe(layer)}: ${kind} has shape ${tensor ? shapeText(tensor.shape) : 'none'}, expected ${shapeText(expected)}`);
    }
    return tensor.dataSync();
  });
}
