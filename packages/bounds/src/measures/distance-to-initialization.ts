import { ShapeMismatchError } from '@intrinsic/spectra';
import { assertFiniteArray } from '../internal/guards.js';

/**
 * Euclidean distance between the parameters and their initial values, ‖θ − θ₀‖₂ over the whole flat vector
 * (weights and biases): Jiang et al. (ICLR 2020) `dist.l2` (Nagarajan & Kolter 2019). Cost O(p).
 *
 * @throws ShapeMismatchError when the lengths differ; InvalidArgumentError on a non-finite entry.
 * @example distanceToInitialization(Float64Array.of(3, 4), Float64Array.of(0, 0)) // → 5
 */
export function distanceToInitialization(params: Float64Array, initialParams: Float64Array): number {
  const fn = 'distanceToInitialization';
  if (params.length !== initialParams.length) {
    throw new ShapeMismatchError(`${fn}: params has length ${params.length}, initialParams ${initialParams.length}`);
  }
  assertFiniteArray(fn, 'params', params, params.length);
  assertFiniteArray(fn, 'initialParams', initialParams, initialParams.length);
  let s = 0;
  for (let i = 0; i < params.length; i++) s += (params[i] - initialParams[i]) ** 2;
  return Math.sqrt(s);
}
