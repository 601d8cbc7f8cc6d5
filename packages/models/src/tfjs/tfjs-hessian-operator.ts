import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, linearOperator, ShapeMismatchError, type LinearOperator } from '@intrinsic/spectra';
import { assertDatasetFits, type Dataset } from '../data.js';
import { parameterLayout } from '../layout.js';
import type { Loss } from '../losses.js';
import type { MlpSpec } from '../spec.js';
import { lossSumTensor, mlpOutputsTensor, parametersToTensors } from './mlp-tensors.js';
import { ROperatorBatch } from './r-operator-batch.js';
import { checkSecondOrderSupport } from './second-order-support.js';

/** Options of {@link tfjsHessianOperator} and {@link tfjsGgnOperator}. */
export interface TfjsCurvatureOptions {
  /** Samples per tfjs batch (bounds the tensors alive at once); default 1,000. */
  batchSize?: number;
  /**
   * `r-operator` (default): Pearlmutter's R-operator written out for the MLP, with the v-independent
   * forward quantities (A_l, σ′, σ″, G_l) cached per batch — one R-forward and one R-backward pass per
   * product. `double-backprop`: `tf.grads` of a function returning gᵀv (generic, no cache, about twice
   * the work; needs second derivatives of every op, checked by {@link checkSecondOrderSupport}).
   * Both are tested against the float64 engine.
   */
  method?: 'r-operator' | 'double-backprop';
}

/** A curvature operator on tfjs: a spectra {@link LinearOperator} plus the tfjs resources it holds. */
export interface TfjsCurvatureOperator extends LinearOperator {
  /** The tfjs backend the products run on. */
  readonly backend: string;
  /** Frees the parameter and data tensors; the operator must not be used afterwards. */
  dispose(): void;
}

interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

