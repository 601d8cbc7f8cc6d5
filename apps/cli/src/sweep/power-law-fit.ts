import { InvalidArgumentError } from '@intrinsic/spectra';

/** Result of {@link fitPowerLaw}: y ≈ c · x^α. */
export interface PowerLawFit {
  alpha: number;
  c: number;
  /** Coefficient of determination of the log–log regression. */
  r2: number;
  /** Points used (positive x and y). */
  count: number;
}

/**
 * Least-squares fit of y ≈ c·x^α on log–log axes: the line log y = log c + α log x minimising the sum of
 * squared residuals in log y. Points with x ≤ 0 or y ≤ 0 are skipped.
 *
 * @throws InvalidArgumentError when x and y differ in length or fewer than 2 points with distinct x remain.
 */
export function fitPowerLaw(x: ArrayLike<number>, y: ArrayLike<number>): PowerLawFit {
  if (x.length !== y.length) throw new InvalidArgumentError(`fitPowerLaw: x has ${x.length} values, y has ${y.length}`);
  const u: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 0 && y[i] > 0 && Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      u.push(Math.log(x[i]));
      v.push(Math.log(y[i]));
    }
  }
  const n = u.length;
  const mu = u.reduce((a, b) => a + b, 0) / n;
  const mv = v.reduce((a, b) => a + b, 0) / n;
  let suu = 0;
  let suv = 0;
  let svv = 0;
  for (let i = 0; i < n; i++) {
    suu += (u[i] - mu) ** 2;
    suv += (u[i] - mu) * (v[i] - mv);
    svv += (v[i] - mv) ** 2;
  }
  if (n < 2 || !(suu > 0)) throw new InvalidArgumentError(`fitPowerLaw: needs at least 2 positive points with distinct x, got ${n}`);
  const alpha = suv / suu;
  const r2 = svv > 0 ? (suv * suv) / (suu * svv) : 1;
  return { alpha, c: Math.exp(mv - alpha * mu), r2, count: n };
}
