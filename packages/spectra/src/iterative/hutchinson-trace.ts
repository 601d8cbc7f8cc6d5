import { assertMemoryBudget } from '../memory.js';
import { Random } from '../random.js';
import { startDeadline } from './deadline.js';
import { assertLinearOperator, type LinearOperator } from './linear-operator.js';
import { meanAndStandardError, resolveEstimatorOptions, type TimeLimitOptions, type TraceEstimate, type TraceEstimatorOptions } from './trace-estimate.js';
import { assertFiniteProduct, dot, fillProbe, PROBE_BATCH } from './vector-kernels.js';

/**
 * Hutchinson's trace estimator: tr(A) ≈ (1/m) Σ_i ω_iᵀ A ω_i with independent test vectors, E[ω ωᵀ] = I
 * (Hutchinson, Commun. Stat. Simul. Comput. 19, 1990; Girard 1989 for Gaussian vectors).
 * Variance per sample: 2 (‖A‖_F² − Σ_i A_ii²) for Rademacher, 2 ‖A‖_F² for Gaussian (symmetric A), so the
 * error decreases like 1/√m.
 *
 * Cost: `matvecs` products (in blocks of 32), O(n) memory per block vector.
 *
 * @param op - any square operator (symmetry not needed).
 * @param options - matvec budget m ≥ 2, distribution, seed; `timeLimitMs` stops after the block of 32
 *   products in which it passes, with the samples so far (at least one block) and `timedOut: true`.
 * @returns the mean of the m samples, its standard error (sample standard deviation / √m), and m.
 * @throws InvalidArgumentError for a budget below 2 or an unknown distribution; NonFiniteError when a product
 *   contains NaN or ±Infinity.
 * @example hutchinsonTrace(denseOperator(diagonalMatrix, n), { matvecs: 10 }).estimate // exact for a diagonal A with Rademacher vectors
 */
export function hutchinsonTrace(op: LinearOperator, options: TraceEstimatorOptions & TimeLimitOptions = {}): TraceEstimate {
  const fn = 'hutchinsonTrace';
  assertLinearOperator(op, fn);
  const { matvecs, distribution, seed } = resolveEstimatorOptions(options, fn, 2);
  const n = op.size;
  const random = new Random(seed);
  const samples = new Float64Array(matvecs);
  const batch = Math.min(PROBE_BATCH, matvecs);
  const deadline = startDeadline(options.timeLimitMs, fn);
  assertMemoryBudget(2 * batch * n + matvecs, `${fn}: ${batch} probe vectors and products of length ${n}`, undefined, 'use a smaller matvecs budget');
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
      samples[done + c] = dot(Xc, c * n, Yc, c * n, n);
    }
    used = done + count;
  }
  const { mean, standardError } = meanAndStandardError(used < matvecs ? samples.subarray(0, used) : samples);
  return { estimate: mean, standardError, matvecs: used, ...(used < matvecs ? { timedOut: true } : {}) };
}
