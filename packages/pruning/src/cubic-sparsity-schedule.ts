import { InvalidArgumentError } from '@intrinsic/spectra';

/** Options of {@link cubicSparsity} and {@link cubicSparsitySchedule}. */
export interface CubicSparsityOptions {
  /** s_i, sparsity at the first pruning step (default 0). */
  initialSparsity?: number;
  /** s_f, sparsity reached at the last step. */
  finalSparsity: number;
  /** n, number of pruning steps after the first (the schedule has n + 1 points, t = 0 … n). */
  steps: number;
}

function check(options: CubicSparsityOptions, fn: string): { si: number; sf: number; n: number } {
  const si = options.initialSparsity ?? 0;
  const sf = options.finalSparsity;
  const n = options.steps;
  for (const [name, s] of [['initialSparsity', si], ['finalSparsity', sf]] as const) {
    if (!(s >= 0 && s <= 1)) throw new InvalidArgumentError(`${fn}: ${name} must be in [0, 1], got ${s}`);
  }
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${fn}: steps must be a positive integer, got ${n}`);
  return { si, sf, n };
}

/**
 * Sparsity at step t of the gradual pruning schedule of Zhu & Gupta ("To prune, or not to prune",
 * 2017, eq. 1): s_t = s_f + (s_i − s_f)(1 − t/n)³ for t = 0 … n — fast pruning early, while the
 * network is redundant, and slow near the final sparsity. Steps beyond n stay at s_f. O(1).
 *
 * @param step - t, a non-negative integer.
 * @param options - s_i, s_f, n.
 * @throws InvalidArgumentError for sparsities outside [0, 1], n < 1 or a negative/non-integer t.
 * @example cubicSparsity(1, { finalSparsity: 0.9, steps: 2 }) // → 0.9 − 0.9/8 = 0.7875
 */
export function cubicSparsity(step: number, options: CubicSparsityOptions): number {
  const { si, sf, n } = check(options, 'cubicSparsity');
  if (!Number.isInteger(step) || step < 0) throw new InvalidArgumentError(`cubicSparsity: step must be a non-negative integer, got ${step}`);
  const t = Math.min(step, n);
  return sf + (si - sf) * (1 - t / n) ** 3;
}

/** The whole schedule s_0 … s_n of {@link cubicSparsity} (length n + 1; s_0 = s_i, s_n = s_f). */
export function cubicSparsitySchedule(options: CubicSparsityOptions): Float64Array {
  const { n } = check(options, 'cubicSparsitySchedule');
  return Float64Array.from({ length: n + 1 }, (_, t) => cubicSparsity(t, options));
}
