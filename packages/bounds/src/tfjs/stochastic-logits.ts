import * as tf from '@tensorflow/tfjs-core';
import { activationTensor, splitParameterTensor } from '@intrinsic/models/tfjs';
import type { MlpSpec } from '@intrinsic/models';

/**
 * Outputs of one independent draw θ ~ Q = N(w, diag σ²) per input row, by the local reparameterisation
 * (Kingma, Salimans & Welling 2015): given the previous layer's activations a (a row), the pre-activations
 * z = W a + b of a Gaussian layer are independent Gaussians, z_j ~ N(Σ_i w_ji a_i + w_bj, Σ_i σ_ji² a_i² + σ_bj²),
 * and the layers of Q are independent, so sampling z layer by layer gives, for each row, exactly the
 * distribution of f_θ(x) with a fresh θ ~ Q. Every row therefore sees its own network; a mean over rows of
 * any per-row quantity is an unbiased estimate of its expectation under Q. Cost: two matrix products per
 * layer (the forward pass of the mean and of the variances), no p-sized noise.
 * @param mean - w as a flat float32 tensor of length p (documented layout).
 * @param variance - σ² as a flat float32 tensor of length p.
 * @param x - the inputs, N × d.
 * @param seed - seed of the standard normal noise of every layer (layer l uses seed + l).
 * @param varianceFloor - added to every pre-activation variance before the square root (default 0, exact);
 * the optimisation uses a tiny floor so that √v stays differentiable where v underflows to 0.
 */
export function stochasticLogits(spec: MlpSpec, mean: tf.Tensor1D, variance: tf.Tensor1D, x: tf.Tensor2D, seed: number, varianceFloor = 0): tf.Tensor2D {
  const means = splitParameterTensor(spec, mean);
  const variances = splitParameterTensor(spec, variance);
  const L = spec.widths.length - 1;
  let a: tf.Tensor2D = x;
  let index = 0;
  for (let l = 0; l < L; l++) {
    // a Wᵀ with an explicit transpose: the wasm backend's (XNNPACK) product is far faster without transposeB.
    let mu: tf.Tensor2D = tf.matMul(a, tf.transpose(means[index]) as tf.Tensor2D);
    let v: tf.Tensor2D = tf.matMul(tf.square(a), tf.transpose(variances[index]) as tf.Tensor2D);
    index++;
    if (spec.bias) {
      mu = tf.add(mu, means[index]);
      v = tf.add(v, variances[index]);
      index++;
    }
    const z = tf.add(mu, tf.mul(tf.sqrt(varianceFloor > 0 ? tf.add(v, varianceFloor) : v), tf.randomNormal(mu.shape, 0, 1, 'float32', seed + l))) as tf.Tensor2D;
    a = l < L - 1 ? (activationTensor(spec, z) as tf.Tensor2D) : z;
  }
  return a;
}

/**
 * The surrogate of the 0-1 loss used by the optimisation: the cross-entropy in bits,
 * −log₂ softmax(f)_y = (logsumexp(f) − f_y)/ln 2, which is ≥ 1 whenever argmax f ≠ y (then softmax(f)_y ≤ 1/2)
 * and ≥ 0 always, so it upper-bounds the 0-1 loss. For K = 2 it is the logistic loss of the margin f_y − f_other
 * divided by ln 2, the surrogate of Dziugaite & Roy (UAI 2017).
 * @returns the mean over the rows.
 */
export function bitsCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const m = tf.max(logits, 1, true);
  const logSum = tf.add(m, tf.log(tf.sum(tf.exp(tf.sub(logits, m)), 1, true)));
  const picked = tf.sum(tf.mul(oneHot, logits), 1, true);
  return tf.div(tf.mean(tf.sub(logSum, picked)), Math.LN2) as tf.Scalar;
}
