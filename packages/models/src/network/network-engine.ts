import { assertMemoryBudget, InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { assertDatasetFits, type Dataset } from '../data.js';
import { assertLoss, lossTerms, type Loss } from '../losses.js';
import type { HessianPart } from '../mlp-engine.js';
import { ActivationOperator, isAffine, layerOperator, type AffineLayerOperator, type LayerOperator } from './layer-operators.js';
import { networkParameterLayout, type NetworkParameterLayout } from './network-layout.js';
import { validateNetworkSpec, type NetworkSpec } from './network-spec.js';

/**
 * The float64 engine of a layered network (dense, convolution, locally connected, pooling, flatten,
 * activation) at fixed parameters and data, with the API of {@link MlpEvaluation}: one forward pass is
 * cached, then loss, gradient, per-sample output Jacobians and curvature–vector products are exact in
 * float64.
 *
 * Notation (batched, N samples): X_0 = inputs, X_{l+1} = φ_l(X_l) for the layers l = 0 … L−1, f = X_L
 * (N × K, K = the size of the last layer's output). Loss L(θ) = (1/N) Σ_i ℓ(f_i, y_i). A network of dense
 * and activation layers gives bit-for-bit the numbers of `MlpEvaluation` on the same parameter vector.
 * @example
 * ```ts
 * const spec = networkSpec({ input: [1, 8], layers: [{ type: 'conv1d', filters: 2, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }] });
 * const evaluation = new NetworkEvaluation(spec, initializeNetworkParameters(spec), data, 'mse');
 * const Hv = evaluation.curvatureProduct(v, 'full');
 * ```
 */
export class NetworkEvaluation {
  readonly spec: NetworkSpec;
  readonly loss: Loss;
  readonly layout: NetworkParameterLayout;
  readonly params: Float64Array;
  readonly data: Dataset;
  readonly count: number;
  readonly outputSize: number;
  /** Mean loss over the data. */
  readonly value: number;
  private readonly ops: LayerOperator[];
  /** X_l for l = 0 … L (X_0 = inputs, X_L = f). */
  private readonly activations: Float64Array[];
  /** First layer with parameters: back-propagation stops there. */
  private readonly firstParameterLayer: number;
  private readonly lossGradient: Float64Array;
  private readonly lossHessian: Float64Array;
  private deltaCache: Float64Array[] | null = null;

  /**
   * @throws InvalidArgumentError for an invalid spec, an unknown loss, data that does not fit the input size or output
   * size, cross-entropy with one output, or a non-finite loss; ShapeMismatchError for a parameter vector
   * of the wrong length.
   */
  constructor(spec: NetworkSpec, params: Float64Array, data: Dataset, loss: Loss) {
    validateNetworkSpec(spec);
    assertLoss(loss);
    this.spec = spec;
    this.loss = loss;
    this.layout = networkParameterLayout(spec);
    if (params.length !== this.layout.size) {
      throw new ShapeMismatchError(`NetworkEvaluation: parameters have length ${params.length}, the spec has p = ${this.layout.size}`);
    }
    const shapes = this.layout.shapes;
    const K = shapes[shapes.length - 1].outputSize;
    assertDatasetFits(data, shapes[0].inputSize, K);
    if (loss === 'cross-entropy' && K < 2) throw new InvalidArgumentError('NetworkEvaluation: cross-entropy needs at least 2 outputs');
    this.params = params;
    this.data = data;
    this.count = data.count;
    this.outputSize = K;
    this.ops = shapes.map((shape) => {
      const weight = this.layout.views.find((v) => v.layerIndex === shape.index && v.kind === 'weight');
      const bias = this.layout.views.find((v) => v.layerIndex === shape.index && v.kind === 'bias');
      return layerOperator(shape, { weight: weight ? weight.offset : -1, bias: bias ? bias.offset : -1 }, spec.leakySlope);
    });
    this.firstParameterLayer = this.ops.findIndex((op) => isAffine(op));
    const N = this.count;
    this.activations = [data.inputs];
    for (const op of this.ops) this.activations.push(op.forward(this.activations[this.activations.length - 1], N, params));
    const f = this.outputs;
    assertMemoryBudget(N * K * (K + 1), `NetworkEvaluation: loss gradient and Hessian of ${N} samples × ${K} outputs`);
    this.lossGradient = new Float64Array(N * K);
    this.lossHessian = new Float64Array(N * K * K);
    const work = new Float64Array(K);
    let total = 0;
    for (let i = 0; i < N; i++) {
      total += lossTerms(loss, f, data.targets, i * K, K, this.lossGradient.subarray(i * K, (i + 1) * K), this.lossHessian.subarray(i * K * K, (i + 1) * K * K), work);
    }
    this.value = total / N;
    if (!Number.isFinite(this.value)) {
      throw new InvalidArgumentError(`NetworkEvaluation: the loss is ${this.value} at these parameters (non-finite inputs, targets or parameters?)`);
    }
  }

  /** Network outputs f (N × K, row-major). */
  get outputs(): Float64Array {
    return this.activations[this.activations.length - 1];
  }

  /** Per-sample loss gradients g_i = ∂ℓ_i/∂f (N × K), not divided by N. */
  get outputGradients(): Float64Array {
    return this.lossGradient;
  }

  /** Per-sample loss Hessians Λ_i (N × K × K). */
  get outputHessians(): Float64Array {
    return this.lossHessian;
  }

  /**
   * Cached output of layer `index` (0-based index in `spec.layers`), N × size row-major; −1 gives the
   * input batch. The engine's own array: read it, do not modify it.
   * @throws InvalidArgumentError for an index outside −1 … L−1.
   */
  layerOutput(index: number): Float64Array {
    if (!Number.isInteger(index) || index < -1 || index >= this.ops.length) {
      throw new InvalidArgumentError(`layerOutput: layer ${index} outside -1…${this.ops.length - 1}`);
    }
    return this.activations[index + 1];
  }

  /** δ at the output of each layer l ≥ firstParameterLayer: δ_{L−1} = g, δ_{l−1} = (∂φ_l/∂x)ᵀ δ_l (unscaled). */
  private deltas(): Float64Array[] {
    if (!this.deltaCache) {
      const L = this.ops.length;
      const cache: Float64Array[] = new Array<Float64Array>(L);
      cache[L - 1] = this.lossGradient;
      for (let l = L - 1; l > this.firstParameterLayer; l--) cache[l - 1] = this.ops[l].vjpInput(cache[l], this.count, this.params);
      this.deltaCache = cache;
    }
    return this.deltaCache;
  }

  /** Back-propagates `seed` (N × K) and accumulates every affine layer's parameter gradient with the given placement. */
  private backpropagate(seed: Float64Array, out: Float64Array, scale: number, base: number, stride: number): void {
    let delta = seed;
    for (let l = this.ops.length - 1; l >= this.firstParameterLayer; l--) {
      const op = this.ops[l];
      if (isAffine(op)) op.accumulateParameters(delta, this.activations[l], this.count, out, { scale, base, stride, weightsOnly: false });
      if (l > this.firstParameterLayer) delta = op.vjpInput(delta, this.count, this.params);
    }
  }

  /** Gradient of the mean loss, ∇L = (1/N) Σ_i J_iᵀ g_i, by back-propagation. O(N p). */
  gradient(out?: Float64Array): Float64Array {
    const grad = out ?? new Float64Array(this.layout.size);
    if (grad.length !== this.layout.size) throw new ShapeMismatchError(`gradient: output has length ${grad.length}, expected p = ${this.layout.size}`);
    grad.fill(0);
    const deltas = this.deltas();
    for (let l = this.ops.length - 1; l >= this.firstParameterLayer; l--) {
      const op = this.ops[l];
      if (isAffine(op)) op.accumulateParameters(deltas[l], this.activations[l], this.count, grad, { scale: 1 / this.count, base: 0, stride: 0, weightsOnly: false });
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
      const seed = new Float64Array(N * K);
      for (let i = 0; i < N; i++) seed[i * K + k] = 1;
      this.backpropagate(seed, J, 1, k * p, K * p);
    }
    return J;
  }

  /**
   * Per-sample gradients ∇ℓ_i = J_iᵀ g_i as an N × p row-major matrix (not divided by N). O(N p).
   */
  perSampleGradients(): Float64Array {
    assertMemoryBudget(this.count * this.layout.size, `perSampleGradients: the N × p = ${this.count} × ${this.layout.size} gradient matrix`, undefined, 'use fewer samples');
    const G = new Float64Array(this.count * this.layout.size);
    this.backpropagate(this.lossGradient, G, 1, 0, this.layout.size);
    return G;
  }

  /**
   * Curvature–vector product u = H v, H_O v, H_F v or F v (empirical Fisher), exact in float64, by
   * Pearlmutter's R-operator R{·} = d/dε (·)(θ + εv) (Pearlmutter 1994; Singh et al. 2021 §2 for the split).
   *
   * Forward: R{X_0} = 0; an affine layer y = A(W)x + b gives R{y} = A(W) R{x} + A(V) x + c; an activation
   * R{y} = σ′(x) ⊙ R{x}; pooling and flatten apply their (argmax-routed) linear map to R{x}.
   * Backward from δ_L = g, R{δ_L} = Λ R{f} (H, H_O), g gᵀR{f} (F), or 0 (H_F), all scaled by 1/N at
   * accumulation: an affine layer adds u_W += R{δ}ᵀ-outer x + δ-outer R{x} and u_b += Σ R{δ}, and passes
   * R{δ_x} = A(W)ᵀ R{δ} + A(V)ᵀ δ; an activation passes R{δ_x} = σ′ ⊙ R{δ} + σ″ ⊙ R{x} ⊙ δ; max-pooling
   * routes through the argmax and has no second-order term. H_O v and F v keep only first-order terms;
   * H_F v keeps all terms except the Λ R{f} seed. Cost: about three forward passes, O(N · c) with c the
   * number of multiply–adds of one sample's forward pass (c = p for dense and locally connected layers;
   * a convolution reuses each weight at every output position, c = p_conv · positions).
   * @throws ShapeMismatchError for a vector of the wrong length; InvalidArgumentError on a non-finite result.
   */
  curvatureProduct(v: Float64Array, part: HessianPart = 'full', out?: Float64Array): Float64Array {
    const p = this.layout.size;
    if (v.length !== p) throw new ShapeMismatchError(`curvatureProduct: vector has length ${v.length}, expected p = ${p}`);
    const N = this.count;
    const K = this.outputSize;
    const L = this.ops.length;
    const secondOrder = part === 'full' || part === 'functional';
    const u = out ?? new Float64Array(p);
    u.fill(0);
    // Forward R-pass: rX[l] = R{X_l}; null while identically zero (below the first affine layer).
    const rX: (Float64Array | null)[] = [null];
    for (let l = 0; l < L; l++) {
      const op = this.ops[l];
      const prev = rX[l];
      let r: Float64Array | null = null;
      if (isAffine(op)) {
        r = op.jvpParameters(this.activations[l], N, v);
        if (prev) {
          const rr = op.jvpInput(prev, N, this.params);
          for (let i = 0; i < r.length; i++) r[i] += rr[i];
        }
      } else if (prev) {
        r = op.jvpInput(prev, N, this.params);
      }
      rX.push(r);
    }
    const rf = rX[L] as Float64Array;
    let rDelta: Float64Array = new Float64Array(N * K);
    const g = this.lossGradient;
    if (part === 'fisher') {
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let b = 0; b < K; b++) s += g[i * K + b] * rf[i * K + b];
        for (let a = 0; a < K; a++) rDelta[i * K + a] = g[i * K + a] * s;
      }
    } else if (part !== 'functional') {
      const H = this.lossHessian;
      for (let i = 0; i < N; i++) {
        for (let a = 0; a < K; a++) {
          let s = 0;
          for (let b = 0; b < K; b++) s += H[(i * K + a) * K + b] * rf[i * K + b];
          rDelta[i * K + a] = s;
        }
      }
    }
    const deltas = secondOrder ? this.deltas() : null;
    const scale = 1 / N;
    for (let l = L - 1; l >= this.firstParameterLayer; l--) {
      const op = this.ops[l];
      if (isAffine(op)) {
        op.accumulateParameters(rDelta, this.activations[l], N, u, { scale, base: 0, stride: 0, weightsOnly: false });
        const rx = rX[l];
        if (deltas && rx) op.accumulateParameters(deltas[l], rx, N, u, { scale, base: 0, stride: 0, weightsOnly: true });
      }
      if (l === this.firstParameterLayer) break;
      const next = op.vjpInput(rDelta, N, this.params);
      if (deltas) {
        if (isAffine(op)) (op as AffineLayerOperator).addVjpWithWeights(deltas[l], N, v, next);
        else if (op instanceof ActivationOperator && rX[l]) {
          const d = deltas[l];
          const s2 = op.second;
          const rx = rX[l] as Float64Array;
          for (let i = 0; i < next.length; i++) next[i] += d[i] * s2[i] * rx[i];
        }
      }
      rDelta = next;
    }
    for (let i = 0; i < p; i++) {
      if (!Number.isFinite(u[i])) throw new InvalidArgumentError(`curvatureProduct: entry ${i} of the product is ${u[i]}`);
    }
    return u;
  }
}

/** Mean loss of a network on data (one forward pass). */
export function networkLoss(spec: NetworkSpec, params: Float64Array, data: Dataset, loss: Loss): number {
  return new NetworkEvaluation(spec, params, data, loss).value;
}

/** Gradient of the mean loss of a network on data, by back-propagation. */
export function networkGradient(spec: NetworkSpec, params: Float64Array, data: Dataset, loss: Loss): Float64Array {
  return new NetworkEvaluation(spec, params, data, loss).gradient();
}

/** Outputs f(x_i) of a network (N × K row-major). */
export function networkForward(spec: NetworkSpec, params: Float64Array, data: Dataset): Float64Array {
  return new NetworkEvaluation(spec, params, data, 'mse').outputs;
}
