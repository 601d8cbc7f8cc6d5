import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';

/**
 * Multi-class output margins γ_i = f(x_i)[y_i] − max_{k ≠ y_i} f(x_i)[k] (negative when misclassified).
 *
 * @param outputs - network outputs, row-major N × K (e.g. `mlpForward`).
 * @param labels - class indices, length N, each in [0, K).
 * @returns Float64Array of length N. Cost O(N K).
 * @throws ShapeMismatchError when `outputs.length ≠ N·K`; InvalidArgumentError on K < 2 or a label out of range.
 * @example outputMargins(Float64Array.of(1, 3, 0, 2, 0.5, 1), Int32Array.of(1, 0)) // K = 3 → [2, 1]
 */
export function outputMargins(outputs: Float64Array, labels: Int32Array): Float64Array {
  const fn = 'outputMargins';
  const N = labels.length;
  if (N === 0) throw new InvalidArgumentError(`${fn}: no labels`);
  const K = outputs.length / N;
  if (!Number.isInteger(K)) throw new ShapeMismatchError(`${fn}: outputs have ${outputs.length} entries, not a multiple of N = ${N}`);
  if (K < 2) throw new InvalidArgumentError(`${fn}: margins need at least 2 outputs, got K = ${K}`);
  const margins = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < K)) throw new InvalidArgumentError(`${fn}: label ${i} is ${y}, outside 0…${K - 1}`);
    let other = -Infinity;
    for (let k = 0; k < K; k++) if (k !== y) other = Math.max(other, outputs[i * K + k]);
    margins[i] = outputs[i * K + y] - other;
  }
  return margins;
}

/**
 * The q-quantile of the margins (linear interpolation between order statistics, numpy's default). Jiang et al.
 * (ICLR 2020) normalise by the 10th percentile, q = 0.1.
 *
 * @throws InvalidArgumentError when q ∉ [0, 1] or the margins are empty or non-finite.
 * @example marginQuantile(Float64Array.of(4, 1, 3, 2), 0.5) // → 2.5
 */
export function marginQuantile(margins: Float64Array, q: number): number {
  const fn = 'marginQuantile';
  if (!(q >= 0 && q <= 1)) throw new InvalidArgumentError(`${fn}: q must be in [0, 1], got ${q}`);
  if (margins.length === 0) throw new InvalidArgumentError(`${fn}: no margins`);
  const sorted = Float64Array.from(margins).sort();
  if (!Number.isFinite(sorted[0]) || !Number.isFinite(sorted[sorted.length - 1])) throw new InvalidArgumentError(`${fn}: margins must be finite`);
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
}
