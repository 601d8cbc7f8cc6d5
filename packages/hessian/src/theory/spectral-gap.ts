import { FLOAT64_EPSILON, InvalidArgumentError } from '@intrinsic/spectra';

/** Result of {@link spectralGap}. */
export interface SpectralGap {
  /** The largest ratio |λ|_(k) / |λ|_(k+1) of consecutive magnitudes sorted in descending order (Infinity when |λ|_(k+1) = 0). */
  ratio: number;
  /** k: how many magnitudes lie above the gap (the rank a gap-based rule would report). */
  position: number;
  /** |λ|_(k), the smallest magnitude above the gap. */
  above: number;
  /** |λ|_(k+1), the largest magnitude below the gap (after clamping at the floor ε·σ_max). */
  below: number;
  /** How many magnitudes lie below the floor ε·σ_max (exact zeros included) and were clamped to it. */
  belowFloor: number;
}

/**
 * The spectral gap: the largest ratio of consecutive eigenvalue magnitudes, with its position.
 *
 * Sort the magnitudes |λ|_(1) ≥ |λ|_(2) ≥ … ≥ |λ|_(n); the gap is at the k maximising
 * |λ|_(k) / |λ|_(k+1) (ties: the smallest k). For a deep linear network in float64 the gap sits
 * exactly at the rank, between the smallest true eigenvalue and the round-off floor (ratios ≈ 1e10 and
 * more); for non-linear networks there is often no clean gap, which is why the numerical rank depends
 * on the tolerance (Singh et al., NeurIPS 2021, §6). Magnitudes below the floor ε·σ_max (ε = 2⁻⁵², σ_max
 * the largest magnitude) are clamped to it before the ratios are taken: float64 cannot resolve them
 * relative to σ_max, and exact zeros (the weights of an input pixel that is 0 on every sample, a dead
 * ReLU unit) or values like 1e-30 would otherwise produce spurious ratios that hide the gap between the
 * true eigenvalues and round-off.
 *
 * Cost: O(n log n) for the sort.
 *
 * @param eigenvalues - eigenvalues of a symmetric matrix (any order, any sign); at least 2.
 * @returns the ratio, the position k, the magnitudes on either side and how many were below the floor.
 *   When every magnitude is 0 the result is `{ ratio: NaN, position: 0, above: 0, below: 0, belowFloor: n }`.
 * @throws InvalidArgumentError on fewer than 2 values or a non-finite value.
 * @example spectralGap([4, -2, 1e-12, 0.5, 0]) // → { ratio: 5e11, position: 3, above: 0.5, below: 1e-12, belowFloor: 1 }
 */
export function spectralGap(eigenvalues: ArrayLike<number>): SpectralGap {
  const n = eigenvalues.length;
  if (n < 2) throw new InvalidArgumentError(`spectralGap needs at least 2 eigenvalues, got ${n}`);
  const magnitudes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = eigenvalues[i];
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`spectralGap: eigenvalue ${i} is ${v}`);
    magnitudes[i] = Math.abs(v);
  }
  magnitudes.sort().reverse();
  const floor = magnitudes[0] * FLOAT64_EPSILON;
  if (floor === 0) return { ratio: NaN, position: 0, above: 0, below: 0, belowFloor: n };
  let belowFloor = 0;
  for (let i = 0; i < n; i++) {
    if (magnitudes[i] < floor) {
      magnitudes[i] = floor;
      belowFloor++;
    }
  }
  let best: SpectralGap = { ratio: 0, position: 0, above: 0, below: 0, belowFloor };
  for (let k = 1; k < n; k++) {
    const ratio = magnitudes[k - 1] / magnitudes[k];
    if (ratio > best.ratio) best = { ratio, position: k, above: magnitudes[k - 1], below: magnitudes[k], belowFloor };
  }
  return best;
}
