import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, InvalidArgumentError, IntrinsicError, NotPositiveDefiniteError, ShapeMismatchError } from '@intrinsic/spectra';
import { MlpEvaluation, type Dataset, type Loss, type MlpSpec } from '@intrinsic/models';
import { denseHessian } from '@intrinsic/hessian';
import { choleskyInverse } from './cholesky.js';
import { diagonalFisherSaliency } from './diagonal-fisher-saliency.js';
import { empiricalFisher } from './empirical-fisher.js';
import { denseInverseCurvature, diagonalBlocks, type InverseCurvature } from './inverse-curvature.js';
import { magnitudeSaliency } from './magnitude-saliency.js';
import { matrixDiagonal, obdSaliency } from './obd-saliency.js';
import { obsSaliency } from './obs-saliency.js';
import { jointObsPrune } from './joint-obs-update.js';
import { obsPrune } from './obs-update.js';
import { maskSparsity, selectPruningMask, type MaskSparsity, type PruningScope, type PruningScopeOptions } from './pruning-mask.js';
import { randomSaliency } from './random-saliency.js';
import { topKAccuracy } from './top-k-accuracy.js';
import { woodFisherInverse, type WoodFisherSolver } from './woodfisher-inverse.js';
import { kfacFactors, kfacInverse, type KfacDampingSplit } from './kfac-inverse.js';

/** Saliency methods of {@link pruneOneShot}. */
export const PRUNING_METHODS = ['magnitude', 'random', 'diagonal-fisher', 'obd', 'obs', 'woodfisher', 'kfac'] as const;
export type PruningMethod = (typeof PRUNING_METHODS)[number];

