import { InvalidArgumentError } from '@intrinsic/spectra';
import type { Loss } from '../losses.js';
import { networkParameterCount } from '../network/network-layout.js';
import { validateNetworkSpec, type NetworkSpec } from '../network/network-spec.js';
import { nodeFsPromises, nodePath } from '../datasets/node-modules.js';
import type { ImportedNetwork } from './network-from-layers.js';
import { networkFromModelJson } from './network-model-json.js';
import { loadModelSource } from './model-source.js';
import { TFJS_MODEL_FILE } from './tfjs-model-files.js';

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

/**
 * Reads a user's tfjs model from disk — `path` is a `model.json` file or a folder holding one, the
 * weight files of its manifest are read relative to it — into a network spec and float64 parameters
 * ({@link networkFromModelJson}; conv, pooling, flatten, dense, activation and locally connected layers).
 * Node only; needs no tfjs backend.
 * @throws InvalidArgumentError (one line) for missing or unreadable files, invalid JSON, and everything
 * {@link networkFromModelJson} rejects.
 */
export async function loadNetworkFromTfjsFiles(path: string): Promise<ImportedNetwork> {
  const { readFile, stat } = await nodeFsPromises();
  const { dirname, join, isAbsolute } = await nodePath();
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, TFJS_MODEL_FILE);
  } catch {
    throw new InvalidArgumentError(`tfjs model '${path}' does not exist`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(`tfjs model file '${file}' cannot be read as JSON: ${firstLine(error)}`);
  }
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  const parts: Uint8Array[] = [];
  if (Array.isArray(manifest)) {
    for (const group of manifest) {
      const paths = (group as { paths?: unknown } | null)?.paths;
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.length > 0 && !isAbsolute(p))) {
        throw new InvalidArgumentError(`tfjs model '${file}': every weightsManifest group needs 'paths', relative file names, got ${JSON.stringify(paths)}`);
      }
      for (const weightPath of paths as string[]) {
        const full = join(dirname(file), weightPath);
        try {
          parts.push(new Uint8Array(await readFile(full)));
        } catch {
          throw new InvalidArgumentError(`weight file '${full}' of tfjs model '${file}' cannot be read`);
        }
      }
    }
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.byteLength;
  }
  return networkFromModelJson(json, data, `tfjs model '${file}'`);
}

/** A layered network read by {@link loadNetworkModel}. */
export interface LoadedNetworkModel {
  spec: NetworkSpec;
  params: Float64Array;
  source: 'run-folder' | 'tfjs';
  /** The loss recorded in a run folder's spec.json, if any. */
  loss?: Loss;
  outputActivation?: 'linear' | 'softmax';
}

/**
 * Reads a layered network to analyse: a run folder whose `spec.json` holds a network spec (`model.kind`
 * = 'network', as `intrinsic rank --spec … --save-run` writes) and `params.json` (`flat`, float64), a
 * folder holding `model.json` or `checkpoint/model.json`, or a tfjs `model.json` file. Node only.
 * @throws InvalidArgumentError when the path holds none of these or the files are malformed.
 */
export async function loadNetworkModel(path: string): Promise<LoadedNetworkModel> {
  return loadModelSource<NetworkSpec, ImportedNetwork>(path, {
    validate: validateNetworkSpec,
    parameterCount: networkParameterCount,
    fromTfjsFile: loadNetworkFromTfjsFiles,
  }) as Promise<LoadedNetworkModel>;
}
