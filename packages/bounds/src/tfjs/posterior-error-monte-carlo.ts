import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { parameterCount, type Dataset, type MlpSpec } from '@intrinsic/models';
import { assertFiniteArray, assertInteger } from '../internal/guards.js';
import { stochasticLogits } from './stochastic-logits.js';

/** Options of {@link posteriorErrorMonteCarlo}. */
export interface PosteriorErrorMonteCarloOptions {
  spec: MlpSpec;
  /** w (length p). */
  mean: Float64Array;
  /** σ (length p, ≥ 0). */
  std: Float64Array;
  /** S, with labels. */
  data: Dataset;
  /** n, the number of independent draws (i, θ). */
  samples: number;
  /** Draws per tfjs call. Default 4096. */
  batchSize?: number;
  /** Default 0. */
  seed?: number;
  /** Called with the draws done and n. */
  onProgress?: (done: number, total: number) => void;
}

/** Result of {@link posteriorErrorMonteCarlo}. */
export interface PosteriorErrorMonteCarloResult {
  /** Ŝ = (1/n) Σ_k 1[argmax f_{θ_k}(x_{i_k}) ≠ y_{i_k}]. */
  sampledError: number;
  /** n. */
  samples: number;
  /** Misclassified draws. */
  errors: number;
}

/**
 * Monte-Carlo estimate of the empirical 0-1 error of the posterior, ê(Q) = E_{θ~Q}[(1/m) Σ_i 1[err_θ(x_i)]]:
 * n independent draws, each of a sample index i uniform on S (with replacement) and a fresh θ ~ Q, by the
 * local reparameterisation ({@link stochasticLogits}; exact in distribution since each θ meets one input).
 * Each indicator is Bernoulli(ê(Q)) and they are independent, so `monteCarloErrorBound` /
 * `dziugaiteRoyBound` (Langford & Caruana 2002) apply with n draws. Cost: n rows of the mean and variance
 * forward passes (no p-sized noise per draw).
 * @throws ShapeMismatchError / InvalidArgumentError on bad sizes, negative σ, missing labels, n < 1.
 */
export async function posteriorErrorMonteCarlo(options: PosteriorErrorMonteCarloOptions): Promise<PosteriorErrorMonteCarloResult> {
  const fn = 'posteriorErrorMonteCarlo';
  const { spec, data, samples } = options;
  const p = parameterCount(spec);
  assertFiniteArray(fn, 'mean', options.mean, p);
  assertFiniteArray(fn, 'std', options.std, p);
  if (options.std.some((v) => v < 0)) throw new InvalidArgumentError(`${fn}: std must be ≥ 0`);
  if (!data.labels) throw new InvalidArgumentError(`${fn}: the data need class labels (a classification data set)`);
  if (data.inputSize !== spec.widths[0] || data.outputSize !== spec.widths[spec.widths.length - 1]) {
    throw new ShapeMismatchError(`${fn}: data are ${data.inputSize} → ${data.outputSize}, the network ${spec.widths[0]} → ${spec.widths[spec.widths.length - 1]}`);
  }
  assertInteger(fn, 'samples', samples, 1);
  const batchSize = options.batchSize ?? 4096;
  assertInteger(fn, 'batchSize', batchSize, 1);
  const random = new Random(options.seed ?? 0);
  const { count: m, inputSize: d } = data;
  const mean = tf.tensor1d(Float32Array.from(options.mean));
  const variance = tf.tensor1d(Float32Array.from(options.std, (v) => v * v));
  const x = tf.tensor2d(Float32Array.from(data.inputs), [m, d]);
  let errors = 0;
  try {
    for (let done = 0; done < samples; ) {
      const size = Math.min(batchSize, samples - done);
      const rows = new Int32Array(size);
      for (let i = 0; i < size; i++) rows[i] = random.integer(m);
      const seed = random.integer(2 ** 30);
      const predicted = tf.tidy(() => tf.argMax(stochasticLogits(spec, mean, variance, tf.gather(x, tf.tensor1d(rows, 'int32')) as tf.Tensor2D, seed), 1));
      const labels = await predicted.data();
      predicted.dispose();
      for (let i = 0; i < size; i++) if (labels[i] !== data.labels[rows[i]]) errors++;
      done += size;
      options.onProgress?.(done, samples);
    }
  } finally {
    tf.dispose([mean, variance, x]);
  }
  return { sampledError: errors / samples, samples, errors };
}
