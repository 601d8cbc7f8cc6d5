import { InvalidArgumentError } from '@intrinsic/spectra';
import { validateMlpSpec, type MlpSpec } from '../spec.js';
import { mlpToLayersModel } from './mlp-to-layers-model.js';
import { directorySaveHandler, loadMlpFromTfjsFiles } from './tfjs-model-files.js';
import type { TrainingState } from './train-mlp-tfjs.js';
import { nodeFsPromises, nodePath } from '../datasets/node-modules.js';

/** File of a checkpoint holding the spec, the epoch and the optimizer state's manifest. */
export const TRAINING_STATE_FILE = 'training.json';
/** File of a checkpoint holding the optimizer state (float32, little-endian, back to back). */
export const OPTIMIZER_WEIGHTS_FILE = 'optimizer.bin';

/**
 * Writes a training checkpoint to a folder: the network in tfjs format (`model.json` + `weights.bin`,
 * loadable by `tf.loadLayersModel` and by {@link loadMlpFromTfjsFiles}), plus `training.json` (format,
 * spec, epoch, optimizer, shapes of its state) and `optimizer.bin` (the optimizer's state: iteration count
 * and moments). Every file is written atomically, the state file last. Node only.
 */
export async function saveTrainingCheckpoint(directory: string, spec: MlpSpec, state: TrainingState): Promise<void> {
  const model = mlpToLayersModel(spec, state.params);
  try {
    await model.save(directorySaveHandler(directory));
  } finally {
    model.dispose();
  }
  const { writeFile, rename } = await nodeFsPromises();
  const { join } = await nodePath();
  const total = state.optimizerState.weights.reduce((n, w) => n + w.values.length, 0);
  const bytes = new Float32Array(total);
  let offset = 0;
  for (const w of state.optimizerState.weights) {
    bytes.set(w.values, offset);
    offset += w.values.length;
  }
  const write = async (name: string, content: string | Uint8Array) => {
    const path = join(directory, name);
    await writeFile(`${path}.tmp-${process.pid}`, content);
    await rename(`${path}.tmp-${process.pid}`, path);
  };
  await write(OPTIMIZER_WEIGHTS_FILE, new Uint8Array(bytes.buffer));
  const manifest = {
    format: 'intrinsic-training-checkpoint/1',
    spec,
    epoch: state.epoch,
    optimizer: state.optimizerState.optimizer,
    optimizerWeights: state.optimizerState.weights.map((w) => ({ shape: w.shape })),
  };
  await write(TRAINING_STATE_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Reads a checkpoint written by {@link saveTrainingCheckpoint}: the spec, and the state to pass as
 * `resume` to `trainMlpTfjs` (parameters from the tfjs weights, upcast to float64).
 * @throws InvalidArgumentError when a file is missing or malformed, or the model disagrees with the spec.
 */
export async function loadTrainingCheckpoint(directory: string): Promise<{ spec: MlpSpec; state: TrainingState }> {
  const { readFile } = await nodeFsPromises();
  const { join } = await nodePath();
  let manifest: { format?: string; spec?: unknown; epoch?: unknown; optimizer?: unknown; optimizerWeights?: { shape: number[] }[] };
  try {
    manifest = JSON.parse(await readFile(join(directory, TRAINING_STATE_FILE), 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(`checkpoint ${directory}: cannot read ${TRAINING_STATE_FILE} (${(error as Error).message.split('\n')[0]})`);
  }
  if (manifest.format !== 'intrinsic-training-checkpoint/1') throw new InvalidArgumentError(`checkpoint ${directory}: unknown format ${JSON.stringify(manifest.format)}`);
  validateMlpSpec(manifest.spec);
  const spec = manifest.spec;
  if (typeof manifest.epoch !== 'number' || !Number.isInteger(manifest.epoch) || manifest.epoch < 0) throw new InvalidArgumentError(`checkpoint ${directory}: epoch ${JSON.stringify(manifest.epoch)} is not a non-negative integer`);
  if (manifest.optimizer !== 'adam' && manifest.optimizer !== 'sgd') throw new InvalidArgumentError(`checkpoint ${directory}: unknown optimizer ${JSON.stringify(manifest.optimizer)}`);
  const imported = await loadMlpFromTfjsFiles(directory);
  if (imported.spec.widths.join() !== spec.widths.join() || imported.spec.bias !== spec.bias) {
    throw new InvalidArgumentError(`checkpoint ${directory}: model.json has widths ${imported.spec.widths.join(',')}, training.json ${spec.widths.join(',')}`);
  }
  const raw = await readFile(join(directory, OPTIMIZER_WEIGHTS_FILE)).catch(() => {
    throw new InvalidArgumentError(`checkpoint ${directory}: cannot read ${OPTIMIZER_WEIGHTS_FILE}`);
  });
  const shapes = (manifest.optimizerWeights ?? []).map((w) => w.shape);
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const needed = sizes.reduce((a, b) => a + b, 0) * 4;
  if (raw.byteLength !== needed) throw new InvalidArgumentError(`checkpoint ${directory}: ${OPTIMIZER_WEIGHTS_FILE} has ${raw.byteLength} bytes, the manifest needs ${needed}`);
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let offset = 0;
  const weights = shapes.map((shape, i) => {
    const values = all.slice(offset, offset + sizes[i]);
    offset += sizes[i];
    return { shape, values };
  });
  return { spec, state: { epoch: manifest.epoch, params: imported.params, optimizerState: { optimizer: manifest.optimizer, weights } } };
}
