import { InvalidArgumentError } from '@intrinsic/spectra';

/** Result of {@link spectralGap}. */
export interface SpectralGap {
  /** The largest ratio |λ|_(k) / |λ|_(k+1) of consecutive magnitudes sorted in descending order (Infinity when |λ|_(k+1) = 0). */
  ratio: number;
  /** k: how many magnitudes lie above the gap (the rank a gap-based rule would report). */
  position: number;
  /** |λ|_(k), the smallest magnitude above the gap. */
  above: number;
  /** |λ|_(k+1), the largest magnitude below the gap (0 when the gap is at the exact zeros). */
  below: number;
  /** How many eigenvalues are exactly 0 (excluded from the ratios: they are zero under every tolerance). */
  zeros: number;
}

/**
 * The spectral gap: the largest ratio of consecutive eigenvalue magnitudes, with its position.
 *
 * Sort the magnitudes |λ|_(1) ≥ |λ|_(2) ≥ … ≥ |λ|_(n); the gap is at the k maximising
 * |λ|_(k) / |λ|_(k+1) (ties: the smallest k). For a deep linear network in float64 the gap sits
 * exactly at the rank, between the smallest true eigenvalue and the round-off floor (ratios ≈ 1e10 and
 * more); for non-linear networks there is often no clean gap, which is why the numerical rank depends
 * on the tolerance (Singh et al., NeurIPS 2021, §6). Eigenvalues that are exactly 0 (e.g. the weights
 * of an input pixel that is 0 on every sample, or of a dead ReLU unit) are excluded from the ratios and
 * counted in `zeros`, so that they do not hide the gap between the true eigenvalues and round-off; with
 * a single non-zero magnitude the gap is the one to the zeros (ratio Infinity).
 *
 * Cost: O(n log n) for the sort.
 *
 * @param eigenvalues - eigenvalues of a symmetric matrix (any order, any sign); at least 2.
 * @returns the ratio, the position k, the magnitudes on either side and the number of exact zeros. When
 *   every magnitude is 0 the result is `{ ratio: NaN, position: 0, above: 0, below: 0, zeros: n }`.
 * @throws InvalidArgumentError on fewer than 2 values or a non-finite value.
 * @example spectralGap([4, -2, 1e-12, 0.5, 0]) // → { ratio: 5e11, position: 3, above: 0.5, below: 1e-12, zeros: 1 }
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
  let nonzero = 0;
  while (nonzero < n && magnitudes[nonzero] > 0) nonzero++;
  const zeros = n - nonzero;
  if (nonzero === 0) return { ratio: NaN, position: 0, above: 0, below: 0, zeros };
  if (nonzero === 1) return { ratio: Infinity, position: 1, above: magnitudes[0], below: 0, zeros };
  let best: SpectralGap = { ratio: 0, position: 0, above: 0, below: 0, zeros };
  for (let k = 1; k < nonzero; k++) {
    const ratio = magnitudes[k - 1] / magnitudes[k];
    if (ratio > best.ratio) best = { ratio, position: k, above: magnitudes[k - 1], below: magnitudes[k], zeros };
  }
  return best;
}
