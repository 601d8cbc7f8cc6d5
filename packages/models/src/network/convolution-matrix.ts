import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { connectionTable } from './layer-operators.js';
import { inferNetworkShapes } from './network-shapes.js';
import type { LayerSpec } from './network-spec.js';

/** A dense row-major matrix. */
export interface DenseMatrix {
  rows: number;
  columns: number;
  /** rows × columns, row-major. */
  values: Float64Array;
}

/**
 * The explicit (Toeplitz, for convolutions) matrix T of a convolution or locally connected layer as a
 * linear map of its flattened channel-first input: y = T x (+ bias, not included), T of size
 * (output size) × (input size). For conv1d with stride 1 and no padding, block (f, c) is the banded
 * Toeplitz matrix of the kernel W[f, c, :] (SCIENCE.md §3; Singh et al. 2023); strides drop rows,
 * padding drops the columns that fall outside the input; a locally connected layer gives the same band
 * pattern with a different kernel in every row (no weight sharing). Dense layers give their W.
 *
 * @param layer - a dense, conv1d, conv2d, locally-connected1d or locally-connected2d layer.
 * @param inputShape - the layer's input shape ([n], [channels, length] or [channels, height, width]).
 * @param weights - the layer's weight array (layout of {@link networkParameterLayout}).
 * @returns T with rows = output size, columns = input size. O(rows · columns) memory.
 * @throws InvalidArgumentError for a layer type without weights or a bad geometry (as
 * {@link inferNetworkShapes}); ShapeMismatchError when `weights` has the wrong length.
 * @example
 * ```ts
 * convolutionMatrix({ type: 'conv1d', filters: 1, kernel: 3 }, [1, 5], Float64Array.from([1, 2, 3])).values
 * // → [1, 2, 3, 0, 0,
 * //    0, 1, 2, 3, 0,
 * //    0, 0, 1, 2, 3]   (3 × 5)
 * ```
 */
export function convolutionMatrix(layer: LayerSpec, inputShape: number[], weights: Float64Array): DenseMatrix {
  if (layer.type !== 'dense' && layer.type !== 'conv1d' && layer.type !== 'conv2d' && layer.type !== 'locally-connected1d' && layer.type !== 'locally-connected2d') {
    throw new InvalidArgumentError(`convolutionMatrix: layer type '${layer.type}' has no weights; supported: dense, conv1d, conv2d, locally-connected1d, locally-connected2d`);
  }
  const [shape] = inferNetworkShapes({ kind: 'network', input: inputShape, layers: [{ ...layer, bias: false }], init: 'glorot-normal', seed: 0, bias: false });
  const weightSize = (shape.weightShape as number[]).reduce((a, b) => a * b, 1);
  if (weights.length !== weightSize) {
    throw new ShapeMismatchError(`convolutionMatrix: weights have length ${weights.length}, the layer's weight shape [${(shape.weightShape as number[]).join(', ')}] has ${weightSize}`);
  }
  const rows = shape.outputSize;
  const columns = shape.inputSize;
  const values = new Float64Array(rows * columns);
  if (layer.type === 'dense') {
    values.set(weights);
    return { rows, columns, values };
  }
  const { rowStart, input, weight } = connectionTable(shape);
  for (let o = 0; o < rows; o++) {
    for (let c = rowStart[o]; c < rowStart[o + 1]; c++) values[o * columns + input[c]] += weights[weight[c]];
  }
  return { rows, columns, values };
}
