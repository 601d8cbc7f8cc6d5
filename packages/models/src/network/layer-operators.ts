import { activationFunctions } from '../activations.js';
import { addColumnSums, addMultiply, addTransposedMultiply, multiplyTransposed } from '../dense-kernels.js';
import type { NetworkLayerShape } from './network-shapes.js';

/**
 * The sparse connectivity of a windowed layer (convolution, locally connected, pooling), channel-first:
 * output unit o reads inputs `input[c]` through weights `weight[c]` for c in rowStart[o] … rowStart[o+1]−1
 * (zero padding is simply absent), and adds bias entry `bias[o]`. Indices are local to one sample's
 * input, to the layer's weight array and to its bias array. Size: outputs × channels × kernel entries.
 */
export interface ConnectionTable {
  rowStart: Int32Array;
  input: Int32Array;
  weight: Int32Array;
  bias: Int32Array;
}

/**
 * Builds the connection table of a convolution, locally connected or pooling layer (1-D layers are read
 * as 2-D with height 1). Weight index: conv ((f·C + c)·kh + ky)·kw + kx; locally connected
 * (((q·F + f)·C + c)·kh + ky)·kw + kx with q the output position; pooling has no weights (its weight
 * index is the position inside the window). Bias index: conv f; locally connected q·F + f.
 */
export function connectionTable(shape: NetworkLayerShape): ConnectionTable {
  const twoD = shape.inputShape.length === 3;
  const C = shape.inputShape[0];
  const H = twoD ? shape.inputShape[1] : 1;
  const W = twoD ? shape.inputShape[2] : shape.inputShape[1];
  const F = shape.outputShape[0];
  const Ho = twoD ? shape.outputShape[1] : 1;
  const Wo = twoD ? shape.outputShape[2] : shape.outputShape[1];
  const [kh, kw] = twoD ? shape.kernel : [1, shape.kernel[0]];
  const [sh, sw] = twoD ? shape.stride : [1, shape.stride[0]];
  const [ph, pw] = twoD ? shape.padBefore : [0, shape.padBefore[0]];
  const pooling = shape.type === 'avgpool' || shape.type === 'maxpool';
  const local = shape.type.startsWith('locally');
  const outputs = F * Ho * Wo;
  const rowStart = new Int32Array(outputs + 1);
  const perRow = (pooling ? 1 : C) * kh * kw;
  const input = new Int32Array(outputs * perRow);
  const weight = new Int32Array(outputs * perRow);
  const bias = new Int32Array(outputs);
  let n = 0;
  for (let f = 0; f < F; f++) {
    for (let y = 0; y < Ho; y++) {
      for (let x = 0; x < Wo; x++) {
        const o = (f * Ho + y) * Wo + x;
        const q = y * Wo + x;
        rowStart[o] = n;
        bias[o] = local ? q * F + f : f;
        const channels = pooling ? [f] : Array.from({ length: C }, (_, c) => c);
        for (const c of channels) {
          for (let ky = 0; ky < kh; ky++) {
            const iy = y * sh - ph + ky;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < kw; kx++) {
              const ix = x * sw - pw + kx;
              if (ix < 0 || ix >= W) continue;
              input[n] = (c * H + iy) * W + ix;
              weight[n] = pooling ? ky * kw + kx : (((local ? q * F + f : f) * C + c) * kh + ky) * kw + kx;
              n++;
            }
          }
        }
      }
    }
  }
  rowStart[outputs] = n;
  return { rowStart, input: input.slice(0, n), weight: weight.slice(0, n), bias };
}

/**
 * One layer of the float64 engine on a batch of N samples (row-major N × size arrays). A layer maps
 * x ↦ y; derivatives are taken at the point cached by the last `forward`.
 */
export interface LayerOperator {
  readonly shape: NetworkLayerShape;
  /** Offsets of the weight and bias arrays in the flat parameter vector, −1 when absent. */
  readonly weightOffset: number;
  readonly biasOffset: number;
  /** y at the parameters, caching what the derivatives need. */
  forward(X: Float64Array, N: number, params: Float64Array): Float64Array;
  /** (∂y/∂x) R, a new array (affine layers: the weight part only, no bias). */
  jvpInput(R: Float64Array, N: number, params: Float64Array): Float64Array;
  /** (∂y/∂x)ᵀ D, a new array. */
  vjpInput(D: Float64Array, N: number, params: Float64Array): Float64Array;
}

