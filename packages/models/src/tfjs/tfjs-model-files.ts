import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { mlpFromLayersModel, type ImportedMlp } from './mlp-from-layers-model.js';
import { nodeFsPromises, nodePath } from '../datasets/node-modules.js';

/** File names of a tfjs model saved by {@link directorySaveHandler}. */
export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';

/**
 * A tfjs `IOHandler` that saves a model to a folder on disk as `model.json` + `weights.bin` (the
 * layout of `tfjs-node`'s `file://` handler and of `tensorflowjs_converter`), without tfjs-node: the
 * files are written with `node:fs`, each atomically (temporary file, then rename).
 *
 * @example await model.save(directorySaveHandler('run/checkpoint'))
 */
export function directorySaveHandler(directory: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const { mkdir, writeFile, rename } = await nodeFsPromises();
      const { join } = await nodePath();
      await mkdir(directory, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${TFJS_WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      const write = async (name: string, content: string | Uint8Array) => {
        const path = join(directory, name);
        const temporary = `${path}.tmp-${process.pid}`;
        await writeFile(temporary, content);
        await rename(temporary, path);
      };
      await write(TFJS_WEIGHTS_FILE, new Uint8Array(weightData));
      await write(TFJS_MODEL_FILE, `${JSON.stringify(modelJson)}\n`);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weightData.byteLength,
        },
      };
    },
  };
}

/**
 * Reads a tfjs model from disk: `path` is a `model.json` file or a folder holding one; the weight
 * files listed in its manifest are read relative to it. Works on any backend (no tfjs-node).
 *
 * @returns the model artifacts for `tf.io.fromMemory` / `tfl.loadLayersModel`.
 * @throws InvalidArgumentError when the file is missing, is not JSON, has no `modelTopology`, or a weight
 * file is missing or shorter than its manifest says.
 */
export async function readTfjsModelArtifacts(path: string): Promise<tf.io.ModelArtifacts> {
  const { readFile, stat } = await nodeFsPromises();
  const { dirname, join } = await nodePath();
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, TFJS_MODEL_FILE);
  } catch {
    throw new InvalidArgumentError(`tfjs model '${path}' does not exist`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`tfjs model file '${file}' cannot be read`);
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (error) {
    throw new InvalidArgumentError(`tfjs model file '${file}' is not valid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) {
    throw new InvalidArgumentError(`tfjs model file '${file}' has no modelTopology (is it a tfjs model.json?)`);
  }
  const folder = dirname(file);
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const weightPath of group.paths) {
        let bytes: Buffer;
        try {
          bytes = await readFile(join(folder, weightPath));
        } catch {
          throw new InvalidArgumentError(`weight file '${join(folder, weightPath)}' of tfjs model '${file}' cannot be read`);
        }
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      }
    }
    const weightData = tf.io.CompositeArrayBuffer.join(buffers);
    const needed = specs.reduce((total, s) => total + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.dtype), 0);
    if (weightData.byteLength < needed) {
      throw new InvalidArgumentError(`tfjs model '${file}': weight files hold ${weightData.byteLength} bytes, the manifest needs ${needed}`);
    }
    return [specs, weightData];
  });
}

function bytesPerElement(dtype: string): number {
  return dtype === 'bool' || dtype === 'uint8' ? 1 : dtype === 'float16' || dtype === 'int16' ? 2 : 4;
}

/** Loads a tfjs `LayersModel` from a `model.json` (or its folder) on disk, with any tfjs backend. */
export async function loadLayersModelFromFiles(path: string): Promise<tfl.LayersModel> {
  const artifacts = await readTfjsModelArtifacts(path);
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}

/**
 * Loads a user's tfjs model from disk and reads it as an MLP spec with float64 parameters (upcast from
 * float32) for exact analysis; see {@link mlpFromLayersModel} for the supported layers.
 *
 * @throws InvalidArgumentError for unreadable files and unsupported layers (naming the layer class and
 * the supported list).
 */
export async function loadMlpFromTfjsFiles(path: string): Promise<ImportedMlp> {
  const model = await loadLayersModelFromFiles(path);
  try {
    return mlpFromLayersModel(model);
  } finally {
    model.dispose();
  }
}
