import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ShapeMismatchError } from '@intrinsic/spectra';
import { parameterLayout } from '../layout.js';
import type { MlpSpec } from '../spec.js';

/** tfjs-layers activation identifiers of the spec's activations (leaky-relu is a separate `LeakyReLU` layer). */
const LAYER_ACTIVATION = { linear: 'linear', relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softplus: 'softplus', gelu: 'gelu' } as const;

/**
 * Builds a `tf.Sequential` (a `LayersModel`) computing the same function as an MLP spec with the given
 * float64 parameters (rounded to float32).
 *
 * Layer l is a `Dense` layer (`units` = M_l, `useBias` = spec.bias) whose kernel is W_lᵀ — Keras/tfjs
 * kernels are [in, out], the transpose of the documented [out, in] layout — with the hidden activation:
 * relu, tanh, sigmoid, softplus and gelu as the Dense `activation` (tfjs-layers' `gelu` is the exact
 * x·Φ(x), as in the float64 engine); leaky-relu as a linear Dense followed by a `LeakyReLU` layer with
 * `alpha` = spec.leakySlope (default 0.01). The output layer is linear (logits for cross-entropy).
 *
 * @throws ShapeMismatchError when `params.length` is not the spec's parameter count.
 * @example mlpToLayersModel(mlpSpec({ widths: [784, 40, 20, 10], activation: 'relu' }), params).predict(x)
 */
export function mlpToLayersModel(spec: MlpSpec, params: Float64Array): tfl.Sequential {
  const layout = parameterLayout(spec);
  if (params.length !== layout.size) throw new ShapeMismatchError(`mlpToLayersModel: parameters have length ${params.length}, the spec has p = ${layout.size}`);
  const model = tfl.sequential();
  const L = spec.widths.length - 1;
  const dense: tfl.layers.Layer[] = [];
  for (let l = 1; l <= L; l++) {
    const hidden = l < L;
    const activation = hidden && spec.activation !== 'leaky-relu' ? LAYER_ACTIVATION[spec.activation] : 'linear';
    const layer = tfl.layers.dense({
      units: spec.widths[l],
      useBias: spec.bias,
      activation,
      name: `dense_${l}`,
      ...(l === 1 ? { inputShape: [spec.widths[0]] } : {}),
    });
    model.add(layer);
    dense.push(layer);
    if (hidden && spec.activation === 'leaky-relu') model.add(tfl.layers.leakyReLU({ alpha: spec.leakySlope ?? 0.01, name: `leaky_relu_${l}` }));
  }
  tf.tidy(() => {
    for (let l = 1; l <= L; l++) {
      const weight = layout.views.find((v) => v.layer === l && v.kind === 'weight')!;
      const [fanOut, fanIn] = weight.shape;
      const kernel = new Float32Array(fanIn * fanOut);
      // kernel[j, i] = W_l[i, j]
      for (let i = 0; i < fanOut; i++) for (let j = 0; j < fanIn; j++) kernel[j * fanOut + i] = params[weight.offset + i * fanIn + j];
      const values: tf.Tensor[] = [tf.tensor2d(kernel, [fanIn, fanOut])];
      const bias = layout.views.find((v) => v.layer === l && v.kind === 'bias');
      if (bias) values.push(tf.tensor1d(Float32Array.from(params.subarray(bias.offset, bias.offset + bias.size))));
      dense[l - 1].setWeights(values);
    }
  });
  return model;
}
