import { assertMemoryBudget } from '../memory.js';
import { Random } from '../random.js';
import { startDeadline } from './deadline.js';
import { assertLinearOperator, type LinearOperator } from './linear-operator.js';
import { resolveEstimatorOptions, type DiagonalEstimate, type TimeLimitOptions, type TraceEstimatorOptions } from './trace-estimate.js';
import { assertFiniteProduct, fillProbe, PROBE_BATCH } from './vector-kernels.js';

/**
 * Hutchinson-type diagonal estimator (Bekas, Kokiopoulou, Saad, "An estimator for the diagonal of a
 * matrix", Appl. Numer. Math. 57, 2007): diag(A) ≈ (1/m) Σ_i ω_i ⊙ A ω_i, unbiased when E[ω ωᵀ] = I.
 * With Rademacher vectors the error of entry k is (1/m) Σ_i Σ_{l≠k} A_kl ω_ik ω_il (variance Σ_{l≠k} A_kl² / m),
 * so a diagonal matrix is recovered exactly.
 *
 * Cost: `matvecs` products in blocks of 32; memory O(32 n).
 *
 * @param op - any square operator.
 * @param options - matvec budget m ≥ 2, distribution, seed; `timeLimitMs` stops after the block of 32
 *   products in which it passes, with the samples so far (at least one block) and `timedOut: true`.
 * @returns the estimate, per-entry standard errors (sample standard deviation / √m), and m.
 * @throws InvalidArgumentError for a budget below 2 or an unknown distribution; NonFiniteError when a product
 *   contains NaN or ±Infinity.
 * @example hutchinsonDiagonal(op, { matvecs: 200 }).estimate // ≈ diag(A)
 */
export function hutchinsonDiagonal(op: LinearOperator, options: TraceEstimatorOptions & TimeLimitOptions = {}): DiagonalEstimate {
  const fn = 'hutchinsonDiagonal';
  assertLinearOperator(op, fn);
  const { matvecs, distribution, seed } = resolveEstimatorOptions(options, fn, 2);
  const n = op.size;
  const random = new Random(seed);
  const sum = new Float64Array(n);
  const sumSquares = new Float64Array(n);
  const batch = Math.min(PROBE_BATCH, matvecs);
  const deadline = startDeadline(options.timeLimitMs, fn);
  assertMemoryBudget(2 * batch * n + 2 * n, `${fn}: ${batch} probe vectors and products of length ${n}`, undefined, 'use a smaller matvecs budget');
  const X = new Float64Array(batch * n);
  const Y = new Float64Array(batch * n);
  let used = 0;
  for (let done = 0; done < matvecs; done += batch) {
    if (done > 0 && deadline.passed()) break;
    const count = Math.min(batch, matvecs - done);
    const Xc = X.subarray(0, count * n);
    const Yc = Y.subarray(0, count * n);
    for (let c = 0; c < count; c++) fillProbe(Xc, c * n, n, distribution, random);
    op.applyBlock(Xc, count, Yc);
    for (let c = 0; c < count; c++) {
      assertFiniteProduct(Yc, c * n, n, `${fn}: matvec ${done + c + 1}`);
      for (let r = 0; r < n; r++) {
        const z = Xc[c * n + r] * Yc[c * n + r];
        sum[r] += z;
        sumSquares[r] += z * z;
      }
    }
    used = done + count;
  }
  const estimate = new Float64Array(n);
  const standardErrors = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const mean = sum[r] / used;
    estimate[r] = mean;
    const variance = Math.max(0, (sumSquares[r] - used * mean * mean) / (used - 1));
    standardErrors[r] = Math.sqrt(variance / used);
  }
  return { estimate, standardErrors, matvecs: used, ...(used < matvecs ? { timedOut: true } : {}) };
}
