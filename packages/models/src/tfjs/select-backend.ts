import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@intrinsic/spectra';

/** Backends Intrinsic knows how to pick. `node` is `@tensorflow/tfjs-node` (its name in tfjs is `tensorflow`). */
export const TFJS_BACKENDS = ['node', 'webgl', 'wasm', 'cpu'] as const;
export type TfjsBackendName = (typeof TFJS_BACKENDS)[number];

/**
 * The order in which backends are tried (ARCHITECTURE.md "Two engines"): on Node tfjs-node, then wasm,
 * then cpu; in the browser webgl, then wasm, then cpu. A preferred backend goes first; the others stay as
 * fallbacks in the same order.
 *
 * @example backendOrder('node', 'cpu') // → ['cpu', 'node', 'wasm']
 * @throws InvalidArgumentError for a preferred backend that the environment does not have.
 */
export function backendOrder(environment: 'node' | 'browser', preferred?: TfjsBackendName): TfjsBackendName[] {
  const order: TfjsBackendName[] = environment === 'node' ? ['node', 'wasm', 'cpu'] : ['webgl', 'wasm', 'cpu'];
  if (preferred === undefined) return order;
  if (!order.includes(preferred)) {
    throw new InvalidArgumentError(`backend '${preferred}' is not available in the ${environment}; choose one of ${order.join(', ')}`);
  }
  return [preferred, ...order.filter((b) => b !== preferred)];
}

/** A function that imports a backend's package (registering it with tfjs-core) and prepares it (e.g. wasm paths). */
export type BackendLoader = () => Promise<void>;

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** `node` or `browser`; default: `node` when `process.versions.node` exists. */
  environment?: 'node' | 'browser';
  /** Backend to try first (the CLI's `--backend`). */
  preferred?: TfjsBackendName;
  /**
   * When true (default false) a preferred backend that fails is an error instead of falling back,
   * so that `--backend wasm` never silently runs on cpu.
   */
  strict?: boolean;
  /** Loaders per backend; backends without a loader must already be registered. */
  loaders?: Partial<Record<TfjsBackendName, BackendLoader>>;
}

/** What {@link selectBackend} did. */
export interface BackendSelection {
  /** The backend now active, as Intrinsic names it. */
  backend: TfjsBackendName;
  /** Its tfjs name (`tensorflow` for tfjs-node). */
  tfjsName: string;
  /** Backends tried before it, with the reason each failed. */
  skipped: { backend: TfjsBackendName; reason: string }[];
}

const TFJS_NAME: Record<TfjsBackendName, string> = { node: 'tensorflow', webgl: 'webgl', wasm: 'wasm', cpu: 'cpu' };

/**
 * Picks the first backend of {@link backendOrder} that loads and initialises, and makes it the active
 * tfjs-core backend. A backend is skipped when its loader throws (e.g. tfjs-node without its native
 * binding, an absent package) or when `tf.setBackend` returns false.
 *
 * Libraries never call this; apps do (the CLI with loaders for tfjs-node, wasm and cpu).
 *
 * @returns the backend used and the ones skipped with their reasons.
 * @throws InvalidArgumentError when no backend in the order could be initialised (listing each reason),
 * or when `strict` is set and the preferred backend failed.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const environment = options.environment ?? (typeof process !== 'undefined' && process.versions?.node ? 'node' : 'browser');
  const order = backendOrder(environment, options.preferred);
  const skipped: BackendSelection['skipped'] = [];
  for (const backend of order) {
    try {
      await options.loaders?.[backend]?.();
      const tfjsName = TFJS_NAME[backend];
      if (tf.findBackendFactory(tfjsName) === null) throw new Error(`backend '${tfjsName}' is not registered`);
      if (!(await tf.setBackend(tfjsName))) throw new Error(`backend '${tfjsName}' failed to initialise`);
      await tf.ready();
      return { backend, tfjsName, skipped };
    } catch (error) {
      const reason = String(error instanceof Error ? error.message : error).split('\n')[0];
      if (options.strict && backend === options.preferred) {
        throw new InvalidArgumentError(`backend '${backend}' is not available: ${reason}`);
      }
      skipped.push({ backend, reason });
    }
  }
  throw new InvalidArgumentError(`no TensorFlow.js backend could be initialised: ${skipped.map((s) => `${s.backend} (${s.reason})`).join('; ')}`);
}
