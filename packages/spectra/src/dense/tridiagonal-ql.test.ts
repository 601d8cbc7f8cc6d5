import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { tridiagonalEigenvalues } from './tridiagonal-ql.js';

describe('tridiagonalEigenvalues', () => {
  it('Toeplitz tridiagonal (a, b): λ_k = a + 2b cos(kπ/(n+1)) to 1e-14, n = 1 … 300', () => {
    for (const n of [1, 2, 5, 64, 300]) {
      const a = 0.7;
      const b = -1.3;
      const values = tridiagonalEigenvalues(new Float64Array(n).fill(a), new Float64Array(n - 1).fill(b));
      const expected = Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((x, y) => x - y);
      for (let k = 0; k < n; k++) expect(Math.abs(values[k] - expected[k])).toBeLessThan(1e-14 * n);
    }
  });

  it('Wilkinson W21+: the two largest agree to 13 digits; values match LAPACK (numpy eigvalsh) to 1e-12', () => {
    // d = |10 − i|, e = 1: the two largest eigenvalues differ by about 1e-14 (Wilkinson, 1965).
    const n = 21;
    const values = tridiagonalEigenvalues(Float64Array.from({ length: n }, (_, i) => Math.abs(10 - i)), new Float64Array(n - 1).fill(1));
    expect(values[20]).toBeCloseTo(10.746194182903393, 12);
    expect(values[19]).toBeCloseTo(10.746194182903322, 12);
    expect(values[0]).toBeCloseTo(-1.1254415221199854, 12);
  });

  it('splits at zero off-diagonals: diag blocks [[1, 2], [2, 1]] ⊕ [5] → −1, 3, 5', () => {
    const values = tridiagonalEigenvalues(new Float64Array([1, 1, 5]), new Float64Array([2, 0]));
    expect(values[0]).toBeCloseTo(-1, 15);
    expect(values[1]).toBeCloseTo(3, 15);
    expect(values[2]).toBe(5);
  });

  it('does not modify its inputs and rejects bad ones', () => {
    const d = new Float64Array([1, 2]);
    const e = new Float64Array([3]);
    tridiagonalEigenvalues(d, e);
    expect(Array.from(d)).toEqual([1, 2]);
    expect(Array.from(e)).toEqual([3]);
    expect(() => tridiagonalEigenvalues(d, new Float64Array(2))).toThrow(ShapeMismatchError);
    expect(() => tridiagonalEigenvalues(d, new Float64Array([Number.NaN]))).toThrow(InvalidArgumentError);
    expect(tridiagonalEigenvalues(new Float64Array(0), new Float64Array(0))).toEqual(new Float64Array(0));
  });
});
