const EPSILON = 2 ** -52;
const SAFE_MIN = 2 ** -1022;
const BIG = 1 / SAFE_MIN;
/** Inverse-iteration solves allowed per vector, and extra solves after the growth test passes (LAPACK `dstein`). */
const MAX_SOLVES = 5;
const EXTRA_SOLVES = 2;
/** Eigenvalues closer than this fraction of ‖T‖₁ are orthogonalised against each other (LAPACK's ORTOL). */
const CLUSTER_TOLERANCE = 1e-3;
/** Pivots above this use the multiply-by-reciprocal solve (no overflow possible at the scales used). */
const RECIPROCAL_FLOOR = 1e-250;

/**
 * Σ_j (number of earlier eigenvalues within 10⁻³ ‖T‖₁ of λ_j): the Gram–Schmidt work of
 * {@link inverseIterationBlock} in units of about 8m flops.
 * @internal
 */
export function clusterWork(values: Float64Array, oneNorm: number): number {
  const gap = CLUSTER_TOLERANCE * oneNorm;
  let work = 0;
  let first = 0;
  for (let j = 0; j < values.length; j++) {
    while (values[j] - values[first] > gap) first++;
    work += j - first;
  }
  return work;
}

/** ‖T‖₁ of the tridiagonal block (d, e), m = d.length. @internal */
export function tridiagonalOneNorm(d: Float64Array, e: Float64Array): number {
  const m = d.length;
  let norm = 0;
  for (let i = 0; i < m; i++) norm = Math.max(norm, Math.abs(d[i]) + (i < m - 1 ? Math.abs(e[i]) : 0) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  return norm;
}

/**
 * Eigenvectors of one unreduced symmetric tridiagonal block by inverse iteration (LAPACK `dstein`,
 * Jessup & Ipsen, SIAM J. Sci. Stat. Comput. 13, 1992): for each eigenvalue λ (ascending), factor
 * T − λI = PLU with partial pivoting, solve repeatedly from a random start, and Gram–Schmidt the iterate
 * against the vectors already found for eigenvalues within 10⁻³ ‖T‖₁ of λ, after every solve and once
 * more at the end (classical Gram–Schmidt twice; LAPACK orthogonalises
 * against the whole chain of such gaps, which grows with n; farther vectors are already orthogonal to
 * O(ε‖T‖/gap) ≤ 2·10⁻¹³, the same level that both schemes leave between clusters).
 * Coincident eigenvalues are perturbed apart by 10 ε |λ|. Cost: O(m) per solve, 3–5 solves per vector,
 * plus O(m k) per solve for k vectors in the window.
 *
 * @param d - diagonal of the block, length m.
 * @param e - off-diagonal, length ≥ m − 1 (e[i] couples d[i] and d[i+1]).
 * @param values - the block's eigenvalues, ascending, length m.
 * @param out - output: row j (offset `outOffset + j · outStride`, m entries) receives the unit eigenvector of values[j].
 * @param outOffset - where row 0 starts in `out`.
 * @param outStride - distance between rows in `out`.
 * @param seed - 32-bit state of the starting vectors' generator (xorshift32); the updated state is kept in `seed[0]`.
 * @returns false when some vector did not meet the growth test within 5 solves (caller falls back to QL).
 * @internal
 */
export function inverseIterationBlock(
  d: Float64Array,
  e: Float64Array,
  values: Float64Array,
  out: Float64Array,
  outOffset: number,
  outStride: number,
  seed: Uint32Array,
): boolean {
  const m = values.length;
  if (m === 1) {
    out[outOffset] = 1;
    return true;
  }
  const oneNorm = tridiagonalOneNorm(d, e);
  const orthogonalityGap = CLUSTER_TOLERANCE * oneNorm;
  const growthThreshold = Math.sqrt(0.1 / m);
  const diag = new Float64Array(m);
  const upper = new Float64Array(m);
  const lower = new Float64Array(m);
  const upper2 = new Float64Array(m);
  const pivots = new Uint8Array(m);
  const reciprocal = new Float64Array(m);
  const coefficients = new Float64Array(m);
  const x = new Float64Array(m);
  let previous = 0;
  let windowStart = 0;
  const shifts = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let lambda = values[j];
    if (j > 0) {
      const perturbation = 10 * Math.abs(EPSILON * lambda);
      if (lambda - previous < perturbation) lambda = previous + perturbation;
      while (windowStart < j && lambda - shifts[windowStart] > orthogonalityGap) windowStart++;
    }
    let state = seed[0] | 0;
    for (let i = 0; i < m; i++) {
      // xorshift32: uniform in (−1, 1), cheap and reproducible (the LAPACK dlarnv start, any spread will do)
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      x[i] = (state >>> 0) * 4.656612873077393e-10 - 1;
    }
    seed[0] = state;
    for (let i = 0; i < m; i++) diag[i] = d[i];
    for (let i = 0; i < m - 1; i++) {
      upper[i] = e[i];
      lower[i] = e[i];
    }
    factorShifted(m, diag, lambda, upper, lower, upper2, pivots);
    // Reciprocal pivots when none is tiny: the back substitution is a serial chain, and a multiply is
    // much shorter than a divide. Tiny pivots keep dlagts's perturbation logic.
    let safe = true;
    for (let i = 0; i < m; i++) {
      const x = Math.abs(diag[i]);
      if (!(x > RECIPROCAL_FLOOR)) {
        safe = false;
        break;
      }
      reciprocal[i] = 1 / diag[i];
    }
    // Perturbation size for tiny pivots (LAPACK dlagts with TOL ≤ 0), needed only off the fast path.
    let tolerance = 0;
    if (!safe) {
      tolerance = Math.max(Math.abs(diag[0]), Math.abs(diag[1]), Math.abs(upper[0]));
      for (let k = 2; k < m; k++) tolerance = Math.max(tolerance, Math.abs(diag[k]), Math.abs(upper[k - 1]), Math.abs(upper2[k - 2]));
      tolerance *= EPSILON;
      if (tolerance === 0) tolerance = EPSILON;
    }
    let solves = 0;
    let passes = 0;
    let largestIndex = 0;
    for (;;) {
      if (++solves > MAX_SOLVES) return false;
      let sum = 0;
      for (let i = 0; i < m; i++) sum += Math.abs(x[i]);
      const scale = (m * oneNorm * Math.max(EPSILON, Math.abs(diag[m - 1]))) / sum;
      for (let i = 0; i < m; i++) x[i] *= scale;
      if (safe) solveWithReciprocals(m, reciprocal, upper, lower, upper2, pivots, x);
      else solveShifted(m, diag, upper, lower, upper2, pivots, x, tolerance);
      // Gram–Schmidt against the vectors of nearby eigenvalues after every solve (so that the next solve
      // cannot converge back to them), and once more after the last ("twice is enough", Kahan–Parlett).
      orthogonalize(x, out, outOffset, outStride, windowStart, j, m, coefficients);
      let largest = 0;
      largestIndex = 0;
      for (let i = 0; i < m; i++) {
        const a = Math.abs(x[i]);
        if (a > largest) {
          largest = a;
          largestIndex = i;
        }
      }
      if (!Number.isFinite(largest)) return false;
      if (largest < growthThreshold) continue;
      if (++passes < EXTRA_SOLVES + 1) continue;
      break;
    }
    orthogonalize(x, out, outOffset, outStride, windowStart, j, m, coefficients);
    const norm = dotRow(x, x, 0, m);
    let scale = 1 / Math.sqrt(norm);
    if (x[largestIndex] < 0) scale = -scale;
    const row = outOffset + j * outStride;
    for (let i = 0; i < m; i++) out[row + i] = x[i] * scale;
    previous = lambda;
    shifts[j] = lambda;
  }
  return true;
}

