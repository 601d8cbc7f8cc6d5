import { InvalidArgumentError, Random } from '@intrinsic/spectra';

/**
 * Random saliency: independent uniform draws in [0, 1) from the seeded {@link Random} generator, so that
 * pruning by it removes a uniformly random subset (the control every pruning method must beat).
 * O(p); the same seed gives the same saliencies on every platform.
 * @param size - p.
 * @param seed - integer seed.
 * @throws InvalidArgumentError when `size` is not a non-negative integer or `seed` not an integer.
 */
export function randomSaliency(size: number, seed: number): Float64Array {
  if (!Number.isInteger(size) || size < 0) throw new InvalidArgumentError(`randomSaliency: size must be a non-negative integer, got ${size}`);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError(`randomSaliency: seed must be an integer, got ${seed}`);
  const rng = new Random(seed);
  const out = new Float64Array(size);
  for (let q = 0; q < size; q++) out[q] = rng.uniform();
  return out;
}
