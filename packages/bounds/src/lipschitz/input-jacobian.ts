import { InvalidArgumentError } from '@intrinsic/spectra';
import { activationFunctions, type ActivationFunctions, type MlpSpec } from '@intrinsic/models';
import { assertFiniteArray } from '../internal/guards.js';
import { layerWeights, type LayerWeights } from '../internal/layer-weights.js';

/** Options of {@link inputJacobian}. */
export interface InputJacobianOptions {
  /**
   * `forward` (tangent propagation, O(d Σ M_l M_{l−1})), `reverse` (K back-propagations, O(K Σ M_l M_{l−1})),
   * or `auto` (default): forward when d ≤ K, reverse otherwise. Both are exact; they agree to rounding.
   */
  mode?: 'forward' | 'reverse' | 'auto';
}

/**
 * The input–output Jacobian ∂f/∂x (K × d, row-major) of an MLP at one input, exact in float64.
 *
 * Forward mode: T_0 = I_d; T_l = diag(σ′(z_l)) W_l T_{l−1} for hidden layers, ∂f/∂x = W_L T_{L−1}.
 * Reverse mode: for each output k, δ_L = e_k, δ_{l−1} = σ′(z_{l−1}) ⊙ W_lᵀ δ_l, row k = W_1ᵀ δ_1.
 * Biases do not enter. At a ReLU kink σ′(0) = 0, as in the engine. Cost O(min(d, K) Σ_l M_l M_{l−1}) with
 * `auto`; memory O(min(d, K) · max M_l).
 *
 * @param input - x, length d.
 * @returns J, row-major K × d: J[k·d + j] = ∂f_k/∂x_j.
 * @throws InvalidArgumentError on an invalid spec, mode or a non-finite input; ShapeMismatchError on lengths.
 * @example inputJacobian(mlpSpec({ widths: [2, 1], bias: false }), Float64Array.of(3, -1), Float64Array.of(0, 0)) // → [3, −1]
 */
export function inputJacobian(spec: MlpSpec, params: Float64Array, input: Float64Array, options: InputJacobianOptions = {}): Float64Array {
  const fn = 'inputJacobian';
  const layers = layerWeights(fn, spec, params);
  const d = spec.widths[0];
  const K = spec.widths[spec.widths.length - 1];
  assertFiniteArray(fn, 'input', input, d);
  const mode = options.mode ?? 'auto';
  if (mode !== 'forward' && mode !== 'reverse' && mode !== 'auto') {
    throw new InvalidArgumentError(`${fn}: unknown mode '${String(mode)}'; supported: forward, reverse, auto`);
  }
  const act = activationFunctions(spec.activation, spec.leakySlope);
  if (mode === 'reverse' || (mode === 'auto' && d > K)) return reverseJacobian(layers, input, act, d, K);
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

function reverseJacobian(layers: LayerWeights[], input: Float64Array, act: ActivationFunctions, d: number, K: number): Float64Array {
  // Forward pass keeping σ′(z_l) of the hidden layers.
  const slopes: Float64Array[] = [];
  let a = Float64Array.from(input);
  for (let l = 0; l < layers.length - 1; l++) {
    const { weight, rows, columns, bias } = layers[l];
    const next = new Float64Array(rows);
    const slope = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = bias ? bias[i] : 0;
      const row = i * columns;
      for (let j = 0; j < columns; j++) s += weight[row + j] * a[j];
      slope[i] = act.first(s);
      next[i] = act.value(s);
    }
    slopes.push(slope);
    a = next;
  }
  const J = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    let delta = new Float64Array(K);
    delta[k] = 1;
    for (let l = layers.length - 1; l >= 0; l--) {
      const { weight, rows, columns } = layers[l];
      const back = new Float64Array(columns);
      for (let i = 0; i < rows; i++) {
        const g = delta[i];
        if (g === 0) continue;
        const row = i * columns;
        for (let j = 0; j < columns; j++) back[j] += g * weight[row + j];
      }
      if (l > 0) {
        const slope = slopes[l - 1];
        for (let j = 0; j < columns; j++) back[j] *= slope[j];
      }
      delta = back;
    }
    J.set(delta, k * d);
  }
  return J;
}
