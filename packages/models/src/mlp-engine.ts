import { assertMemoryBudget, InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { activationFunctions, type ActivationFunctions } from './activations.js';
import { addColumnSums, addMultiply, addTransposedMultiply, multiplyTransposed } from './dense-kernels.js';
import { assertDatasetFits, type Dataset } from './data.js';
import { parameterLayout, type ParameterLayout } from './layout.js';
import { lossTerms, type Loss } from './losses.js';
import type { MlpSpec } from './spec.js';

/**
 * Which curvature matrix a product uses (SCIENCE.md §1): the Hessian H, its outer-product
 * (Gauss–Newton) part H_O, its functional part H_F, or the empirical Fisher
 * F = (1/N) Σ_i ∇ℓ_i ∇ℓ_iᵀ = (1/N) Σ_i J_iᵀ g_i g_iᵀ J_i.
 */
export type HessianPart = 'full' | 'outer' | 'functional' | 'fisher';

interface LayerShape {
  fanIn: number;
  fanOut: number;
  weightOffset: number;
  /** −1 without bias. */
  biasOffset: number;
}

/**
 * The float64 engine of an MLP at fixed parameters and data: one forward pass is cached, then loss,
 * gradient, per-sample output Jacobians and curvature–vector products are exact in float64.
 *
 * Notation (batched, row-major, N samples): A_0 = X (N × d); Z_l = A_{l−1} W_lᵀ + 1 b_lᵀ; A_l = σ(Z_l)
 * for l < L; f = Z_L. Loss L(θ) = (1/N) Σ_i ℓ(f_i, y_i).
 */
export class MlpEvaluation {
  readonly spec: MlpSpec;
  readonly loss: Loss;
  readonly layout: ParameterLayout;
  readonly params: Float64Array;
  readonly data: Dataset;
  readonly count: number;
  readonly outputSize: number;
  /** Mean loss over the data. */
  readonly value: number;
  private readonly act: ActivationFunctions;
  private readonly layers: LayerShape[];
  /** Z_l for l = 1 … L (index l − 1). */
  private readonly pre: Float64Array[];
  /** A_l for l = 0 … L−1 (A_0 = X). */
  private readonly post: Float64Array[];
  /** σ′(Z_l), σ″(Z_l) for hidden layers l = 1 … L−1 (index l − 1). */
  private readonly d1: Float64Array[];
  private readonly d2: Float64Array[];
  /** g_i = ∂ℓ_i/∂f_i (N × K), unscaled by 1/N. */
  private readonly lossGradient: Float64Array;
  /** Λ_i = ∂²ℓ_i/∂f_i² (N × K × K). */
  private readonly lossHessian: Float64Array;

  constructor(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss) {
    this.spec = spec;
    this.loss = loss;
    this.layout = parameterLayout(spec);
    if (params.length !== this.layout.size) {
      throw new ShapeMismatchError(`parameters have length ${params.length}, the spec has p = ${this.layout.size}`);
    }
    const widths = spec.widths;
    assertDatasetFits(data, widths[0], widths[widths.length - 1]);
    if (loss === 'cross-entropy' && widths[widths.length - 1] < 2) {
      throw new InvalidArgumentError('cross-entropy needs at least 2 outputs');
    }
    this.params = params;
    this.data = data;
    this.count = data.count;
    this.outputSize = widths[widths.length - 1];
    this.act = activationFunctions(spec.activation, spec.leakySlope);
    this.layers = [];
    for (const view of this.layout.views) {
      if (view.kind === 'weight') {
        this.layers.push({ fanIn: view.shape[1], fanOut: view.shape[0], weightOffset: view.offset, biasOffset: -1 });
      } else {
        this.layers[this.layers.length - 1].biasOffset = view.offset;
      }
    }
    const N = this.count;
    assertMemoryBudget(4 * N * widths.slice(1).reduce((sum, w) => sum + w, 0), `MlpEvaluation: forward pass of ${N} samples through widths ${widths.join('-')}`, undefined, 'use fewer samples');
    this.pre = [];
    this.post = [data.inputs];
    this.d1 = [];
    this.d2 = [];
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const z = this.affine(l, this.post[l]);
      this.pre.push(z);
      if (l < L - 1) {
        const a = new Float64Array(z.length);
        const s1 = new Float64Array(z.length);
        const s2 = new Float64Array(z.length);
        for (let i = 0; i < z.length; i++) {
          a[i] = this.act.value(z[i]);
          s1[i] = this.act.first(z[i]);
          s2[i] = this.act.second(z[i]);
        }
        this.post.push(a);
        this.d1.push(s1);
        this.d2.push(s2);
      }
    }
    const K = this.outputSize;
    const f = this.pre[L - 1];
    assertMemoryBudget(N * K * (K + 1), `MlpEvaluation: loss gradient and Hessian of ${N} samples × ${K} outputs`);
    this.lossGradient = new Float64Array(N * K);
    this.lossHessian = new Float64Array(N * K * K);
    const work = new Float64Array(K);
    let total = 0;
    for (let i = 0; i < N; i++) {
      total += lossTerms(
        loss,
        f,
        data.targets,
        i * K,
        K,
        this.lossGradient.subarray(i * K, (i + 1) * K),
        this.lossHessian.subarray(i * K * K, (i + 1) * K * K),
        work,
      );
    }
    this.value = total / N;
    if (!Number.isFinite(this.value)) {
      throw new InvalidArgumentError(`the loss is ${this.value} at these parameters (non-finite inputs, targets or parameters?)`);
    }
  }

  /** Network outputs f (N × K, row-major). */
  get outputs(): Float64Array {
    return this.pre[this.pre.length - 1];
  }

  /** Per-sample loss gradients g_i = ∂ℓ_i/∂f (N × K), not divided by N. */
  get outputGradients(): Float64Array {
    return this.lossGradient;
  }

  /** Per-sample loss Hessians Λ_i (N × K × K). */
  get outputHessians(): Float64Array {
    return this.lossHessian;
  }

  /** Z = A Wᵀ + b for layer index l (0-based), A given (N × fanIn). */
  private affine(l: number, A: Float64Array, weights: Float64Array = this.params, withBias = true): Float64Array {
    const { fanIn, fanOut, weightOffset, biasOffset } = this.layers[l];
    const Z = new Float64Array(this.count * fanOut);
    return multiplyTransposed(A, this.count, fanIn, weights, weightOffset, fanOut, withBias ? biasOffset : -1, Z);
  }

  /** E = D W (N × fanIn) for layer index l, D given (N × fanOut). */
  private backThroughWeights(l: number, D: Float64Array, weights: Float64Array, out?: Float64Array): Float64Array {
    const { fanIn, fanOut, weightOffset } = this.layers[l];
    const E = out ?? new Float64Array(this.count * fanIn);
    return addMultiply(D, this.count, fanOut, weights, weightOffset, fanIn, E);
  }

  /** Accumulates gW_l += Dᵀ A and gb_l += Σ_rows D into `out` (flat layout), scaled by `scale`. */
  private accumulateParameterGradient(l: number, D: Float64Array, A: Float64Array, out: Float64Array, scale: number): void {
    const { fanIn, fanOut, weightOffset, biasOffset } = this.layers[l];
    addTransposedMultiply(D, this.count, fanOut, A, fanIn, out, weightOffset, scale);
    if (biasOffset >= 0) addColumnSums(D, this.count, fanOut, out, biasOffset, scale);
  }

  /**
   * Gradient of the mean loss, ∇L = (1/N) Σ_i J_iᵀ g_i, by back-propagation. O(N p).
   */
  gradient(out?: Float64Array): Float64Array {
    const grad = out ?? new Float64Array(this.layout.size);
    grad.fill(0);
    let delta = this.lossGradient;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      this.accumulateParameterGradient(l, delta, this.post[l], grad, 1 / this.count);
      if (l > 0) {
        const e = this.backThroughWeights(l, delta, this.params);
        const s1 = this.d1[l - 1];
        for (let i = 0; i < e.length; i++) e[i] *= s1[i];
        delta = e;
      }
    }
    return grad;
  }

  /**
   * Per-sample output Jacobians J_i = ∂f(x_i)/∂θ stacked as an (N·K) × p row-major matrix: row i·K + k is
   * ∂f_k(x_i)/∂θ. One back-propagation per output unit over the whole batch; O(N K p) time and memory.
   */
  outputJacobian(): Float64Array {
    const N = this.count;
    const K = this.outputSize;
    const p = this.layout.size;
    assertMemoryBudget(N * K * p, `outputJacobian: the N·K × p = ${N * K} × ${p} Jacobian`, undefined, 'use fewer samples or Jacobian-vector products');
    const J = new Float64Array(N * K * p);
    for (let k = 0; k < K; k++) {
      // delta_l for all samples, seeded with e_k at the output.
      let delta: Float64Array = new Float64Array(N * K);
      for (let i = 0; i < N; i++) delta[i * K + k] = 1;
      for (let l = this.layers.length - 1; l >= 0; l--) {
        const { fanIn, fanOut, weightOffset, biasOffset } = this.layers[l];
        const A = this.post[l];
        for (let i = 0; i < N; i++) {
          const row = (i * K + k) * p;
          for (let o = 0; o < fanOut; o++) {
            const d = delta[i * fanOut + o];
            if (d === 0) continue;
            const wRow = row + weightOffset + o * fanIn;
            const aRow = i * fanIn;
            for (let j = 0; j < fanIn; j++) J[wRow + j] = d * A[aRow + j];
            if (biasOffset >= 0) J[row + biasOffset + o] = d;
          }
        }
        if (l > 0) {
          const e = this.backThroughWeights(l, delta, this.params);
          const s1 = this.d1[l - 1];
          for (let i = 0; i < e.length; i++) e[i] *= s1[i];
          delta = e;
        }
      }
    }
    return J;
  }

  /**
   * Per-sample gradients of the per-sample losses, ∇ℓ_i = J_iᵀ g_i, as an N × p row-major matrix (not
   * divided by N: the mean-loss gradient is their average). Used by the empirical Fisher
   * F = (1/N) Σ ∇ℓ_i ∇ℓ_iᵀ and by WoodFisher. O(N p) time, N p memory.
   */
  perSampleGradients(): Float64Array {
    const N = this.count;
    const p = this.layout.size;
    assertMemoryBudget(N * p, `perSampleGradients: the N × p = ${N} × ${p} gradient matrix`, undefined, 'use fewer samples');
    const G = new Float64Array(N * p);
    let delta = this.lossGradient;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { fanIn, fanOut, weightOffset, biasOffset } = this.layers[l];
      const A = this.post[l];
      for (let i = 0; i < N; i++) {
        const row = i * p;
        for (let o = 0; o < fanOut; o++) {
          const d = delta[i * fanOut + o];
          const wRow = row + weightOffset + o * fanIn;
          const aRow = i * fanIn;
          for (let j = 0; j < fanIn; j++) G[wRow + j] = d * A[aRow + j];
          if (biasOffset >= 0) G[row + biasOffset + o] = d;
        }
      }
      if (l > 0) {
        const e = this.backThroughWeights(l, delta, this.params);
        const s1 = this.d1[l - 1];
        for (let i = 0; i < e.length; i++) e[i] *= s1[i];
        delta = e;
      }
    }
    return G;
  }

  /**
   * Curvature–vector product u = H v, H_O v or H_F v (exact, float64), by Pearlmutter's R-operator:
   * a forward pass of directional derivatives R{·} = d/dε (·)(θ + εv) followed by a back-propagation of
   * R{δ}.
   *
   * Forward: R{Z_l} = R{A_{l−1}} W_lᵀ + A_{l−1} V_lᵀ + c_l, R{A_l} = σ′(Z_l) ⊙ R{Z_l}.
   * Backward, δ_L = g/N, R{δ_L} = Λ R{f}/N:
   *   u_{W_l} = R{δ_l}ᵀ A_{l−1} + δ_lᵀ R{A_{l−1}},  u_{b_l} = Σ_i R{δ_l},
   *   e = δ_l W_l, R{e} = R{δ_l} W_l + δ_l V_l,
   *   R{δ_{l−1}} = R{e} ⊙ σ′(Z_{l−1}) + e ⊙ σ″(Z_{l−1}) ⊙ R{Z_{l−1}}.
   * The outer part H_O v = (1/N) Σ Jᵀ Λ J v keeps only the Λ R{f} seed and the first-order terms; the
   * functional part H_F v = (1/N) Σ_i Σ_k g_ik ∇²f_k v keeps everything except the Λ R{f} seed
   * (Singh et al. 2021, §2; SCIENCE.md §1). Cost: about three forward passes, O(N p).
   */
  curvatureProduct(v: Float64Array, part: HessianPart = 'full', out?: Float64Array): Float64Array {
    const p = this.layout.size;
    if (v.length !== p) throw new ShapeMismatchError(`curvatureProduct: vector has length ${v.length}, expected p = ${p}`);
    const N = this.count;
    const K = this.outputSize;
    const L = this.layers.length;
    const secondOrder = part === 'full' || part === 'functional';
    const u = out ?? new Float64Array(p);
    u.fill(0);
    // Forward R-pass.
    const rZ: Float64Array[] = [];
    const rA: (Float64Array | null)[] = [null]; // R{A_0} = 0
    for (let l = 0; l < L; l++) {
      const z = this.affine(l, this.post[l], v, true); // A_{l-1} V_lᵀ + c_l
      const prev = rA[l];
      if (prev) {
        const zz = this.affine(l, prev, this.params, false);
        for (let i = 0; i < z.length; i++) z[i] += zz[i];
      }
      rZ.push(z);
      if (l < L - 1) {
        const s1 = this.d1[l];
        const a = new Float64Array(z.length);
        for (let i = 0; i < z.length; i++) a[i] = s1[i] * z[i];
        rA.push(a);
      }
    }
    // Output seeds.
    let delta = this.lossGradient; // scaled by 1/N at accumulation
    let rDelta: Float64Array = new Float64Array(N * K);
    if (part === 'fisher') {
      // Seed g_i (g_iᵀ R{f_i}): the Gauss–Newton product with Λ_i replaced by g_i g_iᵀ.
      const rf = rZ[L - 1];
      const g = this.lossGradient;
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let b = 0; b < K; b++) s += g[i * K + b] * rf[i * K + b];
        for (let a = 0; a < K; a++) rDelta[i * K + a] = g[i * K + a] * s;
      }
    } else if (part !== 'functional') {
      const rf = rZ[L - 1];
      const H = this.lossHessian;
      for (let i = 0; i < N; i++) {
        for (let a = 0; a < K; a++) {
          let s = 0;
          for (let b = 0; b < K; b++) s += H[(i * K + a) * K + b] * rf[i * K + b];
          rDelta[i * K + a] = s;
        }
      }
    }
    const scale = 1 / N;
    for (let l = L - 1; l >= 0; l--) {
      this.accumulateParameterGradient(l, rDelta, this.post[l], u, scale);
      if (secondOrder && rA[l]) this.accumulateWeightOnly(l, delta, rA[l] as Float64Array, u, scale);
      if (l > 0) {
        const s1 = this.d1[l - 1];
        const rE = this.backThroughWeights(l, rDelta, this.params);
        if (secondOrder) {
          this.backThroughWeights(l, delta, v, rE);
          const { before, after } = this.backpropagated(l);
          const s2 = this.d2[l - 1];
          const rz = rZ[l - 1];
          for (let i = 0; i < rE.length; i++) rE[i] = rE[i] * s1[i] + before[i] * s2[i] * rz[i];
          delta = after;
        } else {
          for (let i = 0; i < rE.length; i++) rE[i] *= s1[i];
        }
        rDelta = rE;
      }
    }
    for (let i = 0; i < p; i++) {
      if (!Number.isFinite(u[i])) throw new InvalidArgumentError(`curvatureProduct: entry ${i} of the product is ${u[i]}`);
    }
    return u;
  }

  /** Cached back-propagated quantities below layer index l ≥ 1: e = δ_l W_l and δ_{l−1} = e ⊙ σ′(Z_{l−1}). */
  private backpropagatedCache: { before: Float64Array; after: Float64Array }[] | null = null;

  private backpropagated(l: number): { before: Float64Array; after: Float64Array } {
    if (!this.backpropagatedCache) {
      const cache: { before: Float64Array; after: Float64Array }[] = [];
      let delta = this.lossGradient;
      for (let m = this.layers.length - 1; m >= 1; m--) {
        const before = this.backThroughWeights(m, delta, this.params);
        const s1 = this.d1[m - 1];
        const after = new Float64Array(before.length);
        for (let i = 0; i < before.length; i++) after[i] = before[i] * s1[i];
        cache[m] = { before, after };
        delta = after;
      }
      this.backpropagatedCache = cache;
    }
    return this.backpropagatedCache[l];
  }

  /** gW_l += scale · Dᵀ A (weights only; the bias has no second-order term). */
  private accumulateWeightOnly(l: number, D: Float64Array, A: Float64Array, out: Float64Array, scale: number): void {
    const { fanIn, fanOut, weightOffset } = this.layers[l];
    addTransposedMultiply(D, this.count, fanOut, A, fanIn, out, weightOffset, scale);
  }

  /**
   * Cached activations A_l (N × M_l, row-major) for l = 0 … L−1, where A_0 = X is the input batch. The
   * engine's own array: read it, do not modify it.
   * @throws InvalidArgumentError when `layer` is not an integer in 0 … L−1.
   */
  layerActivations(layer: number): Float64Array {
    if (!Number.isInteger(layer) || layer < 0 || layer > this.layers.length - 1) {
      throw new InvalidArgumentError(`layerActivations: layer ${layer} outside 0…${this.layers.length - 1}`);
    }
    return this.post[layer];
  }

  /**
   * Cached pre-activations Z_l = A_{l−1} W_lᵀ + 1 b_lᵀ (N × M_l, row-major) for l = 1 … L (Z_L = f).
   * The engine's own array: read it, do not modify it.
   * @throws InvalidArgumentError when `layer` is not an integer in 1 … L.
   */
  preActivations(layer: number): Float64Array {
    if (!Number.isInteger(layer) || layer < 1 || layer > this.layers.length) {
      throw new InvalidArgumentError(`preActivations: layer ${layer} outside 1…${this.layers.length}`);
    }
    return this.pre[layer - 1];
  }

  /**
   * Cached σ′(Z_l) (N × M_l) for the hidden layers l = 1 … L−1. The engine's own array: do not modify it.
   * @throws InvalidArgumentError when `layer` is not an integer in 1 … L−1.
   */
  activationFirstDerivatives(layer: number): Float64Array {
    if (!Number.isInteger(layer) || layer < 1 || layer > this.layers.length - 1) {
      throw new InvalidArgumentError(`activationFirstDerivatives: layer ${layer} outside 1…${this.layers.length - 1}`);
    }
    return this.d1[layer - 1];
  }

  /**
   * Cached σ″(Z_l) (N × M_l) for the hidden layers l = 1 … L−1. The engine's own array: do not modify it.
   * @throws InvalidArgumentError when `layer` is not an integer in 1 … L−1.
   */
  activationSecondDerivatives(layer: number): Float64Array {
    if (!Number.isInteger(layer) || layer < 1 || layer > this.layers.length - 1) {
      throw new InvalidArgumentError(`activationSecondDerivatives: layer ${layer} outside 1…${this.layers.length - 1}`);
    }
    return this.d2[layer - 1];
  }
}

/** Mean loss of an MLP on data (one forward pass). */
export function mlpLoss(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss): number {
  return new MlpEvaluation(spec, params, data, loss).value;
}

/** Gradient of the mean loss of an MLP on data, by back-propagation. */
export function mlpGradient(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss): Float64Array {
  return new MlpEvaluation(spec, params, data, loss).gradient();
}

/** Outputs f(x_i) (N × K row-major). */
export function mlpForward(spec: MlpSpec, params: Float64Array, data: Dataset): Float64Array {
  return new MlpEvaluation(spec, params, data, 'mse').outputs;
}
