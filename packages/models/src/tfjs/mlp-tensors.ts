import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError, UnsupportedError } from '@intrinsic/spectra';
import { parameterLayout } from '../layout.js';
import type { Loss } from '../losses.js';
import type { MlpSpec } from '../spec.js';
import { matMulFast } from './mat-mul.js';

/**
 * The parameters of an MLP as float32 tensors, one per named array of {@link parameterLayout}:
 * W_l with shape [out, in] (the documented layout, row-major) then b_l with shape [out].
 *
 * @throws ShapeMismatchError when `params.length` is not the spec's parameter count p.
 */
export function parametersToTensors(spec: MlpSpec, params: Float64Array): tf.Tensor[] {
  const layout = parameterLayout(spec);
  if (params.length !== layout.size) throw new ShapeMismatchError(`parametersToTensors: parameters have length ${params.length}, the spec has p = ${layout.size}`);
  return layout.views.map((v) => tf.tensor(Float32Array.from(params.subarray(v.offset, v.offset + v.size)), v.shape, 'float32'));
}

/** Reads per-layer tensors (as from {@link parametersToTensors}) back into a flat Float64Array in the documented layout. */
export function tensorsToParameters(spec: MlpSpec, tensors: tf.Tensor[]): Float64Array {
  const layout = parameterLayout(spec);
  if (tensors.length !== layout.views.length) throw new ShapeMismatchError(`tensorsToParameters: got ${tensors.length} tensors, the spec has ${layout.views.length} arrays`);
  const params = new Float64Array(layout.size);
  layout.views.forEach((v, i) => {
    const values = tensors[i].dataSync();
    if (values.length !== v.size) throw new ShapeMismatchError(`tensorsToParameters: ${v.name} has ${values.length} entries, expected ${v.size}`);
    params.set(values, v.offset);
  });
  return params;
}

/** Splits a flat float32 vector into per-layer tensors (no copy through the host when `flat` is a tensor). */
export function splitParameterTensor(spec: MlpSpec, flat: tf.Tensor1D): tf.Tensor[] {
  const layout = parameterLayout(spec);
  return layout.views.map((v) => tf.reshape(tf.slice(flat, [v.offset], [v.size]), v.shape));
}

/** σ applied in tfjs: the spec's hidden activation (gelu exact, x·Φ(x), through erf). */
export function activationTensor(spec: MlpSpec, z: tf.Tensor): tf.Tensor {
  switch (spec.activation) {
    case 'linear':
      return z;
    case 'relu':
      return tf.relu(z);
    case 'leaky-relu':
      return tf.leakyRelu(z, spec.leakySlope ?? 0.01);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'softplus':
      return tf.softplus(z);
    case 'gelu':
      return tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))));
    default:
      throw new UnsupportedError(`activationTensor: activation '${String(spec.activation)}' has no tfjs form`);
  }
}

/**
 * Network outputs f = W_L σ(⋯ σ(W_1 x + b_1) ⋯) + b_L for a batch `x` (N × d) in tfjs, with the weights
 * `weights` in the order of {@link parametersToTensors} (W_l as [out, in], so Z = A W_lᵀ).
 */
export function mlpOutputsTensor(spec: MlpSpec, weights: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
  let a: tf.Tensor = x;
  const L = spec.widths.length - 1;
  let index = 0;
  for (let l = 0; l < L; l++) {
    let z: tf.Tensor = matMulFast(a, weights[index++], false, true);
    if (spec.bias) z = tf.add(z, weights[index++]);
    a = l < L - 1 ? activationTensor(spec, z) : z;
  }
  return a as tf.Tensor2D;
}

/**
 * Sum over the batch of the per-sample losses ℓ(f_i, y_i), the same ℓ as the float64 engine's
 * `lossTerms`: MSE ½‖f − y‖², softmax cross-entropy −Σ_k y_k log softmax(f)_k computed as
 * (Σ_k y_k) (m + log Σ_k e^{f_k − m}) − Σ_k y_k f_k with m the row maximum (its derivative cancels
 * exactly, so the result is smooth in f).
 */
export function lossSumTensor(loss: Loss, f: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  if (loss === 'mse') return tf.mul(tf.sum(tf.square(tf.sub(f, y))), 0.5) as tf.Scalar;
  const m = tf.max(f, 1, true);
  const logSum = tf.add(m, tf.log(tf.sum(tf.exp(tf.sub(f, m)), 1, true)));
  const mass = tf.sum(y, 1, true);
  return tf.sub(tf.sum(tf.mul(mass, logSum)), tf.sum(tf.mul(y, f))) as tf.Scalar;
}
