import { IntrinsicError } from '@intrinsic/spectra';
import { computeRanks } from './compute-ranks.js';
import type { ComputeRequest, WorkerMessage } from './worker-protocol.js';

/**
 * The numerics thread: one {@link computeRanks} per request, progress posted as it goes. The main thread
 * cancels a running computation by terminating this worker and starting a new one.
 */
interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: MessageEvent<ComputeRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

scope.onmessage = (event: MessageEvent<ComputeRequest>) => {
  const { id, state, memoryBudgetBytes } = event.data;
  try {
    const report = computeRanks(state, {
      memoryBudgetBytes,
      onProgress: (done, total, stage) => post({ id, type: 'progress', done, total, stage }),
    });
    post({ id, type: 'result', report });
  } catch (error) {
    if (IntrinsicError.isInstance(error)) {
      post({ id, type: 'error', message: error.message, code: error.code });
    } else {
      // Not a deliberate error: keep the stack in the console, show one line in the page.
      console.error(error);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      post({ id, type: 'error', message: message.split('\n')[0], code: 'internal' });
    }
  }
};
