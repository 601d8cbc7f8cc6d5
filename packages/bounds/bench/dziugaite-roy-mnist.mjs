// Dziugaite–Roy on binary MNIST (digits < 5 vs ≥ 5) with a 784-600-2 ReLU network, on TensorFlow.js.
// Usage (after `pnpm --filter @intrinsic/bounds... build`):
//   node bench/dziugaite-roy-mnist.mjs [--random-labels] [--train 8000] [--epochs 20] [--iterations 2000] [--lr 0.01] [--mean-lr 0.001] [--initial-std 0.03|abs-weights]
//   [--initial-prior-variance 0.001] [--mc 100000] [--init he-normal|truncated-normal --init-std 0.04 --first-bias 0.1] [--output-init-scale 1]
//   [--objective pinsker|kl-inverse] [--prior-per-array]
//   [--prior-data 0.5 [--prior-epochs 10] [--posterior-start prior|all] [--split-seed S]]  (data-dependent prior: w_P = SGD(w₀; S_prior),
//   Q optimised and certified on S_bound with m = |S_bound|; `all`: Q starts at SGD(w_P; all of S) for --epochs, else at w_P)
// Prints one JSON line with the bound, test error, KL, time and backend. Not a test.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { initializeParameters, loadMnist, mlpSpec, parameterLayout } from '@intrinsic/models';
import { evaluateMlpTfjs, selectBackend, trainMlpTfjs } from '@intrinsic/models/tfjs';
import { Random } from '@intrinsic/spectra';
import { certifyDataDependentPriorPosterior, certifyDziugaiteRoyPosterior, certifyDziugaiteRoyPosteriorLayerwise, optimizeDziugaiteRoyPosterior, posteriorErrorMonteCarlo, trainDataDependentPrior } from '../dist/tfjs/index.js';
import { splitPriorBoundData } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    'random-labels': { type: 'boolean', default: false },
    train: { type: 'string', default: '8000' },
    test: { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '10' },
    iterations: { type: 'string', default: '2000' },
    lr: { type: 'string', default: '0.01' },
    'mean-lr': { type: 'string', default: '0.001' },
    'initial-prior-variance': { type: 'string', default: '0.001' },
    'initial-std': { type: 'string', default: '0.03' },
    mc: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string', default: '0' },
    init: { type: 'string', default: 'he-normal' },
    'init-std': { type: 'string', default: '0.04' },
    'first-bias': { type: 'string', default: '0' },
    'output-init-scale': { type: 'string', default: '1' },
    objective: { type: 'string', default: 'pinsker' },
    'prior-per-array': { type: 'boolean', default: false },
    'prior-data': { type: 'string' },
    'prior-epochs': { type: 'string', default: '10' },
    'posterior-start': { type: 'string', default: 'prior' },
    'split-seed': { type: 'string' },
  },
});
const require = createRequire(import.meta.url);
const selection = await selectBackend({
  preferred: values.backend,
  loaders: {
    wasm: async () => {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    },
    cpu: async () => {
      await import('@tensorflow/tfjs-backend-cpu');
    },
  },
});
const log = (text) => process.stderr.write(`${text}\n`);
const seed = Number(values.seed);

/** Digits < 5 → class 0, ≥ 5 → class 1; optionally every label replaced by a fair coin. */
function binary(data, randomLabels, labelSeed) {
  const random = new Random(labelSeed);
  const labels = new Int32Array(data.count);
  const targets = new Float64Array(2 * data.count);
  for (let i = 0; i < data.count; i++) {
    labels[i] = randomLabels ? random.integer(2) : data.labels[i] >= 5 ? 1 : 0;
    targets[2 * i + labels[i]] = 1;
  }
  return { ...data, labels, targets, outputSize: 2, description: `${data.description}, binary${randomLabels ? ' random labels' : ' <5 vs >=5'}` };
}

const mnist = await loadMnist({ trainSamples: Number(values.train), testSamples: Number(values.test), seed, packageDirectory: dirname(require.resolve('mnist/package.json')) });
const train = binary(mnist.train, values['random-labels'], seed + 1);
// --test 0: all digits bound the error (m = --train); no held-out test error then.
const test = mnist.test ? binary(mnist.test, values['random-labels'], seed + 2) : null;
const spec = mlpSpec({ widths: [784, 600, 2], activation: 'relu', bias: true, init: 'he-normal', seed });
/**
 * Dziugaite & Roy's initialisation (pacbayes-opt, mlp_fn.py): every weight from a normal of standard deviation
 * `std` truncated at ±2 std (resampled outside), the first layer's biases at `firstBias`, the others at 0.
 */
