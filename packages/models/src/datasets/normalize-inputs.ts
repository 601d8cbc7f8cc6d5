import { InvalidArgumentError } from '@intrinsic/spectra';

/** Input normalisations; statistics always come from the training set and are applied to every split. */
export const NORMALIZATIONS = ['none', 'center', 'standardize', 'global-standardize'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];

/** Per-feature shift and scale: x′ = (x − shift) / scale. */
export interface NormalizationStatistics {
  kind: Normalization;
  shift: Float64Array;
  scale: Float64Array;
}

/**
 * Statistics of a normalisation over N × d training inputs:
 * - `none`: shift 0, scale 1;
 * - `center`: shift = per-feature mean, scale 1;
 * - `standardize`: per-feature mean and standard deviation (population, 1/N); a constant feature keeps
 *   scale 1 so that it maps to 0 instead of NaN;
 * - `global-standardize`: one mean and one standard deviation over all entries (the usual MNIST
 *   normalisation, e.g. 0.1307 / 0.3081 on the full training set).
 * @throws InvalidArgumentError for an unknown kind or no samples.
 */
export function normalizationStatistics(inputs: Float64Array, count: number, inputSize: number, kind: Normalization): NormalizationStatistics {
  if (!(NORMALIZATIONS as readonly string[]).includes(kind)) throw new InvalidArgumentError(`unknown normalisation '${String(kind)}'; supported: ${NORMALIZATIONS.join(', ')}`);
  if (count < 1) throw new InvalidArgumentError('normalizationStatistics: no samples');
  const shift = new Float64Array(inputSize);
  const scale = new Float64Array(inputSize).fill(1);
  if (kind === 'none') return { kind, shift, scale };
  if (kind === 'global-standardize') {
    let mean = 0;
    for (let i = 0; i < count * inputSize; i++) mean += inputs[i];
    mean /= count * inputSize;
    let variance = 0;
    for (let i = 0; i < count * inputSize; i++) variance += (inputs[i] - mean) ** 2;
    const sd = Math.sqrt(variance / (count * inputSize));
    shift.fill(mean);
    scale.fill(sd > 0 ? sd : 1);
    return { kind, shift, scale };
  }
  for (let n = 0; n < count; n++) for (let j = 0; j < inputSize; j++) shift[j] += inputs[n * inputSize + j];
  for (let j = 0; j < inputSize; j++) shift[j] /= count;
  if (kind === 'standardize') {
    const variance = new Float64Array(inputSize);
    for (let n = 0; n < count; n++) for (let j = 0; j < inputSize; j++) variance[j] += (inputs[n * inputSize + j] - shift[j]) ** 2;
    for (let j = 0; j < inputSize; j++) {
      const sd = Math.sqrt(variance[j] / count);
      scale[j] = sd > 1e-12 ? sd : 1;
    }
  }
  return { kind, shift, scale };
}

/** Applies x′ = (x − shift) / scale in place to N × d inputs and returns them. */
export function applyNormalization(inputs: Float64Array, inputSize: number, statistics: NormalizationStatistics): Float64Array {
  for (let i = 0; i < inputs.length; i++) {
    const j = i % inputSize;
    inputs[i] = (inputs[i] - statistics.shift[j]) / statistics.scale[j];
  }
  return inputs;
}
