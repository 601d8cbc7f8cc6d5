import { assertMemoryBudget } from '../memory.js';
import { Random } from '../random.js';
import { assertLinearOperator, type LinearOperator } from './linear-operator.js';
import { meanAndStandardError, resolveEstimatorOptions, type TraceEstimate, type TraceEstimatorOptions } from './trace-estimate.js';
import { assertFiniteProduct, dot, fillProbe, normalizedInverseTransposeColumns, orthonormalizeColumns } from './vector-kernels.js';

/**
 * XTrace (Epperly, Tropp, Webber, "XTrace: Making the Most of Every Sample in Stochastic Trace Estimation",
 * SIAM J. Matrix Anal. Appl. 45, 2024): the exchangeable version of Hutch++ that uses every test vector both
 * for the low-rank sketch and for the Hutchinson correction.
 *
 * With s = ⌊m/2⌋ test vectors Ω = [ω₁ … ω_s], Y = A Ω = Q R; for each i let Π_i project onto range(Y without
 * column i) = range(Q (I − s_i s_iᵀ)), s_i = R⁻ᵀ e_i / ‖R⁻ᵀ e_i‖. Then
 * t_i = tr(Π_i A) + ω_iᵀ (I − Π_i) A (I − Π_i) ω_i is unbiased (Π_i does not depend on ω_i), and
 * tr(A) ≈ (1/s) Σ_i t_i. With H = Qᵀ A Q, Z = A Q: tr(Π_i A) = tr(H) − s_iᵀ H s_i and
 * A (I − Π_i) ω_i = y_i − Z (Qᵀω_i − s_i s_iᵀ Qᵀω_i), so only the 2s products A Ω and A Q are needed.
 * The "improved" sphere normalisation of the paper is not implemented (plain Rademacher or Gaussian vectors).
 * When A Ω is numerically rank-deficient (rank(A) < s), the leave-one-out is not defined; the estimate is then
 * tr(Qᵀ A Q) plus the mean of ω_iᵀ (I − QQᵀ) A (I − QQᵀ) ω_i (which vanishes when range(A) ⊆ range(Q)).
 *
 * Cost: 2 ⌊m/2⌋ matvecs, O(n s²) flops; memory 4 s · n.
 *
 * @param op - any square operator.
 * @param options - matvec budget m ≥ 4, distribution, seed.
 * @returns the estimate, the paper's error estimate std(t_i)/√s, and the matvecs used (2 ⌊m/2⌋).
 * @throws InvalidArgumentError for a budget below 4 or an unknown distribution; NonFiniteError when a product
 *   contains NaN or ±Infinity; MemoryBudgetError when the blocks exceed the default budget.
 * @example xtraceTrace(op, { matvecs: 100, seed: 1 }) // → { estimate, standardError, matvecs: 100 }
 */
export function xtraceTrace(op: LinearOperator, options: TraceEstimatorOptions = {}): TraceEstimate {
  const fn = 'xtraceTrace';
  assertLinearOperator(op, fn);
  const { matvecs: budget, distribution, seed } = resolveEstimatorOptions(options, fn, 4);
  const n = op.size;
  const s = Math.floor(budget / 2);
  assertMemoryBudget(4 * s * n, `${fn}: XTrace blocks of ${n}-vectors`, undefined, 'use a smaller matvecs budget');
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
  // H = Qᵀ A Q (rank × rank), H[i][j] = q_iᵀ z_j.
  const H = new Float64Array(rank * rank);
  for (let i = 0; i < rank; i++) for (let j = 0; j < rank; j++) H[i * rank + j] = dot(Q, i * n, Z, j * n, n);
  let traceH = 0;
  for (let i = 0; i < rank; i++) traceH += H[i * rank + i];

  const estimates = new Float64Array(s);
  const w = new Float64Array(rank);
  const u = new Float64Array(n);
  const Au = new Float64Array(n);
  const coefficients = new Float64Array(rank);
  if (rank === s) {
    const S = normalizedInverseTransposeColumns(R, s, s);
    const Hs = new Float64Array(s);
    for (let i = 0; i < s; i++) {
      const si = S.subarray(i * s, (i + 1) * s);
      for (let a = 0; a < s; a++) {
        let t = 0;
        for (let b = 0; b < s; b++) t += H[a * s + b] * si[b];
        Hs[a] = t;
      }
      const sHs = dot(si, 0, Hs, 0, s);
      for (let a = 0; a < s; a++) w[a] = dot(Q, a * n, Omega, i * n, n);
      const c = dot(si, 0, w, 0, s);
      for (let a = 0; a < s; a++) coefficients[a] = w[a] - c * si[a];
      // u = (I − Π_i) ω_i = ω_i − Q coefficients; A u = y_i − Z coefficients.
      for (let r = 0; r < n; r++) {
        u[r] = Omega[i * n + r];
        Au[r] = Y[i * n + r];
      }
      for (let a = 0; a < s; a++) {
        const h = coefficients[a];
        for (let r = 0; r < n; r++) {
          u[r] -= h * Q[a * n + r];
          Au[r] -= h * Z[a * n + r];
        }
      }
      estimates[i] = traceH - sHs + dot(u, 0, Au, 0, n);
    }
  } else {
    for (let i = 0; i < s; i++) {
      for (let a = 0; a < rank; a++) w[a] = dot(Q, a * n, Omega, i * n, n);
      for (let r = 0; r < n; r++) {
        u[r] = Omega[i * n + r];
        Au[r] = Y[i * n + r];
      }
      for (let a = 0; a < rank; a++) {
        const h = w[a];
        for (let r = 0; r < n; r++) {
          u[r] -= h * Q[a * n + r];
          Au[r] -= h * Z[a * n + r];
        }
      }
      // ω_iᵀ (I − QQᵀ) A (I − QQᵀ) ω_i = uᵀ (A u); A u = A ω_i − A Q w.
      estimates[i] = traceH + dot(u, 0, Au, 0, n);
    }
  }
  const { mean, standardError } = meanAndStandardError(estimates);
  return { estimate: mean, standardError, matvecs };
}
