import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ShapeMismatchError } from '@intrinsic/spectra';
import { networkParameterLayout, type NetworkParameterView } from '../network/network-layout.js';
import type { NetworkLayerShape } from '../network/network-shapes.js';
import { validateNetworkSpec, type NetworkSpec } from '../network/network-spec.js';
import { LocallyConnected1D, LocallyConnected2D, ZeroPadding1D } from './locally-connected-layer.js';

/** tfjs-layers activation identifiers of the spec's activations (leaky-relu is a separate `LeakyReLU` layer). */
const LAYER_ACTIVATION = { linear: 'linear', relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softplus: 'softplus', gelu: 'gelu' } as const;

/** The channels-last shape tfjs uses for one of the engine's channel-first shapes ([C, L] → [L, C], [C, H, W] → [H, W, C]). */
export function channelsLastShape(shape: number[]): number[] {
  return shape.length === 1 ? shape.slice() : [...shape.slice(1), shape[0]];
}

/**
 * Reorders a batch of N samples (row-major N × size) between the engine's channel-first layout and
 * tfjs' channels-last layout of the same spatial shape (`shape` channel-first: [C, L] or [C, H, W]; flat
 * shapes are returned as a copy).
 */
export function reorderChannels(values: ArrayLike<number>, N: number, shape: number[], to: 'channels-last' | 'channels-first'): Float64Array {
  const out = new Float64Array(values.length);
  if (shape.length === 1) {
    for (let i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }
  const C = shape[0];
  const S = shape.slice(1).reduce((a, b) => a * b, 1);
  const size = C * S;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let s = 0; s < S; s++) {
        const first = n * size + c * S + s;
        const last = n * size + s * C + c;
        if (to === 'channels-last') out[last] = values[first];
        else out[first] = values[last];
      }
    }
  }
  return out;
}

/**
 * The tfjs weight of one parameter array, as float32 in tfjs' layout (documented weight layout mapping,
 * ours → tfjs):
 * - dense W [out, in] → kernel [in, out] (transpose);
 * - conv1d W [F, C, k] → kernel [k, C, F]; conv2d W [F, C, kh, kw] → kernel [kh, kw, C, F];
 * - locally connected W [P, F, C, kh, kw] (1-D: [P, F, C, k]) → kernel [P, kh·kw·C, F], taps in
 *   (ky, kx, c) order (Keras' LocallyConnected); bias [P, F] → [out height, out width, F] (same order);
 * - conv and dense biases are unchanged.
 * Inverse: {@link parametersFromTfjsWeight}.
 */
export function tfjsWeightValues(view: NetworkParameterView, shape: NetworkLayerShape, params: Float64Array): { values: Float32Array; shape: number[] } {
  const src = params.subarray(view.offset, view.offset + view.size);
  const values = new Float32Array(view.size);
  const tfShape = tfjsWeightShape(view, shape);
  forEachWeightEntry(view, shape, (ours, theirs) => {
    values[theirs] = src[ours];
  });
  return { values, shape: tfShape };
}

/** Inverse of {@link tfjsWeightValues}: writes a tfjs weight (float32, tfjs layout) into `params` (float64, our layout). */
export function parametersFromTfjsWeight(view: NetworkParameterView, shape: NetworkLayerShape, values: ArrayLike<number>, params: Float64Array): void {
  forEachWeightEntry(view, shape, (ours, theirs) => {
    params[view.offset + ours] = values[theirs];
  });
}

/** The tfjs shape of one of our parameter arrays (see {@link tfjsWeightValues}). */
export function tfjsWeightShape(view: NetworkParameterView, shape: NetworkLayerShape): number[] {
  if (view.kind === 'bias') return shape.type.startsWith('locally') ? channelsLastShape(shape.outputShape) : view.shape.slice();
  switch (shape.type) {
    case 'dense':
      return [view.shape[1], view.shape[0]];
    case 'conv1d':
    case 'conv2d':
      return [...shape.kernel, shape.inputShape[0], shape.outputShape[0]];
    default: {
      const [P, F, C] = view.shape;
      return [P, C * shape.kernel.reduce((a, b) => a * b, 1), F];
    }
  }
}

