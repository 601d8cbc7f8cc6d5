import { InvalidArgumentError, resolveTolerance, type ResolvedTolerance, type TolerancePolicy } from '@intrinsic/spectra';

/** Result of {@link smallestPositiveEigenvalue}. */
export interface PositiveSpectrum {
  /** λ_min⁺: the smallest eigenvalue above the threshold (NaN when there is none). */
  value: number;
  /** Index of λ_min⁺ in the input array (−1 when there is none). */
  index: number;
  /** λ_max, the largest eigenvalue. */
  largest: number;
  /** Number of eigenvalues above the threshold (the positive rank). */
  positiveCount: number;
  /** Number of eigenvalues below −threshold (negative curvature; excluded from H⁺ by this package). */
  negativeCount: number;
  /** The threshold and its policy. */
  tolerance: ResolvedTolerance;
}

/**
 * λ_min⁺, the smallest eigenvalue of a symmetric matrix above a tolerance (SCIENCE.md §4; Singh et al.,
 * ICLR 2022): "positive" means λ > τ with τ from the @intrinsic/spectra tolerance policy (numpy's
 * σ_max·n·ε by default), so the numerical null space (|λ| ≤ τ) is not mistaken for a tiny eigenvalue.
 * Near the interpolation threshold λ_min⁺ collapses towards 0. Cost O(n).
 *
 * @param eigenvalues - all n eigenvalues, any order.
 * @param policy - tolerance policy (default numpy).
 * @throws InvalidArgumentError on an empty or non-finite spectrum.
 * @example smallestPositiveEigenvalue(Float64Array.of(-1e-17, 0.5, 3)).value // → 0.5
 */
export function smallestPositiveEigenvalue(eigenvalues: ArrayLike<number>, policy: TolerancePolicy = { kind: 'numpy' }): PositiveSpectrum {
  const fn = 'smallestPositiveEigenvalue';
  const n = eigenvalues.length;
  if (n === 0) throw new InvalidArgumentError(`${fn}: no eigenvalues`);
  let largest = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(eigenvalues[i])) throw new InvalidArgumentError(`${fn}: eigenvalue ${i} is ${eigenvalues[i]}`);
    largest = Math.max(largest, eigenvalues[i]);
  }
  const tolerance = resolveTolerance(eigenvalues, n, policy);
  let value = Infinity;
  let index = -1;
  let positiveCount = 0;
  let negativeCount = 0;
  for (let i = 0; i < n; i++) {
    const l = eigenvalues[i];
    if (l > tolerance.threshold) {
      positiveCount++;
      if (l < value) {
        value = l;
        index = i;
      }
    } else if (l < -tolerance.threshold) negativeCount++;
  }
  return { value: index >= 0 ? value : NaN, index, largest, positiveCount, negativeCount, tolerance };
}
