import type { MlpSpec } from '@intrinsic/models';
import { spectralNorms, type SpectralNormsOptions } from '../measures/spectral-norms.js';
import { activationLipschitzConstant } from './activation-lipschitz-constant.js';

/** Result of {@link lipschitzUpperBound}. */
export interface LipschitzUpperBoundResult {
  /** Π_l ‖W_l‖₂ · c_σ^{L−1}. */
  bound: number;
  /** ‖W_l‖₂, l = 1 … L. */
  spectralNorms: Float64Array;
  /** c_σ = sup |σ′|, applied once per hidden layer. */
  activationConstant: number;
  /** True when every power iteration converged. */
  converged: boolean;
}

/**
 * Upper bound on the (ℓ2) Lipschitz constant of an MLP: Lip(f) ≤ Π_{l=1}^{L} ‖W_l‖₂ · Π_{hidden} Lip(σ) =
 * Π_l ‖W_l‖₂ · c_σ^{L−1} (composition of Lipschitz maps; Khromov & Singh, ICLR 2024; SCIENCE.md §5), with
 * c_σ from {@link activationLipschitzConstant} and ‖W_l‖₂ by seeded power iteration. Biases do not enter.
 * The power-iteration value is a Rayleigh quotient (≤ the true norm), accurate to the requested relative
 * residual (default 1e-10); pass `method: 'dense'` for eigensolver-exact norms on layers of moderate width.
 * Cost: the power iterations (or O(M³) per layer when dense).
 *
 * @throws InvalidArgumentError on an invalid spec or options; ShapeMismatchError on the params length.
 */
export function lipschitzUpperBound(spec: MlpSpec, params: Float64Array, options: SpectralNormsOptions = {}): LipschitzUpperBoundResult {
  const norms = spectralNorms(spec, params, options);
  const activationConstant = activationLipschitzConstant(spec.activation, spec.leakySlope);
  let bound = activationConstant ** (norms.values.length - 1);
  for (const s of norms.values) bound *= s;
  return { bound, spectralNorms: norms.values, activationConstant, converged: norms.converged };
}
