import { clusterWork, inverseIterationBlock, tridiagonalOneNorm } from './tridiagonal-inverse-iteration.js';
import { checkTridiagonal, implicitQl, splitTridiagonal } from './tridiagonal-ql.js';

/** Unreduced blocks up to this order get their vectors from QL with rotations (O(m³), robust, cheap here). */
const SMALL_BLOCK = 32;
/** Seed of inverse iteration's starting vectors, so results are reproducible. */
const START_SEED = 0x5eed;

/** Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric tridiagonal matrix. */
export interface TridiagonalEigenResult {
  /** Eigenvalues in ascending order, length n. */
  values: Float64Array;
  /** Eigenvectors, row-major n × n, column j is the unit eigenvector of `values[j]`. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix.
 *
 * The matrix is split into unreduced blocks (|e_i| ≤ ε (|d_i| + |d_{i+1}|) or ≤ 2√n ε ‖T‖₁); on each block the
 * eigenvalues come from implicit QL with Wilkinson shifts (the same arithmetic as
 * {@link tridiagonalEigenvalues}, so the values agree exactly), and the eigenvectors from inverse
 * iteration with Gram–Schmidt inside clusters (LAPACK `dstein`), or from QL with accumulated rotations
 * for blocks of order ≤ 32, for blocks whose clusters would make Gram–Schmidt cost more than QL
 * (more than m²/4 close pairs), and whenever inverse iteration fails its growth test. Cost: O(n²) for
 * well-separated eigenvalues (O(n k²) more for a cluster of k), n² doubles for the vectors.
 *
 * @param diagonal - d, length n.
 * @param offDiagonal - e, length n − 1.
 * @returns values ascending, and vectors row-major with column j the eigenvector of values[j].
 * @throws ShapeMismatchError when the lengths disagree; InvalidArgumentError on a non-finite entry.
 * @example tridiagonalEigen(new Float64Array([2, 2]), new Float64Array([1])).values // → [1, 3]
 */
export function tridiagonalEigen(diagonal: Float64Array, offDiagonal: Float64Array): TridiagonalEigenResult {
  checkTridiagonal(diagonal, offDiagonal, 'tridiagonalEigen');
  const n = diagonal.length;
  const e = new Float64Array(n);
  e.set(offDiagonal.subarray(0, Math.max(n - 1, 0)));
  const { values, rows } = tridiagonalEigenRows(Float64Array.from(diagonal), e);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) vectors[i * n + j] = rows[j * n + i];
  return { values, vectors };
}

/**
 * Core of {@link tridiagonalEigen}: d and e (length n, e[n−1] ignored) are overwritten; returns the
 * ascending values and the eigenvectors as the rows of an n × n row-major array (`rows`, which must be
 * zero-filled, when given).
 * @internal
 */
export function tridiagonalEigenRows(
  d: Float64Array,
  e: Float64Array,
  rows: Float64Array = new Float64Array(d.length * d.length),
): { values: Float64Array; rows: Float64Array } {
  const n = d.length;
  const bounds = splitTridiagonal(d, e);
  const blockValues = new Float64Array(n);
  const seed = new Uint32Array([START_SEED]);
  for (let b = 0; b + 1 < bounds.length; b++) {
    const lo = bounds[b];
    const hi = bounds[b + 1];
    const m = hi - lo;
    const offset = lo * n + lo;
    if (m > SMALL_BLOCK) {
      const dl = d.slice(lo, hi);
      const el = e.slice(lo, hi);
      implicitQl(dl, el, 0, m, null, 0);
      dl.sort();
      const db = d.subarray(lo, hi);
      const eb = e.subarray(lo, hi);
      // Gram–Schmidt in clusters costs ≈ 8 m W flops (W from clusterWork), QL with rotations ≈ 3 m³.
      if (clusterWork(dl, tridiagonalOneNorm(db, eb)) <= (m * m) / 4 && inverseIterationBlock(db, eb, dl, rows, offset, n, seed)) {
        blockValues.set(dl, lo);
        continue;
      }
    }
    // Small block, or inverse iteration failed its growth test: QL with accumulated rotations.
    const dl = d.slice(lo, hi);
    const el = e.slice(lo, hi);
    const local = new Float64Array(m * m);
    for (let i = 0; i < m; i++) local[i * m + i] = 1;
    implicitQl(dl, el, 0, m, local, m);
    sortWithRows(dl, local, m);
    blockValues.set(dl, lo);
    for (let j = 0; j < m; j++) rows.set(local.subarray(j * m, j * m + m), offset + j * n);
  }
  // Global ascending order; rows follow their values.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => blockValues[x] - blockValues[y] || x - y);
  const values = new Float64Array(n);
  let isIdentity = true;
  for (let i = 0; i < n; i++) {
    values[i] = blockValues[order[i]];
    if (order[i] !== i) isIdentity = false;
  }
  if (isIdentity) return { values, rows };
  const sorted = new Float64Array(n * n);
  for (let i = 0; i < n; i++) sorted.set(rows.subarray(order[i] * n, order[i] * n + n), i * n);
  rows.set(sorted);
  return { values, rows };
}

/** Sorts values ascending and permutes the rows of the m × m array with them. */
function sortWithRows(values: Float64Array, rows: Float64Array, m: number): void {
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => values[x] - values[y] || x - y);
  const v = values.slice();
  const r = rows.slice();
  for (let i = 0; i < m; i++) {
    values[i] = v[order[i]];
    rows.set(r.subarray(order[i] * m, order[i] * m + m), i * m);
  }
}
