import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../cli-error.js';
import { interrupted, onInterrupt } from '../interrupt.js';
import { writeFileAtomic } from '../run-folder.js';
import { computeSweepPoint, type SweepPoint, type SweepRecord } from './sweep-point.js';

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Points computed at the same time on worker threads; 1 computes in this thread. */
  jobs: number;
  /** Folder for the per-point results (`points/<id>.json`, each written atomically as it finishes). */
  outDirectory?: string;
  /** Reuse finished points found in `outDirectory` whose settings match. */
  resume: boolean;
  /** The built worker script; found next to the CLI's dist files when omitted. */
  workerPath?: string;
  /** Called as each point finishes (or is reused), with how many are done. */
  onRecord?: (record: SweepRecord, done: number, total: number, reused: boolean) => void;
}

const computeSeconds = new WeakMap<SweepRecord, number>();

/**
 * The wall-clock seconds a point took in this process, or undefined for a point reused from `--out`.
 * Kept out of the records themselves so that point files, CSV and JSON are byte-identical between runs
 * (issue #10, determinism); for the human table and stderr only.
 */
export function sweepPointSeconds(record: SweepRecord): number | undefined {
  return computeSeconds.get(record);
}

/** The record without its wall-clock `seconds` (the deterministic part stored in files and JSON). */
export function withoutTiming(record: SweepRecord): SweepRecord {
  const { seconds, ...rest } = record as SweepRecord & { seconds?: number };
  // SweepRecord declares `seconds`; files and JSON omit it (it is remembered in sweepPointSeconds instead).
  const stored = rest as SweepRecord;
  if (seconds !== undefined) computeSeconds.set(stored, seconds);
  return stored;
}

/** Where a point's result is stored inside the output folder. */
export function pointFile(outDirectory: string, id: string): string {
  return join(outDirectory, 'points', `${id}.json`);
}

/**
 * The stored record for this point when its file holds one computed with the same settings: the same
 * point, and ranks, parameter count and predictions of the right types (what the CSV and plots read).
 * A missing, damaged or foreign file gives undefined, and the point is recomputed.
 */
export function parseFinishedPoint(text: string, point: SweepPoint): SweepRecord | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const r = record as Record<string, unknown>;
  if (JSON.stringify(r.point) !== JSON.stringify(point)) return undefined;
  const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  const triple = (x: unknown, check: (v: unknown) => boolean) =>
    typeof x === 'object' && x !== null && ['hessian', 'outer', 'functional'].every((part) => check((x as Record<string, unknown>)[part]));
  const claim = (x: unknown) => typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string' && ((x as { value?: unknown }).value === null || count((x as { value?: unknown }).value));
  const gap = (x: unknown) => typeof x === 'object' && x !== null && count((x as { position?: unknown }).position);
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const valid =
    count(r.params) && count(r.dataRank) && count(r.augmentedDataRank) &&
    triple(r.rank, count) && triple(r.rankOverParams, finite) && triple(r.thresholds, finite) && triple(r.gap, gap) &&
    typeof r.prediction === 'object' && r.prediction !== null && typeof (r.prediction as { kind?: unknown }).kind === 'string' && triple(r.prediction, claim) &&
    (r.reference === null || r.reference === undefined || triple(r.reference, count));
  return valid ? withoutTiming(record as SweepRecord) : undefined;
}

/** A stored record for this point, if one exists and was computed with the same settings (see {@link parseFinishedPoint}). */
export function readFinishedPoint(outDirectory: string, point: SweepPoint): SweepRecord | undefined {
  const path = pointFile(outDirectory, point.id);
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // an unreadable file is recomputed
  }
  return parseFinishedPoint(text, point);
}

