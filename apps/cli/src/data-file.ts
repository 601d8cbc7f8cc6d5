import { basename } from 'node:path';
import {
  applyNormalization,
  idxImagePool,
  imageClassificationSplit,
  normalizationStatistics,
  readDatasetFile,
  readIdxFile,
  type Dataset,
  type DatasetSplit,
  type Normalization,
} from '@intrinsic/models';
import { IntrinsicError, Random } from '@intrinsic/spectra';
import { UsageError } from './cli-error.js';

/** File extensions `--data` reads as a user's data file rather than a data-set name. */
const DATA_FILE_PATTERN = /\.(csv|json|idx\d?(-ubyte)?|ubyte|gz)$/i;

/** True when a `--data` value names a user's data file (CSV, JSON, or IDX, optionally gzipped). */
export function isDataFile(value: string): boolean {
  return DATA_FILE_PATTERN.test(value);
}

/** How to read and split a user's data file. */
export interface DataFileOptions {
  /** CSV (label in the last column), JSON ({ inputs, targets | labels }) or IDX images [N, h, w] (uint8). */
  file: string;
  /** IDX labels [N] — required with IDX images. */
  labels?: string;
  /** Classes to keep (classification), relabelled 0 … C−1 in this order. */
  classes?: number[];
  /** Training samples: the first N of the seeded order (default: 80 % of the file, rounded down). */
  trainSamples?: number;
  /** Held-out samples: the next ones of the same order (default: the rest of the file). */
  testSamples?: number;
  seed: number;
  /** IDX images: downsample to side × side. */
  side?: number;
  normalization: Normalization;
}

/**
 * Reads a user's data file and splits it into train and held-out test sets by one seeded order
 * (Fisher–Yates with the xoshiro128** generator of `@intrinsic/spectra`), normalising with training
 * statistics. Classification data (CSV/JSON with labels, IDX) goes through `imageClassificationSplit`,
 * exactly as MNIST does; regression data (JSON targets) is split by the same kind of order.
 *
 * @throws UsageError, one line naming the file, for unreadable or malformed files and impossible splits.
 */
