import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { assertMemoryBudget } from '../memory.js';
import { Random } from '../random.js';
import { startDeadline } from './deadline.js';
import { symmetricEigen } from '../symmetric-eigen.js';
import { assertLinearOperator, assertSymmetricOperator, type LinearOperator } from './linear-operator.js';
import { assertFiniteProduct, dot, norm2 } from './vector-kernels.js';

/** Which end of the spectrum Lanczos computes (ARPACK's `LA`, `SA`, `LM`). */
export type LanczosTarget = 'largest' | 'smallest' | 'largest-magnitude';

/** Options of {@link lanczosEigenpairs}. */
export interface LanczosOptions {
  /** Number of eigenpairs, 1 ≤ k ≤ n. */
  k: number;
  /** `largest` (algebraic, default), `smallest` (algebraic) or `largest-magnitude`. */
  which?: LanczosTarget;
  /**
   * Basis size m (vectors kept in memory besides the locked ones), k < m ≤ n; default
   * min(n, max(2k + 1, 20)), ARPACK's default `ncv`. Values above n are clamped to n.
   */
  basisSize?: number;
  /** A pair converges when ‖A v − θ v‖ ≤ tolerance · ‖A‖_est (see {@link LanczosResult.normEstimate}); default 1e-10. */
  tolerance?: number;
  /** Maximum number of restart cycles (all phases together); default max(100, 10 n). */
  maxIterations?: number;
  /** Maximum number of matvecs; default unlimited (bounded by `maxIterations`). */
  maxMatvecs?: number;
  /**
   * Wall-clock limit in milliseconds; default none. When it passes, the method stops as at `maxMatvecs`:
   * the current Ritz pairs are returned with their residuals and `converged` flags, and `timedOut` is true.
   */
  timeLimitMs?: number;
  /** Return the Ritz vectors (k × n, vector j at `j·n`); default false. */
  returnVectors?: boolean;
  /** Seed of the random start vector and of the vectors drawn at a breakdown; default 0. */
  seed?: number;
  /** Start vector (length n, non-zero) instead of a random one. */
  startVector?: Float64Array;
  /**
   * After convergence, lock the k pairs and run Lanczos on the deflated operator from a fresh random
   * vector to find eigenvalues the first Krylov space could not contain (further copies of a repeated
   * eigenvalue: a single-vector Krylov space holds one vector per distinct eigenvalue). Default true.
   * The check run stops once its top Ritz value θ (residual r) lies below the k-th value by more than r and
   * either r ≤ √tolerance · ‖A‖_est or the Kaniel–Paige–Saad bound rules out a missed eigenvalue at or beyond
   * the k-th, assuming the random start has a component ≥ 1e-4/√d along it (it fails with probability ≈ 1e-4).
   * Typical cost: 5–30 matvecs (see bench/lanczos).
   */
  multiplicityCheck?: boolean;
}

/** Result of {@link lanczosEigenpairs}: the k wanted pairs, most wanted first, and diagnostics. */
export interface LanczosResult {
  /** Ritz values: descending for `largest`, ascending for `smallest`, by descending |θ| for `largest-magnitude`. */
  values: Float64Array;
  /** Ritz vectors when asked: k × n, vector j (unit norm) at `[j·n, (j+1)·n)`. */
  vectors?: Float64Array;
  /**
   * ‖A v_j − θ_j v_j‖ for each pair, from the Krylov–Schur relation (|β_m · y_{m,j}|). With full
   * re-orthogonalisation it equals the explicitly recomputed residual up to rounding, O(ε ‖A‖).
   */
  residualNorms: Float64Array;
  /** Per pair: residual ≤ tolerance · normEstimate. */
  converged: boolean[];
  /** True when every pair converged. */
  allConverged: boolean;
  /** Restart cycles (Rayleigh–Ritz steps) performed, over all phases. */
  iterations: number;
  /** Products with A performed (one per vector). */
  matvecs: number;
  /** ‖A‖_est = the largest |α_j|, β_j or |θ| seen: a lower bound of ‖A‖₂ used to scale the tolerance. */
  normEstimate: number;
  /** The basis size m used. */
  basisSize: number;
  /** Eigenvalues added by the multiplicity check (further copies the first Krylov space missed). */
  addedByMultiplicityCheck: number;
  /** True when `timeLimitMs` ended the run: a partial result (check `converged`). */
  timedOut: boolean;
}

