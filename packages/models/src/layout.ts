import type { MlpSpec } from './spec.js';

/** One named array inside the flat parameter vector. */
export interface ParameterView {
  /** `W1`, `b1`, `W2`, … (layers counted from 1). */
  name: string;
  /** Layer index, from 1. */
  layer: number;
  kind: 'weight' | 'bias';
  /** `[out, in]` for a weight (row-major), `[out]` for a bias. */
  shape: number[];
  /** First index in the flat vector. */
  offset: number;
  size: number;
}

/** The flat layout of a model's parameters. */
export interface ParameterLayout {
  views: ParameterView[];
  /** Total parameter count p. */
  size: number;
}

/**
 * The documented flat parameter layout of an MLP.
 *
 * Layer by layer, l = 1 … L: first W_l, shape [M_l, M_{l−1}] in row-major order (entry (i, j) at
 * offset + i·M_{l−1} + j, the weight from input unit j to output unit i), then b_l (length M_l) when the
 * spec has biases. This matches PyTorch's `nn.Linear.weight` layout and the transpose of Keras' kernel.
 */
export function parameterLayout(spec: MlpSpec): ParameterLayout {
  const views: ParameterView[] = [];
  let offset = 0;
  for (let l = 1; l < spec.widths.length; l++) {
    const fanIn = spec.widths[l - 1];
    const fanOut = spec.widths[l];
    views.push({ name: `W${l}`, layer: l, kind: 'weight', shape: [fanOut, fanIn], offset, size: fanOut * fanIn });
    offset += fanOut * fanIn;
    if (spec.bias) {
      views.push({ name: `b${l}`, layer: l, kind: 'bias', shape: [fanOut], offset, size: fanOut });
      offset += fanOut;
    }
  }
  return { views, size: offset };
}

/** Parameter count p of a spec. */
export function parameterCount(spec: MlpSpec): number {
  return parameterLayout(spec).size;
}

/** Sub-array view (no copy) of one named parameter array. */
export function parameterSlice(params: Float64Array, view: ParameterView): Float64Array {
  return params.subarray(view.offset, view.offset + view.size);
}

/** Indices of the flat vector that belong to the given layers (1-based). */
export function layerIndices(layout: ParameterLayout, layers: number[]): Int32Array {
  const wanted = new Set(layers);
  const out: number[] = [];
  for (const v of layout.views) if (wanted.has(v.layer)) for (let i = 0; i < v.size; i++) out.push(v.offset + i);
  return Int32Array.from(out);
}
