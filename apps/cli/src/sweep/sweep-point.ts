import {
  analyzeHessianRanks,
  augmentedDataRank,
  dataRank,
  networkHessianDecomposition,
  predictNetworkRank,
  predictRank,
  spectralGap,
  type HessianRanks,
  type PartRankClaim,
  type RankClaimKind,
} from '@intrinsic/hessian';
import {
  defaultDataset,
  initializeNetworkParameters,
  initializeParameters,
  loadMnist,
  mlpSpec,
  networkSpec,
  type Activation,
  type Dataset,
  type Initializer,
  type LayerSpec,
  type Loss,
  type NetworkSpec,
} from '@intrinsic/models';
import { numericalRank, parseTolerancePolicy, symmetricEigenvalues } from '@intrinsic/spectra';
import type { SweepVary } from './sweep-presets.js';

/** The convolutional network of a CNN sweep point: hidden convolutions (valid padding, stride 1), flatten, dense readout. */
export interface SweepCnnPoint {
  /** [1, length] (1-D convolutions) or [1, height, width] (2-D). */
  input: number[];
  /** Filters of each hidden convolution layer. */
  channels: number[];
  /** Kernel size (square in 2-D). */
  kernel: number;
}

/**
 * The network spec of a CNN sweep point: conv1d or conv2d layers (one per entry of `channels`, the
 * activation after each unless linear), flatten, dense to K outputs.
 * @throws InvalidArgumentError when a kernel does not fit its input.
 */
export function sweepCnnSpec(cnn: SweepCnnPoint, settings: { outputs: number; activation: Activation; bias: boolean; init: Initializer; seed: number }): NetworkSpec {
  const layers: LayerSpec[] = [];
  for (const filters of cnn.channels) {
    layers.push({ type: cnn.input.length === 3 ? 'conv2d' : 'conv1d', filters, kernel: cnn.kernel });
    if (settings.activation !== 'linear') layers.push({ type: 'activation', activation: settings.activation });
  }
  layers.push({ type: 'flatten' }, { type: 'dense', units: settings.outputs });
  return networkSpec({ input: cnn.input, layers, init: settings.init, seed: settings.seed, bias: settings.bias });
}

/** Everything one point of a sweep depends on (JSON-serialisable; sent to worker threads and stored for --resume). */
export interface SweepPoint {
  /** File-name-safe identity, e.g. `width-12-mse`. */
  id: string;
  vary: SweepVary;
  value: number;
  loss: Loss;
  widths: number[];
  samples: number;
  activation: Activation;
  bias: boolean;
  init: Initializer;
  seed: number;
  /** `mnist`: the first N digits of the classes 0 … K−1 in a seeded order, area-averaged to √d × √d, pixels in [0, 1], one-hot targets. */
  data: 'gaussian' | 'mixture' | 'mnist';
  /** Tolerance policy in text form (`numpy`, `rel:X`, `abs:X`). */
  tolerance: string;
  /**
   * A convolutional network instead of the MLP (then `widths` reads [d, channels…, K]); absent for MLP
   * points, so their stored form is unchanged.
   */
  cnn?: SweepCnnPoint;
}

/** Spectral gap of one matrix, JSON-safe (an infinite ratio is null). */
export interface SweepGap {
  ratio: number | null;
  position: number;
  /** Magnitudes below ε·σ_max (clamped to it before the ratios). */
  belowFloor: number;
}

/** The result of one point. */
export interface SweepRecord {
  point: SweepPoint;
  params: number;
  dataRank: number;
  augmentedDataRank: number;
  rank: HessianRanks;
  prediction: {
    kind: RankClaimKind;
    hessian: PartRankClaim;
    outer: PartRankClaim;
    functional: PartRankClaim;
    reason: string;
    source: string;
  };
  /** The linear-network formula for non-linear networks (a reference line, not a prediction). */
  reference: HessianRanks | null;
  rankOverParams: HessianRanks;
  gap: { hessian: SweepGap; outer: SweepGap; functional: SweepGap };
  thresholds: HessianRanks;
  lossValue: number;
  splitResidual: number;
  seconds: number;
}

/** The point's data set: seeded synthetic data, or MNIST through the models package's loader. */
export async function sweepPointData(point: SweepPoint): Promise<Dataset> {
  const d = point.widths[0];
  const K = point.widths[point.widths.length - 1];
  if (point.data !== 'mnist') return defaultDataset(point.data, point.loss, point.samples, d, K, point.seed);
  const side = Math.round(Math.sqrt(d));
  const { train } = await loadMnist({ classes: Array.from({ length: K }, (_, c) => c), trainSamples: point.samples, seed: point.seed, size: side });
  return train;
}

