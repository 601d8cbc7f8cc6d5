import type { PageState } from './page-state.js';
import type { RankReport } from './compute-ranks.js';
import type { MatrixFreeReport } from './matrix-free.js';
import type { SweepPoint } from './width-sweep.js';
import type { TrainingCheckpoint } from './training-checkpoints.js';
import type { PruningCurve } from './pruning-curve.js';
import type { BoundTable } from './bound-table.js';
import type { PageTfjsBackend } from './tfjs-training.js';

/** Main thread → worker. `id` ties the answers to the request. */
export type ComputeRequest =
  /** Dense H, H_O, H_F, their eigenvalues, ranks and heatmaps (the `kind` may be omitted). */
  | { id: number; kind?: 'ranks'; state: PageState; memoryBudgetBytes: number }
  /** The width sweep: one point per width, each posted as soon as it is done. */
  | { id: number; kind: 'sweep'; state: PageState; layer: number; widths: number[]; memoryBudgetBytes: number }
  /** Lanczos top eigenvalues and SLQ density from Hessian-vector products. */
  | { id: number; kind: 'matrix-free'; state: PageState; topK: number; memoryBudgetBytes: number }
  /** Float64 training with a dense analysis at each checkpoint. */
  | { id: number; kind: 'train'; state: PageState; epochs: number; checkpoints: number; learningRate: number; memoryBudgetBytes: number }
  /** TensorFlow.js training (float32, webgl → wasm → cpu or a forced backend) with an exact float64 analysis at each checkpoint. */
  | { id: number; kind: 'train-tfjs'; state: PageState; epochs: number; checkpoints: number; learningRate: number; backend: PageTfjsBackend; memoryBudgetBytes: number }
  /** Pruning curve (magnitude, WoodFisher) and bound table of the initial or trained model. */
  | { id: number; kind: 'panels'; state: PageState; model: 'initial' | 'trained'; epochs: number; learningRate: number; memoryBudgetBytes: number };

/** Worker → main thread. Errors travel as their one-line message and code (Error objects do not clone their class). */
export type WorkerMessage =
  | { id: number; type: 'progress'; done: number; total: number; stage: string }
  | { id: number; type: 'result'; report: RankReport }
  | { id: number; type: 'sweep-point'; point: SweepPoint; index: number; total: number }
  | { id: number; type: 'sweep-done' }
  | { id: number; type: 'matrix-free'; report: MatrixFreeReport }
  | { id: number; type: 'checkpoint'; checkpoint: TrainingCheckpoint; index: number; total: number }
  | { id: number; type: 'train-done' }
  /** The tfjs backend in use and the ones skipped before it, with their reasons. */
  | { id: number; type: 'backend'; backend: string; skipped: { backend: string; reason: string }[] }
  | { id: number; type: 'pruning'; curve: PruningCurve }
  | { id: number; type: 'bounds'; table: BoundTable }
  | { id: number; type: 'error'; message: string; code: string };