/** The worker script of the build (dist/sweep/sweep-worker.js), looked up from this module's location in dist/. */
export function defaultWorkerPath(): string {
  const candidates = ['./sweep/sweep-worker.js', '../sweep/sweep-worker.js', './sweep-worker.js'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new UsageError('intrinsic sweep: --jobs > 1 needs the built worker script sweep/sweep-worker.js next to the CLI (run pnpm --filter @intrinsic/cli build)');
  return found;
}

function workerError(message: { message: string; stack?: string; user: boolean }, point: SweepPoint): Error {
  if (message.user) return new UsageError(`intrinsic sweep: point ${point.id}: ${message.message}`);
  const error = new Error(`sweep point ${point.id} failed in a worker: ${message.message}`);
  error.stack = message.stack;
  return error;
}

/**
 * Computes the points of a sweep, in order of the list, `jobs` at a time on worker threads (each point is
 * one {@link computeSweepPoint}, i.e. one analyzeHessianRanks call), skipping points already finished in
 * the output folder when resuming. Returns the records in the order of `points`, without their wall-clock
 * `seconds` (see {@link sweepPointSeconds}).
 *
 * Ctrl-C (SIGINT/SIGTERM, see interrupt.ts): no new point is started; the points in progress finish and
 * are saved, a notice on stderr says how to continue with `--resume`, and only the finished records are
 * returned (in list order), so that the caller writes the summary of what is done. The command line then
 * exits with code 130.
 */
export async function runSweep(points: SweepPoint[], options: RunSweepOptions): Promise<SweepRecord[]> {
  const stopListening = onInterrupt();
  try {
    const records = await computePoints(points, options);
    const finished = records.filter((r): r is SweepRecord => r !== undefined);
    if (finished.length < points.length) {
      process.stderr.write(
        `intrinsic sweep: interrupted with ${finished.length} of ${points.length} points finished` +
          (options.outDirectory
            ? `, saved in ${join(options.outDirectory, 'points')}; the summary files cover those points. Continue with the same command and --resume.\n`
            : '; nothing was saved (no --out). Use --out DIR to be able to continue with --resume.\n'),
      );
    }
    return finished;
  } finally {
    stopListening();
  }
}

async function computePoints(points: SweepPoint[], options: RunSweepOptions): Promise<(SweepRecord | undefined)[]> {
  const records: (SweepRecord | undefined)[] = new Array(points.length);
  let done = 0;
  if (options.outDirectory) mkdirSync(join(options.outDirectory, 'points'), { recursive: true });
  const finish = (index: number, computed: SweepRecord, reused: boolean) => {
    const record = reused ? computed : withoutTiming(computed);
    records[index] = record;
    if (options.outDirectory && !reused) writeFileAtomic(pointFile(options.outDirectory, record.point.id), `${JSON.stringify(record, null, 1)}\n`);
    done++;
    options.onRecord?.(computed, done, points.length, reused);
  };
  const pending: number[] = [];
  points.forEach((point, index) => {
    const previous = options.resume && options.outDirectory ? readFinishedPoint(options.outDirectory, point) : undefined;
    if (previous) finish(index, previous, true);
    else pending.push(index);
  });
  if (pending.length === 0) return records;

  if (options.jobs <= 1) {
    for (const index of pending) {
      // Yield between points so that progress output and signals are handled.
      await new Promise((resolve) => setImmediate(resolve));
      if (interrupted()) break;
      finish(index, await computeSweepPoint(points[index]), false);
    }
    return records;
  }

  const workerPath = options.workerPath ?? defaultWorkerPath();
  const queue = [...pending];
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      let failed = false;
      const next = (worker: Worker) => {
        const index = interrupted() ? undefined : queue.shift();
        if (index === undefined || failed) {
          if (--active === 0 && !failed) resolve();
          return;
        }
        const point = points[index];
        worker.once('message', (message: { ok: true; record: SweepRecord } | { ok: false; message: string; stack?: string; user: boolean }) => {
          if (failed) return;
          if (message.ok) {
            try {
              finish(index, message.record, false);
            } catch (error) {
              failed = true;
              reject(error);
              return;
            }
            next(worker);
          } else {
            failed = true;
            reject(workerError(message, point));
          }
        });
        worker.postMessage(point);
      };
      const count = Math.min(options.jobs, queue.length);
      for (let i = 0; i < count; i++) {
        // Inherit Node's flags except --input-type, which a worker started from a file rejects.
        const worker = new Worker(workerPath, { execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')) });
        worker.on('error', (error) => {
          failed = true;
          reject(error);
        });
        workers.push(worker);
        active++;
      }
      for (const worker of workers) next(worker);
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return records;
}
