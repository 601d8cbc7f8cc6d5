import { numericalRank, type ResolvedTolerance, type TolerancePolicy } from '@intrinsic/spectra';

/** Result of {@link hessianNullity}. */
export interface HessianNullity {
  /** Order p of the matrix (number of eigenvalues). */
  size: number;
  /** Numerical rank under the policy. */
  rank: number;
  /** Dimension of the numerical null space, p − rank. */
  nullity: number;
  /** nullity / p: the fraction of directions in which the loss is flat to second order. */
  nullityFraction: number;
  /** The threshold used and how it was obtained. */
  tolerance: ResolvedTolerance;
}

/**
 * Redundancy implied by curvature: the nullity p − rank(H) of a Hessian (or of H_O, or a Fisher) from
 * its eigenvalues, with an explicit tolerance policy (numpy's σ_max·p·ε by default). Singh et al.
 * (NeurIPS 2021) show rank(H)/p → 0 with width, so nullity/p is a curvature-based estimate of how much
 * of the parameterisation is redundant to second order, to be set beside the sparsity that pruning
 * actually reaches at a given loss. Note that a null direction is a combination of weights, not a
 * single weight: nullity bounds how many constraints leave the quadratic model unchanged, not how many
 * individual weights can be zeroed. O(p).
 *
 * @param eigenvalues - all p eigenvalues of the symmetric matrix (any order, any sign).
 * @param policy - tolerance policy (see `numericalRank` of @intrinsic/spectra).
 * @returns size, rank, nullity, nullity fraction and the resolved tolerance.
 * @throws InvalidArgumentError on a non-finite eigenvalue (from `numericalRank`).
 * @example hessianNullity([2, 1e-18, -3, 0]).nullity // → 2
 */
export function hessianNullity(eigenvalues: ArrayLike<number>, policy: TolerancePolicy = { kind: 'numpy' }): HessianNullity {
  const size = eigenvalues.length;
  const result = numericalRank(eigenvalues, size, policy);
  return {
    size,
    rank: result.rank,
    nullity: size - result.rank,
    nullityFraction: size === 0 ? 0 : (size - result.rank) / size,
    tolerance: result.tolerance,
  };
}
