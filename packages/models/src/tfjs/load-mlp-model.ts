import { parameterCount } from '../layout.js';
import type { Loss } from '../losses.js';
import { validateMlpSpec, type MlpSpec } from '../spec.js';
import { loadModelSource } from './model-source.js';
import { loadMlpFromTfjsFiles } from './tfjs-model-files.js';

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
  return loadModelSource<MlpSpec, Omit<LoadedMlpModel, 'source'>>(path, {
    validate: validateMlpSpec,
    parameterCount,
    fromTfjsFile: loadMlpFromTfjsFiles,
  }) as Promise<LoadedMlpModel>;
}
