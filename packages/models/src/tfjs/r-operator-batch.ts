import * as tf from '@tensorflow/tfjs-core';
import type { Loss } from '../losses.js';
import type { MlpSpec } from '../spec.js';
import { matMulFast } from './mat-mul.js';
import { activationTensor } from './mlp-tensors.js';

/** σ′(Z) and σ″(Z) as tensors (σ″ undefined when it vanishes: linear, relu, leaky-relu). */
function activationDerivatives(spec: MlpSpec, z: tf.Tensor): { first: tf.Tensor; second?: tf.Tensor } {
  switch (spec.activation) {
    case 'linear':
      return { first: tf.onesLike(z) };
    case 'relu':
      return { first: tf.step(z, 0) };
    case 'leaky-relu':
      return { first: tf.step(z, spec.leakySlope ?? 0.01) };
    case 'tanh': {
      const t = tf.tanh(z);
      const first = tf.sub(1, tf.square(t));
      return { first, second: tf.mul(tf.mul(t, first), -2) };
    }
    case 'sigmoid': {
      const s = tf.sigmoid(z);
      const first = tf.mul(s, tf.sub(1, s));
      return { first, second: tf.mul(first, tf.sub(1, tf.mul(s, 2))) };
    }
    case 'softplus': {
      const s = tf.sigmoid(z);
      return { first: s, second: tf.mul(s, tf.sub(1, s)) };
    }
    case 'gelu': {
      // σ′ = Φ(z) + z φ(z), σ″ = φ(z)(2 − z²), φ the standard normal density.
      const phi = tf.mul(tf.exp(tf.mul(tf.square(z), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      const Phi = tf.mul(tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))), 0.5);
      return { first: tf.add(Phi, tf.mul(z, phi)), second: tf.mul(phi, tf.sub(2, tf.square(z))) };
    }
    default:
      throw new Error(`unknown activation ${String(spec.activation)}`);
  }
}

/**
 * The v-independent part of Pearlmutter's R-operator for one batch of an MLP, kept as tfjs tensors:
 * the activations A_l, σ′(Z_l), σ″(Z_l), the back-propagated loss gradients G_l = ∂(Σ_i ℓ_i)/∂Z_l and
 * the softmax probabilities. Products then cost one R-forward and one R-backward pass (two large
 * products with the inputs per vector instead of four for double back-propagation).
 */
export class ROperatorBatch {
  private readonly A: tf.Tensor2D[] = []; // A_0 = X, …, A_{L−1}
  private readonly d1: tf.Tensor[] = []; // σ′(Z_l), l = 1 … L−1
  private readonly d2: (tf.Tensor | undefined)[] = [];
  private readonly G: tf.Tensor2D[] = []; // G_1 … G_L (index l − 1)
  private readonly probabilities?: tf.Tensor2D;
  private readonly mass?: tf.Tensor2D;
  private readonly L: number;

  constructor(
    private readonly spec: MlpSpec,
    private readonly weights: tf.Tensor[],
    x: tf.Tensor2D,
    y: tf.Tensor2D,
    private readonly loss: Loss,
  ) {
    this.L = spec.widths.length - 1;
    const kept = tf.tidy(() => {
      const A: tf.Tensor2D[] = [x];
      const d1: tf.Tensor[] = [];
      const d2: (tf.Tensor | undefined)[] = [];
      let f: tf.Tensor2D = x;
      for (let l = 1; l <= this.L; l++) {
        let z = matMulFast(A[l - 1], this.weight(l), false, true) as tf.Tensor;
        const b = this.bias(l);
        if (b) z = tf.add(z, b);
        if (l < this.L) {
          const { first, second } = activationDerivatives(spec, z);
          d1.push(first);
          d2.push(second);
          A.push(activationTensor(spec, z) as tf.Tensor2D);
        } else f = z as tf.Tensor2D;
      }
      let probabilities: tf.Tensor2D | undefined;
      let mass: tf.Tensor2D | undefined;
      let g: tf.Tensor2D;
      if (loss === 'mse') g = tf.sub(f, y);
      else {
        const p = tf.softmax(f);
        const m = tf.sum(y, 1, true) as tf.Tensor2D;
        probabilities = p;
        mass = m;
        g = tf.sub(tf.mul(m, p), y);
      }
      const G: tf.Tensor2D[] = new Array(this.L);
      G[this.L - 1] = g;
      for (let l = this.L; l > 1; l--) G[l - 2] = tf.mul(matMulFast(G[l - 1], this.weight(l)), d1[l - 2]) as tf.Tensor2D;
      return { A: A.slice(1), d1, d2: d2.filter((t): t is tf.Tensor => t !== undefined), d2Present: d2.map((t) => t !== undefined), G, probabilities, mass };
    });
    this.A = [x, ...kept.A];
    this.d1 = kept.d1;
    let k = 0;
    this.d2 = kept.d2Present.map((present) => (present ? kept.d2[k++] : undefined));
    this.G = kept.G;
    this.probabilities = kept.probabilities;
    this.mass = kept.mass;
  }

