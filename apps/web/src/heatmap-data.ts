import { InvalidArgumentError } from '@intrinsic/spectra';

/** A square matrix shrunk for drawing: `size × size` cells, row-major, each the signed entry of largest magnitude in its block. */
export interface HeatmapData {
  /** Cells per side (≤ the requested maximum). */
  size: number;
  /** Order n of the source matrix. */
  sourceSize: number;
  /** Source rows (and columns) per cell, ⌈n / size⌉ (1 when the matrix is drawn entry by entry). */
  blockSize: number;
  /** size² values, row-major. */
  cells: Float32Array;
  /** Largest |entry| of the whole source matrix (the colour scale's end). */
  maxMagnitude: number;
}

/**
 * Downsamples a row-major n × n matrix to at most `maxCells` × `maxCells` cells for a heatmap. Each cell
 * keeps the entry of largest magnitude in its b × b block (b = ⌈n / maxCells⌉) with its sign, so a lone
 * large entry stays visible and a zero block stays exactly zero (an average would blur both).
 *
 * Cost: one pass over the n² entries; memory ⌈n/b⌉² floats.
 * @throws InvalidArgumentError when the length is not n² or maxCells is not a positive integer.
 */
export function downsampleMatrix(matrix: Float64Array, n: number, maxCells: number): HeatmapData {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) {
    throw new InvalidArgumentError(`downsampleMatrix: a matrix of order ${n} needs ${n * n} entries, got ${matrix.length}`);
  }
  if (!Number.isInteger(maxCells) || maxCells < 1) throw new InvalidArgumentError(`downsampleMatrix: maxCells must be a positive integer, got ${maxCells}`);
  const blockSize = Math.ceil(n / maxCells);
  const size = Math.ceil(n / blockSize);
  const cells = new Float32Array(size * size);
  let maxMagnitude = 0;
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / blockSize) * size;
    for (let j = 0; j < n; j++) {
      const value = matrix[i * n + j];
      const a = Math.abs(value);
      if (a > maxMagnitude) maxMagnitude = a;
      const c = row + Math.floor(j / blockSize);
      if (a > Math.abs(cells[c])) cells[c] = value;
    }
  }
  return { size, sourceSize: n, blockSize, cells, maxMagnitude };
}
