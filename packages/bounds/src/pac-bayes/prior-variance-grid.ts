import { assertInteger, assertPositive } from '../internal/guards.js';

/** The Dziugaite–Roy prior-variance grid λ_j = c·exp(−j/b). */
export interface PriorVarianceGridOptions {
  /** c, the largest variance of the grid (Dziugaite & Roy: 0.1). */
  scale: number;
  /** b, grid points per e-fold (Dziugaite & Roy: 100). */
  precision: number;
}

/** Dziugaite & Roy's grid: c = 0.1, b = 100. */
export const DZIUGAITE_ROY_PRIOR_GRID: PriorVarianceGridOptions = { scale: 0.1, precision: 100 };

/** One point of the grid and what it costs in the bound. */
export interface PriorVarianceGridPoint {
  /** The index j ≥ 1. */
  index: number;
  /** λ_j = c·exp(−j/b). */
  variance: number;
  /** ln(π² j² / 6) = 2 ln j + ln(π²/6): the extra ln(1/δ_j) − ln(1/δ) paid by the union bound. */
  penalty: number;
}

function checkGrid(fn: string, grid: PriorVarianceGridOptions): void {
  assertPositive(fn, 'scale', grid.scale);
  assertPositive(fn, 'precision', grid.precision);
}

/**
 * The prior variance λ_j = c·exp(−j/b) of grid index j and its union-bound penalty.
 *
 * Dziugaite & Roy (UAI 2017, §3) choose the prior N(w₀, λ I) from the grid j ∈ {1, 2, …} after seeing the
 * data; the bound stays valid by a union bound with δ_j = 6δ/(π² j²) (Σ_j δ_j = δ), which adds
 * ln(1/δ_j) − ln(1/δ) = 2 ln j + ln(π²/6) = 2 ln(b ln(c/λ_j)) + ln(π²/6) to KL(Q‖P). Cost O(1).
 *
 * @param index - j, an integer ≥ 1.
 * @param grid - c and b ({@link DZIUGAITE_ROY_PRIOR_GRID} by default).
 * @throws InvalidArgumentError when j is not an integer ≥ 1 or c, b are not finite and > 0.
 * @example priorVarianceGridPoint(100).variance // → 0.1·e^{−1} ≈ 0.036788
 */
export function priorVarianceGridPoint(index: number, grid: PriorVarianceGridOptions = DZIUGAITE_ROY_PRIOR_GRID): PriorVarianceGridPoint {
  const fn = 'priorVarianceGridPoint';
  assertInteger(fn, 'index', index, 1);
  checkGrid(fn, grid);
  return {
    index,
    variance: grid.scale * Math.exp(-index / grid.precision),
    penalty: 2 * Math.log(index) + Math.log((Math.PI * Math.PI) / 6),
  };
}

/**
 * The grid indices around a continuous variance λ: j = b ln(c/λ) rounded down and up, each at least 1,
 * for rounding an optimised λ onto the grid (Dziugaite & Roy evaluate both and keep the better bound).
 *
 * @throws InvalidArgumentError when λ is not finite and > 0.
 * @example priorVarianceGridIndices(0.1 * Math.exp(-2.5 / 100)) // → [2, 3]
 */
export function priorVarianceGridIndices(variance: number, grid: PriorVarianceGridOptions = DZIUGAITE_ROY_PRIOR_GRID): [number, number] {
  const fn = 'priorVarianceGridIndices';
  assertPositive(fn, 'variance', variance);
  checkGrid(fn, grid);
  const j = grid.precision * Math.log(grid.scale / variance);
  return [Math.max(1, Math.floor(j)), Math.max(1, Math.ceil(j))];
}
