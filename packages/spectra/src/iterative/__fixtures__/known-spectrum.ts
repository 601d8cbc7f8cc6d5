import { Random } from '../../random.js';

/**
 * A random orthogonal n × n matrix (row-major): Gram–Schmidt (twice) of a seeded Gaussian matrix, the
 * Haar-distributed Q of its QR factorisation up to column signs.
 */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  // Offset the seed so that Q's rows never coincide with the probe vectors of a method run with the same seed.
  const random = new Random(0x5eed0000 + seed);
  // Rows of G are orthonormalised; the result's rows form Qᵀ, so we return its transpose-free storage as Q's columns.
  const G = random.fillGaussian(new Float64Array(n * n));
  for (let j = 0; j < n; j++) {
    const row = G.subarray(j * n, (j + 1) * n);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const prev = G.subarray(i * n, (i + 1) * n);
        let h = 0;
        for (let r = 0; r < n; r++) h += prev[r] * row[r];
        for (let r = 0; r < n; r++) row[r] -= h * prev[r];
      }
    }
    let s = 0;
    for (let r = 0; r < n; r++) s += row[r] * row[r];
    s = Math.sqrt(s);
    for (let r = 0; r < n; r++) row[r] /= s;
  }
  return G; // orthonormal rows: G Gᵀ = I, so Q = Gᵀ is orthogonal too
}

/**
 * A = Q diag(λ) Qᵀ with a seeded random orthogonal Q: a dense symmetric matrix (row-major) with exactly
 * the given spectrum (up to rounding, ~ n ε max|λ|). Rows of G = Qᵀ are the eigenvectors.
 */
export function matrixWithSpectrum(values: ArrayLike<number>, seed: number): Float64Array {
  const n = values.length;
  const G = randomOrthogonal(n, seed);
  const A = new Float64Array(n * n);
  // A[i][j] = Σ_q λ_q G[q][i] G[q][j]
  for (let q = 0; q < n; q++) {
    const lambda = values[q];
    const g = G.subarray(q * n, (q + 1) * n);
    for (let i = 0; i < n; i++) {
      const gi = lambda * g[i];
      if (gi === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) A[row + j] += gi * g[j];
    }
  }
  // Exact symmetry.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (A[i * n + j] + A[j * n + i]);
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  return A;
}

/** Explicit residual ‖A v − θ v‖ for a dense row-major A. */
export function denseResidual(A: Float64Array, n: number, v: Float64Array, theta: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let t = -theta * v[i];
    for (let j = 0; j < n; j++) t += A[i * n + j] * v[j];
    s += t * t;
  }
  return Math.sqrt(s);
}
