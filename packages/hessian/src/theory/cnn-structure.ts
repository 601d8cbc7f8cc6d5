import { convolutionMatrix, inferNetworkShapes, type NetworkLayerShape, type NetworkSpec } from '@intrinsic/models';

/** One hidden weight layer of a linear CNN: a convolution (shared kernel) or a locally connected layer. */
export interface CnnStage {
  /** Index in `spec.layers`. */
  index: number;
  /** `true` for conv1d/conv2d (one kernel for every position), `false` for locally connected. */
  shared: boolean;
  /** Input channels C. */
  channels: number;
  /** Output channels (filters) M. */
  filters: number;
  /** Output positions a (length, or height · width). */
  positions: number;
  /** Kernel volume b = C · (kernel length, or kh · kw): the entries of one filter at one position. */
  kernelVolume: number;
  /** Flat input size of the layer. */
  inputSize: number;
  /** Flat output size M · a. */
  outputSize: number;
  /** Weights of the layer: M·b (shared) or a·M·b (locally connected). */
  parameters: number;
}

/** A bias-free linear CNN: hidden convolution / locally connected layers and a dense readout to K outputs. */
export interface LinearCnnStructure {
  stages: CnnStage[];
  /** K, the outputs of the dense readout. */
  outputs: number;
  /** d, the flat input size. */
  inputSize: number;
  /** The input coordinates the first layer reads (all of them unless a stride exceeds the kernel). */
  coveredInputs: number[];
  /** p. */
  parameters: number;
  /** Widths of the fully connected network with the same neurons: [d, M_1·a_1, …, M_{L−1}·a_{L−1}, K]. */
  denseWidths: number[];
}

/** {@link linearCnnStructure}: the structure, or why the CNN rank theory does not apply. */
export type LinearCnnStructureResult = { applies: true; structure: LinearCnnStructure } | { applies: false; reason: string };

const HIDDEN_TYPES = new Set(['conv1d', 'conv2d', 'locally-connected1d', 'locally-connected2d']);

function stageOf(shape: NetworkLayerShape): CnnStage {
  const shared = shape.type === 'conv1d' || shape.type === 'conv2d';
  const weightShape = shape.weightShape as number[];
  const filters = shape.outputShape[0];
  const positions = shape.outputSize / filters;
  const kernelVolume = shape.inputShape[0] * shape.kernel.reduce((a, b) => a * b, 1);
  return {
    index: shape.index,
    shared,
    channels: shape.inputShape[0],
    filters,
    positions,
    kernelVolume,
    inputSize: shape.inputSize,
    outputSize: shape.outputSize,
    parameters: weightShape.reduce((a, b) => a * b, 1),
  };
}

/**
 * Reads a layered network spec as a bias-free linear CNN x ↦ V T_{L−1} ⋯ T_1 x: one or more conv1d, conv2d
 * or locally connected layers (T_l their Toeplitz / banded matrices, {@link convolutionMatrix}), a
 * flatten, one dense readout V last; `activation: 'linear'` layers are allowed anywhere. The CNN rank
 * theory (docs/theory.md §7) is stated for exactly this class.
 * @returns `applies: false` with the reason for anything else (a bias, a non-linear activation, pooling,
 * a dense hidden layer, no convolution, no dense readout).
 */
export function linearCnnStructure(spec: NetworkSpec): LinearCnnStructureResult {
  const shapes = inferNetworkShapes(spec);
  const stages: CnnStage[] = [];
  let readout: NetworkLayerShape | undefined;
  for (const shape of shapes) {
    const layer = spec.layers[shape.index];
    if (shape.type === 'activation') {
      if (shape.activation !== 'linear') return { applies: false, reason: `layer ${shape.index} is a ${shape.activation} activation: the CNN formulas are for linear CNNs` };
      continue;
    }
    if (shape.type === 'flatten') continue;
    if (shape.type === 'avgpool' || shape.type === 'maxpool') return { applies: false, reason: `layer ${shape.index} is ${shape.type}: the CNN formulas cover convolutions and a dense readout, no pooling` };
    const hasBias = 'bias' in layer && layer.bias !== undefined ? layer.bias : spec.bias;
    if (hasBias) return { applies: false, reason: `layer ${shape.index} (${shape.type}) has a bias: the CNN formulas are for networks without bias` };
    if (readout) return { applies: false, reason: `layer ${shape.index} (${shape.type}) follows the dense layer ${readout.index}: the CNN formulas need the dense readout last` };
    if (HIDDEN_TYPES.has(shape.type)) stages.push(stageOf(shape));
    else readout = shape;
  }
  if (stages.length === 0) return { applies: false, reason: 'no convolution or locally connected layer: use the fully connected theory' };
  if (!readout) return { applies: false, reason: 'no dense readout layer: the CNN formulas need a final dense layer' };
  const first = shapes[stages[0].index];
  const ones = new Float64Array(stages[0].parameters).fill(1);
  const T = convolutionMatrix(spec.layers[first.index], first.inputShape, ones);
  const coveredInputs: number[] = [];
  for (let c = 0; c < T.columns; c++) {
    for (let r = 0; r < T.rows; r++) {
      if (T.values[r * T.columns + c] !== 0) {
        coveredInputs.push(c);
        break;
      }
    }
  }
  const outputs = readout.outputSize;
  const parameters = stages.reduce((s, st) => s + st.parameters, 0) + outputs * readout.inputSize;
  return {
    applies: true,
    structure: {
      stages,
      outputs,
      inputSize: shapes[0].inputSize,
      coveredInputs,
      parameters,
      denseWidths: [shapes[0].inputSize, ...stages.map((s) => s.outputSize), outputs],
    },
  };
}