/** Calls `visit(ourIndex, tfjsIndex)` for every entry of a parameter array. */
function forEachWeightEntry(view: NetworkParameterView, shape: NetworkLayerShape, visit: (ours: number, theirs: number) => void): void {
  if (view.kind === 'bias') {
    for (let i = 0; i < view.size; i++) visit(i, i);
    return;
  }
  if (shape.type === 'dense') {
    const [out, inp] = view.shape;
    for (let i = 0; i < out; i++) for (let j = 0; j < inp; j++) visit(i * inp + j, j * out + i);
    return;
  }
  const [kh, kw] = shape.kernel.length === 2 ? shape.kernel : [1, shape.kernel[0]];
  const C = shape.inputShape[0];
  const F = shape.outputShape[0];
  if (shape.type === 'conv1d' || shape.type === 'conv2d') {
    for (let f = 0; f < F; f++) {
      for (let c = 0; c < C; c++) {
        for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) visit(((f * C + c) * kh + ky) * kw + kx, ((ky * kw + kx) * C + c) * F + f);
      }
    }
    return;
  }
  const P = view.shape[0];
  const taps = kh * kw * C;
  for (let q = 0; q < P; q++) {
    for (let f = 0; f < F; f++) {
      for (let c = 0; c < C; c++) {
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) visit((((q * F + f) * C + c) * kh + ky) * kw + kx, (q * taps + (ky * kw + kx) * C + c) * F + f);
        }
      }
    }
  }
}

function layerPadding(shape: NetworkLayerShape, padding: unknown): { tfjs: 'valid' | 'same'; zeros: number[] | null } {
  if (padding === 'same') return { tfjs: 'same', zeros: null };
  if (padding === undefined || padding === 'valid') return { tfjs: 'valid', zeros: null };
  return { tfjs: 'valid', zeros: shape.padBefore.slice() };
}

/**
 * Builds a `tf.Sequential` (a `LayersModel`) computing the same function as a network spec with the
 * given float64 parameters (rounded to float32), channels-last as tfjs-layers expects: the model's input
 * is [length, channels] or [height, width, channels] (reorder with {@link reorderChannels}).
 *
 * Layer by layer: dense → `Dense` (linear; the activation layers of the spec stay separate layers:
 * `Activation`, or `LeakyReLU` with alpha = spec.leakySlope ?? 0.01); conv1d / conv2d → `Conv1D` /
 * `Conv2D` (kernel, strides, padding 'valid' or 'same'; numeric padding as a `ZeroPadding1D` /
 * `ZeroPadding2D` layer before a 'valid' convolution); locally connected → the custom
 * {@link LocallyConnected1D} / {@link LocallyConnected2D} layers (tfjs-layers has none); avgpool /
 * maxpool → `AveragePooling1D/2D`, `MaxPooling1D/2D` ('valid'); flatten → `Permute` to channel-first,
 * then `Flatten`, so the flat order is the engine's (C, H, W) and a following dense layer keeps its
 * weights as they are. Weight layouts: {@link tfjsWeightValues}. The model's output is the last layer's
 * output in tfjs' channels-last layout; reorder it with {@link reorderChannels} when it is not flat.
 *
 * @throws InvalidArgumentError for an invalid spec; ShapeMismatchError when `params.length` is not p.
 * @example networkToLayersModel(spec, params).predict(tf.tensor(x, [N, ...channelsLastShape(spec.input)]))
 */
