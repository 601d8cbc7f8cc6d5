import { analyzeHessianRanks } from '@intrinsic/hessian';
import { initializeParameters, mlpSpec } from '@intrinsic/models';
import { selectBackend, trainMlpTfjs, type BackendSelection, type TfjsBackendName, type TrainingState } from '@intrinsic/models/tfjs';
import { InvalidArgumentError, parseTolerancePolicy } from '@intrinsic/spectra';
import { pageDataset, type PageState } from './page-state.js';
import { checkpointEpochs, magnitudesDescending, type TrainingCheckpoint } from './training-checkpoints.js';

/** The TensorFlow.js backends the page can force; `auto` tries webgl, then wasm, then cpu. */
export const PAGE_TFJS_BACKENDS = ['auto', 'webgl', 'wasm', 'cpu'] as const;
export type PageTfjsBackend = (typeof PAGE_TFJS_BACKENDS)[number];

/** Folder of the site holding the wasm backend's binaries (copied there at build time by vite.config.ts). */
export const TFJS_WASM_FOLDER = 'tfjs-wasm/';

/** Options of {@link tfjsTrainingCheckpoints}. */
export interface TfjsTrainingOptions {
  epochs: number;
  checkpoints: number;
  learningRate: number;
  backend: PageTfjsBackend;
  /** URL of the folder with tfjs-backend-wasm*.wasm (ending in `/`), on the site itself. */
  wasmBase: string;
  memoryBudgetBytes?: number;
  topK?: number;
  onBackend?: (selection: BackendSelection) => void;
  onCheckpoint?: (checkpoint: TrainingCheckpoint, index: number, total: number) => void;
}

/**
 * Registers and activates a tfjs backend in the browser (worker): `selectBackend` of `@intrinsic/models/tfjs` over
 * webgl → wasm → cpu (ARCHITECTURE.md "Two engines"), with the forced one first and no silent fallback when one is
 * forced. The backends are loaded on demand (separate chunks); wasm fetches its binary from `wasmBase`.
 */
export async function activateTfjsBackend(backend: PageTfjsBackend, wasmBase: string): Promise<BackendSelection> {
  return selectBackend({
    environment: 'browser',
    preferred: backend === 'auto' ? undefined : (backend as TfjsBackendName),
    strict: backend !== 'auto',
    loaders: {
      webgl: async () => {
        await import('@tensorflow/tfjs-backend-webgl');
      },
      wasm: async () => {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        wasm.setWasmPaths(wasmBase);
      },
      cpu: async () => {
        await import('@tensorflow/tfjs-backend-cpu');
      },
    },
  });
}

/**
 * Trains the page's MLP with TensorFlow.js (float32 on the active backend; full-batch Adam, β = 0.9, 0.999, ε = 1e-8,
 * `trainMlpTfjs` of `@intrinsic/models/tfjs`) and, at each checkpoint of {@link checkpointEpochs}, analyses the
 * trained parameters (read back to float64) exactly: dense H, H_O, H_F by `analyzeHessianRanks`, their ranks, the
 * loss in float64 and the top eigenvalues of H. Training continues from the previous checkpoint with the optimizer
 * state restored (`resume`), so the run equals one uninterrupted run of `epochs` epochs. The gradient norm is tfjs'
 * (float32 forward and backward, float64 sums).
 *
 * Cost: `epochs` tfjs steps plus one dense analysis, O(N p² + p³), per checkpoint.
 * @throws InvalidArgumentError for bad counts, an unavailable forced backend, or a diverging run.
 */
export async function tfjsTrainingCheckpoints(state: PageState, options: TfjsTrainingOptions): Promise<{ checkpoints: TrainingCheckpoint[]; backend: BackendSelection }> {
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new InvalidArgumentError(`training: epochs must be a positive integer, got ${options.epochs}`);
  if (!Number.isInteger(options.checkpoints) || options.checkpoints < 1) {
    throw new InvalidArgumentError(`training: checkpoints must be a positive integer, got ${options.checkpoints}`);
  }
  const backend = await activateTfjsBackend(options.backend, options.wasmBase);
  options.onBackend?.(backend);
  const spec = mlpSpec({ widths: state.widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const data = pageDataset(state);
  const initial = initializeParameters(spec);
  const tolerance = parseTolerancePolicy(state.tolerance);
  const epochs = checkpointEpochs(options.epochs, options.checkpoints);
  const k = options.topK ?? 5;
  const checkpoints: TrainingCheckpoint[] = [];
  let resume: TrainingState | undefined;
  for (const [index, epoch] of epochs.entries()) {
    let saved: TrainingState | undefined;
    const trained = await trainMlpTfjs(spec, initial, data, state.loss, {
      optimizer: 'adam',
      learningRate: options.learningRate,
      epochs: epoch,
      resume,
      onCheckpoint: (s) => {
        saved = s;
      },
    });
    if (saved) resume = saved;
    const analysis = analyzeHessianRanks(spec, trained.params, data, state.loss, { tolerance, memoryBudgetBytes: options.memoryBudgetBytes });
    const values = Array.from(analysis.parts.hessian.eigenvalues).sort((a, b) => Math.abs(b) - Math.abs(a));
    const checkpoint: TrainingCheckpoint = {
      epoch,
      loss: analysis.lossValue,
      gradientNorm: trained.final.gradientNorm,
      rank: analysis.rank,
      top: Float64Array.from(values.slice(0, Math.min(k, values.length))),
      smallestNonzero: analysis.parts.hessian.smallestNonzero,
      spectrum: magnitudesDescending(analysis.parts.hessian.eigenvalues),
      threshold: analysis.parts.hessian.threshold,
    };
    checkpoints.push(checkpoint);
    options.onCheckpoint?.(checkpoint, index, epochs.length);
  }
  return { checkpoints, backend };
}
