import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradients of every op (GatherV2, UnsortedSegmentSum, OneHot, ArgMax, …);
// tfjs-core's own entry point does not, and its dist/register_all_gradients is not loadable as Node ESM.
import '@tensorflow/tfjs-layers';
import { InvalidArgumentError, linearOperator } from '@intrinsic/spectra';
import { assertDatasetFits, type Dataset } from '../data.js';
import { assertLoss, type Loss } from '../losses.js';
import { validateNetworkSpec, type NetworkSpec } from '../network/network-spec.js';
import type { MlpSpec } from '../spec.js';
import { lossSumTensor } from './mlp-tensors.js';
import { networkOutputsTensor, networkParametersToTensors, networkTensorPlan } from './network-tensors.js';
import { checkSecondOrderSupport } from './second-order-support.js';
import type { TfjsCurvatureOperator } from './tfjs-hessian-operator.js';

/** Options of {@link tfjsNetworkHessianOperator} and {@link tfjsNetworkGgnOperator}. */
export interface TfjsNetworkCurvatureOptions {
  /** Samples per tfjs batch (bounds the tensors alive at once, including the patches); default 500. */
  batchSize?: number;
}

function prepare(spec: NetworkSpec, params: Float64Array, data: Dataset, loss: Loss, options: TfjsNetworkCurvatureOptions, fn: string) {
  validateNetworkSpec(spec);
  assertLoss(loss);
  const plan = networkTensorPlan(spec);
  const shapes = plan.layout.shapes;
  try {
    assertDatasetFits(data, shapes[0].inputSize, shapes[shapes.length - 1].outputSize);
    const batchSize = options.batchSize ?? 500;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${fn}: batchSize must be a positive integer, got ${batchSize}`);
    // Every activation of the network, and the loss, must be twice differentiable in tfjs (checked against σ″).
    for (const activation of new Set(shapes.filter((s) => s.activation).map((s) => s.activation!))) {
      checkSecondOrderSupport({ activation, leakySlope: spec.leakySlope } as MlpSpec, loss);
    }
    checkSecondOrderSupport({ activation: 'linear' } as MlpSpec, loss);
    const weights = networkParametersToTensors(plan.layout, params);
    const batches: { x: tf.Tensor2D; y: tf.Tensor2D }[] = [];
    const { inputSize: d, outputSize: K } = data;
    for (let start = 0; start < data.count; start += batchSize) {
      const end = Math.min(data.count, start + batchSize);
      batches.push({
        x: tf.tensor2d(Float32Array.from(data.inputs.subarray(start * d, end * d)), [end - start, d]),
        y: tf.tensor2d(Float32Array.from(data.targets.subarray(start * K, end * K)), [end - start, K]),
      });
    }
    const views = plan.layout.views;
    return {
      plan,
      weights,
      batches,
      split: (v: Float64Array) => views.map((view) => tf.tensor(Float32Array.from(v.subarray(view.offset, view.offset + view.size)), view.shape, 'float32')),
      accumulate: (parts: tf.Tensor[], out: Float64Array) => {
        views.forEach((view, i) => {
          const values = parts[i].dataSync();
          for (let j = 0; j < view.size; j++) out[view.offset + j] += values[j];
        });
      },
      dispose: () => {
        plan.dispose();
        tf.dispose(weights);
        for (const b of batches) tf.dispose([b.x, b.y]);
      },
    };
  } catch (error) {
    plan.dispose();
    throw error;
  }
}

type Prepared = ReturnType<typeof prepare>;

function dot(parts: tf.Tensor[], v: tf.Tensor[]): tf.Scalar {
  let total = tf.sum(tf.mul(parts[0], v[0])) as tf.Scalar;
  for (let i = 1; i < parts.length; i++) total = tf.add(total, tf.sum(tf.mul(parts[i], v[i]))) as tf.Scalar;
  return total;
}

function operatorOf(state: Prepared, N: number, product: (batch: Prepared['batches'][number], vt: tf.Tensor[]) => tf.Tensor[]): TfjsCurvatureOperator {
  const operator = linearOperator({
    size: state.plan.layout.size,
    symmetric: true,
    apply(v, out) {
      out.fill(0);
      for (const batch of state.batches) tf.tidy(() => state.accumulate(product(batch, state.split(v)), out));
      for (let i = 0; i < out.length; i++) out[i] /= N;
    },
  });
  return { ...operator, backend: tf.getBackend(), dispose: state.dispose };
}

/**
 * Hessian-vector products of a layered network's mean loss L(θ) = (1/N) Σ_i ℓ(f_θ(x_i), y_i) on
 * TensorFlow.js (float32), by double back-propagation: Hv = ∇_θ (∇_θ L · v) (Pearlmutter 1994), one
 * `tf.grads` of a function that itself calls `tf.grads`, through the gather-based forward pass of
 * {@link networkOutputsTensor} (conv, locally connected, pooling, dense, activations). Batches of
 * `batchSize` samples; batch products summed in float64 on the host. Cost per product about two forward
 * and two backward passes; memory one batch's graph including its patches (N_batch · positions · taps
 * floats per windowed layer). Checks first that tfjs differentiates every activation and the loss twice.
 *
 * @returns a symmetric {@link TfjsCurvatureOperator} of order p, usable by every spectra method.
 * @throws InvalidArgumentError / ShapeMismatchError for a spec, parameters or data that do not fit;
 * UnsupportedError naming the op when tfjs cannot take a second derivative.
 */
export function tfjsNetworkHessianOperator(spec: NetworkSpec, params: Float64Array, data: Dataset, loss: Loss, options: TfjsNetworkCurvatureOptions = {}): TfjsCurvatureOperator {
  const state = prepare(spec, params, data, loss, options, 'tfjsNetworkHessianOperator');
  return operatorOf(state, data.count, (batch, vt) => {
    const gradientDotV = (...ws: tf.Tensor[]) => {
      const g = tf.grads((...inner: tf.Tensor[]) => lossSumTensor(loss, networkOutputsTensor(state.plan, inner, batch.x), batch.y))(ws);
      return dot(g, vt);
    };
    return tf.grads(gradientDotV)(state.weights);
  });
}

/**
 * Generalised Gauss-Newton products G v = (1/N) Σ_i J_iᵀ Λ_i J_i v of a layered network on TensorFlow.js
 * (float32), the outer-product part H_O of SCIENCE.md §1 (Λ = I for MSE, (Σy)(diag(p) − ppᵀ) for softmax
 * cross-entropy): J v by the double-VJP trick (J v = ∂/∂u [vᵀ Jᵀ u], linear in u), Λ (J v) in closed form,
 * Jᵀ (Λ J v) by one more reverse pass; same forward pass, batching and guards as
 * {@link tfjsNetworkHessianOperator}.
 */
export function tfjsNetworkGgnOperator(spec: NetworkSpec, params: Float64Array, data: Dataset, loss: Loss, options: TfjsNetworkCurvatureOptions = {}): TfjsCurvatureOperator {
  const state = prepare(spec, params, data, loss, options, 'tfjsNetworkGgnOperator');
  return operatorOf(state, data.count, (batch, vt) => {
    const outputs = (ws: tf.Tensor[]) => networkOutputsTensor(state.plan, ws, batch.x);
    const Jv = tf.grad((u: tf.Tensor) => dot(tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(u, outputs(ws))))(state.weights), vt))(tf.zeros(batch.y.shape));
    let r: tf.Tensor = Jv;
    if (loss === 'cross-entropy') {
      const p = tf.softmax(outputs(state.weights));
      const mass = tf.sum(batch.y, 1, true);
      r = tf.mul(mass, tf.sub(tf.mul(p, Jv), tf.mul(p, tf.sum(tf.mul(p, Jv), 1, true))));
    }
    return tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(r, outputs(ws))))(state.weights);
  });
}