/** A layer that is affine in its input and linear in its parameters: y = A(W) x + b. */
export interface AffineLayerOperator extends LayerOperator {
  /** A(V) X + c with V, c read from `direction` at the layer's offsets (the parameter part of the JVP). */
  jvpParameters(X: Float64Array, N: number, direction: Float64Array): Float64Array;
  /** out += A(V)ᵀ D with V read from `direction`. */
  addVjpWithWeights(D: Float64Array, N: number, direction: Float64Array, out: Float64Array): void;
  /**
   * out += scale · ∂(Σ_o D_o y_o)/∂θ for each sample: weights (and bias unless `weightsOnly`), sample i
   * written at base + i·stride (stride 0 sums the samples).
   */
  accumulateParameters(D: Float64Array, X: Float64Array, N: number, out: Float64Array, options: { scale: number; base: number; stride: number; weightsOnly: boolean }): void;
}

export function isAffine(op: LayerOperator): op is AffineLayerOperator {
  return op.weightOffset >= 0;
}

/** Dense layer, through the register-blocked kernels of the MLP engine (same floating-point operations). */
class DenseOperator implements AffineLayerOperator {
  private readonly fanIn: number;
  private readonly fanOut: number;
  constructor(
    readonly shape: NetworkLayerShape,
    readonly weightOffset: number,
    readonly biasOffset: number,
  ) {
    this.fanIn = shape.inputSize;
    this.fanOut = shape.outputSize;
  }
  forward(X: Float64Array, N: number, params: Float64Array): Float64Array {
    return multiplyTransposed(X, N, this.fanIn, params, this.weightOffset, this.fanOut, this.biasOffset, new Float64Array(N * this.fanOut));
  }
  jvpInput(R: Float64Array, N: number, params: Float64Array): Float64Array {
    return multiplyTransposed(R, N, this.fanIn, params, this.weightOffset, this.fanOut, -1, new Float64Array(N * this.fanOut));
  }
  jvpParameters(X: Float64Array, N: number, direction: Float64Array): Float64Array {
    return this.forward(X, N, direction);
  }
  vjpInput(D: Float64Array, N: number, params: Float64Array): Float64Array {
    return addMultiply(D, N, this.fanOut, params, this.weightOffset, this.fanIn, new Float64Array(N * this.fanIn));
  }
  addVjpWithWeights(D: Float64Array, N: number, direction: Float64Array, out: Float64Array): void {
    addMultiply(D, N, this.fanOut, direction, this.weightOffset, this.fanIn, out);
  }
  accumulateParameters(D: Float64Array, X: Float64Array, N: number, out: Float64Array, options: { scale: number; base: number; stride: number; weightsOnly: boolean }): void {
    const { scale, base, stride, weightsOnly } = options;
    const m = this.fanOut;
    const n = this.fanIn;
    if (stride === 0) {
      addTransposedMultiply(D, N, m, X, n, out, base + this.weightOffset, scale);
      if (!weightsOnly && this.biasOffset >= 0) addColumnSums(D, N, m, out, base + this.biasOffset, scale);
      return;
    }
    for (let i = 0; i < N; i++) {
      const row = base + i * stride;
      for (let o = 0; o < m; o++) {
        const d = scale * D[i * m + o];
        if (d === 0) continue;
        const w = row + this.weightOffset + o * n;
        const a = i * n;
        for (let j = 0; j < n; j++) out[w + j] += d * X[a + j];
        if (!weightsOnly && this.biasOffset >= 0) out[row + this.biasOffset + o] += d;
      }
    }
  }
}

