import { InvalidArgumentError } from '@intrinsic/spectra';
import { layerIndices, parameterLayout, type MlpSpec } from '@intrinsic/models';
import { matrixBlock } from './dense-hessian.js';

/** One block of a curvature matrix between two layers. */
export interface LayerBlock {
  /** Layers, counted from 1. */
  rowLayer: number;
  columnLayer: number;
  rows: number;
  columns: number;
  /** Row-major rows × columns; parameters of each layer in the flat order (W_l then b_l). */
  values: Float64Array;
}

/**
 * Block (k, l) of a dense p × p curvature matrix: the rows of layer k's parameters and the columns of
 * layer l's (weights then bias, in the flat layout of the models package). ∂²L/∂θ_k∂θ_l.
 * @throws InvalidArgumentError when a layer does not exist.
 */
export function layerBlock(matrix: Float64Array, spec: MlpSpec, rowLayer: number, columnLayer: number): LayerBlock {
  const L = spec.widths.length - 1;
  for (const layer of [rowLayer, columnLayer]) {
    if (!Number.isInteger(layer) || layer < 1 || layer > L) throw new InvalidArgumentError(`layer ${layer} does not exist; layers are 1…${L}`);
  }
  const layout = parameterLayout(spec);
  const rows = layerIndices(layout, [rowLayer]);
  const columns = layerIndices(layout, [columnLayer]);
  return { rowLayer, columnLayer, rows: rows.length, columns: columns.length, values: matrixBlock(matrix, layout.size, rows, columns) };
}

/** All L × L layer blocks of a dense curvature matrix, row-major by (k, l). */
export function layerBlocks(matrix: Float64Array, spec: MlpSpec): LayerBlock[] {
  const L = spec.widths.length - 1;
  const blocks: LayerBlock[] = [];
  for (let k = 1; k <= L; k++) for (let l = 1; l <= L; l++) blocks.push(layerBlock(matrix, spec, k, l));
  return blocks;
}
