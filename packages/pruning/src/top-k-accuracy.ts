import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';

/**
 * Top-k accuracy of classifier outputs: the fraction of samples whose label is among the k largest
 * outputs. A label's rank counts the classes with a strictly larger output, plus the tied ones with a
 * lower class index (deterministic ties); it is correct when its rank is below k. O(N K).
 *
 * @param outputs - f, row-major N × K (logits or probabilities).
 * @param labels - class indices, length N.
 * @param classes - K.
 * @param k - how many top classes count (1 for the usual accuracy). k ≥ K gives 1.
 * @throws ShapeMismatchError when `outputs.length !== N·K`; InvalidArgumentError on a label outside
 * 0…K−1 or k < 1.
 * @example topKAccuracy(new Float64Array([0.1, 0.9, 0.8, 0.2]), new Int32Array([1, 1]), 2, 1) // → 0.5
 */
export function topKAccuracy(outputs: Float64Array, labels: Int32Array, classes: number, k: number): number {
  const N = labels.length;
  if (outputs.length !== N * classes) {
    throw new ShapeMismatchError(`topKAccuracy: outputs have ${outputs.length} entries, expected N × K = ${N} × ${classes}`);
  }
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`topKAccuracy: k must be a positive integer, got ${k}`);
  if (N === 0) return 0;
  let correct = 0;
  for (let i = 0; i < N; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < classes)) throw new InvalidArgumentError(`topKAccuracy: label ${i} is ${y}, outside 0…${classes - 1}`);
    const row = i * classes;
    const fy = outputs[row + y];
    let rank = 0;
    for (let c = 0; c < classes; c++) {
      const fc = outputs[row + c];
      if (fc > fy || (fc === fy && c < y)) rank++;
    }
    if (rank < k) correct++;
  }
  return correct / N;
}