/** Convolution or locally connected layer through its connection table. O(N · connections) per pass. */
class WindowedAffineOperator implements AffineLayerOperator {
  private readonly table: ConnectionTable;
  constructor(
    readonly shape: NetworkLayerShape,
    readonly weightOffset: number,
    readonly biasOffset: number,
  ) {
    this.table = connectionTable(shape);
  }
  private apply(X: Float64Array, N: number, w: Float64Array, withBias: boolean): Float64Array {
    const { rowStart, input, weight, bias } = this.table;
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    const wo = this.weightOffset;
    const bo = withBias ? this.biasOffset : -1;
    const Y = new Float64Array(N * m);
    for (let i = 0; i < N; i++) {
      const a = i * n;
      for (let o = 0; o < m; o++) {
        let s = 0;
        for (let c = rowStart[o]; c < rowStart[o + 1]; c++) s += w[wo + weight[c]] * X[a + input[c]];
        if (bo >= 0) s += w[bo + bias[o]];
        Y[i * m + o] = s;
      }
    }
    return Y;
  }
  forward(X: Float64Array, N: number, params: Float64Array): Float64Array {
    return this.apply(X, N, params, true);
  }
  jvpInput(R: Float64Array, N: number, params: Float64Array): Float64Array {
    return this.apply(R, N, params, false);
  }
  jvpParameters(X: Float64Array, N: number, direction: Float64Array): Float64Array {
    return this.apply(X, N, direction, true);
  }
  vjpInput(D: Float64Array, N: number, params: Float64Array): Float64Array {
    const out = new Float64Array(N * this.shape.inputSize);
    this.addVjpWithWeights(D, N, params, out);
    return out;
  }
  addVjpWithWeights(D: Float64Array, N: number, w: Float64Array, out: Float64Array): void {
    const { rowStart, input, weight } = this.table;
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    const wo = this.weightOffset;
    for (let i = 0; i < N; i++) {
      const a = i * n;
      for (let o = 0; o < m; o++) {
        const d = D[i * m + o];
        if (d === 0) continue;
        for (let c = rowStart[o]; c < rowStart[o + 1]; c++) out[a + input[c]] += d * w[wo + weight[c]];
      }
    }
  }
  accumulateParameters(D: Float64Array, X: Float64Array, N: number, out: Float64Array, options: { scale: number; base: number; stride: number; weightsOnly: boolean }): void {
    const { scale, base, stride, weightsOnly } = options;
    const { rowStart, input, weight, bias } = this.table;
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    for (let i = 0; i < N; i++) {
      const row = base + i * stride;
      const wo = row + this.weightOffset;
      const a = i * n;
      for (let o = 0; o < m; o++) {
        const d = scale * D[i * m + o];
        if (d === 0) continue;
        for (let c = rowStart[o]; c < rowStart[o + 1]; c++) out[wo + weight[c]] += d * X[a + input[c]];
        if (!weightsOnly && this.biasOffset >= 0) out[row + this.biasOffset + bias[o]] += d;
      }
    }
  }
}

/** Average pooling: a fixed linear map, y_o = (1/|window|) Σ_{j ∈ window(o)} x_j. */
class AveragePoolOperator implements LayerOperator {
  readonly weightOffset = -1;
  readonly biasOffset = -1;
  private readonly table: ConnectionTable;
  private readonly coefficient: number;
  constructor(readonly shape: NetworkLayerShape) {
    this.table = connectionTable(shape);
    this.coefficient = 1 / shape.kernel.reduce((a, b) => a * b, 1);
  }
  forward(X: Float64Array, N: number): Float64Array {
    const { rowStart, input } = this.table;
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    const Y = new Float64Array(N * m);
    for (let i = 0; i < N; i++) {
      for (let o = 0; o < m; o++) {
        let s = 0;
        for (let c = rowStart[o]; c < rowStart[o + 1]; c++) s += X[i * n + input[c]];
        Y[i * m + o] = s * this.coefficient;
      }
    }
    return Y;
  }
  jvpInput(R: Float64Array, N: number): Float64Array {
    return this.forward(R, N);
  }
  vjpInput(D: Float64Array, N: number): Float64Array {
    const { rowStart, input } = this.table;
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    const out = new Float64Array(N * n);
    for (let i = 0; i < N; i++) {
      for (let o = 0; o < m; o++) {
        const d = D[i * m + o] * this.coefficient;
        for (let c = rowStart[o]; c < rowStart[o + 1]; c++) out[i * n + input[c]] += d;
      }
    }
    return out;
  }
}

/**
 * Max pooling: y_o = x_{a(o)} with a(o) the first maximal entry of the window. Piecewise linear, so its
 * derivatives route through the cached argmax and it has no second-order term.
 */
