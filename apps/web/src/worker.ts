import { IntrinsicError, InvalidArgumentError } from '@intrinsic/spectra';
import { MNIST_ASSET_FILE, loadMnistPool } from './mnist-pool.js';
import { computeRanks } from './compute-ranks.js';
import { computeMatrixFree } from './matrix-free.js';
import { widthSweepPoint } from './width-sweep.js';
import { checkpointEpochs, trainingCheckpoints } from './training-checkpoints.js';
import { pruningCurve } from './pruning-curve.js';
import { boundTable } from './bound-table.js';
import type { ComputeRequest, WorkerMessage } from './worker-protocol.js';

/**
 * The numerics thread: one computation per request (ranks, a width sweep, the matrix-free view or training),
 * progress posted as it goes. The main thread cancels a running computation by terminating this worker
 * and starting a new one; each view has its own worker, so cancelling one leaves the others running.
 */
interface WorkerScope {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: MessageEvent<ComputeRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

/** What each view is called in messages. */
const VIEW_NAMES: Record<string, string> = { sweep: 'width sweep', train: 'training view', 'train-tfjs': 'training view', panels: 'pruning and bounds panel', 'matrix-free': 'large-network view' };

/** The MNIST subset is fetched from the site itself: `dist/mnist-8x8.bin`, beside index.html (the worker is in `assets/`). */
function mnistAssetUrl(): URL {
  return new URL(`../${MNIST_ASSET_FILE}`, self.location.href);
}

async function run(request: ComputeRequest): Promise<void> {
  const { id, state, memoryBudgetBytes } = request;
  if (state.arch === 'conv' && request.kind !== undefined && request.kind !== 'ranks' && request.kind !== 'matrix-free' && request.kind !== 'sweep') {
    throw new InvalidArgumentError(`the ${VIEW_NAMES[request.kind] ?? request.kind} computes dense networks (MLPs) only; choose Architecture: dense`);
  }
  if (state.data === 'mnist') {
    post({ id, type: 'progress', done: 0, total: 1, stage: 'loading the MNIST subset' });
    await loadMnistPool(mnistAssetUrl());
  }
  const onProgress = (done: number, total: number, stage: string) => post({ id, type: 'progress', done, total, stage });
  if (request.kind === 'sweep') {
    request.widths.forEach((width, index) => {
      post({ id, type: 'progress', done: index, total: request.widths.length, stage: `width ${width}` });
      const point = widthSweepPoint(state, { layer: request.layer, width, memoryBudgetBytes });
      post({ id, type: 'sweep-point', point, index, total: request.widths.length });
    });
    post({ id, type: 'sweep-done' });
  } else if (request.kind === 'train') {
    const total = checkpointEpochs(request.epochs, request.checkpoints).length;
    post({ id, type: 'progress', done: 0, total, stage: 'initialisation' });
    trainingCheckpoints(state, {
      epochs: request.epochs,
      checkpoints: request.checkpoints,
      learningRate: request.learningRate,
      memoryBudgetBytes,
      onCheckpoint: (checkpoint, index) => {
        post({ id, type: 'checkpoint', checkpoint, index, total });
        post({ id, type: 'progress', done: index + 1, total, stage: 'training' });
      },
    });
    post({ id, type: 'train-done' });
  } else if (request.kind === 'train-tfjs') {
    const total = checkpointEpochs(request.epochs, request.checkpoints).length;
    post({ id, type: 'progress', done: 0, total, stage: 'loading TensorFlow.js' });
    // Loaded on demand: the other views never download tfjs.
    const { tfjsTrainingCheckpoints, TFJS_WASM_FOLDER } = await import('./tfjs-training.js');
    await tfjsTrainingCheckpoints(state, {
      epochs: request.epochs,
      checkpoints: request.checkpoints,
      learningRate: request.learningRate,
      backend: request.backend,
      wasmBase: new URL(`../${TFJS_WASM_FOLDER}`, self.location.href).href,
      memoryBudgetBytes,
      onBackend: (selection) => post({ id, type: 'backend', backend: selection.backend, skipped: selection.skipped }),
      onCheckpoint: (checkpoint, index) => {
        post({ id, type: 'checkpoint', checkpoint, index, total });
        post({ id, type: 'progress', done: index + 1, total, stage: 'training' });
      },
    });
    post({ id, type: 'train-done' });
  } else if (request.kind === 'panels') {
    const model = { model: request.model, epochs: request.epochs, learningRate: request.learningRate, memoryBudgetBytes };
    const curve = pruningCurve(state, { ...model, onProgress: (done, total, stage) => post({ id, type: 'progress', done, total: total + 1, stage }) });
    post({ id, type: 'pruning', curve });
    const table = boundTable(state, model);
    post({ id, type: 'bounds', table });
  } else if (request.kind === 'matrix-free') {
    const report = computeMatrixFree(state, { topK: request.topK, memoryBudgetBytes, onProgress });
    post({ id, type: 'matrix-free', report });
  } else {
    const report = computeRanks(state, { memoryBudgetBytes, onProgress });
    post({ id, type: 'result', report });
  }
}

scope.onmessage = async (event: MessageEvent<ComputeRequest>) => {
  const { id } = event.data;
  try {
    await run(event.data);
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
