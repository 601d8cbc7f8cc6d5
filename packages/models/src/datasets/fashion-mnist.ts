import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { imageClassificationSplit, type DatasetSplit, type ImageDataOptions, type ImagePool } from './image-classification-split.js';
import { readIdxFile, type IdxArray } from './idx.js';
import { nodeFs, nodePath } from './node-modules.js';

/** Where Debian's `dataset-fashion-mnist` package installs the IDX files. */
export const FASHION_MNIST_DIRECTORY = '/usr/share/datasets/fashion-mnist';

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions extends ImageDataOptions {
  /** Folder holding `train-images-idx3-ubyte.gz`, … (default {@link FASHION_MNIST_DIRECTORY}). */
  directory?: string;
}

/**
 * Builds an image pool from an IDX image array [N, h, w] of uint8 pixels (scaled to [0, 1] by 1/255)
 * and an IDX label array [N].
 * @throws ShapeMismatchError when the arrays disagree; InvalidArgumentError for wrong types or labels ≥ classCount.
 */
export function idxImagePool(images: IdxArray, labels: IdxArray, classCount: number, name: string): ImagePool {
  if (images.shape.length !== 3 || images.type !== 'uint8') throw new InvalidArgumentError(`${name}: images must be a uint8 IDX array [N, h, w], got ${images.type} [${images.shape.join(', ')}]`);
  if (labels.shape.length !== 1) throw new InvalidArgumentError(`${name}: labels must be an IDX vector, got shape [${labels.shape.join(', ')}]`);
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) throw new ShapeMismatchError(`${name}: ${labels.shape[0]} labels for ${count} images`);
  for (let i = 0; i < count; i++) {
    const l = labels.data[i];
    if (!Number.isInteger(l) || l < 0 || l >= classCount) throw new InvalidArgumentError(`${name}: label ${i} is ${l}, outside 0 … ${classCount - 1}`);
  }
  const scaled = new Float32Array(images.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.data[i] / 255;
  return { images: scaled, labels: labels.data, count, height, width, classCount };
}

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; 60,000 training and 10,000 test images, 28 × 28, 10
 * classes) from the IDX files of Debian's `dataset-fashion-mnist`. Training samples come from the
 * training files and test samples from the t10k files, each in its own seeded order; class subsets,
 * downsampling and normalisation as in {@link imageClassificationSplit}. Node only.
 *
 * @throws InvalidArgumentError naming the install command (`apt-get install -y dataset-fashion-mnist`) when
 * the files are missing, and for malformed files or options the data cannot satisfy.
 */
export async function loadFashionMnist(options: FashionMnistOptions): Promise<DatasetSplit> {
  const directory = options.directory ?? FASHION_MNIST_DIRECTORY;
  const { existsSync } = await nodeFs();
  const { join } = await nodePath();
  const file = (name: string) => {
    const plain = join(directory, name);
    if (existsSync(`${plain}.gz`)) return `${plain}.gz`;
    if (existsSync(plain)) return plain;
    throw new InvalidArgumentError(`fashion-mnist: ${plain}.gz not found; install the data with: apt-get install -y dataset-fashion-mnist (or pass a directory holding the IDX files)`);
  };
  const paths = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(file);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(paths.map((p) => readIdxFile(p)));
  const train = idxImagePool(trainImages, trainLabels, 10, 'fashion-mnist train');
  const test = idxImagePool(testImages, testLabels, 10, 'fashion-mnist t10k');
  return imageClassificationSplit(`fashion-mnist (${directory})`, train, options, (options.testSamples ?? 0) > 0 ? test : undefined);
}