/** Options of {@link pruneOneShot}. */
export interface PruneOneShotOptions extends PruningScopeOptions {
  method: PruningMethod;
  /** Target sparsity over the prunable entries (a layer → sparsity map in layerwise scope). */
  sparsity: number | Record<number, number>;
  /** `global` (default) or `layerwise`; see {@link selectPruningMask}. */
  scope?: PruningScope;
  /** n, the number of per-sample gradients for the Fisher methods (diagonal-fisher, obs on the Fisher, woodfisher, kfac): those of the first n samples (default all N). */
  gradients?: number;
  /**
   * B ≥ 1: each of the n gradient rows of diagonal-fisher, woodfisher and obs on the empirical Fisher is the
   * mean-loss gradient of a mini-batch of B consecutive samples, (1/B) Σ_{i ∈ batch j} ∇ℓ_i, over the first
   * n·B samples (WoodFisher's `--fisher-mini-bsz`; default 1 = per-sample gradients). Not for kfac.
   */
  fisherBatch?: number;
  /** λ added to the curvature's diagonal for obs, woodfisher and diagonal-fisher, split as π√λ, √λ/π over the K-FAC factors (default 1e-5, as in WoodFisher). */
  damping?: number;
  /** Curvature of `obs`: the dense Hessian H + λI (default) or the dense empirical Fisher λI + (1/n)GᵀG. */
  curvature?: 'hessian' | 'empirical-fisher';
  /** WoodFisher block size c (default p: one block per parameter array). */
  blockSize?: number;
  /** WoodFisher: cut blocks at the parameter arrays' boundaries (`layers`, default) or only every c entries (`none`). */
  blockBoundaries?: 'layers' | 'none';
  /** WoodFisher per-block solver (default `auto`). */
  solver?: WoodFisherSolver;
  /** Scale s ∈ [0, 1] of the OBS update for obs, woodfisher and kfac (default 1; 0 = no update). */
  updateScale?: number;
  /**
   * The OBS weight update of obs, woodfisher and kfac: `superposed` (default, WoodFisher's: the sum of the
   * single-weight updates, one product with C⁻¹) or, for woodfisher only, `joint`: the exact multi-weight
   * OBS update for the block-diagonal empirical Fisher (see {@link jointObsPrune}).
   */
  updateRule?: 'superposed' | 'joint';
  /**
   * K ≥ 1: reach the target in K steps of sparsity s·k/K (k = 1 … K), recomputing the gradients at the
   * updated weights and the inverse after each step (WoodFisher's `recompute_num` with the linear
   * schedule; default 1 = one computation). No training in between.
   */
  recomputeSteps?: number;
  /** `kfac`: split λ over the factors by π (default, Martens & Grosse) or `equal` (√λ each, WoodFisher's MNIST runs). */
  kfacDampingSplit?: KfacDampingSplit;
  /** Seed of the `random` method (default 0). */
  seed?: number;
  /** `obd`: use these H_qq instead of computing the dense Hessian. */
  hessianDiagonal?: Float64Array;
  /** A previous mask (1 = kept): its pruned entries stay pruned and count towards the target. */
  previousMask?: Uint8Array;
  /** Budget for dense allocations in bytes (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/** Top-1 and (for more than five classes) top-5 accuracy. */
export interface Accuracy {
  top1: number;
  top5?: number;
}

/** Result of {@link pruneOneShot}. */
export interface PruneOneShotResult {
  method: PruningMethod;
  scope: PruningScope;
  /** The pruned parameters: exactly 0 where the mask is 0; the kept ones moved by the OBS update when one applies. */
  params: Float64Array;
  /** 1 = kept, 0 = pruned. */
  mask: Uint8Array;
  /** The saliencies ρ the mask was selected from (length p). */
  saliencies: Float64Array;
  sparsity: MaskSparsity;
  lossBefore: number;
  lossAfter: number;
  /** For data with `labels`. */
  accuracyBefore?: Accuracy;
  accuracyAfter?: Accuracy;
  /** Wall-clock milliseconds of each stage. */
  timing: { saliencyMs: number; selectionMs: number; updateMs: number; evaluationMs: number; totalMs: number };
  /** What was used: damping, gradients, the inverse's description, the update scale. */
  details: {
    damping?: number;
    gradients?: number;
    inverse?: string;
    updateScale: number;
    curvature?: string;
    /** Present when the exact multi-weight update was used. */
    updateRule?: 'joint';
    /** Present when the target was reached in several recomputations. */
    recomputeSteps?: number;
    /** Present when the gradient rows were mini-batch gradients of this many samples. */
    fisherBatch?: number;
  };
}

/** The first n samples of a data set (views, no copy). */
function firstSamples(data: Dataset, n: number): Dataset {
  return sampleRange(data, 0, n);
}

/** Samples start … start + n − 1 of a data set (views, no copy). */
function sampleRange(data: Dataset, start: number, n: number): Dataset {
  if (start === 0 && n === data.count) return data;
  return {
    ...data,
    count: n,
    inputs: data.inputs.subarray(start * data.inputSize, (start + n) * data.inputSize),
    targets: data.targets.subarray(start * data.outputSize, (start + n) * data.outputSize),
    labels: data.labels?.subarray(start, start + n),
    description: `${data.description} (samples ${start}…${start + n - 1})`,
  };
}

function accuracy(outputs: Float64Array, data: Dataset): Accuracy | undefined {
  if (!data.labels) return undefined;
  const K = data.outputSize;
  const top1 = topKAccuracy(outputs, data.labels, K, 1);
  return K > 5 ? { top1, top5: topKAccuracy(outputs, data.labels, K, 5) } : { top1 };
}

/**
 * One-shot pruning of an MLP: compute saliencies, select the lowest ones to the target sparsity (global
 * or layerwise), zero them, and for OBS-type methods move the remaining weights by the superposed OBS
 * update; then report loss and accuracy before and after.
 *
 * Methods (SCIENCE.md §6):
 * - `magnitude`: ρ_q = w_q².
 * - `random`: seeded uniform saliencies (the control).
 * - `diagonal-fisher`: ρ_q = ½ F_qq w_q², F = λI + (1/n) Σ g_j g_jᵀ (Theis et al. 2018; WoodFisher's baseline).
 * - `obd`: ρ_q = ½ H_qq w_q² with the exact Hessian diagonal (LeCun et al., NIPS 1990).
 * - `obs`: ρ_q = w_q² / (2 [C⁻¹]_qq), C = H + λI or the dense empirical Fisher, exact Cholesky inverse;
 *   update δw = −Σ_q (w_q/[C⁻¹]_qq) C⁻¹ e_q (Hassibi & Stork, NIPS 1993).
 * - `woodfisher`: the same with the block-diagonal WoodFisher inverse of λI + (1/n)GᵀG
 *   (Singh & Alistarh, NeurIPS 2020).
 * - `kfac`: the same with the K-FAC inverse (S_l ⊗ A_l per layer, π-damped; Martens & Grosse, ICML 2015).
 * Cost: dense paths O(N p²) for H and O(p³) for the inverse (memory p², checked); WoodFisher O(n c p).
 * With `updateRule: 'joint'` (woodfisher) the kept weights move by the exact multi-weight OBS update of
 * the block-diagonal empirical Fisher instead ({@link jointObsPrune}, n × n solves). With a
 * `previousMask` the gradient columns of the earlier pruned weights are zeroed (they are held at 0).
 * `recomputeSteps` K > 1 prunes to s·k/K for k = 1 … K, recomputing gradients and inverse at the updated
 * weights each time (WoodFisher's recomputation).
 * `fisherBatch` B > 1 makes each gradient row the mean-loss gradient of B samples (WoodFisher's
 * `--fisher-mini-bsz`): F = λI + (1/n) Σ_j ḡ_j ḡ_jᵀ, ḡ_j = (1/B) Σ_{i ∈ batch j} ∇ℓ_i. The gradual mode with fine-tuning is `pruneGradually`.
 *
 * @param spec - the model.
 * @param params - its flat parameters (not modified).
 * @param data - the data for the loss, the curvature and the accuracy.
 * @param loss - `mse` or `cross-entropy`.
 * @param options - see {@link PruneOneShotOptions}.
 * @returns pruned params, mask, saliencies, sparsity, loss/accuracy before and after, timing.
 * @throws InvalidArgumentError on an unknown method, a bad gradient count, damping or update scale;
 * NotPositiveDefiniteError when the dampened curvature of `obs` is not positive definite (raise λ);
 * MemoryBudgetError before a dense allocation over the budget.
 */
export function pruneOneShot(
  spec: MlpSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  options: PruneOneShotOptions,
): PruneOneShotResult {
  const steps = options.recomputeSteps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) throw new InvalidArgumentError(`pruneOneShot: recomputeSteps must be a positive integer, got ${steps}`);
  if (steps === 1) return pruneOnce(spec, params, data, loss, options);
  const start = performance.now();
  const target = options.sparsity;
  const fraction = (k: number) => (typeof target === 'number'
    ? (target * k) / steps
    : Object.fromEntries(Object.entries(target).map(([layer, s]) => [layer, (s * k) / steps])));
  let current = params;
  let mask = options.previousMask;
  let first: PruneOneShotResult | undefined;
  let last: PruneOneShotResult | undefined;
  for (let k = 1; k <= steps; k++) {
    last = pruneOnce(spec, current, data, loss, { ...options, sparsity: fraction(k), previousMask: mask });
    first ??= last;
    current = last.params;
    mask = last.mask;
  }
  const totalMs = performance.now() - start;
  return {
    ...last!,
    lossBefore: first!.lossBefore,
    accuracyBefore: first!.accuracyBefore,
    timing: { ...last!.timing, totalMs },
    details: { ...last!.details, recomputeSteps: steps },
  };
}