/** Dropping a coupling β ≤ this · ‖A‖_est · √n as an invariant subspace (breakdown). */
const BREAKDOWN_FACTOR = 16 * 2 ** -52;
/** A random vector whose remainder after orthogonalisation is below this fraction spans nothing new. */
const EXHAUSTION_FACTOR = 1e-10;
/** Multiplicity check: a missed eigenvector's component in the random start is assumed ≥ this / √d. */
const CHECK_COMPONENT = 1e-4;
/** Multiplicity check: smallest basis of the deflated run (when m − k is smaller). */
const CHECK_MIN_BASIS = 10;

/**
 * How many Ritz vectors a thick restart keeps: the wanted ones plus one more per converged wanted pair
 * (converged vectors no longer improve, so they should not take the place of the search directions),
 * leaving at least two new Lanczos steps per cycle. With one wanted pair, half the basis (ARPACK's rule).
 * Tuned on the benchmark in bench/lanczos (matvecs to convergence against ARPACK's `nev + min(nconv, np/2)`).
 */
function chooseKeep(m: number, want: number, nConverged: number): number {
  let keep = want + Math.min(nConverged, Math.max(0, m - want - 2));
  if (want === 1 && m >= 6) keep = Math.max(keep, Math.floor(m / 2));
  return Math.max(1, Math.min(m - 1, keep));
}

interface RunResult {
  values: Float64Array;
  vectors: Float64Array;
  residuals: Float64Array;
  count: number;
  allConverged: boolean;
  exhausted: boolean;
  stoppedEarly: boolean;
}

/**
 * The k extreme eigenpairs of a symmetric operator by thick-restart Lanczos with full
 * re-orthogonalisation (Krylov–Schur form).
 *
 * Each cycle extends the basis V = [v₁ … v_m] by the Lanczos recurrence A v_j = Σ_i t_ij v_i + β_j v_{j+1},
 * orthogonalising every new vector against the whole basis (and the locked vectors) by classical
 * Gram–Schmidt twice, so no spurious copies ("ghosts") of converged eigenvalues appear. The projected
 * matrix T = Vᵀ A V is diagonalised (T = Y Θ Yᵀ, by the dense solver); a Ritz pair (θ_j, V y_j) has residual
 * norm |β_m y_{m,j}|; since A V_j = V_j T_j + β_j v_{j+1} e_jᵀ holds after every step, convergence is tested
 * after every step, not only at restarts. At a restart the ℓ most wanted Ritz vectors (ℓ = k + the number of
 * converged wanted pairs, at most m − 2) are kept together with v_{m+1}:
 * A V_ℓ = V_ℓ Θ_ℓ + v_{m+1} sᵀ, s = β_m Y_{m,1:ℓ}, the thick restart of
 * Wu & Simon (SIAM J. Matrix Anal. Appl. 22, 2000), equivalent to Stewart's Krylov–Schur (2001) and to
 * ARPACK's implicit restart with exact shifts. A breakdown (β ≈ 0: an invariant subspace) continues from a
 * random vector orthogonal to the basis. A single start vector sees one direction per distinct
 * eigenvalue, so by default the converged pairs are then locked and Lanczos is rerun on the deflated
 * operator from a fresh random vector until no further eigenvalue beats the k-th (`multiplicityCheck`).
 *
 * Cost: the matvecs reported, plus O(m · n) flops per matvec for the re-orthogonalisation and O(m² n) per
 * restart; memory (m + 1 + k) · n doubles (m + 1 with `multiplicityCheck: false` and no vectors).
 * Numerical rank of operators too large for a dense decomposition is out of scope: Lanczos gives the
 * extreme eigenvalues, not a reliable count of the eigenvalues near zero.
 *
 * @param op - a symmetric operator of order n.
 * @param options - k, which end, basis size, tolerance, limits, seed.
 * @returns values, optional vectors, residual norms, convergence flags, iterations, matvecs.
 * @throws InvalidArgumentError when k ∉ [1, n], the basis size is ≤ k (and < n), the operator is not
 *   symmetric, or an option is out of range; ShapeMismatchError for a start vector of the wrong length;
 *   NonFiniteError naming the entry when a product contains NaN or ±Infinity; MemoryBudgetError when
 *   (m + 2 + k) · n doubles exceed the default budget.
 * @example
 * // A = diag(1, 2, …, 300): the 3 largest are 300, 299, 298
 * lanczosEigenpairs(op, { k: 3 }).values // → [300, 299, 298] (to 1e-10 · 300)
 */