/**
 * Computes one sweep point: the model and data from the point's settings, exact ranks of H, H_O, H_F
 * ({@link analyzeHessianRanks}), the prediction or bound ({@link predictRank}) and the spectral gaps.
 */
export async function computeSweepPoint(point: SweepPoint): Promise<SweepRecord> {
  if (point.cnn) return computeCnnSweepPoint(point, point.cnn);
  const started = performance.now();
  const spec = mlpSpec({ widths: point.widths, activation: point.activation, bias: point.bias, init: point.init, seed: point.seed });
  const data = await sweepPointData(point);
  const analysis = analyzeHessianRanks(spec, initializeParameters(spec), data, point.loss, { tolerance: parseTolerancePolicy(point.tolerance) });
  const rAugmented = augmentedDataRank(data);
  const prediction = predictRank(spec, { samples: data.count, dataRank: analysis.dataRank, augmentedDataRank: rAugmented }, point.loss);
  const gap = (name: keyof HessianRanks): SweepGap => {
    const g = spectralGap(analysis.parts[name].eigenvalues);
    return { ratio: Number.isFinite(g.ratio) ? g.ratio : null, position: g.position, belowFloor: g.belowFloor };
  };
  const p = analysis.params;
  return {
    point,
    params: p,
    dataRank: analysis.dataRank,
    augmentedDataRank: rAugmented,
    rank: analysis.rank,
    prediction: { kind: prediction.kind, ...prediction.parts, reason: prediction.reason, source: prediction.source },
    reference: prediction.reference?.ranks ?? null,
    rankOverParams: { hessian: analysis.rank.hessian / p, outer: analysis.rank.outer / p, functional: analysis.rank.functional / p },
    gap: { hessian: gap('hessian'), outer: gap('outer'), functional: gap('functional') },
    thresholds: { hessian: analysis.parts.hessian.threshold, outer: analysis.parts.outer.threshold, functional: analysis.parts.functional.threshold },
    lossValue: analysis.lossValue,
    splitResidual: analysis.splitResidual,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * One CNN sweep point: the dense H, H_O, H_F of the layered network ({@link networkHessianDecomposition}),
 * their ranks under the point's tolerance, the prediction or bound of {@link predictNetworkRank}
 * (docs/theory.md §7) and the spectral gaps. Same record shape as an MLP point (`reference` is null).
 */
async function computeCnnSweepPoint(point: SweepPoint, cnn: SweepCnnPoint): Promise<SweepRecord> {
  const started = performance.now();
  const K = point.widths[point.widths.length - 1];
  const spec = sweepCnnSpec(cnn, { outputs: K, activation: point.activation, bias: point.bias, init: point.init, seed: point.seed });
  const data = await sweepPointData(point);
  const decomposition = networkHessianDecomposition(spec, initializeNetworkParameters(spec), data, point.loss);
  const p = decomposition.size;
  const policy = parseTolerancePolicy(point.tolerance);
  const part = (matrix: Float64Array) => {
    const eigenvalues = symmetricEigenvalues(matrix, p);
    const result = numericalRank(eigenvalues, p, policy);
    const g = spectralGap(eigenvalues);
    return { rank: result.rank, threshold: result.tolerance.threshold, gap: { ratio: Number.isFinite(g.ratio) ? g.ratio : null, position: g.position, belowFloor: g.belowFloor } };
  };
  const hessian = part(decomposition.hessian);
  const outer = part(decomposition.outer);
  const functional = part(decomposition.functional);
  const prediction = predictNetworkRank(spec, data, point.loss);
  const rank = { hessian: hessian.rank, outer: outer.rank, functional: functional.rank };
  return {
    point,
    params: p,
    dataRank: dataRank(data),
    augmentedDataRank: augmentedDataRank(data),
    rank,
    prediction: { kind: prediction.kind, ...prediction.parts, reason: prediction.reason, source: prediction.source },
    reference: null,
    rankOverParams: { hessian: rank.hessian / p, outer: rank.outer / p, functional: rank.functional / p },
    gap: { hessian: hessian.gap, outer: outer.gap, functional: functional.gap },
    thresholds: { hessian: hessian.threshold, outer: outer.threshold, functional: functional.threshold },
    lossValue: decomposition.lossValue,
    splitResidual: decomposition.splitResidual,
    seconds: (performance.now() - started) / 1000,
  };
}
