import { Random } from '@intrinsic/spectra';

/** Row-major product C = A B, A m × k, B k × n (plain triple loop, the test reference). */
export function matmul(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let t = 0; t < k; t++) for (let j = 0; j < n; j++) C[i * n + j] += A[i * k + t] * B[t * n + j];
  return C;
}

/** A random symmetric positive definite n × n matrix B Bᵀ + shift·I (B Gaussian, seeded). */
export function randomSpd(n: number, seed: number, shift = 0.1): Float64Array {
  const rng = new Random(seed);
  const B = rng.fillGaussian(new Float64Array(n * n));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += B[i * n + k] * B[j * n + k];
      A[i * n + j] = s + (i === j ? shift : 0);
    }
  }
  return A;
}

/** max |A − B| / max |B|. */
export function relativeError(A: ArrayLike<number>, B: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < B.length; i++) {
    diff = Math.max(diff, Math.abs(A[i] - B[i]));
    scale = Math.max(scale, Math.abs(B[i]));
  }
  return diff / scale;
}

/** max |A − I| for a row-major n × n matrix. */
export function distanceToIdentity(A: Float64Array, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d = Math.max(d, Math.abs(A[i * n + j] - (i === j ? 1 : 0)));
  return d;
}

/** Dense empirical Fisher λI + (1/n) Gᵀ G from per-sample gradient rows G (n × p), by explicit outer products. */
export function referenceFisher(G: Float64Array, n: number, p: number, damping: number): Float64Array {
  const F = new Float64Array(p * p);
  for (let j = 0; j < n; j++) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) F[a * p + b] += (G[j * p + a] * G[j * p + b]) / n;
  for (let a = 0; a < p; a++) F[a * p + a] += damping;
  return F;
}