function truncatedNormalInit(spec, std, firstBias) {
  const layout = parameterLayout(spec);
  const params = new Float64Array(layout.size);
  const random = new Random(spec.seed);
  for (const view of layout.views) {
    for (let i = view.offset; i < view.offset + view.size; i++) {
      if (view.kind === 'bias') { params[i] = view.layer === 1 ? firstBias : 0; continue; }
      let z;
      do z = random.gaussian(); while (Math.abs(z) > 2);
      params[i] = std * z;
    }
  }
  return params;
}
const w0 = values.init === 'truncated-normal'
  ? truncatedNormalInit(spec, Number(values['init-std']), Number(values['first-bias']))
  : initializeParameters(spec);
/** Scales the last layer's initial weights (0: the network starts at f ≡ 0 and w₀'s output layer is zero). */
function scaleOutputLayer(params, factor) {
  const last = parameterLayout(spec).views.filter((v) => v.kind === 'weight').at(-1);
  for (let i = last.offset; i < last.offset + last.size; i++) params[i] *= factor;
}
scaleOutputLayer(w0, Number(values['output-init-scale']));
const started = performance.now();
const sgdSettings = { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9, batchSize: 100, seed };
const onEpoch = (r) => log(`epoch ${r.epoch} loss ${r.loss.toFixed(4)} acc ${r.accuracy?.toFixed(4)} ${r.seconds.toFixed(1)} s`);
// Data-dependent prior (--prior-data α): S split by a seeded permutation fixed before any training; the prior mean
// w_P = SGD(w₀; S_prior) with the settings above (fixed in advance, no early stopping); the bound is evaluated on S_bound.
const dataDependent = values['prior-data'] !== undefined;
if (dataDependent && values['prior-per-array']) throw new Error('--prior-data with --prior-per-array is not supported');
if (!['prior', 'all'].includes(values['posterior-start'])) throw new Error(`--posterior-start must be prior or all, got ${values['posterior-start']}`);
const splitSeed = values['split-seed'] === undefined ? seed + 5 : Number(values['split-seed']);
const split = dataDependent ? splitPriorBoundData(train, { priorFraction: Number(values['prior-data']), seed: splitSeed }) : null;
const prior = split
  ? await trainDataDependentPrior({ spec, initialParams: w0, split, epochs: Number(values['prior-epochs']), learningRate: 0.01, momentum: 0.9, batchSize: 100, seed, onEpoch: (e, loss, t) => log(`prior epoch ${e} loss ${loss.toFixed(4)} ${t.toFixed(1)} s`) })
  : null;
if (prior) log(`prior: ${prior.priorSetSize} rows, train error ${prior.priorTrainError.toFixed(4)}, ${prior.seconds.toFixed(1)} s`);
/** The prior mean: w_P (data-dependent) or w₀. */
const priorMean = prior ? prior.priorMean : w0;
/** The data the bound is evaluated on (and the posterior optimised on): S_bound or S. */
const boundData = split ? split.bound : train;
const trained = split && values['posterior-start'] === 'prior'
  ? { params: priorMean, epochs: 0 }
  : await trainMlpTfjs(spec, priorMean, train, 'cross-entropy', { ...sgdSettings, epochs: Number(values.epochs), onEpoch });
const trainSeconds = (performance.now() - started) / 1000;
const trainEval = evaluateMlpTfjs(spec, trained.params, train, 'cross-entropy');
const boundEval = split ? evaluateMlpTfjs(spec, trained.params, split.bound, 'cross-entropy') : null;
const priorOnBound = split ? evaluateMlpTfjs(spec, priorMean, split.bound, 'cross-entropy') : null;
const testEval = test ? evaluateMlpTfjs(spec, trained.params, test, 'cross-entropy') : null;
log(`trained: train error ${(1 - trainEval.accuracy).toFixed(4)}, test error ${testEval ? (1 - testEval.accuracy).toFixed(4) : '–'}, ${trainSeconds.toFixed(1)} s`);

const initialStd = values['initial-std'] === 'abs-weights' ? 'abs-weights' : Number(values['initial-std']);
const optimised = await optimizeDziugaiteRoyPosterior({
  spec, params: trained.params, initialParams: priorMean, data: boundData, initialStd, initialPriorVariance: Number(values['initial-prior-variance']), iterations: Number(values.iterations), learningRate: Number(values.lr), meanLearningRate: Number(values['mean-lr']), batchSize: 100, seed, recordEvery: 250, objective: values.objective, priorVariancePerArray: values['prior-per-array'],
  onIteration: (i) => { if (i % 100 === 0) log(`step ${i} ${((performance.now() - started) / 1000).toFixed(0)} s`); },
});
for (const h of optimised.history) log(`step ${h.iteration} objective ${h.objective.toFixed(4)} surrogate ${h.surrogate.toFixed(4)} KL ${h.kl.toFixed(0)} λ ${(h.priorVariances ?? [h.priorVariance]).map((v) => v.toExponential(3)).join(' ')}`);
const certifyOptions = { spec, mean: optimised.mean, std: optimised.std, priorMean, data: train, monteCarloSamples: Number(values.mc), seed: seed + 3 };
const certified = split
  ? await certifyDataDependentPriorPosterior({ spec, mean: optimised.mean, std: optimised.std, priorMean, split, priorVariance: optimised.priorVariance, monteCarloSamples: Number(values.mc), seed: seed + 3 })
  : values['prior-per-array']
  ? await certifyDziugaiteRoyPosteriorLayerwise({ ...certifyOptions, priorVariances: optimised.priorVariances })
  : await certifyDziugaiteRoyPosterior({ ...certifyOptions, priorVariance: optimised.priorVariance });
