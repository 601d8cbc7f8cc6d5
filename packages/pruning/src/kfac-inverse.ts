import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { activationFunctions, MlpEvaluation, parameterLayout, type Dataset, type Loss, type MlpSpec } from '@intrinsic/models';
import { choleskyInverse } from './cholesky.js';
import { blockDiagonalInverse, type InverseBlock, type InverseCurvature } from './inverse-curvature.js';

/** The two Kronecker factors of one layer's Fisher block. */
export interface KfacLayerFactors {
  /** Layer, from 1. */
  layer: number;
  /** Output width M_l (order of S). */
  outputs: number;
  /** Input width M_{l−1}, plus 1 with a bias (order of A). */
  inputs: number;
  hasBias: boolean;
  /** First flat index of the layer's parameters (W_l, then b_l). */
  offset: number;
  /** A = (1/n) Σ_i ā_i ā_iᵀ, ā = [a_{l−1}; 1] with a bias; row-major inputs × inputs. */
  activationFactor: Float64Array;
  /** S = (1/n) Σ_i δ_i δ_iᵀ, δ_i = ∂ℓ_i/∂z_l; row-major outputs × outputs. */
  gradientFactor: Float64Array;
}

/**
 * K-FAC factors of the empirical Fisher of an MLP (Martens & Grosse, ICML 2015): per layer l, the
 * per-sample gradient of [W_l | b_l] is δ_i ā_iᵀ, so its Fisher block (1/n) Σ (δ_i δ_iᵀ) ⊗ (ā_i ā_iᵀ) is
 * approximated by S_l ⊗ A_l with A_l = (1/n) Σ ā_i ā_iᵀ and S_l = (1/n) Σ δ_i δ_iᵀ (row-major
 * vectorisation of W_l, as in the flat layout). δ_i uses the observed targets (empirical Fisher, as
 * WoodFisher's K-FAC baseline). One forward and one backward pass: O(N p) time; Σ_l (M_{l−1}+1)² + M_l²
 * memory.
 *
 * @param spec - the model.
 * @param params - its parameters.
 * @param data - the samples (all N are used).
 * @param loss - the loss.
 * @returns the factors of each layer, in order.
 * @throws ShapeMismatchError / InvalidArgumentError from the engine on mismatched inputs.
 */
export function kfacFactors(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss): KfacLayerFactors[] {
  const evaluation = new MlpEvaluation(spec, params, data, loss);
  const layout = parameterLayout(spec);
  const act = activationFunctions(spec.activation, spec.leakySlope);
  const N = data.count;
  const L = spec.widths.length - 1;
  const weights = layout.views.filter((v) => v.kind === 'weight');
  const biases = new Map(layout.views.filter((v) => v.kind === 'bias').map((v) => [v.layer, v]));
  // Forward: activations a_0 … a_{L−1} and σ′(z_l) of the hidden layers.
  const post: Float64Array[] = [data.inputs];
  const slope: Float64Array[] = [];
  for (let l = 1; l < L; l++) {
    const [out, inp] = weights[l - 1].shape;
    const W = weights[l - 1].offset;
    const b = biases.get(l);
    const a = post[l - 1];
    const next = new Float64Array(N * out);
    const d1 = new Float64Array(N * out);
    for (let i = 0; i < N; i++) {
      for (let o = 0; o < out; o++) {
        let z = b ? params[b.offset + o] : 0;
        for (let j = 0; j < inp; j++) z += params[W + o * inp + j] * a[i * inp + j];
        next[i * out + o] = act.value(z);
        d1[i * out + o] = act.first(z);
      }
    }
    post.push(next);
    slope.push(d1);
  }
  // Backward: δ_L = ∂ℓ_i/∂f, δ_{l−1} = (δ_l W_l) ⊙ σ′(z_{l−1}).
  const factors: KfacLayerFactors[] = new Array(L);
  let delta = evaluation.outputGradients;
  for (let l = L; l >= 1; l--) {
    const [out, inp] = weights[l - 1].shape;
    const hasBias = biases.has(l);
    const m = inp + (hasBias ? 1 : 0);
    const A = new Float64Array(m * m);
    const S = new Float64Array(out * out);
    const a = post[l - 1];
    const abar = new Float64Array(m);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < inp; j++) abar[j] = a[i * inp + j];
      if (hasBias) abar[inp] = 1;
      for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) A[r * m + c] += (abar[r] * abar[c]) / N;
      for (let r = 0; r < out; r++) for (let c = 0; c < out; c++) S[r * out + c] += (delta[i * out + r] * delta[i * out + c]) / N;
    }
    factors[l - 1] = { layer: l, outputs: out, inputs: m, hasBias, offset: weights[l - 1].offset, activationFactor: A, gradientFactor: S };
    if (l > 1) {
      const W = weights[l - 1].offset;
      const previous = new Float64Array(N * inp);
      const d1 = slope[l - 2];
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < inp; j++) {
          let s = 0;
          for (let o = 0; o < out; o++) s += delta[i * out + o] * params[W + o * inp + j];
          previous[i * inp + j] = s * d1[i * inp + j];
        }
      }
      delta = previous;
    }
  }
  return factors;
}