/**
 * Classical Gram–Schmidt: c = Qᵀx, then x −= Q c, for the rows q_k, k = from … to − 1, of `out`; four rows
 * per pass over x so that the sums are independent chains and x is loaded once per four rows. (Applied
 * after every solve and once more at the end: CGS twice is as good as modified Gram–Schmidt.)
 */
function orthogonalize(
  x: Float64Array,
  out: Float64Array,
  offset: number,
  stride: number,
  from: number,
  to: number,
  m: number,
  coefficients: Float64Array,
): void {
  let k = from;
  for (; k + 3 < to; k += 4) {
    const r0 = offset + k * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < m; i++) {
      const xi = x[i];
      s0 += xi * out[r0 + i];
      s1 += xi * out[r1 + i];
      s2 += xi * out[r2 + i];
      s3 += xi * out[r3 + i];
    }
    coefficients[k - from] = s0;
    coefficients[k - from + 1] = s1;
    coefficients[k - from + 2] = s2;
    coefficients[k - from + 3] = s3;
  }
  for (; k < to; k++) coefficients[k - from] = dotRow(x, out, offset + k * stride, m);
  k = from;
  for (; k + 3 < to; k += 4) {
    const r0 = offset + k * stride;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const c0 = coefficients[k - from];
    const c1 = coefficients[k - from + 1];
    const c2 = coefficients[k - from + 2];
    const c3 = coefficients[k - from + 3];
    for (let i = 0; i < m; i++) x[i] -= c0 * out[r0 + i] + c1 * out[r1 + i] + (c2 * out[r2 + i] + c3 * out[r3 + i]);
  }
  for (; k < to; k++) {
    const row = offset + k * stride;
    const c = coefficients[k - from];
    for (let i = 0; i < m; i++) x[i] -= c * out[row + i];
  }
}