export function lanczosEigenpairs(op: LinearOperator, options: LanczosOptions): LanczosResult {
  const fn = 'lanczosEigenpairs';
  assertLinearOperator(op, fn);
  assertSymmetricOperator(op, fn);
  const n = op.size;
  const { k } = options;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new InvalidArgumentError(`${fn}: k must be an integer in [1, n = ${n}], got ${k}`);
  }
  const which = options.which ?? 'largest';
  if (which !== 'largest' && which !== 'smallest' && which !== 'largest-magnitude') {
    throw new InvalidArgumentError(`${fn}: which must be 'largest', 'smallest' or 'largest-magnitude', got '${String(which)}'`);
  }
  const requestedBasis = options.basisSize ?? Math.max(2 * k + 1, 20);
  if (!Number.isInteger(requestedBasis) || requestedBasis < 1) {
    throw new InvalidArgumentError(`${fn}: basisSize must be a positive integer, got ${requestedBasis}`);
  }
  const m = Math.min(n, requestedBasis);
  if (m <= k && m < n) {
    throw new InvalidArgumentError(`${fn}: basisSize ${m} must exceed k = ${k} (or equal n = ${n})`);
  }
  const tolerance = options.tolerance ?? 1e-10;
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) {
    throw new InvalidArgumentError(`${fn}: tolerance must be a positive finite number, got ${tolerance}`);
  }
  const maxIterations = options.maxIterations ?? Math.max(100, 10 * n);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InvalidArgumentError(`${fn}: maxIterations must be a positive integer, got ${maxIterations}`);
  }
  const maxMatvecs = options.maxMatvecs ?? Number.POSITIVE_INFINITY;
  if (!(maxMatvecs >= 1)) throw new InvalidArgumentError(`${fn}: maxMatvecs must be ≥ 1, got ${maxMatvecs}`);
  if (options.startVector !== undefined && options.startVector.length !== n) {
    throw new ShapeMismatchError(`${fn}: startVector has ${options.startVector.length} entries, expected n = ${n}`);
  }
  if (options.startVector !== undefined) {
    const startNorm = norm2(options.startVector, 0, n);
    if (!(startNorm > 0) || !Number.isFinite(startNorm)) {
      throw new InvalidArgumentError(`${fn}: startVector must be non-zero and finite, its norm is ${startNorm}`);
    }
  }

  const deadline = startDeadline(options.timeLimitMs, fn);
  let timedOut = false;
  /** The matvec budget or the time limit is used up. */
  const outOfBudget = (): boolean => {
    if (matvecs >= maxMatvecs) return true;
    if (deadline.passed()) timedOut = true;
    return timedOut;
  };

  assertMemoryBudget((m + 2 + k) * n, `${fn}: basis of ${m + 1} vectors plus ${k} locked vectors of length ${n}`, undefined, 'use a smaller basisSize or k');

  const score = which === 'largest' ? (t: number) => t : which === 'smallest' ? (t: number) => -t : (t: number) => Math.abs(t);
  const random = new Random(options.seed ?? 0);
  const breakdownFactor = BREAKDOWN_FACTOR * Math.sqrt(n);
  let matvecs = 0;
  let cycles = 0;
  let normEstimate = 0;

  // Locked vectors (deflated out of the operator), grown by the multiplicity check.
  let locked: Float64Array = new Float64Array(0);
  let lockedCount = 0;

  const product = (x: Float64Array, out: Float64Array): void => {
    op.apply(x, out);
    matvecs++;
    assertFiniteProduct(out, 0, n, `${fn}: matvec ${matvecs}`);
  };

  // Scratch for the Gram–Schmidt coefficients: the main run uses m vectors, a check run at most max(m, 10).
  const coefficients = new Float64Array(Math.max(m, CHECK_MIN_BASIS) + 1);

  /** Orthogonalises w against the locked vectors and V[0..count), twice; returns the summed coefficient of V[track]. */
  const orthogonalize = (w: Float64Array, V: Float64Array, count: number, track: number): number => {
    let tracked = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < lockedCount; i++) {
        const h = dot(locked, i * n, w, 0, n);
        for (let r = 0; r < n; r++) w[r] -= h * locked[i * n + r];
      }
      for (let i = 0; i < count; i++) coefficients[i] = dot(V, i * n, w, 0, n);
      for (let i = 0; i < count; i++) {
        const h = coefficients[i];
        const offset = i * n;
        for (let r = 0; r < n; r++) w[r] -= h * V[offset + r];
      }
      if (track >= 0) tracked += coefficients[track];
    }
    return tracked;
  };

  /** Writes into w a unit random vector orthogonal to the locked vectors and V[0..count); false when none exists. */
  const randomOrthogonal = (w: Float64Array, V: Float64Array, count: number): boolean => {
    random.fillGaussian(w);
    const before = norm2(w, 0, n);
    orthogonalize(w, V, count, -1);
    const after = norm2(w, 0, n);
    if (after <= EXHAUSTION_FACTOR * before) return false;
    for (let r = 0; r < n; r++) w[r] /= after;
    return true;
  };

  /**
   * One thick-restart Lanczos run on the operator deflated by the locked vectors, for `want` pairs with a
   * basis of `basis` vectors. `stop(θ, r)` may end the run early (multiplicity check).
   */
  const run = (
    want: number,
    basis: number,
    start: Float64Array | undefined,
    stop?: (topScore: number, residual: number, minScore: number, steps: number) => boolean,
  ): RunResult => {
    const matvecsAtStart = matvecs;
    const stopNow = (rr: { theta: Float64Array; order: number[]; residuals: Float64Array }): boolean =>
      stop !== undefined &&
      stop(score(rr.theta[rr.order[0]]), rr.residuals[0], score(rr.theta[rr.order[rr.order.length - 1]]), matvecs - matvecsAtStart);
    const V = new Float64Array((basis + 1) * n);
    const T = new Float64Array(basis * basis);
    const v0 = V.subarray(0, n);
    let started = false;
    if (start) {
      v0.set(start);
      const before = norm2(v0, 0, n);
      orthogonalize(v0, V, 0, -1);
      const after = norm2(v0, 0, n);
      if (before > 0 && after > EXHAUSTION_FACTOR * before) {
        for (let r = 0; r < n; r++) v0[r] /= after;
        started = true;
      }
    }
    if (!started && !randomOrthogonal(v0, V, 0)) {
      return { values: new Float64Array(0), vectors: new Float64Array(0), residuals: new Float64Array(0), count: 0, allConverged: true, exhausted: true, stoppedEarly: false };
    }
    let l = 0;
    const tmp = new Float64Array(basis);

    /** Rayleigh–Ritz on the leading size × size block of T, with coupling β to the next basis vector. */
    const rayleighRitz = (size: number, beta: number) => {
      const Tm = new Float64Array(size * size);
      for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) Tm[i * size + j] = T[i * basis + j];
      const { values: theta, vectors: Y } = symmetricEigen(Tm, size);
      for (let i = 0; i < size; i++) normEstimate = Math.max(normEstimate, Math.abs(theta[i]));
      const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => score(theta[b]) - score(theta[a]) || a - b);
      const residuals = new Float64Array(size);
      for (let q = 0; q < size; q++) residuals[q] = Math.abs(beta * Y[(size - 1) * size + order[q]]);
      const nWanted = Math.min(want, size);
      let nConverged = 0;
      for (let q = 0; q < nWanted; q++) if (residuals[q] <= tolerance * normEstimate) nConverged++;
      return { size, beta, theta, Y, order, residuals, nWanted, nConverged };
    };
    type Ritz = ReturnType<typeof rayleighRitz>;

    /** Ritz vectors V y_j of the `nWanted` most wanted pairs, into a new nWanted × n block. */
    const finish = (rr: Ritz, exhausted: boolean, stoppedEarly: boolean): RunResult => {
      const { size, theta, Y, order, residuals, nWanted, nConverged } = rr;
      const values = new Float64Array(nWanted);
      for (let q = 0; q < nWanted; q++) values[q] = theta[order[q]];
      const vectors = new Float64Array(nWanted * n);
      for (let r = 0; r < n; r++) {
        for (let i = 0; i < size; i++) tmp[i] = V[i * n + r];
        for (let q = 0; q < nWanted; q++) {
          const c = order[q];
          let s = 0;
          for (let i = 0; i < size; i++) s += tmp[i] * Y[i * size + c];
          vectors[q * n + r] = s;
        }
      }
      return {
        values,
        vectors,
        residuals: residuals.slice(0, nWanted),
        count: nWanted,
        allConverged: nConverged === nWanted,
        exhausted,
        stoppedEarly,
      };
    };

    for (;;) {
      cycles++;
      // Expansion: Lanczos steps l … basis−1. After each step j the relation
      // A V_{j+1} = V_{j+1} T_{j+1} + β_j v_{j+2} e_{j+1}ᵀ holds, so convergence is tested at every step.
      let rr: Ritz | null = null;
      let brokeDown = false;
      for (let j = l; j < basis; j++) {
        const w = V.subarray((j + 1) * n, (j + 2) * n);
        product(V.subarray(j * n, (j + 1) * n), w);
        const alpha = orthogonalize(w, V, j + 1, j);
        T[j * basis + j] = alpha;
        let beta = norm2(w, 0, n);
        normEstimate = Math.max(normEstimate, Math.abs(alpha), beta);
        if (beta <= breakdownFactor * normEstimate) {
          // Invariant subspace: continue from a random vector orthogonal to everything so far.
          beta = 0;
          brokeDown = true;
          if (!randomOrthogonal(w, V, j + 1)) {
            // The basis spans the whole (deflated) space: the Ritz pairs are exact.
            return finish(rayleighRitz(j + 1, 0), true, false);
          }
        } else {
          for (let r = 0; r < n; r++) w[r] /= beta;
        }
        if (j + 1 < basis) {
          T[j * basis + j + 1] = beta;
          T[(j + 1) * basis + j] = beta;
        }
        const size = j + 1;
        const last = size === basis;
        const outOfMatvecs = outOfBudget();
        // After a breakdown, wait for the cycle's end so the new direction is explored before stopping.
        if (last || outOfMatvecs || (!brokeDown && size >= want)) {
          rr = rayleighRitz(size, beta);
          if (rr.nConverged === rr.nWanted && rr.nWanted === want) return finish(rr, false, false);
          if (outOfMatvecs) return finish(rr, false, false);
          if (!brokeDown && stopNow(rr)) return finish(rr, false, true);
        }
      }
      if (rr === null) throw new Error('lanczosEigenpairs: internal error, no Rayleigh–Ritz step');
      if (rr.nConverged === rr.nWanted) return finish(rr, false, false);
      if (stopNow(rr)) return finish(rr, false, true);
      if (cycles >= maxIterations || outOfBudget()) return finish(rr, false, false);
      // Thick restart: keep the `keep` most wanted Ritz vectors and the continuation vector v_{m+1}.
      const { size, theta, Y, order, nWanted, nConverged } = rr;
      const keep = chooseKeep(size, nWanted, nConverged);
      for (let r = 0; r < n; r++) {
        for (let i = 0; i < size; i++) tmp[i] = V[i * n + r];
        for (let q = 0; q < keep; q++) {
          const c = order[q];
          let s = 0;
          for (let i = 0; i < size; i++) s += tmp[i] * Y[i * size + c];
          V[q * n + r] = s;
        }
      }
      V.copyWithin(keep * n, size * n, (size + 1) * n);
      T.fill(0);
      for (let q = 0; q < keep; q++) {
        T[q * basis + q] = theta[order[q]];
        const coupling = rr.beta * Y[(size - 1) * size + order[q]];
        T[q * basis + keep] = coupling;
        T[keep * basis + q] = coupling;
      }
      l = keep;
    }
  };

  const main = run(k, m, options.startVector);
  // Locked set: the pairs found so far.
  const lockedValues: number[] = Array.from(main.values);
  const lockedResiduals: number[] = Array.from(main.residuals);
  locked = main.vectors;
  lockedCount = main.count;
  let addedByMultiplicityCheck = 0;
  const checkTolerance = Math.sqrt(tolerance);
  let allConverged = main.allConverged;

  if ((options.multiplicityCheck ?? true) && main.allConverged && !main.exhausted && lockedCount < n) {
    for (;;) {
      if (cycles >= maxIterations || outOfBudget() || lockedCount >= n) break;
      let worst = Number.POSITIVE_INFINITY;
      for (const v of lockedValues) worst = Math.min(worst, score(v));
      const basis = Math.min(n - lockedCount, Math.max(m - lockedCount, CHECK_MIN_BASIS));
      const dimension = n - lockedCount;
      const check = run(1, basis, undefined, (top, r, bottom, steps) => {
        const upper = top + r;
        if (!(upper < worst)) return false;
        if (r <= checkTolerance * normEstimate) return true;
        // Kaniel–Paige–Saad: an eigenvalue μ ≥ worst with start component cos φ would give a top Ritz value
        // ≥ μ − (μ − λ_min) tan²φ / T_{j−1}(1 + 2γ)², γ = (μ − λ_next)/(λ_next − λ_min). With a random start,
        // tan²φ ≤ d / CHECK_COMPONENT² except with probability ≈ 1e-4; λ_next ≈ top + r, λ_min ≈ bottom.
        const gamma = (worst - upper) / Math.max(upper - bottom, Number.MIN_VALUE);
        const amplification = Math.cosh(Math.max(0, steps - 1) * Math.acosh(1 + 2 * gamma));
        return amplification * amplification * (worst - upper) > ((worst - bottom) * dimension) / CHECK_COMPONENT ** 2;
      });
      if (check.count === 0 || check.stoppedEarly || !check.allConverged) break;
      if (!(score(check.values[0]) > worst + tolerance * normEstimate)) break;
      // A further eigenvalue beats the k-th: lock it and look again.
      const grown = new Float64Array((lockedCount + 1) * n);
      grown.set(locked.subarray(0, lockedCount * n));
      grown.set(check.vectors.subarray(0, n), lockedCount * n);
      locked = grown;
      lockedCount++;
      lockedValues.push(check.values[0]);
      lockedResiduals.push(check.residuals[0]);
      addedByMultiplicityCheck++;
    }
  }

  const order = lockedValues.map((_, i) => i).sort((a, b) => score(lockedValues[b]) - score(lockedValues[a]) || a - b).slice(0, k);
  const count = order.length;
  const values = new Float64Array(count);
  const residualNorms = new Float64Array(count);
  const converged: boolean[] = [];
  for (let q = 0; q < count; q++) {
    values[q] = lockedValues[order[q]];
    residualNorms[q] = lockedResiduals[order[q]];
    converged.push(residualNorms[q] <= tolerance * normEstimate);
  }
  allConverged = allConverged && converged.every(Boolean);
  const result: LanczosResult = {
    values,
    residualNorms,
    converged,
    allConverged,
    iterations: cycles,
    matvecs,
    normEstimate,
    basisSize: m,
    addedByMultiplicityCheck,
    timedOut,
  };
  if (options.returnVectors) {
    const vectors = new Float64Array(count * n);
    for (let q = 0; q < count; q++) vectors.set(locked.subarray(order[q] * n, (order[q] + 1) * n), q * n);
    result.vectors = vectors;
  }
  return result;
}
