import type { PruneSummary } from './prune-report.js';

/** The largest sparsity of a method's grid that the network tolerates. */
export interface ToleratedSparsity {
  method: string;
  /** Largest grid sparsity whose mean top-1 is at most `maxDrop` below dense; null when even the smallest drops more. */
  sparsity: number | null;
  /** Mean top-1 there (null with `sparsity`). */
  top1: number | null;
}

/**
 * The empirical count of redundancy beside p − rank(H): per method, the largest sparsity s of the grid
 * with mean top-1(s) ≥ dense top-1 − maxDrop (e.g. 0.01 = one point of accuracy). Only sparsities that
 * were run count, so the answer is a lower bound at the grid's resolution.
 *
 * @param summaries - the averaged points (test split, or train when there is none).
 * @param denseTop1 - top-1 of the unpruned network on the same split.
 * @param maxDrop - the tolerated drop, a fraction.
 * @returns one entry per method, in the order of first appearance.
 */
export function toleratedSparsities(summaries: PruneSummary[], denseTop1: number, maxDrop: number): ToleratedSparsity[] {
  const methods = [...new Set(summaries.map((s) => s.method))];
  return methods.map((method) => {
    let best: PruneSummary | undefined;
    for (const s of summaries) {
      if (s.method !== method || !s.top1) continue;
      if (s.top1.mean >= denseTop1 - maxDrop - 1e-12 && (!best || s.sparsity > best.sparsity)) best = s;
    }
    return { method, sparsity: best?.sparsity ?? null, top1: best?.top1?.mean ?? null };
  });
}
