import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';

/** Options of {@link powerIterationSpectralNorm}. */
export interface PowerIterationOptions {
  /** Rows of the matrix (row-major). */
  rows: number;
  /** Columns of the matrix. */
  columns: number;
  /** Iteration cap (default 2000). */
  maxIterations?: number;
  /** Stop when ‖WᵀW v − θ v‖ ≤ tolerance · θ (default 1e-10). */
  tolerance?: number;
  /** Seed of the Gaussian start vector (default 0). */
  seed?: number;
}

/** Result and diagnostics of {@link powerIterationSpectralNorm}. */
export interface PowerIterationResult {
  /** σ_max(W) = √θ, θ the final Rayleigh quotient of WᵀW. */
  value: number;
  /** The unit right singular vector estimate v at which θ was measured (length `columns`). */
  vector: Float64Array;
  iterations: number;
  converged: boolean;
  /** Relative residuals ‖WᵀW v − θ v‖/θ, one per iteration. */
  residualNorms: Float64Array;
}

/**
 * Largest singular value of a dense matrix by power iteration on WᵀW: v ← Wᵀ(W v)/‖·‖, θ = ‖W v‖².
 *
 * Converges at the rate (σ₂/σ₁)^{2k}; θ ≤ σ₁² always (Rayleigh quotient) and the relative residual r gives
 * |θ − λ| ≤ r·θ for some eigenvalue λ of WᵀW (Bauer–Fike for symmetric matrices). Deterministic for a
 * seed. Cost: 2·rows·columns flops per iteration, O(rows + columns) memory. A zero matrix gives 0.
 *
 * @param matrix - W, row-major rows × columns.
 * @returns σ_max with `{ vector, iterations, converged, residualNorms }`; not converged is reported, not thrown.
 * @throws ShapeMismatchError when `matrix.length ≠ rows·columns`; InvalidArgumentError on a non-finite entry
 * or bad options.
 * @example powerIterationSpectralNorm(Float64Array.of(3, 0, 0, -5), { rows: 2, columns: 2 }).value // → 5
 */
export function powerIterationSpectralNorm(matrix: Float64Array, options: PowerIterationOptions): PowerIterationResult {
  const fn = 'powerIterationSpectralNorm';
  const { rows, columns } = options;
  const maxIterations = options.maxIterations ?? 2000;
  const tolerance = options.tolerance ?? 1e-10;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(columns) || columns < 1) {
    throw new InvalidArgumentError(`${fn}: rows and columns must be positive integers, got ${rows} × ${columns}`);
  }
  if (matrix.length !== rows * columns) throw new ShapeMismatchError(`${fn}: matrix has ${matrix.length} entries, expected ${rows} × ${columns} = ${rows * columns}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new InvalidArgumentError(`${fn}: maxIterations must be a positive integer, got ${maxIterations}`);
  if (!(tolerance > 0)) throw new InvalidArgumentError(`${fn}: tolerance must be > 0, got ${tolerance}`);
  for (let i = 0; i < matrix.length; i++) {
    if (!Number.isFinite(matrix[i])) throw new InvalidArgumentError(`${fn}: entry (${Math.floor(i / columns)}, ${i % columns}) is ${matrix[i]}`);
  }
  const v = new Random(options.seed ?? 0).fillGaussian(new Float64Array(columns));
  normalize(v);
  const wv = new Float64Array(rows);
  const u = new Float64Array(columns);
  const residuals: number[] = [];
  let theta = 0;
  let converged = false;
  let iterations = 0;
  for (let k = 0; k < maxIterations; k++) {
    iterations = k + 1;
    // wv = W v, u = Wᵀ wv, θ = ‖wv‖² = vᵀ WᵀW v.
    theta = 0;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const row = i * columns;
      for (let j = 0; j < columns; j++) s += matrix[row + j] * v[j];
      wv[i] = s;
      theta += s * s;
    }
    u.fill(0);
    for (let i = 0; i < rows; i++) {
      const s = wv[i];
      const row = i * columns;
      for (let j = 0; j < columns; j++) u[j] += matrix[row + j] * s;
    }
    if (theta === 0) {
      // v in the null space: W = 0 when a fresh random start also gives 0 (checked by the Frobenius norm).
      let frob = 0;
      for (let i = 0; i < matrix.length; i++) frob += matrix[i] * matrix[i];
      if (frob === 0) {
        residuals.push(0);
        converged = true;
        break;
      }
      new Random((options.seed ?? 0) + k + 1).fillGaussian(v);
      normalize(v);
      residuals.push(Infinity);
      continue;
    }
    let r = 0;
    for (let j = 0; j < columns; j++) r += (u[j] - theta * v[j]) ** 2;
    const relative = Math.sqrt(r) / theta;
    residuals.push(relative);
    if (relative <= tolerance) {
      converged = true;
      break;
    }
    v.set(u);
    normalize(v);
  }
  return { value: Math.sqrt(theta), vector: v, iterations, converged, residualNorms: Float64Array.from(residuals) };
}

function normalize(v: Float64Array): void {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
}