/** Σ x[i] · y[offset + i] over i < m, with four partial sums (a single sum is one long add-latency chain). */
function dotRow(x: Float64Array, y: Float64Array, offset: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    s0 += x[i] * y[offset + i];
    s1 += x[i + 1] * y[offset + i + 1];
    s2 += x[i + 2] * y[offset + i + 2];
    s3 += x[i + 3] * y[offset + i + 3];
  }
  for (; i < m; i++) s0 += x[i] * y[offset + i];
  return s0 + s1 + (s2 + s3);
}

/**
 * LU factorisation with partial pivoting of T − λI (LAPACK `dlagtf`): on return `a` holds U's diagonal,
 * `b` its first and `b2` its second super-diagonal, `c` the multipliers and `pivots[k] = 1` where rows
 * k and k+1 were swapped.
 */
function factorShifted(
  n: number,
  a: Float64Array,
  lambda: number,
  b: Float64Array,
  c: Float64Array,
  b2: Float64Array,
  pivots: Uint8Array,
): void {
  a[0] -= lambda;
  let scale1 = Math.abs(a[0]) + Math.abs(b[0]);
  for (let k = 0; k < n - 1; k++) {
    a[k + 1] -= lambda;
    let scale2 = Math.abs(c[k]) + Math.abs(a[k + 1]);
    if (k < n - 2) scale2 += Math.abs(b[k + 1]);
    const piv1 = a[k] === 0 ? 0 : Math.abs(a[k]) / scale1;
    if (c[k] === 0) {
      pivots[k] = 0;
      scale1 = scale2;
      if (k < n - 2) b2[k] = 0;
    } else {
      const piv2 = Math.abs(c[k]) / scale2;
      if (piv2 <= piv1) {
        pivots[k] = 0;
        scale1 = scale2;
        c[k] /= a[k];
        a[k + 1] -= c[k] * b[k];
        if (k < n - 2) b2[k] = 0;
      } else {
        pivots[k] = 1;
        const mult = a[k] / c[k];
        a[k] = c[k];
        const temp = a[k + 1];
        a[k + 1] = b[k] - mult * temp;
        if (k < n - 2) {
          b2[k] = b[k + 1];
          b[k + 1] = -mult * b2[k];
        }
        b[k] = temp;
        c[k] = mult;
      }
    }
  }
}

/** {@link solveShifted} when every pivot is safely away from zero: multiplies by the stored reciprocals. */
function solveWithReciprocals(
  n: number,
  reciprocal: Float64Array,
  b: Float64Array,
  c: Float64Array,
  b2: Float64Array,
  pivots: Uint8Array,
  y: Float64Array,
): void {
  for (let k = 1; k < n; k++) {
    if (pivots[k - 1] === 0) {
      y[k] -= c[k - 1] * y[k - 1];
    } else {
      const temp = y[k - 1];
      y[k - 1] = y[k];
      y[k] = temp - c[k - 1] * y[k];
    }
  }
  let y1 = y[n - 1] * reciprocal[n - 1];
  y[n - 1] = y1;
  if (n === 1) return;
  let y0 = (y[n - 2] - b[n - 2] * y1) * reciprocal[n - 2];
  y[n - 2] = y0;
  for (let k = n - 3; k >= 0; k--) {
    const yk = (y[k] - (b[k] * y0 + b2[k] * y1)) * reciprocal[k];
    y[k] = yk;
    y1 = y0;
    y0 = yk;
  }
}

/**
 * Solves (T − λI) x = y with the factors of {@link factorShifted}, overwriting y (LAPACK `dlagts`,
 * JOB = −1): pivots smaller than `tolerance` are perturbed so that the solve never divides by zero.
 */
function solveShifted(
  n: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  b2: Float64Array,
  pivots: Uint8Array,
  y: Float64Array,
  tolerance: number,
): void {
  for (let k = 1; k < n; k++) {
    if (pivots[k - 1] === 0) {
      y[k] -= c[k - 1] * y[k - 1];
    } else {
      const temp = y[k - 1];
      y[k - 1] = y[k];
      y[k] = temp - c[k - 1] * y[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let temp = y[k];
    if (k <= n - 3) temp -= b[k] * y[k + 1] + b2[k] * y[k + 2];
    else if (k === n - 2) temp -= b[k] * y[k + 1];
    let ak = a[k];
    let perturbation = ak >= 0 ? tolerance : -tolerance;
    for (;;) {
      const absak = Math.abs(ak);
      if (absak < 1) {
        if (absak < SAFE_MIN) {
          if (absak === 0 || Math.abs(temp) * SAFE_MIN > absak) {
            ak += perturbation;
            perturbation *= 2;
            continue;
          }
          temp *= BIG;
          ak *= BIG;
        } else if (Math.abs(temp) > absak * BIG) {
          ak += perturbation;
          perturbation *= 2;
          continue;
        }
      }
      break;
    }
    y[k] = temp / ak;
  }
}