export async function loadDataFile(options: DataFileOptions): Promise<DatasetSplit> {
  const { file } = options;
  try {
    if (/\.(idx\d?(-ubyte)?|ubyte)(\.gz)?$/i.test(file) || (/\.gz$/i.test(file) && !/\.(csv|json)\.gz$/i.test(file))) {
      if (!options.labels) throw new UsageError(`--data ${file}: IDX images need --labels LABELS-FILE (an IDX vector of class indices)`);
      const [images, labels] = [await readIdxFile(file), await readIdxFile(options.labels)];
      let classCount = 0;
      for (let i = 0; i < labels.data.length; i++) classCount = Math.max(classCount, Number(labels.data[i]) + 1);
      const pool = idxImagePool(images, labels, Math.max(classCount, 2), basename(file));
      if (pool.height === pool.width) return imageClassificationSplit(basename(file), pool, splitCounts(options, pool.count));
      // Rectangular images: no downsampling; split as a table of h·w pixels.
      if (options.side !== undefined) throw new UsageError(`--input-size: ${file} holds ${pool.height} × ${pool.width} images; downsampling needs square images`);
      const d = pool.height * pool.width;
      const targets = new Float64Array(pool.count * pool.classCount);
      for (let i = 0; i < pool.count; i++) targets[i * pool.classCount + Number(pool.labels[i])] = 1;
      const table: Dataset = { inputs: Float64Array.from(pool.images), targets, labels: Int32Array.from(pool.labels), count: pool.count, inputSize: d, outputSize: pool.classCount, description: basename(file) };
      return seededSplit(table, options, basename(file));
    }
    if (options.labels) throw new UsageError(`--labels is only for IDX images; ${file} holds its labels itself`);
    if (options.side !== undefined) throw new UsageError(`--input-size applies to image data (IDX, MNIST), not to ${file}`);
    return seededSplit(await readDatasetFile(file), options, basename(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (IntrinsicError.isInstance(error)) throw new UsageError(`--data ${file}: ${(error as Error).message.split('\n')[0]}`);
    throw error;
  }
}

function splitCounts(options: DataFileOptions, count: number): { classes?: number[]; trainSamples: number; testSamples: number; seed: number; size?: number; normalization: Normalization } {
  const trainSamples = options.trainSamples ?? Math.max(1, Math.floor(0.8 * count));
  const testSamples = options.testSamples ?? Math.max(0, count - trainSamples);
  return {
    ...(options.classes ? { classes: options.classes } : {}),
    trainSamples,
    testSamples,
    seed: options.seed,
    ...(options.side !== undefined ? { size: options.side } : {}),
    normalization: options.normalization,
  };
}

/**
 * Seeded train/test split of a tabular data set: keeps `classes` (relabelled 0 … C−1, one-hot targets) when
 * the data have labels, orders the rows by a seeded Fisher–Yates shuffle, takes the first `trainSamples`
 * for training and the next `testSamples` for testing, and normalises with training statistics.
 */
function seededSplit(data: Dataset, options: DataFileOptions, name: string): DatasetSplit {
  const { inputSize: d } = data;
  let rows = Int32Array.from({ length: data.count }, (_, i) => i);
  let K = data.outputSize;
  let relabel: Map<number, number> | undefined;
  if (options.classes) {
    if (!data.labels) throw new UsageError(`--classes: ${options.file} has real-valued targets, not class labels`);
    for (const c of options.classes) if (c >= data.outputSize) throw new UsageError(`--classes: class ${c} is not in 0 … ${data.outputSize - 1} (${options.file})`);
    relabel = new Map(options.classes.map((c, i) => [c, i]));
    rows = rows.filter((r) => relabel!.has(data.labels![r]));
    K = options.classes.length;
  }
  new Random(options.seed).shuffle(rows);
  const { trainSamples, testSamples, seed, normalization } = splitCounts(options, rows.length);
  if (trainSamples + testSamples > rows.length) {
    throw new UsageError(`--data ${options.file}: ${trainSamples} train + ${testSamples} test samples, the file has ${rows.length}${options.classes ? ' of those classes' : ''}`);
  }
  const take = (start: number, count: number): Omit<Dataset, 'description'> => {
    const inputs = new Float64Array(count * d);
    const targets = new Float64Array(count * K);
    const labels = data.labels ? new Int32Array(count) : undefined;
    for (let i = 0; i < count; i++) {
      const row = rows[start + i];
      inputs.set(data.inputs.subarray(row * d, row * d + d), i * d);
      if (labels) {
        labels[i] = relabel ? relabel.get(data.labels![row])! : data.labels![row];
        targets[i * K + labels[i]] = 1;
      } else {
        targets.set(data.targets.subarray(row * K, row * K + K), i * K);
      }
    }
    return { inputs, targets, ...(labels ? { labels } : {}), count, inputSize: d, outputSize: K };
  };
  const train = take(0, trainSamples);
  const statistics = normalizationStatistics(train.inputs, trainSamples, d, normalization);
  const classes = options.classes ? `, classes ${options.classes.join(',')} (relabelled 0…${K - 1})` : '';
  const describe = (what: string, start: number, count: number) =>
    `${name}${classes}, seeded order (seed ${seed}), ${what} samples ${start}…${start + count - 1}, normalisation ${normalization}`;
  const split: DatasetSplit = { train: { ...train, inputs: applyNormalization(train.inputs, d, statistics), description: describe('train', 0, trainSamples) } };
  if (testSamples > 0) {
    const test = take(trainSamples, testSamples);
    split.test = { ...test, inputs: applyNormalization(test.inputs, d, statistics), description: describe('test', trainSamples, testSamples) };
  }
  return split;
}
