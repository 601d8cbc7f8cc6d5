import { Random } from '../../random.js';

/** Symmetric matrix with N(0, 1) entries (row-major n × n). */
export function randomSymmetric(n: number, seed: number): Float64Array {
  const random = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = random.gaussian();
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

/** Symmetric matrix whose entries have magnitudes spread log-uniformly over 1e-10 … 1. */
export function gradedSymmetric(n: number, seed: number): Float64Array {
  const random = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = random.gaussian() * 10 ** (-10 * random.uniform());
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

/** Random orthogonal n × n matrix (row-major) by modified Gram–Schmidt on a Gaussian matrix. */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const random = new Random(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) q[i] = random.gaussian();
  // Orthonormalise the columns, twice for safety.
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
        for (let i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += q[i * n + j] ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) q[i * n + j] /= norm;
    }
  }
  return q;
}

/** Q diag(values) Qᵀ for a random orthogonal Q: the known spectrum `values`. */
export function withSpectrum(values: ArrayLike<number>, seed: number): Float64Array {
  const n = values.length;
  const q = randomOrthogonal(n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * values[k] * q[j * n + k];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

/** Clustered spectrum: values −2, 1 and 5 repeated cyclically (multiplicities ≈ n/3). */
export function clusteredValues(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => [-2, 1, 5][k % 3]);
}

/** G Gᵀ with G an n × r Gaussian matrix: positive semidefinite of rank r. */
export function lowRankGram(n: number, r: number, seed: number): Float64Array {
  const random = new Random(seed);
  const g = Float64Array.from({ length: n * r }, () => random.gaussian());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += g[i * r + k] * g[j * r + k];
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

/** Frobenius norm. */
export function frobenius(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** ‖A V − V Λ‖_F / ‖A‖_F (or the absolute residual for A = 0) and ‖VᵀV − I‖_F. */
export function eigenErrors(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): { residual: number; orthogonality: number } {
  const av = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) av[i * n + j] += aik * vectors[k * n + j];
    }
  }
  let residual = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) residual += (av[i * n + j] - vectors[i * n + j] * values[j]) ** 2;
  const gram = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const vki = vectors[k * n + i];
      for (let j = 0; j < n; j++) gram[i * n + j] += vki * vectors[k * n + j];
    }
  }
  let orthogonality = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) orthogonality += (gram[i * n + j] - (i === j ? 1 : 0)) ** 2;
  const norm = frobenius(a);
  return { residual: Math.sqrt(residual) / (norm === 0 ? 1 : norm), orthogonality: Math.sqrt(orthogonality) };
}
