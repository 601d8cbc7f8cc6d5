import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { addColumnSums, addMultiply, addTransposedMultiply, multiplyTransposed } from './dense-kernels.js';

// Odd sizes exercise the blocked loops and their remainders.
const rows = 7;
const m = 6;
const n = 5;
const rng = new Random(9);
const A = rng.fillGaussian(new Float64Array(rows * n));
const D = rng.fillGaussian(new Float64Array(rows * m));
const params = rng.fillGaussian(new Float64Array(3 + m * n + m)); // W at offset 3, b after it
const offset = 3;
const biasOffset = 3 + m * n;
const W = (o: number, j: number) => params[offset + o * n + j];

describe('dense kernels against the plain triple loops', () => {
  it('multiplyTransposed: Z = A Wᵀ + b', () => {
    const Z = multiplyTransposed(A, rows, n, params, offset, m, biasOffset, new Float64Array(rows * m));
    for (let i = 0; i < rows; i++) for (let o = 0; o < m; o++) {
      let s = params[biasOffset + o];
      for (let j = 0; j < n; j++) s += A[i * n + j] * W(o, j);
      expect(Z[i * m + o]).toBeCloseTo(s, 13);
    }
  });

  it('addMultiply: E += D W', () => {
    const E = new Float64Array(rows * n).fill(1);
    addMultiply(D, rows, m, params, offset, n, E);
    for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) {
      let s = 1;
      for (let o = 0; o < m; o++) s += D[i * m + o] * W(o, j);
      expect(E[i * n + j]).toBeCloseTo(s, 13);
    }
  });

  it('addTransposedMultiply and addColumnSums: G += s·DᵀA, b += s·Σ D', () => {
    const out = new Float64Array(params.length);
    addTransposedMultiply(D, rows, m, A, n, out, offset, 0.5);
    addColumnSums(D, rows, m, out, biasOffset, 0.5);
    for (let o = 0; o < m; o++) {
      let b = 0;
      for (let i = 0; i < rows; i++) b += 0.5 * D[i * m + o];
      expect(out[biasOffset + o]).toBeCloseTo(b, 13);
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += 0.5 * D[i * m + o] * A[i * n + j];
        expect(out[offset + o * n + j]).toBeCloseTo(s, 13);
      }
    }
    expect(out[0]).toBe(0);
  });
});
