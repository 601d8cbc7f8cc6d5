import { analyzeHessianRanks, type HessianRanks } from '@intrinsic/hessian';
import { initializeParameters, mlpSpec, trainMlp } from '@intrinsic/models';
import { InvalidArgumentError, parseTolerancePolicy } from '@intrinsic/spectra';
import { pageDataset, type PageState } from './page-state.js';

/** The state of training at one checkpoint: loss, gradient norm, ranks and the top of the spectrum of H. */
export interface TrainingCheckpoint {
  epoch: number;
  loss: number;
  gradientNorm: number;
  rank: HessianRanks;
  /** The eigenvalues of H of largest magnitude, by decreasing |λ|. */
  top: Float64Array;
  /** Smallest eigenvalue magnitude of H above the threshold. */
  smallestNonzero: number;
  /** All p eigenvalue magnitudes |λ_i| of H, largest first (the spectrum chart along training). */
  spectrum: Float64Array;
  /** The rank threshold of H at this checkpoint. */
  threshold: number;
}

/** |λ_i| of ascending eigenvalues, largest first. */
export function magnitudesDescending(eigenvalues: ArrayLike<number>): Float64Array {
  return Float64Array.from(Array.from(eigenvalues, Math.abs).sort((a, b) => b - a));
}

/** Options of {@link trainingCheckpoints}. */
export interface TrainingCheckpointsOptions {
  /** Total full-batch epochs. */
  epochs: number;
  /** Checkpoints after the initial one, equally spaced in epochs. */
  checkpoints: number;
  /** Adam learning rate. */
  learningRate: number;
  /** How many top eigenvalues to keep per checkpoint; default 5. */
  topK?: number;
  memoryBudgetBytes?: number;
  /** Called with each checkpoint as soon as it is computed (checkpoint 0 is the initialisation). */
  onCheckpoint?: (checkpoint: TrainingCheckpoint, index: number, total: number) => void;
}

/** Epochs of the checkpoints: 0, then `checkpoints` values equally spaced up to `epochs` (rounded, distinct). */
export function checkpointEpochs(epochs: number, checkpoints: number): number[] {
  const out = [0];
  for (let c = 1; c <= checkpoints; c++) {
    const e = Math.round((c * epochs) / checkpoints);
    if (e > out[out.length - 1]) out.push(e);
  }
  return out;
}

/**
 * Trains the page's network in the float64 engine ({@link trainMlp}: full-batch Adam from the seeded
 * initialisation, on the page's data) and, at each checkpoint, computes the dense H, H_O, H_F, their ranks
 * and the top eigenvalues of H ({@link analyzeHessianRanks}). Each checkpoint trains from the initial
 * parameters for its number of epochs, so every checkpoint equals one uninterrupted run of that length
 * (full-batch Adam is deterministic) and can be reproduced by one `trainMlp` call.
 *
 * Cost: Σ checkpoint epochs full-batch gradient steps plus one dense analysis, O(N p² + p³), per checkpoint.
 * @throws InvalidArgumentError for a bad epoch count, checkpoint count or learning rate, or when training diverges;
 * MemoryBudgetError when the dense matrices exceed the budget.
 */
export function trainingCheckpoints(state: PageState, options: TrainingCheckpointsOptions): TrainingCheckpoint[] {
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new InvalidArgumentError(`training: epochs must be a positive integer, got ${options.epochs}`);
  if (!Number.isInteger(options.checkpoints) || options.checkpoints < 1) {
    throw new InvalidArgumentError(`training: checkpoints must be a positive integer, got ${options.checkpoints}`);
  }
  const spec = mlpSpec({ widths: state.widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const data = pageDataset(state);
  const initial = initializeParameters(spec);
  const tolerance = parseTolerancePolicy(state.tolerance);
  const epochs = checkpointEpochs(options.epochs, options.checkpoints);
  const k = options.topK ?? 5;
  return epochs.map((epoch, index) => {
    const trained = trainMlp(spec, initial, data, state.loss, { optimizer: 'adam', learningRate: options.learningRate, epochs: epoch });
    const analysis = analyzeHessianRanks(spec, trained.params, data, state.loss, { tolerance, memoryBudgetBytes: options.memoryBudgetBytes });
    const values = Array.from(analysis.parts.hessian.eigenvalues).sort((a, b) => Math.abs(b) - Math.abs(a));
    const checkpoint: TrainingCheckpoint = {
      epoch,
      loss: trained.loss,
      gradientNorm: trained.gradientNorm,
      rank: analysis.rank,
      top: Float64Array.from(values.slice(0, Math.min(k, values.length))),
      smallestNonzero: analysis.parts.hessian.smallestNonzero,
      spectrum: magnitudesDescending(analysis.parts.hessian.eigenvalues),
      threshold: analysis.parts.hessian.threshold,
    };
    options.onCheckpoint?.(checkpoint, index, epochs.length);
    return checkpoint;
  });
}
