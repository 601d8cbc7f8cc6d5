import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { windowPatchIndex } from './window-patches.js';

/**
 * Padding of {@link LocallyConnected1D} / {@link LocallyConnected2D}: `'valid'`, `'same'` (TensorFlow's
 * rule: out = ⌈in / stride⌉, ⌊total/2⌋ zeros before), or zeros on both sides of each spatial axis.
 */
export type LocallyConnectedPadding = 'valid' | 'same' | number[];

/** Configuration of the locally connected layers (serialised in model.json). */
export interface LocallyConnectedArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: LocallyConnectedPadding;
  useBias?: boolean;
  name?: string;
  inputShape?: number[];
  trainable?: boolean;
}

function perAxis(value: number | number[] | undefined, axes: number, fallback: number): number[] {
  if (value === undefined) return new Array<number>(axes).fill(fallback);
  if (typeof value === 'number') return new Array<number>(axes).fill(value);
  return value.length === 1 ? new Array<number>(axes).fill(value[0]) : value.slice(0, axes);
}

/** Output size and zeros before of one axis (the float64 engine's `windowAxis`). */
function axisGeometry(length: number, k: number, stride: number, padding: 'valid' | 'same' | number): { out: number; before: number } {
  if (padding === 'same') {
    const out = Math.ceil(length / stride);
    const total = Math.max((out - 1) * stride + k - length, 0);
    return { out, before: Math.floor(total / 2) };
  }
  const pad = padding === 'valid' ? 0 : padding;
  return { out: Math.floor((length + 2 * pad - k) / stride) + 1, before: pad };
}

/**
 * A locally connected layer for tfjs-layers, which has none: a convolution without weight sharing, one
 * kernel per output position (Keras' `LocallyConnected1D/2D`, channels-last). Implemented with ops, not
 * a kernel of its own: the patches are gathered with a fixed index table ({@link windowPatchIndex},
 * channels-last, taps (ky, kx, c), a zero appended for the padding), then one batched matrix product
 * per output position, y[n, q, f] = b[q, f] + Σ_t patch[n, q, t] · kernel[q, t, f]. Every op used
 * (gather, matMul, transpose, reshape) has gradients of every order in tfjs, so the layer trains and
 * its Hessian-vector products work.
 *
 * Weights (Keras' layout): `kernel` [positions, kh·kw·C, filters], `bias` [out height, out width,
 * filters] (1-D: [positions, kh·C, filters] and [out length, filters]). Registered with
 * `tf.serialization.registerClass` under the Keras class names, so a model.json that uses them loads with
 * `tfl.loadLayersModel` once this module is imported.
 */
abstract class LocallyConnectedBase extends tfl.layers.Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: LocallyConnectedPadding;
  readonly useBias: boolean;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;
  private patchIndex: tf.Tensor1D | null = null;
  private geometry: { channels: number; input: number[]; output: number[]; taps: number; positions: number } | null = null;

  constructor(
    private readonly axes: 1 | 2,
    args: LocallyConnectedArgs,
  ) {
    super(args as unknown as ConstructorParameters<typeof tfl.layers.Layer>[0]);
    this.filters = args.filters;
    this.kernelSize = perAxis(args.kernelSize, axes, 1);
    this.strides = perAxis(args.strides, axes, 1);
    this.padding = args.padding ?? 'valid';
    this.useBias = args.useBias ?? true;
  }

  private resolve(inputShape: (number | null)[]) {
    const spatial = inputShape.slice(1, 1 + this.axes) as number[];
    const channels = inputShape[1 + this.axes] as number;
    const pads = typeof this.padding === 'string' ? new Array(this.axes).fill(this.padding) : perAxis(this.padding, this.axes, 0);
    const output: number[] = [];
    const padBefore: number[] = [];
    spatial.forEach((length, a) => {
      const { out, before } = axisGeometry(length, this.kernelSize[a], this.strides[a], pads[a]);
      output.push(out);
      padBefore.push(before);
    });
    return { spatial, channels, output, padBefore };
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const { output } = this.resolve(shape);
    return [shape[0], ...output, this.filters];
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const { spatial, channels, output, padBefore } = this.resolve(shape);
    const positions = output.reduce((a, b) => a * b, 1);
    const taps = channels * this.kernelSize.reduce((a, b) => a * b, 1);
    this.geometry = { channels, input: spatial, output, taps, positions };
    const { index } = windowPatchIndex({ channels, input: spatial, output, kernel: this.kernelSize, stride: this.strides, padBefore }, 'channels-last');
    this.patchIndex = tf.keep(tf.tensor1d(index, 'int32'));
    this.kernel = this.addWeight('kernel', [positions, taps, this.filters], 'float32', tfl.initializers.glorotUniform({}));
    if (this.useBias) this.bias = this.addWeight('bias', [...output, this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const g = this.geometry!;
      const N = x.shape[0];
      const size = x.size / N;
      const flat = tf.concat([tf.reshape(x, [N, size]), tf.zeros([N, 1])], 1);
      const patches = tf.reshape(tf.gather(flat, this.patchIndex!, 1), [N, g.positions, g.taps]);
      // [positions, N, taps] × [positions, taps, filters] → [positions, N, filters]
      const y = tf.matMul(tf.transpose(patches, [1, 0, 2]), this.kernel!.read());
      let out: tf.Tensor = tf.reshape(tf.transpose(y, [1, 0, 2]), [N, ...g.output, this.filters]);
      if (this.bias) out = tf.add(out, this.bias.read());
      return out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
    };
  }

  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    if (this.patchIndex) this.patchIndex.dispose();
    this.patchIndex = null;
    return super.dispose();
  }
}

/** Locally connected layer over [length, channels] inputs; see {@link LocallyConnectedBase}. */
export class LocallyConnected1D extends LocallyConnectedBase {
  static className = 'LocallyConnected1D';
  constructor(args: LocallyConnectedArgs) {
    super(1, args);
  }
}

/** Locally connected layer over [height, width, channels] inputs; see {@link LocallyConnectedBase}. */
export class LocallyConnected2D extends LocallyConnectedBase {
  static className = 'LocallyConnected2D';
  constructor(args: LocallyConnectedArgs) {
    super(2, args);
  }
}

/**
 * Zero padding of [length, channels] inputs by `padding` zeros on both ends (Keras' `ZeroPadding1D`, which
 * tfjs-layers lacks): the tfjs form of a conv1d with numeric padding. Registered like the layers above.
 */
export class ZeroPadding1D extends tfl.layers.Layer {
  static className = 'ZeroPadding1D';
  readonly padding: number;
  constructor(args: { padding: number; name?: string; inputShape?: number[] }) {
    super(args as unknown as ConstructorParameters<typeof tfl.layers.Layer>[0]);
    this.padding = Array.isArray(args.padding) ? Number(args.padding[0]) : args.padding;
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [shape[0], shape[1] === null ? null : (shape[1] as number) + 2 * this.padding, shape[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.pad(x, [
      [0, 0],
      [this.padding, this.padding],
      [0, 0],
    ]);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}

tf.serialization.registerClass(LocallyConnected1D);
tf.serialization.registerClass(LocallyConnected2D);
tf.serialization.registerClass(ZeroPadding1D);