function prepare(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options: TfjsCurvatureOptions, fn: string) {
  const layout = parameterLayout(spec);
  if (params.length !== layout.size) throw new ShapeMismatchError(`${fn}: parameters have length ${params.length}, the spec has p = ${layout.size}`);
  assertDatasetFits(data, spec.widths[0], spec.widths[spec.widths.length - 1]);
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${fn}: batchSize must be a positive integer, got ${batchSize}`);
  const method = options.method ?? 'r-operator';
  if (method !== 'r-operator' && method !== 'double-backprop') throw new InvalidArgumentError(`${fn}: unknown method '${String(method)}'; supported: r-operator, double-backprop`);
  if (method === 'double-backprop') checkSecondOrderSupport(spec, loss);
  const weights = parametersToTensors(spec, params);
  const batches: Batch[] = [];
  const { inputSize: d, outputSize: K } = data;
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(data.count, start + batchSize);
    batches.push({
      x: tf.tensor2d(Float32Array.from(data.inputs.subarray(start * d, end * d)), [end - start, d]),
      y: tf.tensor2d(Float32Array.from(data.targets.subarray(start * K, end * K)), [end - start, K]),
    });
  }
  const cached = method === 'r-operator' ? batches.map((b) => new ROperatorBatch(spec, weights, b.x, b.y, loss)) : [];
  const dispose = () => {
    for (const c of cached) c.dispose();
    tf.dispose(weights);
    for (const b of batches) tf.dispose([b.x, b.y]);
  };
  const split = (v: Float64Array) => layout.views.map((view) => tf.tensor(Float32Array.from(v.subarray(view.offset, view.offset + view.size)), view.shape, 'float32'));
  const accumulate = (parts: tf.Tensor[], out: Float64Array) => {
    layout.views.forEach((view, i) => {
      const values = parts[i].dataSync();
      for (let j = 0; j < view.size; j++) out[view.offset + j] += values[j];
    });
  };
  return { layout, weights, batches, cached, method, dispose, split, accumulate };
}

function dot(parts: tf.Tensor[], v: tf.Tensor[]): tf.Scalar {
  let total = tf.sum(tf.mul(parts[0], v[0])) as tf.Scalar;
  for (let i = 1; i < parts.length; i++) total = tf.add(total, tf.sum(tf.mul(parts[i], v[i]))) as tf.Scalar;
  return total;
}

type PreparedCurvature = ReturnType<typeof prepare>;
type BatchOf<T> = T extends { batches: (infer B)[] } ? B : never;

/**
 * The operator both curvature products share: the cached R-operator route (`part` of each batch's
 * product) or the per-batch double-backprop product, summed over batches in float64 and divided by N.
 */
function curvatureLinearOperator(
  state: PreparedCurvature,
  N: number,
  part: 'full' | 'outer',
  doubleBackprop: (batch: BatchOf<PreparedCurvature>, vt: tf.Tensor[]) => tf.Tensor[],
): TfjsCurvatureOperator {
  const operator = linearOperator({
    size: state.layout.size,
    symmetric: true,
    apply(v, out) {
      out.fill(0);
      if (state.method === 'r-operator') {
        for (const batch of state.cached) tf.tidy(() => state.accumulate(batch.product(state.split(v), part), out));
      } else {
        for (const batch of state.batches) tf.tidy(() => state.accumulate(doubleBackprop(batch, state.split(v)), out));
      }
      for (let i = 0; i < out.length; i++) out[i] /= N;
    },
  });
  return { ...operator, backend: tf.getBackend(), dispose: state.dispose };
}

/**
 * Hessian-vector products of the mean loss L(θ) = (1/N) Σ_i ℓ(f_θ(x_i), y_i) on TensorFlow.js (float32).
 * Two methods (option `method`): `double-backprop` — Hv = ∇_θ (∇_θ L · v), one `tf.grads` of a function
 * that itself calls `tf.grads` and returns gᵀv (Pearlmutter 1994); `r-operator` (default) — the same
 * product by the R-operator written out for the MLP (forward-over-reverse by hand, see
 * `ROperatorBatch`), with the v-independent forward and backward quantities cached per batch. The data
 * are processed in batches of `batchSize` and the batch products are summed in float64 on the host.
 *
 * Cost per product: r-operator one R-forward and one R-backward pass (2 products with the inputs);
 * double-backprop about two forward and two backward passes (4). Memory: the parameters, the data
 * (float32), and per batch the cached activations (r-operator) or one batch's graph (double-backprop).
 * With `double-backprop`, first checks that tfjs can differentiate the activation and loss twice
 * ({@link checkSecondOrderSupport}).
 *
 * @returns a symmetric {@link TfjsCurvatureOperator} of order p, usable by every spectra method.
 * @throws ShapeMismatchError / InvalidArgumentError for parameters or data that do not fit the spec;
 * UnsupportedError when tfjs cannot take the second derivative of an op (named in the message).
 */
export function tfjsHessianOperator(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options: TfjsCurvatureOptions = {}): TfjsCurvatureOperator {
  const state = prepare(spec, params, data, loss, options, 'tfjsHessianOperator');
  return curvatureLinearOperator(state, data.count, 'full', (batch, vt) => {
    const gradientDotV = (...ws: tf.Tensor[]) => {
      const g = tf.grads((...inner: tf.Tensor[]) => lossSumTensor(loss, mlpOutputsTensor(spec, inner, batch.x), batch.y))(ws);
      return dot(g, vt);
    };
    return tf.grads(gradientDotV)(state.weights);
  });
}

/**
 * Generalised Gauss-Newton products G v = (1/N) Σ_i J_iᵀ Λ_i J_i v on TensorFlow.js (float32), the
 * outer-product part H_O of SCIENCE.md §1 (Λ = I for MSE, (Σy)(diag(p) − ppᵀ) for softmax
 * cross-entropy). J v comes from two reverse passes (the "double-VJP" trick: J v = ∂/∂u [vᵀ Jᵀ u], linear
 * in u), Λ (J v) in closed form, and Jᵀ(Λ J v) from one more reverse pass (`double-backprop`), or with
 * the R-forward pass for J v and a Gauss-Newton backward pass (`r-operator`, default, cached forward
 * quantities); batch sums in float64. Same options and guards as {@link tfjsHessianOperator}.
 */
export function tfjsGgnOperator(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options: TfjsCurvatureOptions = {}): TfjsCurvatureOperator {
  const state = prepare(spec, params, data, loss, options, 'tfjsGgnOperator');
  return curvatureLinearOperator(state, data.count, 'outer', (batch, vt) => {
    const outputs = (ws: tf.Tensor[]) => mlpOutputsTensor(spec, ws, batch.x);
    const u0 = tf.zeros(batch.y.shape);
    const Jv = tf.grad((u: tf.Tensor) => {
      const vjp = tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(u, outputs(ws))))(state.weights);
      return dot(vjp, vt);
    })(u0);
    let r: tf.Tensor = Jv;
    if (loss === 'cross-entropy') {
      const p = tf.softmax(outputs(state.weights));
      const mass = tf.sum(batch.y, 1, true);
      r = tf.mul(mass, tf.sub(tf.mul(p, Jv), tf.mul(p, tf.sum(tf.mul(p, Jv), 1, true))));
    }
    return tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(r, outputs(ws))))(state.weights);
  });
}
