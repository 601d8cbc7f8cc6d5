import type { MlpSpec } from '@intrinsic/models';
import { layerWeights } from '../internal/layer-weights.js';

/** Options of {@link pathNorm}. */
export interface PathNormOptions {
  /** Count the paths that start at a bias unit (default true, as f_{w²} with its biases). */
  includeBias?: boolean;
}

/** The ℓ2 path-norm and its square. */
export interface PathNormResult {
  /** Σ_paths Π_{edges} w_e² = Σ_k f_{w²}(1)_k (Jiang et al.'s `path.norm` measure). */
  pathNormSquared: number;
  /** √(pathNormSquared), the ℓ2 path-norm of Neyshabur et al. (2015). */
  pathNorm: number;
}

/**
 * ℓ2 path-norm of an MLP: √(Σ over input→output paths of the product of the squared weights on the path).
 *
 * Computed, as in Jiang et al. (ICLR 2020, §C, eq. for path.norm) after Neyshabur, Salakhutdinov & Srebro
 * (2015), by one forward pass of the network with every parameter squared on the all-ones input, without
 * activations (all quantities are non-negative, so ReLU would be the identity): a_0 = 1, a_l = (W_l∘W_l)
 * a_{l−1} + b_l∘b_l, result Σ_k a_L[k]. A bias b_l[i] is a path that starts at layer l. The measure is a
 * capacity control for positively homogeneous activations (ReLU, leaky-ReLU, linear); for other activations it
 * is still the same function of the weights. Cost O(p).
 *
 * @throws InvalidArgumentError on an invalid spec; ShapeMismatchError on the params length.
 * @example pathNorm(mlpSpec({ widths: [1, 1, 1], bias: false }), Float64Array.of(2, 3)).pathNorm // → 6
 */
export function pathNorm(spec: MlpSpec, params: Float64Array, options: PathNormOptions = {}): PathNormResult {
  const includeBias = options.includeBias ?? true;
  const layers = layerWeights('pathNorm', spec, params);
  let a = new Float64Array(spec.widths[0]).fill(1);
  for (const { weight, rows, columns, bias } of layers) {
    const next = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = includeBias && bias ? bias[i] * bias[i] : 0;
      const row = i * columns;
      for (let j = 0; j < columns; j++) s += weight[row + j] * weight[row + j] * a[j];
      next[i] = s;
    }
    a = next;
  }
  let total = 0;
  for (let k = 0; k < a.length; k++) total += a[k];
  return { pathNormSquared: total, pathNorm: Math.sqrt(total) };
}