function trace(M: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += M[i * n + i];
  return t;
}

/** How λ is split over the two K-FAC factors: π-damping (Martens & Grosse) or √λ on each. */
export type KfacDampingSplit = 'pi' | 'equal';

/**
 * The K-FAC inverse: block-diagonal over layers, each block (S_l + (√λ/π_l) I)⁻¹ ⊗ (A_l + π_l √λ I)⁻¹ with
 * Martens & Grosse's factored Tikhonov damping π_l = √((tr A_l / dim A_l) / (tr S_l / dim S_l))
 * (ICML 2015, §6.3; π_l = 1 when a trace vanishes), or with `dampingSplit: 'equal'` π_l = 1, √λ on both factors
 * (the WoodFisher repository's MNIST runs, `kfac_pi` off). The diagonal is [S̃⁻¹]_oo [Ã⁻¹]_jj and a product is
 * vec(S̃⁻¹ V Ã⁻¹) for the layer's parameters arranged as V = [W_l | b_l] (outputs × inputs). Cost: two
 * small Cholesky inverses per layer, O(Σ M_l M_{l−1} (M_l + M_{l−1})) per product.
 *
 * @param factors - from {@link kfacFactors}, covering the whole layout in order.
 * @param damping - λ > 0.
 * @param size - p, the parameter count (checked against the factors).
 * @param dampingSplit - `pi` (default, Martens & Grosse) or `equal` (π_l = 1).
 * @throws InvalidArgumentError for λ ≤ 0, an unknown split or factors that do not tile 0…p−1; NotPositiveDefiniteError
 * (cannot happen for λ > 0 and finite factors).
 */
export function kfacInverse(factors: KfacLayerFactors[], damping: number, size: number, dampingSplit: KfacDampingSplit = 'pi'): InverseCurvature {
  if (!(damping > 0) || !Number.isFinite(damping)) throw new InvalidArgumentError(`kfacInverse: damping must be a positive finite number, got ${damping}`);
  if (dampingSplit !== 'pi' && dampingSplit !== 'equal') throw new InvalidArgumentError(`kfacInverse: dampingSplit must be pi or equal, got '${String(dampingSplit)}'`);
  const root = Math.sqrt(damping);
  const blocks: InverseBlock[] = factors.map((f) => {
    const { outputs: out, inputs: m, hasBias } = f;
    const inp = hasBias ? m - 1 : m;
    const trA = trace(f.activationFactor, m) / m;
    const trS = trace(f.gradientFactor, out) / out;
    const pi = dampingSplit === 'pi' && trA > 0 && trS > 0 ? Math.sqrt(trA / trS) : 1;
    const A = Float64Array.from(f.activationFactor);
    const S = Float64Array.from(f.gradientFactor);
    for (let i = 0; i < m; i++) A[i * m + i] += pi * root;
    for (let i = 0; i < out; i++) S[i * out + i] += root / pi;
    const Ainv = choleskyInverse(A, m);
    const Sinv = choleskyInverse(S, out);
    const blockSize = out * m;
    // Flat position of (o, j) inside the block: W_l row-major, then b_l.
    const position = (o: number, j: number) => (j < inp ? o * inp + j : out * inp + o);
    return {
      start: f.offset,
      inverse: {
        size: blockSize,
        description: `kfac layer ${f.layer}`,
        diagonal(output) {
          const d = output ?? new Float64Array(blockSize);
          for (let o = 0; o < out; o++) for (let j = 0; j < m; j++) d[position(o, j)] = Sinv[o * out + o] * Ainv[j * m + j];
          return d;
        },
        multiply(vector, output) {
          if (vector.length !== blockSize) throw new ShapeMismatchError(`multiply: vector has length ${vector.length}, expected ${blockSize}`);
          const V = new Float64Array(out * m);
          for (let o = 0; o < out; o++) for (let j = 0; j < m; j++) V[o * m + j] = vector[position(o, j)];
          const T = new Float64Array(out * m); // T = V Ã⁻¹
          for (let o = 0; o < out; o++) {
            for (let j = 0; j < m; j++) {
              let s = 0;
              for (let k = 0; k < m; k++) s += V[o * m + k] * Ainv[k * m + j];
              T[o * m + j] = s;
            }
          }
          const y = output ?? new Float64Array(blockSize);
          for (let o = 0; o < out; o++) {
            for (let j = 0; j < m; j++) {
              let s = 0;
              for (let k = 0; k < out; k++) s += Sinv[o * out + k] * T[k * m + j];
              y[position(o, j)] = s;
            }
          }
          return y;
        },
      },
    };
  });
  return blockDiagonalInverse(blocks, size);
}
