import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, IntrinsicError } from '@intrinsic/spectra';
import {
  defaultDataset,
  initializeNetworkParameters,
  initializeParameters,
  mlpSpec,
  networkParameterLayout,
  networkSpec,
  type Dataset,
  type LayerSpec,
  type Loss,
  type MlpSpec,
  type NetworkSpec,
} from '@intrinsic/models';
import { UsageError } from './cli-error.js';
import { readRunJson } from './run-folder.js';
import type { ModelSettings } from './args.js';

/** Flags that choose what to analyse: a fresh initialisation (the model flags) or a saved model. */
export const modelSourceFlags = {
  model: { type: 'string' },
} as const;

/** Flags of the commands that also analyse layered networks (`rank`, `spectrum`): `--model` and `--spec FILE.json`. */
export const networkSourceFlags = {
  ...modelSourceFlags,
  spec: { type: 'string' },
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
  let labels: Int32Array | undefined;
  if (json.labels !== undefined) {
    const raw = json.labels;
    if (!Array.isArray(raw) || raw.length !== inputs.length || !raw.every((c) => Number.isInteger(c) && c >= 0 && c < Math.max(K, 2))) {
      throw new UsageError(`${where}: 'labels' must be ${inputs.length} integers in [0, ${Math.max(K, 2) - 1}]`);
    }
    labels = Int32Array.from(raw as number[]);
  }
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
    const json = readRunJson(path, 'data.json');
    const stored = (json.train ?? json) as Record<string, unknown>;
    const storedTest = json.test as Record<string, unknown> | undefined;
    if (typeof stored !== 'object' || stored === null) throw new UsageError(`${dataFile}: 'train' must be an object with inputs and targets`);
    if (Array.isArray(stored.inputs)) {
      return {
        train: datasetFromJson(stored, `${dataFile} (train)`),
        ...(storedTest && Array.isArray(storedTest.inputs) ? { test: datasetFromJson(storedTest, `${dataFile} (test)`) } : {}),
      };
    }
  }
  const specFile = join(path, 'spec.json');
  if (!existsSync(specFile)) return {};
  const recorded = readRunJson(path, 'spec.json').data as Record<string, unknown> | undefined;
  if (typeof recorded !== 'object' || recorded === null || typeof recorded.kind !== 'string' || recorded.trainSamples === undefined) return {};
  const { trainingData } = await import('./commands/train.js');
  const inputSize = Number(recorded.inputSize);
  const image = recorded.kind === 'mnist' || recorded.kind === 'fashion-mnist';
  return trainingData({
    data: recorded.kind as 'mnist',
    ...(typeof recorded.file === 'string' ? { dataFile: recorded.file } : {}),
    ...(typeof recorded.labels === 'string' ? { labelsFile: recorded.labels } : {}),
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

/** A layered network (convolution, locally connected, pooling, dense) to analyse, with its parameters and data. */
export interface NetworkAnalysisTarget {
  kind: 'network';
  spec: NetworkSpec;
  params: Float64Array;
  data: Dataset;
  loss: Loss;
  /** `init` (from --spec), `run-folder` or `tfjs`. */
  source: string;
  description: string;
}

/** An MLP target ({@link analysisTarget}) or a layered network ({@link NetworkAnalysisTarget}). */
export type AnyAnalysisTarget = ({ kind: 'mlp' } & AnalysisTarget) | NetworkAnalysisTarget;

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

/**
 * Reads `--spec FILE.json`: a layered network spec, either complete (`kind: 'network'`, as in a run
 * folder's spec.json under `model`) or just `{ "input": [...], "layers": [...] }` with `bias`, `init`,
 * `seed`, `leakySlope` optional (missing ones come from --bias, --init, --seed).
 * @throws UsageError, one line naming the file, for a missing file, invalid JSON or an invalid spec.
 */
export function readNetworkSpecFile(file: string, settings: ModelSettings): NetworkSpec {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(code === 'ENOENT' ? `--spec ${file}: no such file` : `--spec ${file}: cannot read it as JSON (${firstLine(error)})`);
  }
  const raw = (typeof json === 'object' && json !== null && !Array.isArray(json) && typeof (json as { model?: unknown }).model === 'object' ? (json as { model: unknown }).model : json) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`--spec ${file}: must be a JSON object with 'input' and 'layers'`);
  if (raw.kind !== undefined && raw.kind !== 'network') throw new UsageError(`--spec ${file}: kind must be 'network', got ${JSON.stringify(raw.kind)} (MLPs are given with --widths)`);
  try {
    return networkSpec({
      bias: settings.bias,
      init: settings.init,
      seed: settings.seed,
      ...(raw as object),
      input: raw.input as number[],
      layers: raw.layers as LayerSpec[],
    });
  } catch (error) {
    if (IntrinsicError.isInstance(error)) throw new UsageError(`--spec ${file}: ${firstLine(error)}`);
    throw error;
  }
}

