/**
 * Worker-thread entry of `intrinsic sweep --jobs N`: receives a {@link SweepPoint}, answers with its
 * {@link SweepRecord} or with the error (message and whether it is the user's input).
 */
import { parentPort } from 'node:worker_threads';
import { isUserError } from '../cli-error.js';
import { computeSweepPoint, type SweepPoint } from './sweep-point.js';

parentPort?.on('message', async (point: SweepPoint) => {
  try {
    parentPort?.postMessage({ ok: true, record: await computeSweepPoint(point) });
  } catch (error) {
    const e = error as Error;
    parentPort?.postMessage({ ok: false, message: e.message, stack: e.stack, user: isUserError(error) });
  }
});
