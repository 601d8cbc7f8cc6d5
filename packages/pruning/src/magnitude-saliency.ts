import { InvalidArgumentError } from '@intrinsic/spectra';

/**
 * Magnitude saliency ρ_q = w_q²: prune the smallest weights (the baseline of Han et al., NeurIPS 2015;
 * it is OBD with a Hessian proportional to the identity). O(p).
 * @param params - the flat parameter vector w.
 * @returns ρ, length p.
 * @throws InvalidArgumentError on a non-finite parameter.
 * @example magnitudeSaliency(new Float64Array([3, -0.5])) // → [9, 0.25]
 */
export function magnitudeSaliency(params: Float64Array): Float64Array {
  const out = new Float64Array(params.length);
  for (let q = 0; q < params.length; q++) {
    const w = params[q];
    if (!Number.isFinite(w)) throw new InvalidArgumentError(`magnitudeSaliency: parameter ${q} is ${w}`);
    out[q] = w * w;
  }
  return out;
}
