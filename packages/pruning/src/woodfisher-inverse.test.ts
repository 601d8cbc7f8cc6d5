import { describe, expect, it } from 'vitest';
import { MemoryBudgetError, Random } from '@intrinsic/spectra';
import { choleskyInverse } from './cholesky.js';
import { blockDiagonalInverse, denseInverseCurvature, diagonalBlocks, inverseColumn } from './inverse-curvature.js';
import { woodFisherInverse } from './woodfisher-inverse.js';
import { referenceFisher, relativeError } from './__fixtures__/linear-algebra.js';

/** Dense p × p matrix of an inverse, column by column. */
function densify(inverse: ReturnType<typeof woodFisherInverse>): Float64Array {
  const p = inverse.size;
  const out = new Float64Array(p * p);
  for (let q = 0; q < p; q++) {
    const column = inverseColumn(inverse, q);
    for (let i = 0; i < p; i++) out[i * p + q] = column[i];
  }
  return out;
}

describe('diagonalBlocks', () => {
  it('tiles 0…p−1 in blocks of c, cutting at boundaries', () => {
    expect(diagonalBlocks(10, 4)).toEqual([
      { start: 0, length: 4 },
      { start: 4, length: 4 },
      { start: 8, length: 2 },
    ]);
    expect(diagonalBlocks(10, 4, [3])).toEqual([
      { start: 0, length: 3 },
      { start: 3, length: 4 },
      { start: 7, length: 3 },
    ]);
  });
});

describe('blockDiagonalInverse', () => {
  it('multiplies block by block and refuses blocks that do not tile 0…p−1', () => {
    const a = denseInverseCurvature(new Float64Array([2, 1, 1, 2]), 2);
    const b = denseInverseCurvature(new Float64Array([3]), 1);
    const inverse = blockDiagonalInverse([{ start: 0, inverse: a }, { start: 2, inverse: b }], 3);
    expect(Array.from(inverse.multiply(new Float64Array([1, 1, 1])))).toEqual([3, 3, 3]);
    expect(Array.from(inverse.diagonal())).toEqual([2, 2, 3]);
    expect(() => blockDiagonalInverse([{ start: 1, inverse: a }], 3)).toThrow(/should start at 0/);
    expect(() => blockDiagonalInverse([{ start: 0, inverse: a }], 3)).toThrow(/cover 2 indices, expected 3/);
  });
});

describe('woodFisherInverse', () => {
  const n = 12;
  const p = 23;
  const damping = 0.02;
  const G = new Random(5).fillGaussian(new Float64Array(n * p));

  it('block-diagonal (c = 5): equals the dense inverse of F with off-block entries zeroed (1e-10), for both solvers', () => {
    const F = referenceFisher(G, n, p, damping);
    const blocks = diagonalBlocks(p, 5);
    const blockOf = (i: number) => blocks.findIndex((b) => i >= b.start && i < b.start + b.length);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) if (blockOf(i) !== blockOf(j)) F[i * p + j] = 0;
    const reference = choleskyInverse(F, p);
    for (const solver of ['recursion', 'closed-form', 'auto'] as const) {
      const inverse = woodFisherInverse(G, { count: n, size: p, damping, blockSize: 5, solver });
      expect(relativeError(densify(inverse), reference)).toBeLessThan(1e-10);
      const diagonal = inverse.diagonal();
      for (let q = 0; q < p; q++) expect(Math.abs(diagonal[q] - reference[q * p + q]) / reference[q * p + q]).toBeLessThan(1e-10);
    }
  });

  it('one block (c = p): the closed form equals the recursion (1e-10)', () => {
    const recursion = densify(woodFisherInverse(G, { count: n, size: p, damping, solver: 'recursion' }));
    const closed = densify(woodFisherInverse(G, { count: n, size: p, damping, solver: 'closed-form' }));
    expect(relativeError(closed, recursion)).toBeLessThan(1e-10);
  });

  it('refuses blocks over the memory budget, naming n, p, c and the size', () => {
    // Recursion with one block of c = p = 23 holds 23² = 529 doubles = 4232 bytes > 4000.
    const call = () => woodFisherInverse(G, { count: n, size: p, damping, solver: 'recursion', memoryBudgetBytes: 4000 });
    expect(call).toThrow(MemoryBudgetError);
    expect(call).toThrow(/n = 12 gradients, p = 23, block size c = 23 .* needs 4.2 KB .* budget of 4.0 KB/);
    // c = 5 needs 4·25 + 9 = 109 doubles: fits.
    expect(woodFisherInverse(G, { count: n, size: p, damping, solver: 'recursion', blockSize: 5, memoryBudgetBytes: 4000 }).size).toBe(p);
  });
});
