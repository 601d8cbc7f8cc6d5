import type { PageState } from './page-state.js';
import type { RankReport } from './compute-ranks.js';

/** Main thread → worker: compute the ranks of one state. `id` ties the answers to the request. */
export interface ComputeRequest {
  id: number;
  state: PageState;
  memoryBudgetBytes: number;
}

/** Worker → main thread. Errors travel as their one-line message and code (Error objects do not clone their class). */
export type WorkerMessage =
  | { id: number; type: 'progress'; done: number; total: number; stage: string }
  | { id: number; type: 'result'; report: RankReport }
  | { id: number; type: 'error'; message: string; code: string };
