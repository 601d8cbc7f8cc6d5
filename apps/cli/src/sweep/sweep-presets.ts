import type { Loss } from '@intrinsic/models';

/**
 * What a sweep varies: all hidden widths, the number of hidden layers, the sample count N, or — for a
 * convolutional network — the channels of every convolution layer or their kernel size.
 */
export const SWEEP_VARIES = ['width', 'depth', 'samples', 'channels', 'kernel'] as const;
export type SweepVary = (typeof SWEEP_VARIES)[number];

/** Data sources of a sweep. */
export const SWEEP_DATA = ['gaussian', 'mixture', 'mnist'] as const;
export type SweepData = (typeof SWEEP_DATA)[number];

/** A named sweep reproducing a figure of the papers (settings documented in docs/theory.md §5). */
export interface SweepPreset {
  name: string;
  description: string;
  vary: SweepVary;
  values: number[];
  losses: Loss[];
  /** Input dimension d. */
  inputSize: number;
  /** Hidden widths of the base network (width sweeps replace them all; depth sweeps repeat the first). */
  hidden: number[];
  /** K. */
  outputs: number;
  samples: number;
  data: SweepData;
  /** A convolutional base network instead of an MLP: hidden conv layers (valid padding, stride 1) and a dense readout. */
  cnn?: SweepCnnBase;
}

/** The convolutional base network of a sweep: every hidden layer a convolution of `kernel` with `channels[l]` filters. */
export interface SweepCnnBase {
  /** Filters of each hidden convolution layer. */
  channels: number[];
  /** Kernel size (square in 2-D). */
  kernel: number;
}

const range = (start: number, stop: number, step: number) => Array.from({ length: Math.floor((stop - start) / step) + 1 }, (_, i) => start + i * step);

/**
 * The presets. Singh, Bachmann & Hofmann (NeurIPS 2021) measure ranks of linear networks at initialisation:
 * rank vs width (their Fig. 2: MNIST 8 × 8 downsampled, N = 100, K = 10, two hidden layers, MSE and CE),
 * rank vs sample size and rank vs depth. Singh, Hofmann & Schölkopf (ICML 2023, Fig. 1) measure the rank
 * of a CNN at initialisation against its hidden channels: the parameters grow quadratically, the rank
 * linearly; `cnn-channels` is that experiment on MNIST 8 × 8 at a size whose dense Hessians fit here.
 */
export const SWEEP_PRESETS: Record<string, SweepPreset> = {
  width: {
    name: 'width',
    description: 'rank vs width: d = 64 (MNIST 8 × 8), N = 100, K = 10, two hidden layers of width 4 … 36, MSE and CE',
    vary: 'width',
    values: range(4, 36, 4),
    losses: ['mse', 'cross-entropy'],
    inputSize: 64,
    hidden: [4, 4],
    outputs: 10,
    samples: 100,
    data: 'mnist',
  },
  samples: {
    name: 'samples',
    description: 'rank vs sample size: N = 10 … 400 (dense around N = d), d = 64, hidden 10, 10, K = 10, MSE',
    vary: 'samples',
    values: [10, 20, 40, 60, 63, 64, 65, 66, 70, 80, 100, 150, 200, 300, 400],
    losses: ['mse'],
    inputSize: 64,
    hidden: [10, 10],
    outputs: 10,
    samples: 100,
    data: 'gaussian',
  },
  depth: {
    name: 'depth',
    description: 'rank vs depth: 1 … 9 hidden layers of width 25, d = 16, N = 50, K = 10, MSE',
    vary: 'depth',
    values: range(1, 9, 1),
    losses: ['mse'],
    inputSize: 16,
    hidden: [25],
    outputs: 10,
    samples: 50,
    data: 'gaussian',
  },
  'cnn-channels': {
    name: 'cnn-channels',
    description: 'CNN rank vs hidden channels: MNIST 8 × 8, N = 100, K = 10, two linear conv2d layers (3 × 3, valid) of 1 … 8 channels, dense readout, MSE',
    vary: 'channels',
    values: range(1, 8, 1),
    losses: ['mse'],
    inputSize: 64,
    hidden: [],
    outputs: 10,
    samples: 100,
    data: 'mnist',
    cnn: { channels: [1, 1], kernel: 3 },
  },
};
