import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from '@intrinsic/spectra';
import type { MlpSpec } from '../spec.js';
import { networkParameterLayout, type NetworkParameterLayout } from '../network/network-layout.js';
import type { NetworkLayerShape } from '../network/network-shapes.js';
import type { NetworkSpec } from '../network/network-spec.js';
import { matMulFast } from './mat-mul.js';
import { activationTensor } from './mlp-tensors.js';
import { windowPatchIndex } from './window-patches.js';

/**
 * A fixed gather along axis 1 and its transpose, each the other's gradient: y = x[:, index] (x of width
 * n + 1, y of width R) and xᵀ-side s[:, j] = Σ_{r: index[r] = j} y[:, r], the scatter-add written as a
 * second gather through the inverse table [n + 1, M] (M = the largest multiplicity; unused slots point at a
 * zero appended to y) and a sum. Both directions are gathers, so products of any order run on every
 * backend — tfjs' own gather gradient needs UnsortedSegmentSum, which the wasm backend lacks.
 */
export interface PatchGather {
  index: tf.Tensor1D;
  inverse: tf.Tensor1D;
  width: number;
  rows: number;
  taps: number;
  multiplicity: number;
}

function patchGather(index: Int32Array, rows: number, taps: number, size: number): PatchGather {
  const width = size + 1;
  const counts = new Int32Array(width);
  for (const j of index) counts[j]++;
  let multiplicity = 1;
  for (let j = 0; j < size; j++) multiplicity = Math.max(multiplicity, counts[j]);
  const inverse = new Int32Array(width * multiplicity).fill(index.length);
  const filled = new Int32Array(width);
  index.forEach((j, r) => {
    if (j < size) inverse[j * multiplicity + filled[j]++] = r;
  });
  return { index: tf.keep(tf.tensor1d(index, 'int32')), inverse: tf.keep(tf.tensor1d(inverse, 'int32')), width, rows, taps, multiplicity };
}

