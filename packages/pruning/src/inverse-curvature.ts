import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';

/**
 * An inverse curvature matrix C⁻¹ (C = dampened Hessian or Fisher, symmetric positive definite) seen
 * through the two things OBS-type pruning needs: its diagonal [C⁻¹]_qq for the saliencies and products
 * C⁻¹ v for the weight update (a superposed update is one product, see {@link obsUpdate}). Dense,
 * block-diagonal and low-rank (Woodbury closed form) representations all implement it, so none of them
 * has to form a p × p matrix it does not already hold.
 */
export interface InverseCurvature {
  /** Order p of the matrix. */
  readonly size: number;
  /** How it is stored, for reports: `dense`, `block-diagonal (…)`, `low-rank (…)`. */
  readonly description: string;
  /** The diagonal [C⁻¹]_qq, length p. */
  diagonal(out?: Float64Array): Float64Array;
  /** The product C⁻¹ v, length p. */
  multiply(vector: Float64Array, out?: Float64Array): Float64Array;
}

/** Column C⁻¹ e_q of an inverse curvature (one product with a unit vector). */
export function inverseColumn(inverse: InverseCurvature, index: number, out?: Float64Array): Float64Array {
  if (!Number.isInteger(index) || index < 0 || index >= inverse.size) {
    throw new InvalidArgumentError(`inverseColumn: index ${index} outside 0…${inverse.size - 1}`);
  }
  const e = new Float64Array(inverse.size);
  e[index] = 1;
  return inverse.multiply(e, out);
}

function outputOf(out: Float64Array | undefined, size: number, fn: string): Float64Array {
  if (!out) return new Float64Array(size);
  if (out.length !== size) throw new ShapeMismatchError(`${fn}: output has length ${out.length}, expected ${size}`);
  return out;
}

/**
 * Wraps a dense row-major p × p inverse (e.g. from {@link choleskyInverse}). Diagonal O(p); product
 * O(p²). The matrix is held by reference, not copied.
 * @throws ShapeMismatchError when `matrix.length !== size²`.
 */
export function denseInverseCurvature(matrix: Float64Array, size: number): InverseCurvature {
  if (matrix.length !== size * size) {
    throw new ShapeMismatchError(`denseInverseCurvature: matrix has ${matrix.length} entries, expected ${size}² = ${size * size}`);
  }
  return {
    size,
    description: 'dense',
    diagonal(out) {
      const d = outputOf(out, size, 'diagonal');
      for (let i = 0; i < size; i++) d[i] = matrix[i * size + i];
      return d;
    },
    multiply(vector, out) {
      if (vector.length !== size) throw new ShapeMismatchError(`multiply: vector has length ${vector.length}, expected ${size}`);
      const y = outputOf(out, size, 'multiply');
      const x = vector === y ? Float64Array.from(vector) : vector;
      for (let i = 0; i < size; i++) {
        let s = 0;
        const row = i * size;
        for (let j = 0; j < size; j++) s += matrix[row + j] * x[j];
        y[i] = s;
      }
      return y;
    },
  };
}

/** One diagonal block: indices [start, start + inverse.size) of the full vector. */
export interface InverseBlock {
  start: number;
  inverse: InverseCurvature;
}

/**
 * Contiguous diagonal blocks of size `blockSize` covering 0 … size − 1 (the last one may be shorter):
 * [0, c), [c, 2c), …. With `boundaries` (e.g. the layer offsets of a parameter layout) a block never
 * crosses a boundary: each segment between boundaries is cut into blocks of at most c.
 * @returns the block start indices and lengths.
 * @throws InvalidArgumentError when `blockSize` is not a positive integer.
 */
export function diagonalBlocks(size: number, blockSize: number, boundaries: number[] = []): { start: number; length: number }[] {
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new InvalidArgumentError(`diagonalBlocks: block size must be a positive integer, got ${blockSize}`);
  }
  const cuts = Array.from(new Set([0, ...boundaries.filter((b) => b > 0 && b < size), size])).sort((a, b) => a - b);
  const blocks: { start: number; length: number }[] = [];
  for (let s = 0; s + 1 < cuts.length; s++) {
    for (let start = cuts[s]; start < cuts[s + 1]; start += blockSize) {
      blocks.push({ start, length: Math.min(blockSize, cuts[s + 1] - start) });
    }
  }
  return blocks;
}

/**
 * A block-diagonal inverse C⁻¹ = diag(C_1⁻¹, …, C_B⁻¹) from per-block inverses; entries outside the
 * blocks are zero. Diagonal and product cost the sum of the blocks' costs.
 * @throws InvalidArgumentError when the blocks do not tile 0 … size − 1 in order without gaps.
 */
export function blockDiagonalInverse(blocks: InverseBlock[], size: number): InverseCurvature {
  let next = 0;
  for (const block of blocks) {
    if (block.start !== next) {
      throw new InvalidArgumentError(`blockDiagonalInverse: block at ${block.start} should start at ${next} (blocks must tile 0…${size - 1})`);
    }
    next += block.inverse.size;
  }
  if (next !== size) throw new InvalidArgumentError(`blockDiagonalInverse: blocks cover ${next} indices, expected ${size}`);
  const largest = blocks.reduce((m, b) => Math.max(m, b.inverse.size), 0);
  return {
    size,
    description: `block-diagonal (${blocks.length} blocks, largest ${largest})`,
    diagonal(out) {
      const d = outputOf(out, size, 'diagonal');
      for (const block of blocks) block.inverse.diagonal(d.subarray(block.start, block.start + block.inverse.size));
      return d;
    },
    multiply(vector, out) {
      if (vector.length !== size) throw new ShapeMismatchError(`multiply: vector has length ${vector.length}, expected ${size}`);
      const y = outputOf(out, size, 'multiply');
      const x = vector === y ? Float64Array.from(vector) : vector;
      for (const block of blocks) {
        const end = block.start + block.inverse.size;
        block.inverse.multiply(x.subarray(block.start, end), y.subarray(block.start, end));
      }
      return y;
    },
  };
}
