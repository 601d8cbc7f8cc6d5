import { InvalidArgumentError } from '@intrinsic/spectra';
import { ACTIVATIONS, normalCdf, type Activation } from '@intrinsic/models';

/**
 * sup_x |gelu′(x)| for the exact gelu(x) = x Φ(x): gelu′(x) = Φ(x) + x φ(x) has gelu″(x) = φ(x)(2 − x²), so its
 * extrema are at x = ±√2; the maximum is Φ(√2) + √2 φ(√2) ≈ 1.1289 (the minimum, at −√2, is ≈ −0.1289).
 */
export const GELU_LIPSCHITZ_CONSTANT = normalCdf(Math.SQRT2) + (Math.SQRT2 * Math.exp(-1)) / Math.sqrt(2 * Math.PI);

/**
 * Lipschitz constant sup_x |σ′(x)| of an activation of the float64 engine (SCIENCE.md §5; Khromov & Singh,
 * ICLR 2024): linear, relu, tanh, softplus: 1; leaky-relu: max(1, |slope|); sigmoid: 1/4 (at 0);
 * gelu: Φ(√2) + √2 φ(√2) ≈ 1.12890 ({@link GELU_LIPSCHITZ_CONSTANT}, exact up to the erf evaluation).
 *
 * @param leakySlope - negative slope of leaky-relu (default 0.01, as in the spec).
 * @throws InvalidArgumentError for an unknown activation or a non-finite slope.
 * @example activationLipschitzConstant('sigmoid') // → 0.25
 */
export function activationLipschitzConstant(activation: Activation, leakySlope = 0.01): number {
  if (!Number.isFinite(leakySlope)) throw new InvalidArgumentError(`activationLipschitzConstant: leakySlope must be finite, got ${leakySlope}`);
  switch (activation) {
    case 'linear':
    case 'relu':
    case 'tanh':
    case 'softplus':
      return 1;
    case 'leaky-relu':
      return Math.max(1, Math.abs(leakySlope));
    case 'sigmoid':
      return 0.25;
    case 'gelu':
      return GELU_LIPSCHITZ_CONSTANT;
    default:
      throw new InvalidArgumentError(`activationLipschitzConstant: unknown activation '${String(activation)}'; supported: ${ACTIVATIONS.join(', ')}`);
  }
}
