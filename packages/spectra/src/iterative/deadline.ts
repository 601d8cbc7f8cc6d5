import { InvalidArgumentError } from '../errors.js';

/**
 * @internal A wall-clock limit for an iterative method (`timeLimitMs` option, issue #10 resource
 * guards): `passed()` turns true once `timeLimitMs` milliseconds have elapsed since creation. Without a
 * limit it is never true. The methods check it between products with A and end with a partial result
 * flagged `timedOut: true`.
 */
export interface Deadline {
  passed(): boolean;
}

/** @internal Validates `timeLimitMs` (a positive number, or undefined for none) and starts the clock. */
export function startDeadline(timeLimitMs: number | undefined, fn: string): Deadline {
  if (timeLimitMs === undefined) return { passed: () => false };
  if (typeof timeLimitMs !== 'number' || !(timeLimitMs > 0)) {
    throw new InvalidArgumentError(`${fn}: timeLimitMs must be a positive number of milliseconds, got ${String(timeLimitMs)}`);
  }
  const end = performance.now() + timeLimitMs;
  return { passed: () => performance.now() >= end };
}
