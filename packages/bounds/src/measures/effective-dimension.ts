import { InvalidArgumentError } from '@intrinsic/spectra';

/**
 * Effective dimension of a curvature spectrum, N_eff(α) = Σ_i λ_i / (λ_i + α) (MacKay 1992; Maddox, Benton
 * & Wilson 2020; SCIENCE.md §7). Each term is in [0, 1): directions with λ ≫ α count fully, λ ≪ α not at all.
 * Negative eigenvalues (non-convex directions of a Hessian) contribute max(λ, 0), i.e. nothing. Cost O(n).
 *
 * @param eigenvalues - eigenvalues of the Hessian (or GGN), any order.
 * @param alpha - the scale α > 0 (a prior precision or damping).
 * @throws InvalidArgumentError when α is not finite and > 0 or an eigenvalue is not finite.
 * @example effectiveDimension(Float64Array.of(3, 1, 0), 1) // → 3/4 + 1/2 = 1.25
 */
export function effectiveDimension(eigenvalues: ArrayLike<number>, alpha: number): number {
  const fn = 'effectiveDimension';
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new InvalidArgumentError(`${fn}: alpha must be finite and > 0, got ${alpha}`);
  let sum = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const l = eigenvalues[i];
    if (!Number.isFinite(l)) throw new InvalidArgumentError(`${fn}: eigenvalue ${i} is ${l}`);
    if (l > 0) sum += l / (l + alpha);
  }
  return sum;
}
