import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, NonFiniteError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { assertDatasetFits, type Dataset } from '../data.js';
import { parameterLayout } from '../layout.js';
import type { Loss } from '../losses.js';
import type { MlpSpec } from '../spec.js';
import { lossSumTensor, mlpOutputsTensor, parametersToTensors } from './mlp-tensors.js';
import { registerTfjsGradients } from './register-gradients.js';

/** Optimizer state as plain arrays, in the tfjs optimizer's weight order (first the iteration count). */
export interface OptimizerState {
  optimizer: 'adam' | 'sgd';
  weights: { shape: number[]; values: Float32Array }[];
}

/** Where a training run stands: enough to write a checkpoint and to resume from it. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** Current parameters (documented flat layout, float32 values in float64). */
  params: Float64Array;
  optimizerState: OptimizerState;
}

/** Full-data figures of a network. */
export interface TfjsEvaluation {
  /** Mean loss (1/N) Σ ℓ_i. */
  loss: number;
  /** Fraction of samples whose largest output is the label (classification data only). */
  accuracy?: number;
}

/** One epoch of {@link trainMlpTfjs}. */
export interface EpochRecord extends TfjsEvaluation {
  epoch: number;
  /** ‖∇L‖₂ of the mean training loss on the full training data. */
  gradientNorm: number;
  /** Loss and accuracy on `options.test` when given. */
  test?: TfjsEvaluation;
  /** Seconds since training started (this call). */
  seconds: number;
}

/** Options of {@link trainMlpTfjs}. */
export interface TrainMlpTfjsOptions {
  /** `adam` (default; β = 0.9, 0.999, ε = 1e-8, as the float64 trainer) or `sgd` with heavy-ball momentum. */
  optimizer?: 'adam' | 'sgd';
  /** Default 1e-3 for Adam, 0.1 for SGD. */
  learningRate?: number;
  /** SGD momentum (default 0.9; 0 gives plain SGD). */
  momentum?: number;
  /** Stop after this many epochs in total (counting those before a resume). */
  epochs: number;
  /** Mini-batch size; the full data set when omitted (full-batch gradient descent). */
  batchSize?: number;
  /** Stop as soon as the full-data gradient norm is at most this (checked after every epoch and before the first). */
  targetGradientNorm?: number;
  /** Seed of the mini-batch orders: epoch e uses `new Random(seed + 7919·e)`, so a resumed run repeats the orders of an uninterrupted one. */
  seed?: number;
  /** Held-out data evaluated after every epoch. */
  test?: Dataset;
  /** Continue from a saved state (its epoch count, parameters replace `initial`, optimizer moments restored). */
  resume?: TrainingState;
  /** Called after every mini-batch step with the epoch (from 1), the batch (from 1) and the batches per epoch. */
  onBatch?: (epoch: number, batch: number, batches: number) => void;
  /** Called after every epoch; may be async (awaited). */
  onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** Called every `checkpointEvery` epochs and at the end with the state to save; may be async. */
  onCheckpoint?: (state: TrainingState) => void | Promise<void>;
  /** Epochs between checkpoints (default: only at the end). */
  checkpointEvery?: number;
  /** Samples per tfjs call when evaluating the full data (default 2,000). */
  evaluationBatchSize?: number;
}

/** Result of {@link trainMlpTfjs}. */
export interface TrainMlpTfjsResult {
  params: Float64Array;
  /** Epochs completed in total. */
  epochs: number;
  /** Last full-data figures (or those before training when no epoch ran). */
  final: EpochRecord;
  history: EpochRecord[];
  /** True when the target gradient norm was reached. */
  converged: boolean;
  backend: string;
}

function dataTensors(data: Dataset) {
  return {
    x: tf.tensor2d(Float32Array.from(data.inputs), [data.count, data.inputSize]),
    y: tf.tensor2d(Float32Array.from(data.targets), [data.count, data.outputSize]),
    labels: data.labels ? tf.tensor1d(data.labels, 'int32') : undefined,
  };
}

/**
 * Full-data mean loss, accuracy and (optionally) the gradient of the mean loss, in float32 batches with
 * float64 sums on the host.
 */
