import { assertMemoryBudget } from '../memory.js';
import { Random } from '../random.js';
import { assertLinearOperator, assertSymmetricOperator, type LinearOperator } from './linear-operator.js';
import { resolveEstimatorOptions, type DiagonalEstimate, type TraceEstimatorOptions } from './trace-estimate.js';
import { assertFiniteProduct, dot, fillProbe, normalizedInverseTransposeColumns, orthonormalizeColumns } from './vector-kernels.js';

/**
 * XDiag (Epperly, Tropp, Webber, "XTrace: Making the Most of Every Sample in Stochastic Trace Estimation",
 * SIAM J. Matrix Anal. Appl. 45, 2024, §5): the exchangeable diagonal estimator built like
 * {@link xtraceTrace}. With s = ⌊m/2⌋ test vectors, Y = A Ω = Q R, Z = A Q and Π_i the projection onto the
 * range of Y without column i (Π_i = Q (I − s_i s_iᵀ) Qᵀ, s_i = R⁻ᵀ e_i / ‖R⁻ᵀ e_i‖):
 * d_i = diag(Π_i A) + ω_i ⊙ (I − Π_i) A ω_i, diag(A) ≈ (1/s) Σ_i d_i, where
 * diag(Π_i A) = diag(Q Zᵀ) − (Q s_i) ⊙ (Z s_i) uses Qᵀ A = (A Q)ᵀ, hence the symmetry requirement.
 * Each d_i is unbiased; the error vanishes when rank(A) < s. A numerically rank-deficient sketch falls back
 * to diag(Q Zᵀ) + mean_i ω_i ⊙ (I − QQᵀ) A ω_i.
 *
 * Cost: 2 ⌊m/2⌋ matvecs, O(n s²) flops; memory 4 s · n.
 *
 * @param op - a symmetric operator.
 * @param options - matvec budget m ≥ 4, distribution (the paper uses Rademacher, the default), seed.
 * @returns the estimate, per-entry standard errors std_i(d_i)/√s (heuristic, as XTrace's), and the matvecs used.
 * @throws InvalidArgumentError for a non-symmetric operator, a budget below 4 or an unknown distribution;
 *   NonFiniteError when a product contains NaN or ±Infinity.
 * @example xdiagDiagonal(op, { matvecs: 100, seed: 1 }).estimate // ≈ diag(A), exact when rank(A) < 50
 */
export function xdiagDiagonal(op: LinearOperator, options: TraceEstimatorOptions = {}): DiagonalEstimate {
  const fn = 'xdiagDiagonal';
  assertLinearOperator(op, fn);
  assertSymmetricOperator(op, fn);
  const { matvecs: budget, distribution, seed } = resolveEstimatorOptions(options, fn, 4);
  const n = op.size;
  const s = Math.floor(budget / 2);
  assertMemoryBudget(4 * s * n, `${fn}: XDiag blocks of ${n}-vectors`, undefined, 'use a smaller matvecs budget');
  const random = new Random(seed);
  let matvecs = 0;
  const product = (X: Float64Array, count: number): Float64Array => {
    const Y = op.applyBlock(X, count);
    for (let c = 0; c < count; c++) assertFiniteProduct(Y, c * n, n, `${fn}: matvec ${matvecs + c + 1}`);
    matvecs += count;
    return Y;
  };
  const Omega = new Float64Array(s * n);
  for (let c = 0; c < s; c++) fillProbe(Omega, c * n, n, distribution, random);
  const Y = product(Omega, s);
  const { Q, rank, R } = orthonormalizeColumns(Y, s, n);
  const Z = rank > 0 ? product(Q, rank) : new Float64Array(0);
  // diag(Q Zᵀ)[r] = Σ_a Q[a][r] Z[a][r].
  const base = new Float64Array(n);
  for (let a = 0; a < rank; a++) for (let r = 0; r < n; r++) base[r] += Q[a * n + r] * Z[a * n + r];

  const sum = new Float64Array(n);
  const sumSquares = new Float64Array(n);
  const d = new Float64Array(n);
  const residual = new Float64Array(n);
  const coefficients = new Float64Array(rank);
  const Qs = new Float64Array(n);
  const Zs = new Float64Array(n);
  const S = rank === s ? normalizedInverseTransposeColumns(R, s, s) : null;
  for (let i = 0; i < s; i++) {
    d.set(base);
    // Π_i y_i = Q (I − s_i s_iᵀ) Qᵀ y_i with Qᵀ y_i = column i of R.
    for (let a = 0; a < rank; a++) coefficients[a] = R[a * s + i];
    if (S) {
      const si = S.subarray(i * s, (i + 1) * s);
      const c = dot(si, 0, coefficients, 0, s);
      for (let a = 0; a < s; a++) coefficients[a] -= c * si[a];
      Qs.fill(0);
      Zs.fill(0);
      for (let a = 0; a < s; a++) {
        const sa = si[a];
        if (sa === 0) continue;
        for (let r = 0; r < n; r++) {
          Qs[r] += sa * Q[a * n + r];
          Zs[r] += sa * Z[a * n + r];
        }
      }
      for (let r = 0; r < n; r++) d[r] -= Qs[r] * Zs[r];
    }
    for (let r = 0; r < n; r++) residual[r] = Y[i * n + r];
    for (let a = 0; a < rank; a++) {
      const h = coefficients[a];
      for (let r = 0; r < n; r++) residual[r] -= h * Q[a * n + r];
    }
    for (let r = 0; r < n; r++) {
      const value = d[r] + Omega[i * n + r] * residual[r];
      sum[r] += value;
      sumSquares[r] += value * value;
    }
  }
  const estimate = new Float64Array(n);
  const standardErrors = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const mean = sum[r] / s;
    estimate[r] = mean;
    const variance = Math.max(0, (sumSquares[r] - s * mean * mean) / Math.max(1, s - 1));
    standardErrors[r] = Math.sqrt(variance / s);
  }
  return { estimate, standardErrors, matvecs };
}
