import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import type { Dataset } from '../data.js';

/** Options of {@link withLabelNoise}. */
export interface LabelNoiseOptions {
  /** Fraction of samples whose label changes, in [0, 1]; round(fraction · N) samples are chosen. */
  fraction: number;
  seed: number;
  /**
   * `replace` (default): each chosen label becomes a uniformly random *different* class, so exactly the
   * chosen samples are mislabelled. `shuffle`: the chosen samples' labels are permuted among themselves
   * (the class histogram is kept; a label may land back on its own sample).
   */
  mode?: 'replace' | 'shuffle';
}

/**
 * A copy of a classification data set with a seeded fraction of noisy labels (the label-noise
 * experiments of the Lipschitz and double-descent papers). Inputs are shared, labels and one-hot targets
 * are new; the description records the fraction, mode, seed and count.
 * @throws InvalidArgumentError when the data has no labels, the fraction is outside [0, 1], or there is one class.
 */
export function withLabelNoise(data: Dataset, options: LabelNoiseOptions): Dataset {
  const { fraction, seed } = options;
  const mode = options.mode ?? 'replace';
  if (!data.labels) throw new InvalidArgumentError('withLabelNoise: the data set has no labels (classification data needed)');
  if (!(fraction >= 0 && fraction <= 1)) throw new InvalidArgumentError(`withLabelNoise: fraction must be in [0, 1], got ${fraction}`);
  const K = data.outputSize;
  if (K < 2) throw new InvalidArgumentError('withLabelNoise: needs at least 2 classes');
  const rng = new Random(seed);
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  rng.shuffle(order);
  const chosen = order.subarray(0, Math.round(fraction * data.count));
  const labels = data.labels.slice();
  if (mode === 'replace') {
    for (const i of chosen) labels[i] = (labels[i] + 1 + rng.integer(K - 1)) % K;
  } else {
    const values = Int32Array.from(chosen, (i) => labels[i]);
    rng.shuffle(values);
    chosen.forEach((i, r) => (labels[i] = values[r]));
  }
  const targets = new Float64Array(data.count * K);
  for (let i = 0; i < data.count; i++) targets[i * K + labels[i]] = 1;
  return { ...data, labels, targets, description: `${data.description}; label noise ${mode} ${chosen.length}/${data.count} (fraction ${fraction}, seed ${seed})` };
}
