import type { MlpSpec } from '@intrinsic/models';
import { layerWeights } from '../internal/layer-weights.js';

/**
 * Frobenius norms of the weight matrices, ‖W_l‖_F = √(Σ_ij W_l[i, j]²), l = 1 … L (biases excluded, as in
 * Jiang et al., ICLR 2020, §C). Cost O(p).
 *
 * @returns Float64Array of length L.
 * @throws InvalidArgumentError on an invalid spec; ShapeMismatchError when params has the wrong length.
 * @example frobeniusNorms(mlpSpec({ widths: [2, 2], bias: false }), Float64Array.of(3, 0, 0, 4)) // → [5]
 */
export function frobeniusNorms(spec: MlpSpec, params: Float64Array): Float64Array {
  const layers = layerWeights('frobeniusNorms', spec, params);
  return Float64Array.from(layers, ({ weight }) => {
    let s = 0;
    for (let i = 0; i < weight.length; i++) s += weight[i] * weight[i];
    return Math.sqrt(s);
  });
}
