import { InvalidArgumentError } from '@intrinsic/spectra';
import { parameterCount } from '../layout.js';
import { parseLoss, type Loss } from '../losses.js';
import { validateMlpSpec, type MlpSpec } from '../spec.js';
import { loadMlpFromTfjsFiles, TFJS_MODEL_FILE } from './tfjs-model-files.js';
import { nodeFs, nodeFsPromises, nodePath } from '../datasets/node-modules.js';

/** A trained network read by {@link loadMlpModel}. */
export interface LoadedMlpModel {
  spec: MlpSpec;
  /** Float64 parameters in the documented layout (exact from params.json; upcast from tfjs float32). */
  params: Float64Array;
  /** Where they came from. */
  source: 'run-folder' | 'tfjs';
  /** The loss recorded in a run folder's spec.json, if any. */
  loss?: Loss;
  /** `softmax` when a tfjs model ends in softmax (its logits are the spec's outputs). */
  outputActivation?: 'linear' | 'softmax';
}

/**
 * Reads a network to analyse (the CLI's `--model PATH`): a run folder holding `spec.json` and
 * `params.json` (written by `intrinsic train`, `intrinsic rank --save-run`, …; the parameters are taken
 * exactly from the float64 `flat` array), a folder holding `model.json` or `checkpoint/model.json`, or a
 * tfjs `model.json` file. Node only.
 *
 * @throws InvalidArgumentError when the path holds none of these, or the files are malformed or disagree.
 */
export async function loadMlpModel(path: string): Promise<LoadedMlpModel> {
  const { readFile, stat } = await nodeFsPromises();
  const { existsSync } = await nodeFs();
  const { join } = await nodePath();
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    throw new InvalidArgumentError(`model '${path}' does not exist`);
  }
  if (!isDirectory) return { ...(await loadMlpFromTfjsFiles(path)), source: 'tfjs' };
  if (existsSync(join(path, 'spec.json')) && existsSync(join(path, 'params.json'))) {
    const read = async (name: string): Promise<Record<string, unknown>> => {
      let value: unknown;
      try {
        value = JSON.parse(await readFile(join(path, name), 'utf8'));
      } catch (error) {
        throw new InvalidArgumentError(`model ${path}: cannot read ${name} (${(error as Error).message.split('\n')[0]})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidArgumentError(`model ${path}: ${name} must hold a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
      }
      return value as Record<string, unknown>;
    };
    const specJson = await read('spec.json');
    const spec = (specJson.model ?? specJson) as unknown;
    validateMlpSpec(spec);
    const flat = (await read('params.json')).flat;
    if (!Array.isArray(flat) || flat.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new InvalidArgumentError(`model ${path}: params.json needs a 'flat' array of finite numbers`);
    }
    const p = parameterCount(spec);
    if (flat.length !== p) throw new InvalidArgumentError(`model ${path}: params.json has ${flat.length} parameters, the spec has p = ${p}`);
    const loss = typeof specJson.loss === 'string' ? parseLoss(specJson.loss) : undefined;
    return { spec, params: Float64Array.from(flat as number[]), source: 'run-folder', ...(loss ? { loss } : {}) };
  }
  for (const candidate of [join(path, TFJS_MODEL_FILE), join(path, 'checkpoint', TFJS_MODEL_FILE)]) {
    if (existsSync(candidate)) return { ...(await loadMlpFromTfjsFiles(candidate)), source: 'tfjs' };
  }
  throw new InvalidArgumentError(`model '${path}' is neither a run folder (spec.json + params.json) nor a tfjs model (model.json)`);
}
