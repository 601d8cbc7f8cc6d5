import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';

/** Throws unless `value` is a finite number in [min, max]. */
export function assertInRange(fn: string, name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || !(value >= min && value <= max)) {
    throw new InvalidArgumentError(`${fn}: ${name} must be in [${min}, ${max}], got ${value}`);
  }
}

/** Throws unless `value` is a number ≥ 0 (Infinity allowed when `allowInfinity`). */
export function assertNonNegative(fn: string, name: string, value: number, allowInfinity = false): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new InvalidArgumentError(`${fn}: ${name} must be a ${allowInfinity ? '' : 'finite '}number ≥ 0, got ${value}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function assertPositive(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new InvalidArgumentError(`${fn}: ${name} must be a finite number > 0, got ${value}`);
  }
}

/** Throws unless `value` is an integer ≥ `min`. */
export function assertInteger(fn: string, name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${fn}: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
}

/** Throws unless the confidence parameter δ is in (0, 1). */
export function assertDelta(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || !(value > 0 && value < 1)) {
    throw new InvalidArgumentError(`${fn}: ${name} must be in (0, 1), got ${value}`);
  }
}

/** Throws unless `array` has `length` entries, all finite. */
export function assertFiniteArray(fn: string, name: string, array: ArrayLike<number>, length: number): void {
  if (array.length !== length) throw new ShapeMismatchError(`${fn}: ${name} has length ${array.length}, expected ${length}`);
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(array[i])) throw new InvalidArgumentError(`${fn}: ${name}[${i}] is ${array[i]}`);
  }
}

/**
 * x − log(1 + x) for x ≥ −1, without cancellation: the series Σ_{k≥2} (−1)^k x^k / k for |x| < 0.25
 * (summed until a term is below 1e-17 of the sum), the direct form otherwise. Non-negative; +∞ at x = −1.
 */
export function xMinusLog1p(x: number): number {
  if (x <= -1) return x === -1 ? Infinity : NaN;
  if (Math.abs(x) >= 0.25) return x - Math.log1p(x);
  // x − log1p(x) = x²/2 − x³/3 + x⁴/4 − …
  let power = x * x;
  let sum = 0;
  for (let k = 2; k < 80; k++) {
    const term = power / k;
    sum += k % 2 === 0 ? term : -term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    power *= x;
  }
  return sum;
}