class MaxPoolOperator implements LayerOperator {
  readonly weightOffset = -1;
  readonly biasOffset = -1;
  private readonly table: ConnectionTable;
  /** Per sample and output, the index of the maximal input (local to the sample). */
  private argmax = new Int32Array(0);
  constructor(readonly shape: NetworkLayerShape) {
    this.table = connectionTable(shape);
  }
  forward(X: Float64Array, N: number): Float64Array {
    const { rowStart, input } = this.table;
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    const Y = new Float64Array(N * m);
    this.argmax = new Int32Array(N * m);
    for (let i = 0; i < N; i++) {
      for (let o = 0; o < m; o++) {
        let best = input[rowStart[o]];
        for (let c = rowStart[o] + 1; c < rowStart[o + 1]; c++) if (X[i * n + input[c]] > X[i * n + best]) best = input[c];
        this.argmax[i * m + o] = best;
        Y[i * m + o] = X[i * n + best];
      }
    }
    return Y;
  }
  jvpInput(R: Float64Array, N: number): Float64Array {
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    const Y = new Float64Array(N * m);
    for (let i = 0; i < N; i++) for (let o = 0; o < m; o++) Y[i * m + o] = R[i * n + this.argmax[i * m + o]];
    return Y;
  }
  vjpInput(D: Float64Array, N: number): Float64Array {
    const n = this.shape.inputSize;
    const m = this.shape.outputSize;
    const out = new Float64Array(N * n);
    for (let i = 0; i < N; i++) for (let o = 0; o < m; o++) out[i * n + this.argmax[i * m + o]] += D[i * m + o];
    return out;
  }
}

/** Flatten: the identity on the row-major data (returns its argument). */
class FlattenOperator implements LayerOperator {
  readonly weightOffset = -1;
  readonly biasOffset = -1;
  constructor(readonly shape: NetworkLayerShape) {}
  forward(X: Float64Array): Float64Array {
    return X;
  }
  jvpInput(R: Float64Array): Float64Array {
    return R;
  }
  vjpInput(D: Float64Array): Float64Array {
    return D;
  }
}

/** Element-wise activation y = σ(x); caches σ′(x) and σ″(x) for the first- and second-order terms. */
export class ActivationOperator implements LayerOperator {
  readonly weightOffset = -1;
  readonly biasOffset = -1;
  first = new Float64Array(0);
  second = new Float64Array(0);
  constructor(
    readonly shape: NetworkLayerShape,
    private readonly leakySlope: number | undefined,
  ) {}
  forward(X: Float64Array): Float64Array {
    const act = activationFunctions(this.shape.activation ?? 'linear', this.leakySlope);
    const Y = new Float64Array(X.length);
    this.first = new Float64Array(X.length);
    this.second = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) {
      Y[i] = act.value(X[i]);
      this.first[i] = act.first(X[i]);
      this.second[i] = act.second(X[i]);
    }
    return Y;
  }
  jvpInput(R: Float64Array): Float64Array {
    const Y = new Float64Array(R.length);
    for (let i = 0; i < R.length; i++) Y[i] = this.first[i] * R[i];
    return Y;
  }
  vjpInput(D: Float64Array): Float64Array {
    const out = new Float64Array(D.length);
    for (let i = 0; i < D.length; i++) out[i] = D[i] * this.first[i];
    return out;
  }
}

/** The operator of one resolved layer; parameter offsets −1 when absent. */
export function layerOperator(shape: NetworkLayerShape, offsets: { weight: number; bias: number }, leakySlope?: number): LayerOperator {
  switch (shape.type) {
    case 'dense':
      return new DenseOperator(shape, offsets.weight, offsets.bias);
    case 'conv1d':
    case 'conv2d':
    case 'locally-connected1d':
    case 'locally-connected2d':
      return new WindowedAffineOperator(shape, offsets.weight, offsets.bias);
    case 'avgpool':
      return new AveragePoolOperator(shape);
    case 'maxpool':
      return new MaxPoolOperator(shape);
    case 'flatten':
      return new FlattenOperator(shape);
    case 'activation':
      return new ActivationOperator(shape, leakySlope);
  }
}
