import * as tf from '@tensorflow/tfjs-core';

/**
 * KL(N(w, diag e^{2s}) ‖ N(w₀, e^ρ I)) in tfjs, differentiable in w, s and ρ:
 *   KL = ½ Σ_i [ (e^{2s_i} + (w_i − w₀_i)²)/λ − 1 + ln λ − 2 s_i ],   λ = e^ρ
 * (ρ a scalar, or a vector of length p for a per-coordinate prior variance λ_i = e^{ρ_i}).
 * Summed as per-coordinate terms, each ≥ 0: summing the three O(p) totals (Σσ²/λ, p ln λ, Σ ln σ²) separately
 * cancels catastrophically in float32 (the wasm backend accumulates in float32: KL ≈ 1e3 out of totals ≈ 3e6 at
 * p = 472 202 came out negative). Cost O(p). The float64 reference is `gaussianKl`.
 */
export function gaussianKlTensor(mean: tf.Tensor1D, logStd: tf.Tensor1D, priorMean: tf.Tensor1D, logPriorVariance: tf.Scalar | tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const lambda = tf.exp(logPriorVariance);
    const quadratic = tf.div(tf.add(tf.exp(tf.mul(logStd, 2)), tf.square(tf.sub(mean, priorMean))), lambda);
    const terms = tf.sub(tf.add(quadratic, tf.sub(logPriorVariance, 1)), tf.mul(logStd, 2));
    return tf.mul(0.5, tf.sum(terms)) as tf.Scalar;
  });
}
