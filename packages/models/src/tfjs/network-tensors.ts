import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from '@intrinsic/spectra';
import type { MlpSpec } from '../spec.js';
import { networkParameterLayout, type NetworkParameterLayout } from '../network/network-layout.js';
import type { NetworkLayerShape } from '../network/network-shapes.js';
import type { NetworkSpec } from '../network/network-spec.js';
import { matMulFast } from './mat-mul.js';
import { activationTensor } from './mlp-tensors.js';
import { windowPatchIndex } from './window-patches.js';

/** Per layer of a network, the index tensor of its patches (windowed layers) or null. */
export interface NetworkTensorPlan {
  spec: NetworkSpec;
  layout: NetworkParameterLayout;
  patches: (tf.Tensor1D | null)[];
  dispose(): void;
}

/**
 * Prepares the tfjs form of a network: for every convolution, locally connected and pooling layer the
 * gather index of its patches ({@link windowPatchIndex}, channel-first, kept until `dispose`).
 */
export function networkTensorPlan(spec: NetworkSpec): NetworkTensorPlan {
  const layout = networkParameterLayout(spec);
  const patches = layout.shapes.map((shape) => {
    if (shape.kernel.length === 0) return null;
    const pooling = shape.type === 'avgpool' || shape.type === 'maxpool';
    const geometry = { channels: shape.inputShape[0], input: shape.inputShape.slice(1), output: shape.outputShape.slice(1), kernel: shape.kernel, stride: shape.stride, padBefore: shape.padBefore };
    return tf.keep(tf.tensor1d(windowPatchIndex(geometry, 'channels-first', pooling).index, 'int32'));
  });
  return { spec, layout, patches, dispose: () => tf.dispose(patches.filter((p): p is tf.Tensor1D => p !== null)) };
}

/** The network's parameters as float32 tensors, one per array of the layout, in the documented (engine) shapes. */
export function networkParametersToTensors(layout: NetworkParameterLayout, params: Float64Array): tf.Tensor[] {
  if (params.length !== layout.size) throw new ShapeMismatchError(`networkParametersToTensors: parameters have length ${params.length}, the spec has p = ${layout.size}`);
  return layout.views.map((v) => tf.tensor(Float32Array.from(params.subarray(v.offset, v.offset + v.size)), v.shape, 'float32'));
}

function gatherPatches(x: tf.Tensor2D, index: tf.Tensor1D, rows: number, taps: number): tf.Tensor3D {
  const N = x.shape[0];
  const padded = tf.concat([x, tf.zeros([N, 1])], 1);
  return tf.reshape(tf.gather(padded, index, 1), [N, rows, taps]);
}

/**
 * Network outputs f (N × K, the engine's channel-first flat order) for a batch `x` (N × input size,
 * channel-first flat) in tfjs, with the weights in the order of {@link networkParametersToTensors}.
 * Everything stays channel-first and flat between layers; windowed layers are "im2col" forms built
 * only from ops whose gradients tfjs can differentiate again (gather, matMul, transpose, reshape, mean,
 * max), so double back-propagation works through every layer — tfjs' own conv2d and pooling kernels
 * have first-order gradients only (no gradient for Conv2DBackpropFilter, MaxPoolGrad, AvgPoolGrad):
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
        const patches = gatherPatches(a, index!, P, T);
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
        const patches = gatherPatches(a, index!, rows, taps);
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
