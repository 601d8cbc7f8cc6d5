import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataset, initializeParameters, mlpSpec, type Dataset, type Loss, type MlpSpec } from '@intrinsic/models';
import { UsageError } from './cli-error.js';
import type { ModelSettings } from './args.js';

/** Flags that choose what to analyse: a fresh initialisation (the model flags) or a saved model. */
export const modelSourceFlags = {
  model: { type: 'string' },
} as const;

/** The network, parameters, data and loss an analysis command works on. */
export interface AnalysisTarget {
  spec: MlpSpec;
  params: Float64Array;
  data: Dataset;
  loss: Loss;
  /** `init` (from the flags), `run-folder` or `tfjs`. */
  source: string;
  /** One line for reports. */
  description: string;
}

/** True when a flag was written on the command line (parseArgs fills defaults, so presence is checked here). */
export function flagGiven(argv: string[], name: string): boolean {
  return argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
}

/** A data set from its JSON form in a run folder (rows of inputs and targets, optional labels). */
export function datasetFromJson(json: Record<string, unknown>, where: string): Dataset {
  const rows = (value: unknown, name: string): number[][] => {
    if (!Array.isArray(value) || !value.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
      throw new UsageError(`${where}: '${name}' must be an array of rows of finite numbers`);
    }
    return value as number[][];
  };
  const inputs = rows(json.inputs, 'inputs');
  const targets = rows(json.targets, 'targets');
  const d = inputs[0]?.length ?? 0;
  const K = targets[0]?.length ?? 0;
  if (inputs.length === 0 || inputs.length !== targets.length || inputs.some((r) => r.length !== d) || targets.some((r) => r.length !== K)) {
    throw new UsageError(`${where}: inputs and targets must be non-empty N × d and N × K arrays`);
  }
  const labels = Array.isArray(json.labels) ? Int32Array.from(json.labels as number[]) : undefined;
  return {
    inputs: Float64Array.from(inputs.flat()),
    targets: Float64Array.from(targets.flat()),
    ...(labels ? { labels } : {}),
    count: inputs.length,
    inputSize: d,
    outputSize: K,
    description: String(json.description ?? where),
  };
}

function firstSamples(data: Dataset, count: number): Dataset {
  if (count >= data.count) return data;
  const { inputSize: d, outputSize: K } = data;
  return {
    inputs: data.inputs.slice(0, count * d),
    targets: data.targets.slice(0, count * K),
    ...(data.labels ? { labels: data.labels.slice(0, count) } : {}),
    count,
    inputSize: d,
    outputSize: K,
    description: `${data.description}, first ${count}`,
  };
}

/**
 * What an analysis command analyses. Without `--model`: a fresh network from the model flags on
 * generated data. With `--model PATH` (a run folder of `intrinsic train` / `rank --save-run`, or a tfjs
 * model): its parameters (float64), its loss, and its training data — the arrays of data.json when they
 * are stored, or the data set regenerated from the recorded settings (MNIST, Fashion-MNIST, synthetic);
 * `--samples N` keeps the first N samples.
 */
export async function analysisTarget(values: Record<string, unknown>, settings: ModelSettings, argv: string[]): Promise<AnalysisTarget> {
  if (values.model === undefined) {
    const spec = mlpSpec({ widths: settings.widths, activation: settings.activation, bias: settings.bias, init: settings.init, seed: settings.seed });
    const K = settings.widths[settings.widths.length - 1];
    const data = defaultDataset(settings.data, settings.loss, settings.samples, settings.widths[0], K, settings.seed);
    return { spec, params: initializeParameters(spec), data, loss: settings.loss, source: 'init', description: `fresh ${settings.init} initialisation, seed ${settings.seed}` };
  }
  const path = String(values.model);
  const { loadMlpModel } = await import('@intrinsic/models/tfjs');
  const model = await loadMlpModel(path);
  const loss: Loss = flagGiven(argv, 'loss') ? settings.loss : (model.loss ?? settings.loss);
  let data = (await runDataSplits(path, model.spec, loss)).train;
  if (!data) throw new UsageError(`--model ${path}: no data found (data.json arrays or recorded training-data settings); analyse a run folder of 'intrinsic train' or 'intrinsic rank --save-run'`);
  if (data.inputSize !== model.spec.widths[0]) throw new UsageError(`--model ${path}: the data has input size ${data.inputSize}, the network expects ${model.spec.widths[0]}`);
  if (flagGiven(argv, 'samples')) data = firstSamples(data, settings.samples);
  return { spec: model.spec, params: model.params, data, loss, source: model.source, description: `${model.source} ${path}` };
}

/**
 * The data splits of a run folder: the arrays of data.json (`train` and `test`, or a single set) when
 * stored there, else the splits regenerated from the data settings that `intrinsic train` records in
 * spec.json (kind, classes, input size, train/test counts, normalisation, seed) with the same
 * `trainingData` the training used, so that `test` is the held-out split. Either may be undefined.
 */
export async function runDataSplits(path: string, spec: MlpSpec, loss: Loss): Promise<{ train?: Dataset; test?: Dataset }> {
  const dataFile = join(path, 'data.json');
  if (existsSync(dataFile)) {
    const json = JSON.parse(readFileSync(dataFile, 'utf8')) as Record<string, unknown>;
    const stored = (json.train ?? json) as Record<string, unknown>;
    const storedTest = json.test as Record<string, unknown> | undefined;
    if (Array.isArray(stored.inputs)) {
      return {
        train: datasetFromJson(stored, `${dataFile} (train)`),
        ...(storedTest && Array.isArray(storedTest.inputs) ? { test: datasetFromJson(storedTest, `${dataFile} (test)`) } : {}),
      };
    }
  }
  const specFile = join(path, 'spec.json');
  if (!existsSync(specFile)) return {};
  const recorded = (JSON.parse(readFileSync(specFile, 'utf8')) as { data?: Record<string, unknown> }).data;
  if (!recorded || typeof recorded.kind !== 'string' || recorded.trainSamples === undefined) return {};
  const { trainingData } = await import('./commands/train.js');
  const inputSize = Number(recorded.inputSize);
  const image = recorded.kind === 'mnist' || recorded.kind === 'fashion-mnist';
  return trainingData({
    data: recorded.kind as 'mnist',
    side: image ? Math.round(Math.sqrt(inputSize)) : undefined,
    classes: (recorded.classes as number[] | null) ?? undefined,
    trainSamples: Number(recorded.trainSamples),
    testSamples: Number(recorded.testSamples ?? 0),
    normalization: (recorded.normalization as 'none') ?? 'none',
    labelNoise: 0,
    widths: spec.widths,
    activation: spec.activation,
    bias: spec.bias,
    init: spec.init,
    loss,
    optimizer: 'adam',
    momentum: 0.9,
    epochs: 0,
    seed: Number(recorded.seed ?? 0),
    resume: false,
    checkpointEvery: 1,
  });
}
