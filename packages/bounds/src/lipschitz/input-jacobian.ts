import { activationFunctions, type MlpSpec } from '@intrinsic/models';
import { assertFiniteArray } from '../internal/guards.js';
import { layerWeights } from '../internal/layer-weights.js';

/**
 * The input–output Jacobian ∂f/∂x (K × d, row-major) of an MLP at one input, exact in float64 by forward-mode
 * differentiation: J_0 = I_d; Z-Jacobian J_l = W_l A′_{l−1}, A′_l = diag(σ′(z_l)) J_l for hidden layers, and
 * ∂f/∂x = J_L (biases do not enter). At a ReLU kink σ′(0) = 0, as in the engine. Cost O(d Σ_l M_l M_{l−1}),
 * memory O(d max M_l).
 *
 * @param input - x, length d.
 * @returns J, row-major K × d: J[k·d + j] = ∂f_k/∂x_j.
 * @throws InvalidArgumentError on an invalid spec or a non-finite input; ShapeMismatchError on lengths.
 * @example inputJacobian(mlpSpec({ widths: [2, 1], bias: false }), Float64Array.of(3, -1), Float64Array.of(0, 0)) // → [3, −1]
 */
export function inputJacobian(spec: MlpSpec, params: Float64Array, input: Float64Array): Float64Array {
  const fn = 'inputJacobian';
  const layers = layerWeights(fn, spec, params);
  const d = spec.widths[0];
  assertFiniteArray(fn, 'input', input, d);
  const act = activationFunctions(spec.activation, spec.leakySlope);
  // Forward values a (length M_{l−1}) and Jacobian T = ∂a/∂x (M_{l−1} × d).
  let a = Float64Array.from(input);
  let T = new Float64Array(d * d);
  for (let j = 0; j < d; j++) T[j * d + j] = 1;
  for (let l = 0; l < layers.length; l++) {
    const { weight, rows, columns, bias } = layers[l];
    const z = new Float64Array(rows);
    const Tz = new Float64Array(rows * d);
    for (let i = 0; i < rows; i++) {
      let s = bias ? bias[i] : 0;
      const row = i * columns;
      for (let j = 0; j < columns; j++) {
        const w = weight[row + j];
        if (w === 0) continue;
        s += w * a[j];
        const tRow = j * d;
        const out = i * d;
        for (let c = 0; c < d; c++) Tz[out + c] += w * T[tRow + c];
      }
      z[i] = s;
    }
    if (l === layers.length - 1) return Tz;
    for (let i = 0; i < rows; i++) {
      const slope = act.first(z[i]);
      z[i] = act.value(z[i]);
      for (let c = 0; c < d; c++) Tz[i * d + c] *= slope;
    }
    a = z;
    T = Tz;
  }
  return T; // unreachable: an MLP has at least one layer
}
