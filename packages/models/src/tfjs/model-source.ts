import { InvalidArgumentError } from '@intrinsic/spectra';
import { parseLoss, type Loss } from '../losses.js';
import { nodeFs, nodeFsPromises, nodePath } from '../datasets/node-modules.js';
import { TFJS_MODEL_FILE } from './tfjs-model-files.js';

/** How to read one kind of network (MLP or layered) from a run folder or a tfjs model. */
export interface ModelKindReader<S, T extends { spec: S; params: Float64Array }> {
  /** Throws InvalidArgumentError unless `spec` is a valid spec of this kind. */
  validate(spec: unknown): asserts spec is S;
  /** Number of parameters of a valid spec. */
  parameterCount(spec: S): number;
  /** Reads a tfjs `model.json` (+ weights) file. */
  fromTfjsFile(file: string): Promise<T>;
}

/** What {@link loadModelSource} returns: the network, where it came from, and a recorded loss. */
export type LoadedModelSource<S, T> = (T | { spec: S; params: Float64Array }) & { source: 'run-folder' | 'tfjs'; loss?: Loss };

/**
 * Reads a network to analyse from `path`: a run folder holding `spec.json` (the spec, or `{ model: spec }`)
 * and `params.json` (`flat`, float64, taken exactly), a folder holding `model.json` or
 * `checkpoint/model.json`, or a tfjs `model.json` file. Shared by `loadMlpModel` and `loadNetworkModel`.
 * Node only.
 * @throws InvalidArgumentError, one line, when the path holds none of these or the files are malformed or disagree.
 */
export async function loadModelSource<S, T extends { spec: S; params: Float64Array }>(path: string, kind: ModelKindReader<S, T>): Promise<LoadedModelSource<S, T>> {
  const { readFile, stat } = await nodeFsPromises();
  const { existsSync } = await nodeFs();
  const { join } = await nodePath();
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    throw new InvalidArgumentError(`model '${path}' does not exist`);
  }
  if (!isDirectory) return { ...(await kind.fromTfjsFile(path)), source: 'tfjs' };
  if (existsSync(join(path, 'spec.json')) && existsSync(join(path, 'params.json'))) {
    const read = async (name: string): Promise<Record<string, unknown>> => {
      let value: unknown;
      try {
        value = JSON.parse(await readFile(join(path, name), 'utf8'));
      } catch (error) {
        throw new InvalidArgumentError(`model ${path}: cannot read ${name} (${String((error as Error)?.message ?? error).split('\n')[0]})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidArgumentError(`model ${path}: ${name} must hold a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
      }
      return value as Record<string, unknown>;
    };
    const specJson = await read('spec.json');
    const spec = (specJson.model ?? specJson) as unknown;
    kind.validate(spec);
    const flat = (await read('params.json')).flat;
    if (!Array.isArray(flat) || flat.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new InvalidArgumentError(`model ${path}: params.json needs a 'flat' array of finite numbers`);
    }
    const p = kind.parameterCount(spec);
    if (flat.length !== p) throw new InvalidArgumentError(`model ${path}: params.json has ${flat.length} parameters, the spec has p = ${p}`);
    const loss = typeof specJson.loss === 'string' ? parseLoss(specJson.loss) : undefined;
    return { spec, params: Float64Array.from(flat as number[]), source: 'run-folder', ...(loss ? { loss } : {}) };
  }
  for (const candidate of [join(path, TFJS_MODEL_FILE), join(path, 'checkpoint', TFJS_MODEL_FILE)]) {
    if (existsSync(candidate)) return { ...(await kind.fromTfjsFile(candidate)), source: 'tfjs' };
  }
  throw new InvalidArgumentError(`model '${path}' is neither a run folder (spec.json + params.json) nor a tfjs model (model.json)`);
}