/** True when `path` (a --model argument) holds a layered network rather than an MLP. */
function holdsNetwork(path: string): boolean {
  const read = (file: string): Record<string, unknown> | null => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  const specJson = existsSync(join(path, 'spec.json')) ? read(join(path, 'spec.json')) : null;
  if (specJson) return ((specJson.model ?? specJson) as { kind?: unknown }).kind === 'network';
  const candidates = [path, join(path, 'model.json'), join(path, 'checkpoint', 'model.json')];
  for (const file of candidates) {
    if (!existsSync(file) || (file === path && !file.endsWith('.json'))) continue;
    const json = read(file);
    const topology = json?.modelTopology as { model_config?: unknown; config?: unknown } | undefined;
    const model = (topology?.model_config ?? topology) as { config?: unknown } | undefined;
    const config = model?.config;
    const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
    if (!Array.isArray(layers)) return false;
    const mlpLayers = new Set(['InputLayer', 'Dense', 'Activation', 'ReLU', 'LeakyReLU', 'Flatten', 'Dropout']);
    return layers.some((l) => !mlpLayers.has(String((l as { class_name?: unknown })?.class_name)));
  }
  return false;
}

/**
 * What `rank` and `spectrum` analyse: a layered network from `--spec FILE.json` (fresh initialisation
 * from the spec's seed, data from the data flags with d = the input size and K = the output size),
 * a layered network saved in `--model PATH` (a run folder with a network spec, or a tfjs model.json with
 * convolution, pooling, locally connected layers; its data.json when present, else data from the flags),
 * or else an MLP ({@link analysisTarget}).
 */
