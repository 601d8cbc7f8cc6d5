import { analyzeHessianRanks, augmentedDataRank, predictRank, spectralGap, type HessianRanks, type PartRankClaim, type RankClaimKind } from '@intrinsic/hessian';
import { defaultDataset, initializeParameters, loadMnist, mlpSpec, type Activation, type Dataset, type Initializer, type Loss } from '@intrinsic/models';
import { parseTolerancePolicy } from '@intrinsic/spectra';
import type { SweepVary } from './sweep-presets.js';

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
