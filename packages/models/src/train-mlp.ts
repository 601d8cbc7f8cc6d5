import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import type { Dataset } from './data.js';
import type { Loss } from './losses.js';
import { MlpEvaluation } from './mlp-engine.js';
import type { MlpSpec } from './spec.js';

/** Options of {@link trainMlp}. */
export interface TrainMlpOptions {
  optimizer?: 'adam' | 'sgd';
  learningRate?: number;
  /** SGD momentum (heavy ball); default 0.9. */
  momentum?: number;
  /** Passes over the data. */
  epochs: number;
  /** Mini-batch size; the full data set when omitted (full-batch training). */
  batchSize?: number;
  /** Stop when the full-data gradient norm falls to this value (checked once per epoch). */
  targetGradientNorm?: number;
  /** Seed of the mini-batch order. */
  seed?: number;
  /** Called once per epoch with the full-data loss and gradient norm. */
  onEpoch?: (epoch: number, loss: number, gradientNorm: number) => void;
}

/** Result of {@link trainMlp}. */
export interface TrainMlpResult {
  params: Float64Array;
  epochs: number;
  loss: number;
  gradientNorm: number;
  /** True when the target gradient norm was reached. */
  converged: boolean;
}

function subset(data: Dataset, order: Int32Array, start: number, end: number): Dataset {
  const { inputSize: d, outputSize: K } = data;
  const count = end - start;
  const inputs = new Float64Array(count * d);
  const targets = new Float64Array(count * K);
  for (let r = 0; r < count; r++) {
    const i = order[start + r];
    inputs.set(data.inputs.subarray(i * d, (i + 1) * d), r * d);
    targets.set(data.targets.subarray(i * K, (i + 1) * K), r * K);
  }
  return { inputs, targets, count, inputSize: d, outputSize: K, description: data.description };
}

/**
 * Trains an MLP in the float64 engine (exact gradients by back-propagation), for small models in tests
 * and examples where the trained network must be reproducible bit for bit. Adam (Kingma & Ba 2015,
 * β = (0.9, 0.999), ε = 1e-8) or SGD with momentum. Large models train on TensorFlow.js instead.
 */
export function trainMlp(spec: MlpSpec, initial: Float64Array, data: Dataset, loss: Loss, options: TrainMlpOptions): TrainMlpResult {
  const optimizer = options.optimizer ?? 'adam';
  const learningRate = options.learningRate ?? (optimizer === 'adam' ? 1e-2 : 1e-1);
  const momentum = options.momentum ?? 0.9;
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new InvalidArgumentError(`learning rate must be a positive number, got ${learningRate}`);
  if (!Number.isInteger(options.epochs) || options.epochs < 0) throw new InvalidArgumentError(`epochs must be a non-negative integer, got ${options.epochs}`);
  const batchSize = options.batchSize ?? data.count;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`batch size must be a positive integer, got ${batchSize}`);
  const params = initial.slice();
  const p = params.length;
  const m = new Float64Array(p);
  const v = new Float64Array(p);
  const rng = new Random(options.seed ?? 0);
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  const gradient = new Float64Array(p);
  let step = 0;
  let status = new MlpEvaluation(spec, params, data, loss);
  let gradientNorm = Math.sqrt(status.gradient(gradient).reduce((s, g) => s + g * g, 0));
  let epoch = 0;
  const reached = () => options.targetGradientNorm !== undefined && gradientNorm <= options.targetGradientNorm;
  while (epoch < options.epochs && !reached()) {
    if (batchSize < data.count) rng.shuffle(order);
    for (let start = 0; start < data.count; start += batchSize) {
      const batch = batchSize >= data.count ? data : subset(data, order, start, Math.min(data.count, start + batchSize));
      new MlpEvaluation(spec, params, batch, loss).gradient(gradient);
      step++;
      if (optimizer === 'adam') {
        const c1 = 1 - 0.9 ** step;
        const c2 = 1 - 0.999 ** step;
        for (let i = 0; i < p; i++) {
          m[i] = 0.9 * m[i] + 0.1 * gradient[i];
          v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i];
          params[i] -= (learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-8);
        }
      } else {
        for (let i = 0; i < p; i++) {
          m[i] = momentum * m[i] + gradient[i];
          params[i] -= learningRate * m[i];
        }
      }
    }
    epoch++;
    status = new MlpEvaluation(spec, params, data, loss);
    let squares = 0;
    for (const g of status.gradient(gradient)) squares += g * g;
    gradientNorm = Math.sqrt(squares);
    if (!Number.isFinite(status.value)) throw new InvalidArgumentError(`training diverged at epoch ${epoch} (loss ${status.value}); lower the learning rate`);
    options.onEpoch?.(epoch, status.value, gradientNorm);
  }
  return { params, epochs: epoch, loss: status.value, gradientNorm, converged: reached() };
}