function evaluate(spec: MlpSpec, loss: Loss, weights: tf.Tensor[], data: Dataset, batchSize: number, withGradient: boolean) {
  const { inputSize: d, outputSize: K } = data;
  let lossSum = 0;
  let correct = 0;
  const p = parameterLayout(spec).size;
  const gradient = new Float64Array(withGradient ? p : 0);
  const views = parameterLayout(spec).views;
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(data.count, start + batchSize);
    tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(data.inputs.subarray(start * d, end * d)), [end - start, d]);
      const y = tf.tensor2d(Float32Array.from(data.targets.subarray(start * K, end * K)), [end - start, K]);
      const f = (...ws: tf.Tensor[]) => lossSumTensor(loss, mlpOutputsTensor(spec, ws, x), y);
      if (withGradient) {
        const { value, grads } = tf.valueAndGrads(f)(weights);
        lossSum += value.dataSync()[0];
        views.forEach((v, i) => {
          const g = grads[i].dataSync();
          for (let j = 0; j < v.size; j++) gradient[v.offset + j] += g[j];
        });
      } else {
        lossSum += f(...weights).dataSync()[0];
      }
      if (data.labels) {
        const predicted = tf.argMax(mlpOutputsTensor(spec, weights, x), 1).dataSync();
        for (let i = 0; i < end - start; i++) if (predicted[i] === data.labels[start + i]) correct++;
      }
    });
  }
  let norm = 0;
  for (let i = 0; i < gradient.length; i++) norm += (gradient[i] / data.count) ** 2;
  return { loss: lossSum / data.count, ...(data.labels ? { accuracy: correct / data.count } : {}), gradientNorm: Math.sqrt(norm) };
}

/**
 * Full-data mean loss and accuracy of an MLP on tfjs (float32 forward, float64 sums).
 * @throws ShapeMismatchError / InvalidArgumentError when parameters or data do not fit the spec.
 */
export function evaluateMlpTfjs(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss): TfjsEvaluation {
  assertDatasetFits(data, spec.widths[0], spec.widths[spec.widths.length - 1]);
  const weights = parametersToTensors(spec, params);
  try {
    const { loss: value, accuracy } = evaluate(spec, loss, weights, data, 2000, false);
    return { loss: value, ...(accuracy === undefined ? {} : { accuracy }) };
  } finally {
    tf.dispose(weights);
  }
}

/**
 * Trains an MLP on TensorFlow.js (float32, the active backend): Adam (Kingma & Ba 2015) or SGD with
 * heavy-ball momentum v ← μ v + g, θ ← θ − η v (tfjs' `MomentumOptimizer`), on the mean loss over each
 * mini-batch (MSE ½‖f − y‖² or softmax cross-entropy, as the float64 engine). Mini-batches follow a seeded
 * shuffle per epoch; after each epoch the full training data gives the loss, accuracy and gradient norm
 * ‖∇L‖ (the stopping rule of the Lipschitz paper, e.g. ≤ 0.01), and the test data its loss and accuracy.
 *
 * Cost per epoch: one forward and backward pass per batch plus one full-data evaluation pass.
 *
 * @param initial - starting parameters in the documented layout (ignored when `options.resume` is given).
 * @returns the trained parameters read back to float64, the history and whether the target norm was reached.
 * @throws InvalidArgumentError for bad options, data that does not fit, or a resume state of another
 * optimizer; NonFiniteError when the loss becomes NaN or infinite (lower the learning rate).
 */
