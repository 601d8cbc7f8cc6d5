import { existsSync } from 'node:fs';
import type { Dataset, Loss, MlpSpec } from '@intrinsic/models';
import { Random } from '@intrinsic/spectra';
import { runDataSplits } from '../analysis-target.js';
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
  const { train, test } = await runDataSplits(path, model.spec, loss);
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
