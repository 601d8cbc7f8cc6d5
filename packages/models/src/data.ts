import { assertMemoryBudget, InvalidArgumentError, Random } from '@intrinsic/spectra';

/**
 * A data set in the float64 engine: N samples of dimension d with N × K targets (row-major).
 * For classification the targets are one-hot rows and `labels` holds the class indices.
 */
export interface Dataset {
  /** Inputs, row-major N × d. */
  inputs: Float64Array;
  /** Targets, row-major N × K (real-valued for regression, one-hot for classification). */
  targets: Float64Array;
  /** Class labels (length N) for classification data. */
  labels?: Int32Array;
  count: number;
  inputSize: number;
  outputSize: number;
  /** How the data was made, for run folders and reports. */
  description: string;
}

/** Synthetic data generators. */
export const DATA_KINDS = ['gaussian', 'gaussian-classes', 'mixture'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** Options of {@link syntheticDataset}. */
export interface SyntheticDataOptions {
  kind: DataKind;
  /** Number of samples N. */
  count: number;
  /** Input dimension d. */
  inputSize: number;
  /** Output dimension K (number of classes for classification). */
  outputSize: number;
  seed: number;
  /** Mixture only: standard deviation of the class means (default 3). */
  separation?: number;
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${value}`);
}

/**
 * Seeded synthetic data.
 *
 * - `gaussian`: x ~ N(0, I_d), targets y ~ N(0, I_K) (regression).
 * - `gaussian-classes`: x ~ N(0, I_d), labels uniform on {0, …, K−1}, one-hot targets.
 * - `mixture`: K class means μ_c ~ N(0, separation² I_d); label c uniform; x = μ_c + N(0, I_d); one-hot targets.
 */
export function syntheticDataset(options: SyntheticDataOptions): Dataset {
  const { kind, count, inputSize, outputSize, seed } = options;
  checkPositiveInteger('sample count', count);
  checkPositiveInteger('input size', inputSize);
  checkPositiveInteger('output size', outputSize);
  const rng = new Random(seed + 0x5eed);
  assertMemoryBudget(count * (inputSize + outputSize), `syntheticDataset: ${count} samples × (${inputSize} inputs + ${outputSize} targets)`, undefined, 'use fewer samples');
  const inputs = new Float64Array(count * inputSize);
  const targets = new Float64Array(count * outputSize);
  if (kind === 'gaussian') {
    rng.fillGaussian(inputs);
    rng.fillGaussian(targets);
    return { inputs, targets, count, inputSize, outputSize, description: `gaussian regression N=${count} d=${inputSize} K=${outputSize} seed=${seed}` };
  }
  const labels = new Int32Array(count);
  if (kind === 'gaussian-classes') {
    rng.fillGaussian(inputs);
    for (let i = 0; i < count; i++) labels[i] = rng.integer(outputSize);
  } else if (kind === 'mixture') {
    const separation = options.separation ?? 3;
    if (!(separation >= 0) || !Number.isFinite(separation)) throw new InvalidArgumentError(`separation must be a finite non-negative number, got ${separation}`);
    const means = rng.fillGaussian(new Float64Array(outputSize * inputSize), separation);
    for (let i = 0; i < count; i++) {
      const c = rng.integer(outputSize);
      labels[i] = c;
      for (let j = 0; j < inputSize; j++) inputs[i * inputSize + j] = means[c * inputSize + j] + rng.gaussian();
    }
  } else {
    throw new InvalidArgumentError(`unknown data kind '${String(kind)}'; supported: ${DATA_KINDS.join(', ')}`);
  }
  for (let i = 0; i < count; i++) targets[i * outputSize + labels[i]] = 1;
  return { inputs, targets, labels, count, inputSize, outputSize, description: `${kind} N=${count} d=${inputSize} K=${outputSize} seed=${seed}` };
}

/**
 * The paper's data for a loss: Gaussian inputs with Gaussian targets for MSE, uniform labels for
 * cross-entropy; `mixture` gives a seeded Gaussian mixture with labels.
 */
export function defaultDataset(
  data: 'gaussian' | 'mixture',
  loss: 'mse' | 'cross-entropy',
  count: number,
  inputSize: number,
  outputSize: number,
  seed: number,
): Dataset {
  if (data === 'mixture') return syntheticDataset({ kind: 'mixture', count, inputSize, outputSize, seed });
  return syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'gaussian-classes', count, inputSize, outputSize, seed });
}

/** Checks that a data set matches a network's input and output widths. */
export function assertDatasetFits(data: Dataset, inputSize: number, outputSize: number): void {
  if (data.inputSize !== inputSize) throw new InvalidArgumentError(`data has input size ${data.inputSize}, the network expects ${inputSize}`);
  if (data.outputSize !== outputSize) throw new InvalidArgumentError(`data has ${data.outputSize} targets per sample, the network outputs ${outputSize}`);
  if (data.inputs.length !== data.count * data.inputSize || data.targets.length !== data.count * data.outputSize) {
    throw new InvalidArgumentError(`data arrays do not match N=${data.count}, d=${data.inputSize}, K=${data.outputSize}`);
  }
}
