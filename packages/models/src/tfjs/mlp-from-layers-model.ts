import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { ACTIVATIONS, type Activation } from '../activations.js';
import { parameterLayout } from '../layout.js';
import { validateMlpSpec, type MlpSpec } from '../spec.js';

/** Layer classes {@link mlpFromLayersModel} reads; InputLayer, Flatten and Dropout are identities at inference. */
export const SUPPORTED_TFJS_LAYERS = ['InputLayer', 'Dense', 'Activation', 'ReLU', 'LeakyReLU', 'Flatten', 'Dropout'] as const;

/** A network read from tfjs: the spec, its float64 parameters, and what the last layer applied. */
export interface ImportedMlp {
  spec: MlpSpec;
  /** Flat parameters in the documented layout, upcast from float32 to float64. */
  params: Float64Array;
  /**
   * `softmax` when the model's last Dense layer applies softmax: the spec's outputs are then the logits
   * before it, which is what softmax cross-entropy in Intrinsic expects.
   */
  outputActivation: 'linear' | 'softmax';
}

/** tfjs-layers activation identifiers → spec activations. */
const FROM_LAYER: Record<string, Activation> = { linear: 'linear', relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softplus: 'softplus', gelu: 'gelu' };

function activationName(config: unknown): string {
  // tfjs serialises `activation` as a string identifier.
  return typeof config === 'string' ? config : String((config as { className?: string } | null)?.className ?? 'linear');
}

/**
 * Reads an MLP spec and float64 parameters from a tfjs `LayersModel` made of supported layers, taken in
 * order as a chain: Dense layers (kernel [in, out] is transposed to the documented [out, in] layout),
 * their activation (the Dense `activation`, or a following `Activation`, `ReLU` or `LeakyReLU` layer),
 * with InputLayer, Flatten and Dropout as identities (inference). Every hidden layer must use the same
 * activation and all Dense layers must agree on bias; the last layer must be linear or softmax.
 *
 * @throws InvalidArgumentError naming the layer class and the supported list for an unsupported layer, and
 * naming the layer for a mixed activation, a mixed bias, an unsupported activation, or a ReLU with max value.
 */
export function mlpFromLayersModel(model: tfl.LayersModel): ImportedMlp {
  const widths: number[] = [];
  const kernels: Float32Array[] = [];
  const biases: (Float32Array | null)[] = [];
  const activations: string[] = []; // per Dense layer, after folding a following activation layer
  const slopes: (number | undefined)[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    if (!(SUPPORTED_TFJS_LAYERS as readonly string[]).includes(className)) {
      throw new InvalidArgumentError(`layer '${layer.name}' of class ${className} is not supported; supported layers: ${SUPPORTED_TFJS_LAYERS.join(', ')}`);
    }
    if (className === 'InputLayer' || className === 'Flatten' || className === 'Dropout') continue;
    if (className === 'Dense') {
      const [kernel, bias] = layer.getWeights();
      const [fanIn, fanOut] = kernel.shape;
      if (widths.length === 0) widths.push(fanIn);
      else if (widths[widths.length - 1] !== fanIn) throw new InvalidArgumentError(`layer '${layer.name}' expects ${fanIn} inputs, the previous layer gives ${widths[widths.length - 1]}`);
      widths.push(fanOut);
      kernels.push(kernel.dataSync() as Float32Array);
      biases.push(bias ? (bias.dataSync() as Float32Array) : null);
      activations.push(activationName(config.activation));
      slopes.push(undefined);
      continue;
    }
    // Activation, ReLU, LeakyReLU: fold into the preceding Dense layer, which must be linear.
    const last = activations.length - 1;
    if (last < 0 || activations[last] !== 'linear') {
      throw new InvalidArgumentError(`layer '${layer.name}' (${className}) must follow a linear Dense layer to be read as its activation`);
    }
    if (className === 'Activation') activations[last] = activationName(config.activation);
    else if (className === 'ReLU') {
      if (config.maxValue !== null && config.maxValue !== undefined) throw new InvalidArgumentError(`layer '${layer.name}' is a ReLU with maxValue ${String(config.maxValue)}; only the plain ReLU is supported`);
      activations[last] = 'relu';
    } else {
      activations[last] = 'leaky-relu';
      slopes[last] = Number(config.alpha ?? 0.3);
    }
  }
  const L = kernels.length;
  if (L === 0) throw new InvalidArgumentError('the model has no Dense layer');
  const hidden = activations.slice(0, L - 1).map((a, i) => {
    if (a === 'leaky-relu') return a;
    const mapped = FROM_LAYER[a];
    if (!mapped) throw new InvalidArgumentError(`Dense layer ${i + 1} uses activation '${a}'; supported: ${Object.keys(FROM_LAYER).join(', ')}, LeakyReLU`);
    return mapped;
  });
  const activation: Activation = hidden.length > 0 ? hidden[0] : 'linear';
  hidden.forEach((a, i) => {
    if (a !== activation || slopes[i] !== slopes[0]) throw new InvalidArgumentError(`Dense layer ${i + 1} uses activation '${a}' but layer 1 uses '${activation}'; Intrinsic's MLP has one hidden activation`);
  });
  const outputActivation = activations[L - 1];
  if (outputActivation !== 'linear' && outputActivation !== 'softmax') {
    throw new InvalidArgumentError(`the last Dense layer uses activation '${outputActivation}'; supported outputs: linear, softmax`);
  }
  const bias = biases[0] !== null;
  if (biases.some((b) => (b !== null) !== bias)) throw new InvalidArgumentError('some Dense layers have a bias and others not; Intrinsic needs all or none');
  const spec: MlpSpec = { kind: 'mlp', widths, activation, bias, init: 'glorot-uniform', seed: 0, ...(activation === 'leaky-relu' ? { leakySlope: slopes[0] } : {}) };
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) throw new InvalidArgumentError(`unsupported activation ${activation}`);
  validateMlpSpec(spec);
  const layout = parameterLayout(spec);
  const params = new Float64Array(layout.size);
  for (const view of layout.views) {
    const l = view.layer - 1;
    if (view.kind === 'bias') {
      params.set(biases[l]!, view.offset);
      continue;
    }
    const [fanOut, fanIn] = view.shape;
    const kernel = kernels[l];
    for (let i = 0; i < fanOut; i++) for (let j = 0; j < fanIn; j++) params[view.offset + i * fanIn + j] = kernel[j * fanOut + i];
  }
  return { spec, params, outputActivation };
}
