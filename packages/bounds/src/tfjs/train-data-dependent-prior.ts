import type { MlpSpec } from '@intrinsic/models';
import { trainMlpTfjs } from '@intrinsic/models/tfjs';
import { parameterCount } from '@intrinsic/models';
import { assertFiniteArray, assertInteger, assertPositive } from '../internal/guards.js';
import type { PriorBoundSplit } from '../pac-bayes/split-prior-bound-data.js';

/** Options of {@link trainDataDependentPrior}. Every setting must be fixed before S_bound is looked at. */
export interface TrainDataDependentPriorOptions {
  spec: MlpSpec;
  /** w₀, the data-independent starting weights (length p). */
  initialParams: Float64Array;
  /** The split; only `split.prior` is read. */
  split: PriorBoundSplit;
  /** SGD epochs over S_prior (a fixed number: no early stopping on S_bound). Default 10. */
  epochs?: number;
  /** SGD learning rate. Default 0.01. */
  learningRate?: number;
  /** Heavy-ball momentum. Default 0.9. */
  momentum?: number;
  /** Default 100. */
  batchSize?: number;
  /** Seed of the mini-batch orders. Default 0. */
  seed?: number;
  onEpoch?: (epoch: number, loss: number, seconds: number) => void;
}

/** Result of {@link trainDataDependentPrior}. */
export interface TrainDataDependentPriorResult {
  /** w_P, the prior mean. */
  priorMean: Float64Array;
  /** |S_prior|, the rows it was trained on. */
  priorSetSize: number;
  /** Training error of w_P on S_prior. */
  priorTrainError: number;
  epochs: number;
  seconds: number;
}

/**
 * The mean of a data-dependent PAC-Bayes prior: w_P = SGD(w₀; S_prior) with cross-entropy, a fixed number of
 * epochs and fixed settings (Dziugaite, Hsu, Gharbieh, Arpino & Roy, AISTATS 2021, §3; Pérez-Ortiz,
 * Rivasplata, Shawe-Taylor & Szepesvári, JMLR 2021, §5: the prior mean learnt on a held-out part of the data).
 * Only `split.prior` is passed to the trainer, so w_P is a function of w₀, the settings and S_prior alone and
 * P = N(w_P, λI) is independent of S_bound, as the bound on S_bound requires ({@link splitPriorBoundData}).
 * Cost: `epochs` passes of forward and backward over |S_prior| rows (tfjs, the backend set by the caller).
 * @throws InvalidArgumentError / ShapeMismatchError on bad sizes or non-positive settings (and as trainMlpTfjs).
 */
export async function trainDataDependentPrior(options: TrainDataDependentPriorOptions): Promise<TrainDataDependentPriorResult> {
  const fn = 'trainDataDependentPrior';
  assertFiniteArray(fn, 'initialParams', options.initialParams, parameterCount(options.spec));
  const epochs = options.epochs ?? 10;
  const learningRate = options.learningRate ?? 0.01;
  const batchSize = options.batchSize ?? 100;
  assertInteger(fn, 'epochs', epochs, 1);
  assertInteger(fn, 'batchSize', batchSize, 1);
  assertPositive(fn, 'learningRate', learningRate);
  const prior = options.split.prior;
  const started = performance.now();
  const trained = await trainMlpTfjs(options.spec, options.initialParams, prior, 'cross-entropy', {
    optimizer: 'sgd',
    learningRate,
    momentum: options.momentum ?? 0.9,
    epochs,
    batchSize: Math.min(batchSize, prior.count),
    seed: options.seed ?? 0,
    onEpoch: options.onEpoch ? (r) => options.onEpoch!(r.epoch, r.loss, r.seconds) : undefined,
  });
  const accuracy = trained.final.accuracy;
  return {
    priorMean: trained.params,
    priorSetSize: prior.count,
    priorTrainError: accuracy === undefined ? NaN : 1 - accuracy,
    epochs: trained.epochs,
    seconds: (performance.now() - started) / 1000,
  };
}