  private weight(l: number): tf.Tensor {
    return this.weights[this.spec.bias ? 2 * (l - 1) : l - 1];
  }

  private bias(l: number): tf.Tensor | undefined {
    return this.spec.bias ? this.weights[2 * (l - 1) + 1] : undefined;
  }

  /**
   * Σ_i of the per-sample curvature products for direction `v` (per-layer tensors in the parameter
   * order): the full Hessian H v, or the Gauss-Newton part G v (`outer`), not yet divided by N.
   *
   * R-forward: R(Z_l) = R(A_{l−1}) W_lᵀ + A_{l−1} V_lᵀ + Vb_l, R(A_l) = σ′(Z_l) ⊙ R(Z_l), R(A_0) = 0.
   * R-backward: R(G_L) = Λ R(f) (MSE: Λ = I; CE: (Σy)(p ⊙ Rf − p (pᵀ Rf))),
   * R(∂W_l) = R(G_l)ᵀ A_{l−1} + G_lᵀ R(A_{l−1}), R(∂b_l) = Σ_rows R(G_l),
   * R(G_{l−1}) = (R(G_l) W_l + G_l V_l) ⊙ σ′(Z_{l−1}) + (G_l W_l) ⊙ σ″(Z_{l−1}) ⊙ R(Z_{l−1}).
   * The outer part keeps only R(G_l)ᵀ A_{l−1} and R(G_l) W_l ⊙ σ′ (Pearlmutter 1994; Schraudolph 2002).
   */
  product(v: tf.Tensor[], part: 'full' | 'outer'): tf.Tensor[] {
    const L = this.L;
    const V = (l: number) => v[this.spec.bias ? 2 * (l - 1) : l - 1];
    const Vb = (l: number) => (this.spec.bias ? v[2 * (l - 1) + 1] : undefined);
    const RZ: tf.Tensor[] = new Array(L);
    const RA: (tf.Tensor | undefined)[] = [undefined]; // R(A_0) = 0
    for (let l = 1; l <= L; l++) {
      let rz = matMulFast(this.A[l - 1], V(l), false, true) as tf.Tensor;
      const prev = RA[l - 1];
      if (prev) rz = tf.add(rz, matMulFast(prev, this.weight(l), false, true));
      const vb = Vb(l);
      if (vb) rz = tf.add(rz, vb);
      RZ[l - 1] = rz;
      if (l < L) RA.push(tf.mul(this.d1[l - 1], rz));
    }
    const Rf = RZ[L - 1];
    let RG: tf.Tensor =
      this.loss === 'mse'
        ? Rf
        : tf.mul(this.mass!, tf.sub(tf.mul(this.probabilities!, Rf), tf.mul(this.probabilities!, tf.sum(tf.mul(this.probabilities!, Rf), 1, true))));
    const out: tf.Tensor[] = new Array(this.spec.bias ? 2 * L : L);
    for (let l = L; l >= 1; l--) {
      let dW = matMulFast(RG, this.A[l - 1], true, false) as tf.Tensor;
      const ra = RA[l - 1];
      if (part === 'full' && ra) dW = tf.add(dW, matMulFast(this.G[l - 1], ra, true, false));
      if (this.spec.bias) {
        out[2 * (l - 1)] = dW;
        out[2 * (l - 1) + 1] = tf.sum(RG, 0);
      } else out[l - 1] = dW;
      if (l === 1) break;
      let back = matMulFast(RG, this.weight(l)) as tf.Tensor;
      if (part === 'full') back = tf.add(back, matMulFast(this.G[l - 1], V(l)));
      let next = tf.mul(back, this.d1[l - 2]);
      const second = this.d2[l - 2];
      if (part === 'full' && second) next = tf.add(next, tf.mul(tf.mul(matMulFast(this.G[l - 1], this.weight(l)), second), RZ[l - 2]));
      RG = next;
    }
    return out;
  }

  dispose(): void {
    tf.dispose([...this.A.slice(1), ...this.d1, ...this.d2.filter((t): t is tf.Tensor => t !== undefined), ...this.G]);
    if (this.probabilities) tf.dispose([this.probabilities, this.mass!]);
  }
}
