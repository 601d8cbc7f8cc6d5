import { initializeParameters, mlpSpec, trainMlp, type Dataset, type MlpSpec } from '@intrinsic/models';
import { pruneOneShot, type PruningMethod } from '@intrinsic/pruning';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { pageDataset, type PageState } from './page-state.js';

/** The model the pruning and bounds panels look at: the seeded initialisation, or it trained in the page. */
export type PanelModel = 'initial' | 'trained';

/** Options of {@link panelModel}. */
export interface PanelModelOptions {
  model: PanelModel;
  /** Full-batch Adam epochs of the trained model (the training view's setting). */
  epochs: number;
  /** Adam learning rate of the trained model. */
  learningRate: number;
}

/** The network, its data, its initial and current parameters. */
export interface PanelModelParameters {
  spec: MlpSpec;
  data: Dataset;
  initial: Float64Array;
  params: Float64Array;
}

/**
 * The model of the pruning and bounds panels: the page's MLP with its seeded Glorot-normal weights, or those
 * trained by `trainMlp` (full-batch Adam, float64) for `epochs` on the page's data — the same parameters as the
 * training view's last checkpoint. Cost: `epochs` full-batch gradient steps for a trained model.
 * @throws InvalidArgumentError for a bad epoch count or learning rate.
 */
export function panelModel(state: PageState, options: PanelModelOptions): PanelModelParameters {
  const spec = mlpSpec({ widths: state.widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const data = pageDataset(state);
  const initial = initializeParameters(spec);
  if (options.model === 'initial') return { spec, data, initial, params: initial };
  const trained = trainMlp(spec, initial, data, state.loss, { optimizer: 'adam', learningRate: options.learningRate, epochs: options.epochs });
  return { spec, data, initial, params: trained.params };
}

/** The two methods of the panel. */
export const PANEL_PRUNING_METHODS = ['magnitude', 'woodfisher'] as const satisfies readonly PruningMethod[];

/** The sparsities of the curve: 0, 0.1, …, 0.9 of the weights (biases kept). */
export const PANEL_SPARSITIES: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Damping λ of WoodFisher in the panel (λI + (1/n) GᵀG). */
export const PANEL_WOODFISHER_DAMPING = 1e-3;

/** One point of the curve for one method. */
export interface PruningPoint {
  sparsity: number;
  /** Weights pruned / prunable weights. */
  pruned: number;
  prunable: number;
  lossAfter: number;
  /** Top-1 accuracy after pruning (NaN when the data has no labels). */
  accuracyAfter: number;
}

/** Loss and accuracy vs sparsity for magnitude and WoodFisher pruning of one model. */
export interface PruningCurve {
  model: PanelModel;
  lossBefore: number;
  /** NaN without labels. */
  accuracyBefore: number;
  /** Whether the data has labels (accuracy is drawn) or not (the loss is drawn). */
  hasLabels: boolean;
  methods: Record<(typeof PANEL_PRUNING_METHODS)[number], PruningPoint[]>;
  elapsedMs: number;
}

/** Options of {@link pruningCurve}. */
export interface PruningCurveOptions extends PanelModelOptions {
  memoryBudgetBytes?: number;
  /** Called after each point: points done, total. */
  onProgress?: (done: number, total: number, stage: string) => void;
}

/**
 * One-shot pruning of the panel's model ({@link panelModel}) at each of {@link PANEL_SPARSITIES} by
 * `pruneOneShot` of `@intrinsic/pruning` with one global threshold over the weight matrices (biases kept):
 * `magnitude` (saliency w_q², Han et al. 2015, no update) and `woodfisher` (saliency w_q²/(2[F⁻¹]_qq) with
 * F = λI + (1/n)GᵀG from all N per-sample gradients, λ = {@link PANEL_WOODFISHER_DAMPING}, one block per
 * parameter array, and the superposed OBS update of the kept weights; Singh & Alistarh, NeurIPS 2020).
 * Cost: per point O(N p) for magnitude, O(N p (N + K)) for WoodFisher's closed-form inverse.
 * @throws MemoryBudgetError when the per-sample gradients exceed the budget.
 */
export function pruningCurve(state: PageState, options: PruningCurveOptions): PruningCurve {
  const started = performance.now();
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new InvalidArgumentError(`pruning: epochs must be a positive integer, got ${options.epochs}`);
  const { spec, data, params } = panelModel(state, options);
  const total = PANEL_PRUNING_METHODS.length * PANEL_SPARSITIES.length;
  let done = 0;
  let lossBefore = NaN;
  let accuracyBefore = NaN;
  const methods = {} as PruningCurve['methods'];
  for (const method of PANEL_PRUNING_METHODS) {
    methods[method] = PANEL_SPARSITIES.map((sparsity) => {
      const result = pruneOneShot(spec, params, data, state.loss, {
        method,
        sparsity,
        damping: PANEL_WOODFISHER_DAMPING,
        memoryBudgetBytes: options.memoryBudgetBytes,
      });
      lossBefore = result.lossBefore;
      accuracyBefore = result.accuracyBefore?.top1 ?? NaN;
      done += 1;
      options.onProgress?.(done, total, `${method} ${sparsity}`);
      return {
        sparsity,
        pruned: result.sparsity.prunable.pruned,
        prunable: result.sparsity.prunable.size,
        lossAfter: result.lossAfter,
        accuracyAfter: result.accuracyAfter?.top1 ?? NaN,
      };
    });
  }
  return { model: options.model, lossBefore, accuracyBefore, hasLabels: data.labels !== undefined, methods, elapsedMs: performance.now() - started };
}