export function networkToLayersModel(spec: NetworkSpec, params: Float64Array): tfl.Sequential {
  validateNetworkSpec(spec);
  const layout = networkParameterLayout(spec);
  if (params.length !== layout.size) throw new ShapeMismatchError(`networkToLayersModel: parameters have length ${params.length}, the spec has p = ${layout.size}`);
  const model = tfl.sequential();
  let first = true;
  const add = (layer: tfl.layers.Layer) => {
    model.add(layer);
    first = false;
  };
  const input = () => (first ? { inputShape: channelsLastShape(spec.input) } : {});
  const withWeights: { layer: tfl.layers.Layer; index: number }[] = [];
  layout.shapes.forEach((shape, index) => {
    const layer = spec.layers[index];
    const name = `${shape.type.replace(/-/g, '_')}_${index}`;
    switch (layer.type) {
      case 'dense': {
        const l = tfl.layers.dense({ units: layer.units, useBias: shape.biasShape !== null, name, ...input() });
        add(l);
        withWeights.push({ layer: l, index });
        return;
      }
      case 'conv1d':
      case 'conv2d': {
        const padding = layerPadding(shape, layer.padding);
        if (padding.zeros) {
          const [ph, pw] = padding.zeros;
          add(
            layer.type === 'conv1d'
              ? new ZeroPadding1D({ padding: ph, name: `${name}_padding`, ...input() })
              : tfl.layers.zeroPadding2d({ padding: [[ph, ph], [pw, pw]], name: `${name}_padding`, ...input() }),
          );
        }
        const args = { filters: layer.filters, kernelSize: shape.kernel, strides: shape.stride, padding: padding.tfjs, useBias: shape.biasShape !== null, name, ...input() };
        const l = layer.type === 'conv1d' ? tfl.layers.conv1d({ ...args, kernelSize: shape.kernel[0], strides: shape.stride[0] }) : tfl.layers.conv2d(args);
        add(l);
        withWeights.push({ layer: l, index });
        return;
      }
      case 'locally-connected1d':
      case 'locally-connected2d': {
        const padding = layerPadding(shape, layer.padding);
        const args = { filters: layer.filters, kernelSize: shape.kernel, strides: shape.stride, padding: padding.zeros ?? padding.tfjs, useBias: shape.biasShape !== null, name, ...input() };
        const l = layer.type === 'locally-connected1d' ? new LocallyConnected1D(args) : new LocallyConnected2D(args);
        add(l);
        withWeights.push({ layer: l, index });
        return;
      }
      case 'avgpool':
      case 'maxpool': {
        const oneD = shape.kernel.length === 1;
        const args = { padding: 'valid' as const, name, ...input() };
        if (oneD) {
          const a = { ...args, poolSize: shape.kernel[0], strides: shape.stride[0] };
          add(layer.type === 'avgpool' ? tfl.layers.averagePooling1d(a) : tfl.layers.maxPooling1d(a));
        } else {
          const a = { ...args, poolSize: shape.kernel as [number, number], strides: shape.stride as [number, number] };
          add(layer.type === 'avgpool' ? tfl.layers.averagePooling2d(a) : tfl.layers.maxPooling2d(a));
        }
        return;
      }
      case 'flatten': {
        const rank = shape.inputShape.length;
        if (rank > 1) add(tfl.layers.permute({ dims: rank === 2 ? [2, 1] : [3, 1, 2], name: `${name}_channels_first`, ...input() }));
        add(tfl.layers.flatten({ name, ...input() }));
        return;
      }
      case 'activation':
        add(
          layer.activation === 'leaky-relu'
            ? tfl.layers.leakyReLU({ alpha: spec.leakySlope ?? 0.01, name, ...input() })
            : tfl.layers.activation({ activation: LAYER_ACTIVATION[layer.activation], name, ...input() }),
        );
        return;
    }
  });
  tf.tidy(() => {
    for (const { layer, index } of withWeights) {
      const shape = layout.shapes[index];
      const values = layout.views
        .filter((v) => v.layerIndex === index)
        .map((view) => {
          const w = tfjsWeightValues(view, shape, params);
          return tf.tensor(w.values, w.shape, 'float32');
        });
      layer.setWeights(values);
    }
  });
  return model;
}