/** λ of every coordinate: the certified single λ, or each parameter array's own. */
const priorVarianceOf = (() => {
  if (!certified.priorVariances) return () => certified.priorVariance;
  const perCoordinate = new Float64Array(w0.length);
  parameterLayout(spec).views.forEach((v, g) => perCoordinate.fill(certified.priorVariances[g], v.offset, v.offset + v.size));
  return (i) => perCoordinate[i];
})();
const testQ = test ? await posteriorErrorMonteCarlo({ spec, mean: optimised.mean, std: optimised.std, data: test, samples: 20000, seed: seed + 4 }) : null;
const testMean = test ? evaluateMlpTfjs(spec, optimised.mean, test, 'cross-entropy') : null;
/** ‖a − w₀‖². */
function distanceSquared(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum;
}
/** KL(Q‖P) split into the mean part Σ (w − w₀)²/(2λ) and the variance part ½ Σ (σ²/λ − 1 − ln(σ²/λ)). */
function klParts(mean, std) {
  let variance = 0;
  let meanPart = 0;
  for (let i = 0; i < std.length; i++) {
    const lambda = priorVarianceOf(i);
    const r = (std[i] * std[i]) / lambda;
    variance += 0.5 * (r - 1 - Math.log(r));
    meanPart += (mean[i] - priorMean[i]) ** 2 / (2 * lambda);
  }
  return { distanceSquared: distanceSquared(mean, priorMean), meanPart, variancePart: variance };
}
/** ‖a − b‖² per parameter array (W1, b1, W2, b2). */
function distanceSquaredByArray(a, b) {
  const out = {};
  for (const view of parameterLayout(spec).views) {
    let sum = 0;
    for (let i = view.offset; i < view.offset + view.size; i++) sum += (a[i] - b[i]) ** 2;
    out[view.name] = sum;
  }
  return out;
}
const summary = {
  settings: values,
  backend: selection.backend,
  tfjsBackend: tf.getBackend(),
  data: train.description,
  m: certified.trainingSetSize ?? boundData.count,
  p: w0.length,
  priorKind: certified.priorKind ?? 'initial weights w0',
  prior: prior ? { rows: prior.priorSetSize, fraction: split.priorFraction, splitSeed: split.seed, epochs: prior.epochs, trainError: prior.priorTrainError, boundError: 1 - priorOnBound.accuracy, distanceSquaredFromW0: distanceSquared(priorMean, w0), seconds: prior.seconds } : null,
  posteriorStart: split ? values['posterior-start'] : 'sgd from w0',
  startBoundError: boundEval ? 1 - boundEval.accuracy : null,
  sgd: { epochs: trained.epochs, trainError: 1 - trainEval.accuracy, testError: testEval ? 1 - testEval.accuracy : null, seconds: trainSeconds },
  optimisation: { iterations: optimised.iterations, seconds: optimised.seconds, final: optimised.history.at(-1) },
  bound: certified.bound,
  sampledTrainError: certified.sampledError,
  empiricalErrorUpper: certified.empiricalErrorUpper,
  kl: certified.kl,
  priorVariance: certified.priorVariance,
  priorGridIndex: certified.priorGridIndex ?? certified.priorGridIndices,
  priorVariances: certified.priorVariances ?? null,
  klByArray: certified.klByGroup ?? null,
  confidence: certified.confidence,
  monteCarloSamples: certified.monteCarloSamples,
  posteriorTestError: testQ ? testQ.sampledError : null,
  meanTestError: testMean ? 1 - testMean.accuracy : null,
  medianStd: Float64Array.from(optimised.std).sort()[optimised.std.length >> 1],
  klParts: klParts(optimised.mean, optimised.std),
  // Distances from the prior mean (w₀, or w_P with --prior-data).
  trainedDistanceSquared: distanceSquared(trained.params, priorMean),
  trainedDistanceSquaredByArray: distanceSquaredByArray(trained.params, priorMean),
  distanceSquaredByArray: distanceSquaredByArray(optimised.mean, priorMean),
  seconds: (performance.now() - started) / 1000,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
