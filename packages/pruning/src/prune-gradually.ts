import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import type { Dataset, Loss, MlpSpec } from '@intrinsic/models';
import { cubicSparsity } from './cubic-sparsity-schedule.js';
import { pruneOneShot, type PruneOneShotOptions, type PruneOneShotResult } from './prune-one-shot.js';

/** Options of {@link pruneGradually}. */
export interface PruneGraduallyOptions extends Omit<PruneOneShotOptions, 'sparsity' | 'previousMask'> {
  /** s_i, sparsity of the first step (default 0). */
  initialSparsity?: number;
  /** s_f, the sparsity reached at the last step. */
  finalSparsity: number;
  /** n: the schedule has pruning steps t = 0 … n. */
  steps: number;
  /**
   * Called after each pruning step with the pruned parameters and the mask (e.g. a few epochs of
   * training on TensorFlow.js); returns new parameters. Pruned entries are zeroed again afterwards.
   * Without it, the steps follow each other directly.
   */
  fineTune?: (params: Float64Array, mask: Uint8Array, step: number) => Float64Array;
}

/** Result of {@link pruneGradually}. */
export interface PruneGraduallyResult {
  params: Float64Array;
  mask: Uint8Array;
  /** The target sparsity s_t of each step. */
  schedule: Float64Array;
  /** The one-shot result of each step (before its fine-tuning). */
  steps: PruneOneShotResult[];
}

/**
 * Gradual pruning on the cubic schedule s_t = s_f + (s_i − s_f)(1 − t/n)³ (Zhu & Gupta 2017): at each
 * step t = 0 … n a one-shot pruning to s_t (any method of {@link pruneOneShot}, global scope or one
 * sparsity for every layer) that keeps the earlier pruned weights pruned, then the optional fine-tuning
 * callback. Masks are nested and the last one has round(s_f · m) zeros among the m prunable entries.
 * Cost: n + 1 one-shot prunings plus the fine-tuning.
 *
 * @param spec - the model.
 * @param params - the starting parameters (not modified).
 * @param data - data for the curvature, loss and accuracy.
 * @param loss - the loss.
 * @param options - schedule, method options and the fine-tuning callback.
 * @returns the final parameters and mask, the schedule and every step's result.
 * @throws InvalidArgumentError from the schedule or a step; ShapeMismatchError when `fineTune` returns
 * a vector of the wrong length.
 */
export function pruneGradually(
  spec: MlpSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  options: PruneGraduallyOptions,
): PruneGraduallyResult {
  const { initialSparsity, finalSparsity, steps, fineTune, ...oneShot } = options;
  const schedule = Float64Array.from({ length: steps + 1 }, (_, t) => cubicSparsity(t, { initialSparsity, finalSparsity, steps }));
  if ((initialSparsity ?? 0) > finalSparsity) {
    throw new InvalidArgumentError(`pruneGradually: initialSparsity ${initialSparsity} is above finalSparsity ${finalSparsity}`);
  }
  let current = params;
  let mask: Uint8Array | undefined;
  const results: PruneOneShotResult[] = [];
  for (let t = 0; t <= steps; t++) {
    const result = pruneOneShot(spec, current, data, loss, { ...oneShot, sparsity: schedule[t], previousMask: mask });
    results.push(result);
    mask = result.mask;
    current = result.params;
    if (fineTune) {
      const tuned = fineTune(Float64Array.from(current), mask, t);
      if (tuned.length !== current.length) throw new ShapeMismatchError(`pruneGradually: fineTune returned ${tuned.length} parameters, expected ${current.length}`);
      current = Float64Array.from(tuned, (w, q) => (mask![q] ? w : 0));
    }
  }
  return { params: current, mask: mask!, schedule, steps: results };
}
