import { ShapeMismatchError } from '@intrinsic/spectra';
import { parameterLayout, validateMlpSpec, type MlpSpec } from '@intrinsic/models';

/** One layer's parameters as views into the flat vector (layout of `parameterLayout`). */
export interface LayerWeights {
  /** Layer index from 1. */
  layer: number;
  /** W_l, row-major [rows = fan-out, columns = fan-in]. */
  weight: Float64Array;
  rows: number;
  columns: number;
  /** b_l, or null without bias. */
  bias: Float64Array | null;
}

/** Splits a flat parameter vector into per-layer views, after checking the spec and the length. */
export function layerWeights(fn: string, spec: MlpSpec, params: Float64Array): LayerWeights[] {
  validateMlpSpec(spec);
  const layout = parameterLayout(spec);
  if (params.length !== layout.size) {
    throw new ShapeMismatchError(`${fn}: parameters have length ${params.length}, the spec has p = ${layout.size}`);
  }
  const layers: LayerWeights[] = [];
  for (const view of layout.views) {
    const values = params.subarray(view.offset, view.offset + view.size);
    if (view.kind === 'weight') {
      layers.push({ layer: view.layer, weight: values, rows: view.shape[0], columns: view.shape[1], bias: null });
    } else {
      layers[layers.length - 1].bias = values;
    }
  }
  return layers;
}