/** One computation of saliencies, mask and update: {@link pruneOneShot} with recomputeSteps = 1. */
function pruneOnce(
  spec: MlpSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  options: PruneOneShotOptions,
): PruneOneShotResult {
  const start = performance.now();
  const method = options.method;
  if (!(PRUNING_METHODS as readonly string[]).includes(method)) {
    throw new InvalidArgumentError(`pruneOneShot: unknown method '${String(method)}'; supported: ${PRUNING_METHODS.join(', ')}`);
  }
  const scope = options.scope ?? 'global';
  const damping = options.damping ?? 1e-5;
  if (!(damping >= 0) || !Number.isFinite(damping)) throw new InvalidArgumentError(`pruneOneShot: damping must be a finite number ≥ 0, got ${damping}`);
  const updateScale = options.updateScale ?? 1;
  if (!(updateScale >= 0 && updateScale <= 1)) throw new InvalidArgumentError(`pruneOneShot: updateScale must be in [0, 1], got ${updateScale}`);
  const batch = options.fisherBatch ?? 1;
  if (!Number.isInteger(batch) || batch < 1 || batch > data.count) {
    throw new InvalidArgumentError(`pruneOneShot: fisherBatch must be an integer in 1…${data.count} (the sample count), got ${batch}`);
  }
  if (batch > 1 && method === 'kfac') throw new InvalidArgumentError('pruneOneShot: fisherBatch > 1 is not defined for kfac (its factors use per-sample statistics)');
  const maxGradients = Math.floor(data.count / batch);
  const n = options.gradients ?? maxGradients;
  if (!Number.isInteger(n) || n < 1 || n > maxGradients) {
    throw new InvalidArgumentError(
      `pruneOneShot: gradients must be an integer in 1…${maxGradients} (${data.count} samples${batch > 1 ? ` in mini-batches of ${batch}` : ''}), got ${n}`,
    );
  }
  const before = new MlpEvaluation(spec, params, data, loss);
  const p = before.layout.size;
  const budget = options.memoryBudgetBytes;
  const updateRule = options.updateRule ?? 'superposed';
  if (updateRule !== 'superposed' && updateRule !== 'joint') {
    throw new InvalidArgumentError(`pruneOneShot: updateRule must be superposed or joint, got '${String(updateRule)}'`);
  }
  if (updateRule === 'joint' && method !== 'woodfisher') {
    throw new InvalidArgumentError(`pruneOneShot: the joint update needs the gradients of woodfisher, not method ${method}`);
  }
  const details: PruneOneShotResult['details'] = { updateScale, ...(updateRule === 'joint' ? { updateRule } : {}) };
  let gradientMatrix: Float64Array | undefined;
  let blocks: { start: number; length: number }[] | undefined;

  const perSampleGradients = (): Float64Array => {
    details.gradients = n;
    details.damping = damping;
    assertMemoryBudget(n * p, `${batch > 1 ? 'mini-batch' : 'per-sample'} gradients ${n} × ${p}`, budget ?? DEFAULT_MEMORY_BUDGET_BYTES, 'use fewer gradients');
    let G: Float64Array;
    if (batch === 1) {
      G = (n === data.count ? before : new MlpEvaluation(spec, params, firstSamples(data, n), loss)).perSampleGradients();
    } else {
      // Row j: the mean-loss gradient of samples jB … jB + B − 1.
      details.fisherBatch = batch;
      G = new Float64Array(n * p);
      for (let j = 0; j < n; j++) new MlpEvaluation(spec, params, sampleRange(data, j * batch, batch), loss).gradient(G.subarray(j * p, (j + 1) * p));
    }
    // Earlier pruned weights are held at 0: their gradient columns are zeroed (as WoodFisher masks its
    // gradients), so the curvature does not couple them to the kept weights.
    const previous = options.previousMask;
    if (previous) {
      for (let q = 0; q < p; q++) if (previous[q] === 0) for (let j = 0; j < n; j++) G[j * p + q] = 0;
    }
    gradientMatrix = G;
    return G;
  };

  let inverse: InverseCurvature | undefined;
  let saliencies: Float64Array;
  switch (method) {
    case 'magnitude':
      saliencies = magnitudeSaliency(params);
      break;
    case 'random':
      saliencies = randomSaliency(p, options.seed ?? 0);
      break;
    case 'diagonal-fisher':
      saliencies = diagonalFisherSaliency(params, perSampleGradients(), { count: n, damping });
      break;
    case 'obd': {
      let diagonal = options.hessianDiagonal;
      if (diagonal && diagonal.length !== p) throw new ShapeMismatchError(`pruneOneShot: hessianDiagonal has length ${diagonal.length}, expected p = ${p}`);
      if (!diagonal) diagonal = matrixDiagonal(denseHessian(spec, params, data, loss, { memoryBudgetBytes: budget }), p);
      details.curvature = options.hessianDiagonal ? 'given Hessian diagonal' : 'exact Hessian diagonal';
      saliencies = obdSaliency(params, diagonal);
      break;
    }
    case 'obs': {
      const curvature = options.curvature ?? 'hessian';
      // C, its Cholesky factor, L⁻¹ and C⁻¹ live at once.
      assertMemoryBudget(4 * p * p, `OBS with a dense ${p} × ${p} inverse (4 matrices)`, budget ?? DEFAULT_MEMORY_BUDGET_BYTES,
        'use method woodfisher with a block size, or kfac');
      let C: Float64Array;
      if (curvature === 'hessian') {
        C = denseHessian(spec, params, data, loss, { memoryBudgetBytes: budget });
        for (let i = 0; i < p; i++) C[i * p + i] += damping;
        details.damping = damping;
      } else if (curvature === 'empirical-fisher') {
        C = empiricalFisher(perSampleGradients(), { count: n, size: p, damping, memoryBudgetBytes: budget });
      } else {
        throw new InvalidArgumentError(`pruneOneShot: curvature must be hessian or empirical-fisher, got '${String(curvature)}'`);
      }
      details.curvature = curvature === 'hessian' ? 'H + λI' : 'λI + (1/n)GᵀG';
      try {
        inverse = denseInverseCurvature(choleskyInverse(C, p), p);
      } catch (error) {
        if (IntrinsicError.isInstance(error) && error.code === 'not-positive-definite') {
          throw new NotPositiveDefiniteError(
            `pruneOneShot: ${details.curvature} with λ = ${damping} is not positive definite (${error.message}); raise damping above −λ_min`,
          );
        }
        throw error;
      }
      break;
    }
    case 'woodfisher': {
      if (!(damping > 0)) throw new InvalidArgumentError(`pruneOneShot: woodfisher needs damping > 0, got ${damping}`);
      const boundaries = (options.blockBoundaries ?? 'layers') === 'layers' ? before.layout.views.map((v) => v.offset) : [];
      blocks = diagonalBlocks(p, Math.min(options.blockSize ?? p, p), boundaries);
      inverse = woodFisherInverse(perSampleGradients(), {
        count: n,
        size: p,
        damping,
        blockSize: options.blockSize ?? p,
        boundaries,
        solver: options.solver,
        memoryBudgetBytes: budget,
      });
      details.curvature = 'λI + (1/n)GᵀG, block-diagonal';
      break;
    }
    case 'kfac': {
      if (!(damping > 0)) throw new InvalidArgumentError(`pruneOneShot: kfac needs damping > 0, got ${damping}`);
      details.gradients = n;
      details.damping = damping;
      inverse = kfacInverse(kfacFactors(spec, params, firstSamples(data, n), loss), damping, p, options.kfacDampingSplit);
      details.curvature = 'K-FAC S_l ⊗ A_l per layer';
      break;
    }
  }
  let inverseDiagonal: Float64Array | undefined;
  if (inverse) {
    inverseDiagonal = inverse.diagonal();
    saliencies = obsSaliency(params, inverseDiagonal);
    details.inverse = inverse.description;
  }
  const afterSaliency = performance.now();

  const mask = selectPruningMask(before.layout, saliencies!, {
    sparsity: options.sparsity,
    scope,
    layers: options.layers,
    includeBiases: options.includeBiases,
    previousMask: options.previousMask,
  });
  const afterSelection = performance.now();

  let pruned: Float64Array;
  if (updateRule === 'joint' && updateScale > 0) {
    pruned = jointObsPrune(params, gradientMatrix!, mask, { count: n, size: p, damping, blocks, updateScale, memoryBudgetBytes: budget });
  } else if (inverse && updateScale > 0) {
    pruned = obsPrune(params, inverse, mask, { updateScale, inverseDiagonal });
  } else {
    pruned = Float64Array.from(params, (w, q) => (mask[q] ? w : 0));
  }
  const afterUpdate = performance.now();

  const after = new MlpEvaluation(spec, pruned, data, loss);
  const result: PruneOneShotResult = {
    method,
    scope,
    params: pruned,
    mask,
    saliencies: saliencies!,
    sparsity: maskSparsity(before.layout, mask, { layers: options.layers, includeBiases: options.includeBiases }),
    lossBefore: before.value,
    lossAfter: after.value,
    accuracyBefore: accuracy(before.outputs, data),
    accuracyAfter: accuracy(after.outputs, data),
    timing: { saliencyMs: 0, selectionMs: 0, updateMs: 0, evaluationMs: 0, totalMs: 0 },
    details,
  };
  const end = performance.now();
  result.timing = {
    saliencyMs: afterSaliency - start,
    selectionMs: afterSelection - afterSaliency,
    updateMs: afterUpdate - afterSelection,
    evaluationMs: end - afterUpdate,
    totalMs: end - start,
  };
  return result;
}