export async function anyAnalysisTarget(values: Record<string, unknown>, settings: ModelSettings, argv: string[]): Promise<AnyAnalysisTarget> {
  if (values.spec !== undefined) {
    if (values.model !== undefined) throw new UsageError('--spec and --model are exclusive: --spec builds a fresh network, --model reads a saved one');
    for (const flag of ['widths', 'activation']) {
      if (flagGiven(argv, flag)) throw new UsageError(`--spec and --${flag} are exclusive: the spec file gives the layers and their activations`);
    }
    const file = String(values.spec);
    const spec = readNetworkSpecFile(file, settings);
    const layout = networkParameterLayout(spec);
    const shapes = layout.shapes;
    const d = shapes[0].inputSize;
    const K = shapes[shapes.length - 1].outputSize;
    // Before any allocation: the parameters, the data and the engine's cached layer outputs (value, σ′, σ″ per unit).
    const units = shapes.reduce((sum, s) => sum + s.outputSize, 0);
    assertMemoryBudget(
      layout.size + settings.samples * (d + K + 3 * units),
      `--spec ${file}: p = ${layout.size} parameters and ${units} units per sample on N = ${settings.samples} samples`,
      DEFAULT_MEMORY_BUDGET_BYTES,
      'use a smaller network or fewer samples (--samples)',
    );
    if (settings.loss === 'cross-entropy' && K < 2) throw new UsageError(`--loss ce needs at least 2 outputs; the network in ${file} has ${K}`);
    const data = defaultDataset(settings.data, settings.loss, settings.samples, d, K, settings.seed);
    return { kind: 'network', spec, params: initializeNetworkParameters(spec), data, loss: settings.loss, source: 'init', description: `${file}, fresh ${spec.init} initialisation, seed ${spec.seed}` };
  }
  if (values.model !== undefined && holdsNetwork(String(values.model))) {
    const path = String(values.model);
    const { loadNetworkModel } = await import('@intrinsic/models/tfjs');
    const model = await loadNetworkModel(path);
    const loss: Loss = flagGiven(argv, 'loss') ? settings.loss : (model.loss ?? settings.loss);
    const shapes = networkParameterLayout(model.spec).shapes;
    const d = shapes[0].inputSize;
    const K = shapes[shapes.length - 1].outputSize;
    const dataFile = join(path, 'data.json');
    let data: Dataset;
    if (existsSync(dataFile)) {
      const json = readRunJson(path, 'data.json');
      const stored = json.train ?? json;
      if (typeof stored !== 'object' || stored === null) throw new UsageError(`${dataFile}: 'train' must be an object with inputs and targets`);
      data = datasetFromJson(stored as Record<string, unknown>, dataFile);
      if (flagGiven(argv, 'samples')) data = firstSamples(data, settings.samples);
    } else {
      data = defaultDataset(settings.data, loss, settings.samples, d, K, settings.seed);
    }
    if (data.inputSize !== d || data.outputSize !== K) throw new UsageError(`--model ${path}: the data are ${data.inputSize} → ${data.outputSize}, the network is ${d} → ${K}`);
    return { kind: 'network', spec: model.spec, params: model.params, data, loss, source: model.source, description: `${model.source} ${path}` };
  }
  return { kind: 'mlp', ...(await analysisTarget(values, settings, argv)) };
}

function sizes(value: number | number[] | undefined): string {
  return value === undefined ? '' : Array.isArray(value) ? value.join('×') : String(value);
}

/** A one-line summary of a layered network: `[2, 6, 6] → conv2d 3 (3, same) → relu → maxpool 2 → flatten → dense 3`. */
export function describeNetwork(spec: NetworkSpec): string {
  const parts = spec.layers.map((layer) => {
    switch (layer.type) {
      case 'dense':
        return `dense ${layer.units}`;
      case 'activation':
        return layer.activation;
      case 'flatten':
        return 'flatten';
      case 'avgpool':
      case 'maxpool':
        return `${layer.type} ${sizes(layer.size)}${layer.stride !== undefined ? ` stride ${sizes(layer.stride)}` : ''}`;
      default: {
        const options = [`k ${sizes(layer.kernel)}`, ...(layer.stride !== undefined ? [`stride ${sizes(layer.stride)}`] : []), ...(layer.padding !== undefined ? [`pad ${sizes(layer.padding as number | number[]) || String(layer.padding)}`] : [])];
        return `${layer.type} ${layer.filters} (${options.join(', ')})`;
      }
    }
  });
  return [`[${spec.input.join(', ')}]`, ...parts].join(' → ');
}

/** params.json of a layered network: the documented flat layout (networkParameterLayout) with each array's shape and offset. */
export function networkParametersJson(spec: NetworkSpec, params: Float64Array): object {
  const layout = networkParameterLayout(spec);
  return {
    layout: 'flat vector = concatenation, layer by layer, of W_j then b_j, row-major (dense [out, in]; conv [filters, channels, k…]; locally connected [positions, filters, channels, k…])',
    order: layout.views.map((v) => v.name),
    size: layout.size,
    arrays: Object.fromEntries(layout.views.map((v) => [v.name, { shape: v.shape, offset: v.offset, layer: v.layerIndex, type: v.layerType }])),
    flat: Array.from(params),
  };
}
