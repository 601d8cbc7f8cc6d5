import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { inverseColumn } from './inverse-curvature.js';
import { lowRankFisherInverse } from './low-rank-fisher-inverse.js';
import { woodburyFisherInverse } from './woodbury-fisher-inverse.js';
import { relativeError } from './__fixtures__/linear-algebra.js';

describe('lowRankFisherInverse', () => {
  it('has the same diagonal, columns and products as the Woodbury recursion (n = 8 ≪ p = 60, 1e-10)', () => {
    const n = 8;
    const p = 60;
    const rng = new Random(21);
    const G = rng.fillGaussian(new Float64Array(n * p));
    const damping = 0.1;
    const dense = woodburyFisherInverse(G, { count: n, size: p, damping });
    const lowRank = lowRankFisherInverse(G, { count: n, size: p, damping });
    const diagonal = lowRank.diagonal();
    for (let q = 0; q < p; q++) expect(Math.abs(diagonal[q] - dense[q * p + q]) / dense[q * p + q]).toBeLessThan(1e-10);
    for (const q of [0, 17, 59]) {
      const column = inverseColumn(lowRank, q);
      const reference = Float64Array.from({ length: p }, (_, i) => dense[i * p + q]);
      expect(relativeError(column, reference)).toBeLessThan(1e-10);
    }
    const v = rng.fillGaussian(new Float64Array(p));
    const reference = new Float64Array(p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) reference[i] += dense[i * p + j] * v[j];
    expect(relativeError(lowRank.multiply(v), reference)).toBeLessThan(1e-10);
  });

  it('with G = 0 is exactly λ⁻¹ I', () => {
    const inverse = lowRankFisherInverse(new Float64Array(3 * 4), { count: 3, size: 4, damping: 0.25 });
    expect(Array.from(inverse.diagonal())).toEqual([4, 4, 4, 4]);
    expect(Array.from(inverse.multiply(new Float64Array([1, 2, 3, 4])))).toEqual([4, 8, 12, 16]);
  });
});