export async function trainMlpTfjs(spec: MlpSpec, initial: Float64Array, data: Dataset, loss: Loss, options: TrainMlpTfjsOptions): Promise<TrainMlpTfjsResult> {
  registerTfjsGradients();
  const layout = parameterLayout(spec);
  assertDatasetFits(data, spec.widths[0], spec.widths[spec.widths.length - 1]);
  if (options.test) assertDatasetFits(options.test, spec.widths[0], spec.widths[spec.widths.length - 1]);
  const start = options.resume?.params ?? initial;
  if (start.length !== layout.size) throw new ShapeMismatchError(`trainMlpTfjs: parameters have length ${start.length}, the spec has p = ${layout.size}`);
  const optimizerName = options.optimizer ?? 'adam';
  if (optimizerName !== 'adam' && optimizerName !== 'sgd') throw new InvalidArgumentError(`trainMlpTfjs: unknown optimizer '${String(optimizerName)}'; supported: adam, sgd`);
  const learningRate = options.learningRate ?? (optimizerName === 'adam' ? 1e-3 : 0.1);
  const momentum = options.momentum ?? 0.9;
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new InvalidArgumentError(`trainMlpTfjs: learning rate must be a positive number, got ${learningRate}`);
  if (!(momentum >= 0 && momentum < 1)) throw new InvalidArgumentError(`trainMlpTfjs: momentum must be in [0, 1), got ${momentum}`);
  if (!Number.isInteger(options.epochs) || options.epochs < 0) throw new InvalidArgumentError(`trainMlpTfjs: epochs must be a non-negative integer, got ${options.epochs}`);
  const batchSize = Math.min(options.batchSize ?? data.count, data.count);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`trainMlpTfjs: batch size must be a positive integer, got ${options.batchSize}`);
  const evaluationBatchSize = options.evaluationBatchSize ?? 2000;
  const seed = options.seed ?? 0;
  if (options.resume && options.resume.optimizerState.optimizer !== optimizerName) {
    throw new InvalidArgumentError(`trainMlpTfjs: the checkpoint was trained with ${options.resume.optimizerState.optimizer}, not ${optimizerName}`);
  }

  const variables = parametersToTensors(spec, start).map((t) => {
    const v = tf.variable(t, true);
    t.dispose();
    return v;
  });
  const optimizer = optimizerName === 'adam' ? tf.train.adam(learningRate, 0.9, 0.999, 1e-8) : tf.train.momentum(learningRate, momentum);
  const { x, y } = dataTensors(data);
  const began = performance.now();
  const history: EpochRecord[] = [];
  const readParams = () => {
    const params = new Float64Array(layout.size);
    layout.views.forEach((v, i) => params.set(variables[i].dataSync(), v.offset));
    return params;
  };
  const state = async (epoch: number): Promise<TrainingState> => ({
    epoch,
    params: readParams(),
    optimizerState: {
      optimizer: optimizerName,
      weights: await Promise.all(
        (await optimizer.getWeights()).map(async (w) => ({ shape: w.tensor.shape, values: Float32Array.from(await w.tensor.data()) })),
      ),
    },
  });
  const record = (epoch: number): EpochRecord => {
    const train = evaluate(spec, loss, variables, data, evaluationBatchSize, true);
    if (!Number.isFinite(train.loss)) throw new NonFiniteError(`trainMlpTfjs: the training loss is ${train.loss} after epoch ${epoch}; lower the learning rate`);
    const test = options.test ? evaluate(spec, loss, variables, options.test, evaluationBatchSize, false) : undefined;
    return {
      epoch,
      loss: train.loss,
      ...(train.accuracy === undefined ? {} : { accuracy: train.accuracy }),
      gradientNorm: train.gradientNorm,
      ...(test ? { test: { loss: test.loss, ...(test.accuracy === undefined ? {} : { accuracy: test.accuracy }) } } : {}),
      seconds: (performance.now() - began) / 1000,
    };
  };
  try {
    let epoch = options.resume?.epoch ?? 0;
    if (options.resume) {
      // Build the optimizer's slots with one zero-gradient step's worth of variables, then overwrite them.
      const saved = options.resume.optimizerState.weights;
      await optimizer.setWeights(saved.map((w, i) => ({ name: i === 0 ? 'iter' : `slot${i}`, tensor: tf.tensor(w.values, w.shape) })));
    }
    let last = record(epoch);
    const reached = () => options.targetGradientNorm !== undefined && last.gradientNorm <= options.targetGradientNorm;
    const order = Int32Array.from({ length: data.count }, (_, i) => i);
    while (epoch < options.epochs && !reached()) {
      if (batchSize < data.count) {
        for (let i = 0; i < order.length; i++) order[i] = i;
        new Random(seed + 7919 * epoch).shuffle(order);
      }
      const batches = Math.ceil(data.count / batchSize);
      for (let b = 0; b < data.count; b += batchSize) {
        const end = Math.min(data.count, b + batchSize);
        tf.tidy(() => {
          const index = batchSize < data.count ? tf.tensor1d(order.subarray(b, end), 'int32') : undefined;
          const xb = index ? (tf.gather(x, index) as tf.Tensor2D) : x;
          const yb = index ? (tf.gather(y, index) as tf.Tensor2D) : y;
          const scale = 1 / (end - b);
          optimizer.minimize(() => tf.mul(lossSumTensor(loss, mlpOutputsTensor(spec, variables, xb), yb), scale) as tf.Scalar, false, variables);
        });
        options.onBatch?.(epoch + 1, b / batchSize + 1, batches);
      }
      epoch++;
      last = record(epoch);
      history.push(last);
      await options.onEpoch?.(last);
      if (options.onCheckpoint && options.checkpointEvery && epoch % options.checkpointEvery === 0 && epoch < options.epochs && !reached()) {
        await options.onCheckpoint(await state(epoch));
      }
    }
    if (options.onCheckpoint) await options.onCheckpoint(await state(epoch));
    return { params: readParams(), epochs: epoch, final: last, history, converged: reached(), backend: tf.getBackend() };
  } finally {
    tf.dispose([x, y, ...variables]);
    optimizer.dispose();
  }
}
