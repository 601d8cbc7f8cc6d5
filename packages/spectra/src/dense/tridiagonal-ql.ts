import { InvalidArgumentError, NotConvergedError, ShapeMismatchError } from '../errors.js';

/** Largest number of QL iterations spent on one eigenvalue before giving up (LAPACK allows 30). */
const MAX_ITERATIONS_PER_VALUE = 60;
const EPSILON = 2 ** -52;

/**
 * All eigenvalues of a symmetric tridiagonal matrix, ascending.
 *
 * Implicit QL with Wilkinson shifts (EISPACK `tql1`/`tql2`, Bowdler, Martin, Reinsch & Wilkinson,
 * Numer. Math. 11, 1968), run separately on each unreduced block: the matrix is first split wherever
 * |e_i| ≤ ε (|d_i| + |d_{i+1}|) or |e_i| ≤ 2√n ε ‖T‖₁ (so eigenvalues are accurate to about √n ε ‖T‖
 * absolutely, the normwise accuracy of the dense solver). Cost: about 30 n² flops (two to three QL sweeps per eigenvalue), O(n)
 * memory. The inputs are not modified.
 *
 * @param diagonal - d, length n.
 * @param offDiagonal - e, length n − 1 (e_i couples d_i and d_{i+1}).
 * @returns the n eigenvalues, ascending.
 * @throws ShapeMismatchError when the lengths disagree; InvalidArgumentError on a non-finite entry;
 *   NotConvergedError if QL needs more than 60 sweeps for one eigenvalue (not observed in practice).
 * @example tridiagonalEigenvalues(new Float64Array([2, 2]), new Float64Array([1])) // → [1, 3]
 */
export function tridiagonalEigenvalues(diagonal: Float64Array, offDiagonal: Float64Array): Float64Array {
  const n = diagonal.length;
  checkTridiagonal(diagonal, offDiagonal, 'tridiagonalEigenvalues');
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  e.set(offDiagonal.subarray(0, Math.max(n - 1, 0)));
  const blocks = splitTridiagonal(d, e);
  for (let b = 0; b + 1 < blocks.length; b++) {
    implicitQl(d, e, blocks[b], blocks[b + 1], null, 0);
  }
  return d.sort();
}

/** Guards shared by the tridiagonal entry points. @internal */
export function checkTridiagonal(diagonal: Float64Array, offDiagonal: Float64Array, fn: string): void {
  const n = diagonal.length;
  if (offDiagonal.length !== Math.max(n - 1, 0)) {
    throw new ShapeMismatchError(`${fn}: offDiagonal has ${offDiagonal.length} entries, expected n − 1 = ${Math.max(n - 1, 0)}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(diagonal[i])) throw new InvalidArgumentError(`${fn}: diagonal[${i}] is ${diagonal[i]}`);
  }
  for (let i = 0; i < n - 1; i++) {
    if (!Number.isFinite(offDiagonal[i])) throw new InvalidArgumentError(`${fn}: offDiagonal[${i}] is ${offDiagonal[i]}`);
  }
}

/**
 * Sets negligible off-diagonals to zero and returns the block boundaries [0, b_1, …, n]: block j is rows
 * b_j … b_{j+1} − 1. `e` has length n; e[n − 1] is set to 0. An off-diagonal is negligible when
 * |e_i| ≤ ε (|d_i| + |d_{i+1}|) (relative, as in LAPACK `dsteqr`) or |e_i| ≤ 2√n ε ‖T‖₁ (absolute: below
 * the backward error of the Householder reduction). The absolute test cuts the rounding-noise tail that a
 * rank-deficient matrix leaves in T into small blocks, where a relative test would keep one giant cluster
 * of near-zero eigenvalues; the perturbation it makes is at most √(2k)·2√n ε ‖T‖₁ for k cuts.
 * @internal
 */
export function splitTridiagonal(d: Float64Array, e: Float64Array): number[] {
  const n = d.length;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.abs(d[i]) + (i < n - 1 ? Math.abs(e[i]) : 0) + (i > 0 ? Math.abs(e[i - 1]) : 0);
    if (t > norm) norm = t;
  }
  const absolute = 2 * Math.sqrt(n) * EPSILON * norm;
  const bounds = [0];
  for (let i = 0; i < n - 1; i++) {
    const x = Math.abs(e[i]);
    if (x <= absolute || x <= EPSILON * (Math.abs(d[i]) + Math.abs(d[i + 1]))) {
      e[i] = 0;
      bounds.push(i + 1);
    }
  }
  if (n > 0) {
    e[n - 1] = 0;
    bounds.push(n);
  }
  return bounds;
}

/** √(a² + b²) without destructive overflow or underflow. */
function safeHypot(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  if (x < y) {
    const t = x;
    x = y;
    y = t;
  }
  if (x === 0) return 0;
  const r = y / x;
  return x * Math.sqrt(1 + r * r);
}

/**
 * Implicit QL with Wilkinson shifts on the block lo … hi−1 of (d, e), in place (EISPACK `tql2`, as in
 * JAMA). e[i] couples d[i] and d[i+1]; e[hi−1] must be 0. The eigenvalues are left unsorted in d.
 * When `zt` is given, rotations are applied to its rows lo … hi−1 (row-major, row length `ldz`): rows
 * are vectors, so rotations touch two contiguous rows. Sweeps stop at |e_m| ≤ ε · max_{k≤l}(|d_k|+|e_k|).
 * @internal
 */
export function implicitQl(
  d: Float64Array,
  e: Float64Array,
  lo: number,
  hi: number,
  zt: Float64Array | null,
  ldz: number,
): void {
  let f = 0;
  let tst1 = 0;
  for (let l = lo; l < hi; l++) {
    const t = Math.abs(d[l]) + Math.abs(e[l]);
    if (t > tst1) tst1 = t;
    let m = l;
    while (m < hi - 1 && Math.abs(e[m]) > EPSILON * tst1) m++;
    if (m > l) {
      let iteration = 0;
      do {
        if (++iteration > MAX_ITERATIONS_PER_VALUE) {
          throw new NotConvergedError(`symmetric tridiagonal QL: no convergence after ${MAX_ITERATIONS_PER_VALUE} sweeps at index ${l}`);
        }
        // Wilkinson shift from the leading 2 × 2 block.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = safeHypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < hi; i++) d[i] -= h;
        f += h;
        // Implicit QL sweep from m − 1 down to l.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i];
          g = c * ei;
          h = c * p;
          r = Math.sqrt(p * p + ei * ei);
          if (!(r > 1e-150 && r < 1e150)) r = safeHypot(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (zt !== null) {
            const oi = i * ldz;
            const oj = oi + ldz;
            for (let k = 0; k < ldz; k++) {
              const zj = zt[oj + k];
              const zi = zt[oi + k];
              zt[oj + k] = s * zi + c * zj;
              zt[oi + k] = c * zi - s * zj;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPSILON * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
