/** Test-only dense solver: A x = b by Gaussian elimination with partial pivoting (A n × n row-major, copied). */
export function solveDense(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[piv * n + c])) piv = r;
    for (let k = 0; k < n; k++) [M[c * n + k], M[piv * n + k]] = [M[piv * n + k], M[c * n + k]];
    [x[c], x[piv]] = [x[piv], x[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c];
    for (let k = c + 1; k < n; k++) s -= M[c * n + k] * x[k];
    x[c] = s / M[c * n + c];
  }
  return x;
}

/**
 * Ridge least squares on design rows `rows` (each length p) and scalar targets: θ = (Σ x xᵀ + μ I)⁻¹ Σ x y.
 * `skip` leaves one row out (explicit leave-one-out retraining).
 */
export function ridgeSolve(design: Float64Array, targets: Float64Array, count: number, p: number, mu: number, skip = -1): Float64Array {
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < count; i++) {
    if (i === skip) continue;
    for (let a = 0; a < p; a++) {
      b[a] += design[i * p + a] * targets[i];
      for (let c = 0; c < p; c++) A[a * p + c] += design[i * p + a] * design[i * p + c];
    }
  }
  for (let a = 0; a < p; a++) A[a * p + a] += mu;
  return solveDense(A, b, p);
}