function gatherForward(g: PatchGather, x: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad(((input: tf.Tensor) => ({ value: tf.gather(input, g.index, 1), gradFunc: (dy: tf.Tensor) => gatherTranspose(g, dy as tf.Tensor2D) })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor2D;
}

function gatherTranspose(g: PatchGather, y: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad(((input: tf.Tensor) => {
    const N = input.shape[0];
    const padded = tf.concat([input, tf.zeros([N, 1])], 1);
    const value = tf.sum(tf.reshape(tf.gather(padded, g.inverse, 1), [N, g.width, g.multiplicity]), 2);
    return { value, gradFunc: (dx: tf.Tensor) => gatherForward(g, dx as tf.Tensor2D) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(y) as tf.Tensor2D;
}

/** Per layer of a network, the patch gather of its windowed layers, or null. */
export interface NetworkTensorPlan {
  spec: NetworkSpec;
  layout: NetworkParameterLayout;
  patches: (PatchGather | null)[];
  dispose(): void;
}

/**
 * Prepares the tfjs form of a network: for every convolution, locally connected and pooling layer the
 * gather of its patches ({@link windowPatchIndex}, channel-first; index tensors kept until `dispose`).
 */
export function networkTensorPlan(spec: NetworkSpec): NetworkTensorPlan {
  const layout = networkParameterLayout(spec);
  const patches = layout.shapes.map((shape) => {
    if (shape.kernel.length === 0) return null;
    const pooling = shape.type === 'avgpool' || shape.type === 'maxpool';
    const geometry = { channels: shape.inputShape[0], input: shape.inputShape.slice(1), output: shape.outputShape.slice(1), kernel: shape.kernel, stride: shape.stride, padBefore: shape.padBefore };
    const table = windowPatchIndex(geometry, 'channels-first', pooling);
    return patchGather(table.index, table.rows, table.taps, table.size);
  });
  const dispose = () => {
    for (const p of patches) if (p) tf.dispose([p.index, p.inverse]);
  };
  return { spec, layout, patches, dispose };
}

/** The network's parameters as float32 tensors, one per array of the layout, in the documented (engine) shapes. */
export function networkParametersToTensors(layout: NetworkParameterLayout, params: Float64Array): tf.Tensor[] {
  if (params.length !== layout.size) throw new ShapeMismatchError(`networkParametersToTensors: parameters have length ${params.length}, the spec has p = ${layout.size}`);
  return layout.views.map((v) => tf.tensor(Float32Array.from(params.subarray(v.offset, v.offset + v.size)), v.shape, 'float32'));
}

function gatherPatches(x: tf.Tensor2D, g: PatchGather): tf.Tensor3D {
  const N = x.shape[0];
  const padded = tf.concat([x, tf.zeros([N, 1])], 1) as tf.Tensor2D;
  return tf.reshape(gatherForward(g, padded), [N, g.rows, g.taps]);
}

/**
 * Network outputs f (N × K, the engine's channel-first flat order) for a batch `x` (N × input size,
 * channel-first flat) in tfjs, with the weights in the order of {@link networkParametersToTensors}.
 * Everything stays channel-first and flat between layers; windowed layers are "im2col" forms built
 * only from ops whose gradients tfjs can differentiate again (the {@link PatchGather} pair, matMul,
 * transpose, reshape, mean, one-hot), so double back-propagation works through every layer on every
 * backend — tfjs' own conv2d and pooling kernels have first-order gradients only (no gradient for
 * Conv2DBackpropFilter, MaxPoolGrad, AvgPoolGrad):
 * - conv (F filters, P positions, T = C·kh·kw taps): patches [N, P, T] · W[F, T]ᵀ → [N, P, F] → [N, F·P], + b[f];
 * - locally connected: [P, N, T] × W[P, F, T]ᵀ (batched over P) → [P, N, F] → [N, F·P], + b[q, f];
 * - avg / max pool: patches per channel [N, C·P, kh·kw], the mean, or the entry at the first maximum
 *   (one-hot of argMax, the float64 engine's tie rule; tf.max's gradient cannot be differentiated again);
 * - dense: X Wᵀ + b; flatten: identity; activation: as the MLP engine ({@link activationTensor}).
 */
export function networkOutputsTensor(plan: NetworkTensorPlan, weights: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
  const { spec, layout } = plan;
  let a: tf.Tensor2D = x;
  const N = x.shape[0];
  const weightOf = (shape: NetworkLayerShape, kind: 'weight' | 'bias') => {
    const i = layout.views.findIndex((v) => v.layerIndex === shape.index && v.kind === kind);
    return i < 0 ? null : weights[i];
  };
  for (const shape of layout.shapes) {
    const W = weightOf(shape, 'weight');
    const b = weightOf(shape, 'bias');
    const index = plan.patches[shape.index];
    switch (shape.type) {
      case 'dense': {
        let z: tf.Tensor = matMulFast(a, W!, false, true);
        if (b) z = tf.add(z, b);
        a = z as tf.Tensor2D;
        break;
      }
      case 'conv1d':
      case 'conv2d':
      case 'locally-connected1d':
      case 'locally-connected2d': {
        const F = shape.outputShape[0];
        const P = shape.outputSize / F;
        const T = shape.inputShape[0] * shape.kernel.reduce((s, k) => s * k, 1);
        const patches = gatherPatches(a, index!);
        let y: tf.Tensor;
        if (shape.type.startsWith('conv')) {
          y = tf.transpose(tf.reshape(tf.matMul(tf.reshape(patches, [N * P, T]), tf.reshape(W!, [F, T]), false, true), [N, P, F]), [0, 2, 1]);
          if (b) y = tf.add(y, tf.reshape(b, [F, 1]));
        } else {
          y = tf.transpose(tf.matMul(tf.transpose(patches, [1, 0, 2]), tf.reshape(W!, [P, F, T]), false, true), [1, 2, 0]);
          if (b) y = tf.add(y, tf.transpose(b, [1, 0]));
        }
        a = tf.reshape(y, [N, F * P]);
        break;
      }
      case 'avgpool':
      case 'maxpool': {
        const rows = shape.outputSize;
        const taps = shape.kernel.reduce((s, k) => s * k, 1);
        const patches = gatherPatches(a, index!);
        // max as a sum with the one-hot of the first maximal tap: ArgMax and OneHot have (zero) gradients, Max's
        // gradient uses Equal, which has none, so tf.max would break double back-propagation.
        a = (shape.type === 'avgpool' ? tf.mean(patches, 2) : tf.sum(tf.mul(patches, tf.oneHot(tf.argMax(patches, 2), taps)), 2)) as tf.Tensor2D;
        break;
      }
      case 'flatten':
        break;
      case 'activation':
        a = activationTensor({ activation: shape.activation, leakySlope: spec.leakySlope } as MlpSpec, a) as tf.Tensor2D;
        break;
    }
  }
  return a;
}
