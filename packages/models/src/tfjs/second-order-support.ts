import * as tf from '@tensorflow/tfjs-core';
import { UnsupportedError } from '@intrinsic/spectra';
import { activationFunctions } from '../activations.js';
import type { Loss } from '../losses.js';
import type { MlpSpec } from '../spec.js';
import { activationTensor, lossSumTensor } from './mlp-tensors.js';
import { registerTfjsGradients } from './register-gradients.js';

/** The tfjs kernels an activation runs, for messages. */
const ACTIVATION_KERNELS: Record<MlpSpec['activation'], string> = {
  linear: 'Identity',
  relu: 'Relu',
  'leaky-relu': 'LeakyRelu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  softplus: 'Softplus',
  gelu: 'Erf, Multiply',
};

/**
 * Checks that tfjs can take the second derivative of a spec's activation and of the loss, on the
 * current backend, by double back-propagation through a probe and comparison with the closed form σ″
 * of the float64 engine (relative 1e-3, float32). Registers the Intrinsic gradients first
 * ({@link registerTfjsGradients}), which fix the stock tanh, sigmoid and exp gradients.
 *
 * @throws UnsupportedError naming the tfjs op when the second derivative fails or is wrong.
 */
export function checkSecondOrderSupport(spec: MlpSpec, loss: Loss): void {
  registerTfjsGradients();
  const points = [-1.3, -0.4, 0.35, 1.7];
  const act = activationFunctions(spec.activation, spec.leakySlope);
  const kernel = ACTIVATION_KERNELS[spec.activation];
  // The identity has σ″ ≡ 0 and no op to differentiate (tfjs reports a disconnected gradient): nothing to probe.
  let second: Float32Array | Int32Array | Uint8Array = new Float32Array(points.length);
  if (spec.activation !== 'linear') try {
    second = tf.tidy(() => {
      const secondDerivative = tf.grad((z: tf.Tensor) => tf.sum(tf.grad((u: tf.Tensor) => tf.sum(activationTensor(spec, u)))(z)));
      return secondDerivative(tf.tensor1d(points)).dataSync();
    });
  } catch (error) {
    throw new UnsupportedError(`tfjs cannot take the second derivative of op ${kernel} (activation ${spec.activation}) on backend ${tf.getBackend()}: ${firstLine(error)}`);
  }
  points.forEach((z, i) => {
    const expected = act.second(z);
    if (Math.abs(second[i] - expected) > 1e-3 * Math.max(1, Math.abs(expected))) {
      throw new UnsupportedError(`tfjs gives σ″(${z}) = ${second[i]} for op ${kernel} (activation ${spec.activation}), expected ${expected}`);
    }
  });
  try {
    tf.tidy(() => {
      const y = tf.tensor2d([[0, 1, 0]]);
      const hessianRow = tf.grad((f: tf.Tensor) => tf.sum(tf.grad((g: tf.Tensor) => lossSumTensor(loss, g as tf.Tensor2D, y))(f)));
      hessianRow(tf.tensor2d([[0.2, -0.5, 0.9]])).dataSync();
    });
  } catch (error) {
    const ops = loss === 'mse' ? 'Sub, Square, Sum' : 'Max, Exp, Log, Sum';
    throw new UnsupportedError(`tfjs cannot take the second derivative of the ${loss} loss (ops ${ops}) on backend ${tf.getBackend()}: ${firstLine(error)}`);
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}
