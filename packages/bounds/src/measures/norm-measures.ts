import { parameterCount, type MlpSpec } from '@intrinsic/models';
import { assertPositive } from '../internal/guards.js';
import { distanceToInitialization } from './distance-to-initialization.js';
import { frobeniusNorms } from './frobenius-norms.js';
import { pathNorm } from './path-norm.js';
import { spectralNorms, type SpectralNormsOptions } from './spectral-norms.js';

/** Options of {@link normMeasures}. */
export interface NormMeasuresOptions extends SpectralNormsOptions {
  /** θ₀, for the distance to initialisation (omitted → `distanceToInitialization` is NaN). */
  initialParams?: Float64Array;
  /** γ > 0, e.g. the 10th percentile of the output margins ({@link marginQuantile}); enables the `…OverMargin` measures (NaN otherwise). */
  margin?: number;
}

/** The norm-based measures of Jiang et al. (ICLR 2020, §C) for one network. */
export interface NormMeasures {
  /** p, all weights and biases. */
  parameterCount: number;
  /** L, the number of weight matrices. */
  depth: number;
  /** ‖W_l‖_F. */
  frobeniusNorms: Float64Array;
  /** Π_l ‖W_l‖_F. */
  frobeniusProduct: number;
  /** Σ_l ‖W_l‖_F. */
  frobeniusSum: number;
  /** ‖W_l‖₂ by power iteration. */
  spectralNorms: Float64Array;
  /** True when every power iteration converged. */
  spectralConverged: boolean;
  /** Π_l ‖W_l‖₂. */
  spectralProduct: number;
  /** Σ_l ‖W_l‖₂. */
  spectralSum: number;
  /** ‖θ − θ₀‖₂ (NaN without `initialParams`). */
  distanceToInitialization: number;
  /** ℓ2 path-norm √(Σ_k f_{w²}(1)_k). */
  pathNorm: number;
  /** Π_l ‖W_l‖₂² / γ². */
  spectralProductOverMargin: number;
  /** Π_l ‖W_l‖_F² / γ². */
  frobeniusProductOverMargin: number;
  /** Π_l ‖W_l‖₂² · Σ_l ‖W_l‖_F²/‖W_l‖₂² / γ² (Jiang et al. `spec.orig`, Bartlett et al. 2017 / Neyshabur et al. 2018 without log factors). */
  spectralOriginalOverMargin: number;
  /** pathNorm² / γ². */
  pathNormOverMargin: number;
}

/**
 * All norm-based generalization measures of an MLP in one call: per-layer Frobenius and spectral norms,
 * their products and sums, the distance to initialisation, the path-norm, the parameter count, and, given a
 * margin γ, the margin-normalised products (Jiang et al., "Fantastic Generalization Measures and Where to
 * Find Them", ICLR 2020, Appendix C; biases are excluded from the matrix norms and included in the path-norm
 * and distance). Cost O(p) plus the power iterations.
 *
 * @throws InvalidArgumentError on an invalid spec, margin ≤ 0, or bad power-iteration options;
 * ShapeMismatchError on wrong lengths.
 */
export function normMeasures(spec: MlpSpec, params: Float64Array, options: NormMeasuresOptions = {}): NormMeasures {
  if (options.margin !== undefined) assertPositive('normMeasures', 'margin', options.margin);
  const frob = frobeniusNorms(spec, params);
  const spectral = spectralNorms(spec, params, options);
  const product = (a: Float64Array) => a.reduce((x, y) => x * y, 1);
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const path = pathNorm(spec, params);
  const gamma2 = options.margin === undefined ? NaN : options.margin * options.margin;
  const specProduct = product(spectral.values);
  const frobProduct = product(frob);
  let ratio = 0;
  for (let l = 0; l < frob.length; l++) ratio += spectral.values[l] > 0 ? (frob[l] / spectral.values[l]) ** 2 : 0;
  return {
    parameterCount: parameterCount(spec),
    depth: frob.length,
    frobeniusNorms: frob,
    frobeniusProduct: frobProduct,
    frobeniusSum: sum(frob),
    spectralNorms: spectral.values,
    spectralConverged: spectral.converged,
    spectralProduct: specProduct,
    spectralSum: sum(spectral.values),
    distanceToInitialization: options.initialParams ? distanceToInitialization(params, options.initialParams) : NaN,
    pathNorm: path.pathNorm,
    spectralProductOverMargin: (specProduct * specProduct) / gamma2,
    frobeniusProductOverMargin: (frobProduct * frobProduct) / gamma2,
    spectralOriginalOverMargin: (specProduct * specProduct * ratio) / gamma2,
    pathNormOverMargin: path.pathNormSquared / gamma2,
  };
}
