import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, Loss, MlpSpec } from '@intrinsic/models';
import { Random } from '@intrinsic/spectra';
import { UsageError } from '../cli-error.js';

/** A trained network with its training split and (when recorded) its held-out test split. */
export interface PruneTarget {
  spec: MlpSpec;
  params: Float64Array;
  loss: Loss;
  train: Dataset;
  test?: Dataset;
  /** One line for reports. */
  description: string;
}

function datasetFromJson(json: Record<string, unknown>, where: string): Dataset {
  const rows = json.inputs as number[][];
  const targets = json.targets as number[][];
  if (!Array.isArray(rows) || !Array.isArray(targets) || rows.length === 0 || rows.length !== targets.length) {
    throw new UsageError(`${where}: inputs and targets must be non-empty arrays of the same length`);
  }
  const d = rows[0].length;
  const K = targets[0].length;
  const labels = Array.isArray(json.labels) ? Int32Array.from(json.labels as number[]) : undefined;
  return {
    inputs: Float64Array.from(rows.flat()),
    targets: Float64Array.from(targets.flat()),
    ...(labels ? { labels } : {}),
    count: rows.length,
    inputSize: d,
    outputSize: K,
    description: String(json.description ?? where),
  };
}

/**
 * Loads `--model RUN` for pruning: the parameters (float64, exact from params.json), the loss, and both
 * data splits — the arrays of data.json when stored there, else regenerated from the data settings that
 * `intrinsic train` records in spec.json (kind, classes, input size, train/test counts, normalization,
 * seed) with the same `trainingData` the training used, so the test split is the held-out one.
 * Run folders of `rank --save-run` hold only training data: `test` is then undefined.
 *
 * @throws UsageError when the path is missing or holds no data.
 */
export async function pruneTarget(path: string): Promise<PruneTarget> {
  if (!existsSync(path)) throw new UsageError(`--model: run folder '${path}' does not exist`);
  const { loadMlpModel } = await import('@intrinsic/models/tfjs');
  const model = await loadMlpModel(path);
  const loss: Loss = model.loss ?? 'cross-entropy';
  let train: Dataset | undefined;
  let test: Dataset | undefined;
  const dataFile = join(path, 'data.json');
  if (existsSync(dataFile)) {
    const json = JSON.parse(readFileSync(dataFile, 'utf8')) as Record<string, unknown>;
    const stored = (json.train ?? json) as Record<string, unknown>;
    if (Array.isArray(stored.inputs)) train = datasetFromJson(stored, `${dataFile} (train)`);
    const storedTest = json.test as Record<string, unknown> | undefined;
    if (storedTest && Array.isArray(storedTest.inputs)) test = datasetFromJson(storedTest, `${dataFile} (test)`);
  }
  const specFile = join(path, 'spec.json');
  if (!train && existsSync(specFile)) {
    const recorded = (JSON.parse(readFileSync(specFile, 'utf8')) as { data?: Record<string, unknown> }).data;
    if (recorded && typeof recorded.kind === 'string' && recorded.trainSamples !== undefined) {
      const { trainingData } = await import('../commands/train.js');
      const inputSize = Number(recorded.inputSize);
      const image = recorded.kind === 'mnist' || recorded.kind === 'fashion-mnist';
      const split = await trainingData({
        data: recorded.kind as 'mnist',
        side: image ? Math.round(Math.sqrt(inputSize)) : undefined,
        classes: (recorded.classes as number[] | null) ?? undefined,
        trainSamples: Number(recorded.trainSamples),
        testSamples: Number(recorded.testSamples ?? 0),
        normalization: (recorded.normalization as 'none') ?? 'none',
        labelNoise: 0,
        widths: model.spec.widths,
        activation: model.spec.activation,
        bias: model.spec.bias,
        init: model.spec.init,
        loss,
        optimizer: 'adam',
        momentum: 0.9,
        epochs: 0,
        seed: Number(recorded.seed ?? 0),
        resume: false,
        checkpointEvery: 1,
      });
      train = split.train;
      test = split.test;
    }
  }
  if (!train) throw new UsageError(`--model ${path}: no data found (data.json arrays or the data settings of 'intrinsic train' in spec.json)`);
  if (train.inputSize !== model.spec.widths[0]) throw new UsageError(`--model ${path}: the data has input size ${train.inputSize}, the network expects ${model.spec.widths[0]}`);
  return { spec: model.spec, params: model.params, loss, train, ...(test ? { test } : {}), description: `${model.source} ${path}` };
}

/**
 * A seeded subset of `count` samples (partial Fisher–Yates shuffle of the sample indices with
 * `new Random(seed)`), in the drawn order: the samples whose gradients enter the Fisher methods.
 */
export function sampleSubset(data: Dataset, count: number, seed: number): Dataset {
  const N = data.count;
  const order = Int32Array.from({ length: N }, (_, i) => i);
  const random = new Random(seed);
  for (let i = 0; i < count; i++) {
    const j = i + random.integer(N - i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const { inputSize: d, outputSize: K } = data;
  const inputs = new Float64Array(count * d);
  const targets = new Float64Array(count * K);
  const labels = data.labels ? new Int32Array(count) : undefined;
  for (let i = 0; i < count; i++) {
    const s = order[i];
    inputs.set(data.inputs.subarray(s * d, (s + 1) * d), i * d);
    targets.set(data.targets.subarray(s * K, (s + 1) * K), i * K);
    if (labels) labels[i] = data.labels![s];
  }
  return { inputs, targets, ...(labels ? { labels } : {}), count, inputSize: d, outputSize: K, description: `${count} samples drawn with seed ${seed} from ${data.description}` };
}
