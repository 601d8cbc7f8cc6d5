import type { MlpSpec } from '@intrinsic/models';
import { layerWeights } from '../internal/layer-weights.js';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { matrixSpectralNorm } from './matrix-spectral-norm.js';
import { powerIterationSpectralNorm, type PowerIterationResult } from './power-iteration-spectral-norm.js';

/** Options of {@link spectralNorms}. */
export interface SpectralNormsOptions {
  /**
   * `power-iteration` (default; O(p) per iteration) or `dense`: the dense symmetric eigensolver on the smaller
   * Gram matrix of each layer (O(M³) per layer, exact to eigensolver precision; diagnostics report 0 iterations).
   */
  method?: 'power-iteration' | 'dense';
  /** Per-layer iteration cap (default 2000). */
  maxIterations?: number;
  /** Relative residual tolerance (default 1e-10). */
  tolerance?: number;
  /** Seed of the start vectors; layer l uses seed + l (default 0). */
  seed?: number;
}

/** Per-layer spectral norms with the power-iteration diagnostics of each layer. */
export interface SpectralNormsResult {
  /** ‖W_l‖₂, l = 1 … L. */
  values: Float64Array;
  /** True when every layer converged. */
  converged: boolean;
  /** One power-iteration result per layer. */
  layers: PowerIterationResult[];
}

/**
 * Spectral norms ‖W_l‖₂ = σ_max(W_l) of the weight matrices by seeded power iteration on W_lᵀW_l
 * ({@link powerIterationSpectralNorm}) or, with `method: 'dense'`, by the dense eigensolver
 * ({@link matrixSpectralNorm}); Jiang et al. (ICLR 2020) "spectral" measures; Khromov & Singh
 * (ICLR 2024) per-layer Lipschitz constants. Cost: 2 p_W flops per iteration per layer.
 *
 * @throws InvalidArgumentError on an invalid spec or options; ShapeMismatchError on the params length.
 */
export function spectralNorms(spec: MlpSpec, params: Float64Array, options: SpectralNormsOptions = {}): SpectralNormsResult {
  const layers = layerWeights('spectralNorms', spec, params);
  const method = options.method ?? 'power-iteration';
  if (method !== 'power-iteration' && method !== 'dense') {
    throw new InvalidArgumentError(`spectralNorms: unknown method '${String(method)}'; supported: power-iteration, dense`);
  }
  const results = layers.map(({ weight, rows, columns, layer }): PowerIterationResult =>
    method === 'dense'
      ? { value: matrixSpectralNorm(weight, rows, columns), vector: new Float64Array(0), iterations: 0, converged: true, residualNorms: new Float64Array(0) }
      : powerIterationSpectralNorm(weight, {
      rows,
      columns,
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
          seed: (options.seed ?? 0) + layer,
        }),
  );
  return {
    values: Float64Array.from(results, (r) => r.value),
    converged: results.every((r) => r.converged),
    layers: results,
  };
}
