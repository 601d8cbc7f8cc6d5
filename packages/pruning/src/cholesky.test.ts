import { describe, expect, it } from 'vitest';
import { IntrinsicError, NotPositiveDefiniteError } from '@intrinsic/spectra';
import { cholesky, choleskyInverse, choleskySolve } from './cholesky.js';
import { distanceToIdentity, matmul, randomSpd, relativeError } from './__fixtures__/linear-algebra.js';

describe('cholesky', () => {
  it('factors the documented 2 × 2 example exactly: [[4,2],[2,5]] = L Lᵀ with L = [[2,0],[1,2]]', () => {
    expect(Array.from(cholesky(new Float64Array([4, 2, 2, 5]), 2))).toEqual([2, 0, 1, 2]);
  });

  it('reproduces a random SPD matrix as L Lᵀ to 1e-13 relative', () => {
    const n = 30;
    const A = randomSpd(n, 11);
    const L = cholesky(A, n);
    const Lt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Lt[i * n + j] = L[j * n + i];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
    expect(relativeError(matmul(L, Lt, n, n, n), A)).toBeLessThan(1e-13);
  });

  it('solves A x = b: the residual A x − b is below 1e-10 relative', () => {
    const n = 25;
    const A = randomSpd(n, 3);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const x = choleskySolve(cholesky(A, n), n, b);
    expect(relativeError(matmul(A, x, n, n, 1), b)).toBeLessThan(1e-10);
  });

  it('throws NotPositiveDefiniteError naming the pivot for an indefinite matrix', () => {
    const A = new Float64Array([1, 2, 2, 1]); // eigenvalues 3 and −1
    expect(() => cholesky(A, 2)).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky(A, 2)).toThrow(/pivot 1 of 2 is -3/);
    try {
      cholesky(A, 2);
    } catch (e) {
      expect(IntrinsicError.isInstance(e)).toBe(true);
    }
  });

  it('rejects a NaN entry and a wrong size with Intrinsic errors', () => {
    expect(() => cholesky(new Float64Array([NaN, 0, 0, 1]), 2)).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky(new Float64Array(3), 2)).toThrow(/expected n × n = 4/);
  });
});

describe('choleskyInverse', () => {
  it('gives the closed-form inverse of [[4,2],[2,5]] = (1/16)[[5,−2],[−2,4]]', () => {
    const inv = choleskyInverse(new Float64Array([4, 2, 2, 5]), 2);
    expect(relativeError(inv, [5 / 16, -2 / 16, -2 / 16, 4 / 16])).toBeLessThan(1e-15);
  });

  it('satisfies A·A⁻¹ = I and A⁻¹·A = I to 1e-10 on a 40 × 40 SPD matrix', () => {
    const n = 40;
    const A = randomSpd(n, 5, 1);
    const inv = choleskyInverse(A, n);
    expect(distanceToIdentity(matmul(A, inv, n, n, n), n)).toBeLessThan(1e-10);
    expect(distanceToIdentity(matmul(inv, A, n, n, n), n)).toBeLessThan(1e-10);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(inv[i * n + j]).toBe(inv[j * n + i]);
  });

  it('inverts a diagonal matrix entry by entry', () => {
    const inv = choleskyInverse(new Float64Array([2, 0, 0, 0, 8, 0, 0, 0, 0.5]), 3);
    expect(relativeError(inv, [0.5, 0, 0, 0, 0.125, 0, 0, 0, 2])).toBeLessThan(1e-15); // 1/√0.5 squared rounds by 1 ulp
  });
});
