import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from '../errors.js';
import { gradedSymmetric, randomSymmetric } from './__fixtures__/test-matrices.js';
import { householderTridiagonal } from './householder-tridiagonal.js';

/** Q = H_{n−1} ⋯ H_1 built explicitly from the reflectors (row-major n × n). */
function explicitQ(reflectors: Float64Array, tau: Float64Array, n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  // Q = H_{n−1} (⋯ (H_1 I)): apply H_1 first to the identity's columns.
  for (let k = 1; k < n; k++) {
    const v = reflectors.subarray(k * n, k * n + k);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += v[r] * q[r * n + j];
      for (let r = 0; r < k; r++) q[r * n + j] -= tau[k] * s * v[r];
    }
  }
  return q;
}

describe('householderTridiagonal', () => {
  for (const [name, make] of [
    ['random', randomSymmetric],
    ['graded', gradedSymmetric],
  ] as const) {
    for (const n of [1, 2, 3, 7, 40, 101]) {
      it(`${name}, n = ${n}: Q orthogonal and Q T Qᵀ = A to 1e-14 ‖A‖`, () => {
        const a = make(n, 31 + n);
        const copy = a.slice();
        const { diagonal, offDiagonal, reflectors, tau } = householderTridiagonal(a, n);
        expect(a).toEqual(copy);
        expect(diagonal.length).toBe(n);
        expect(offDiagonal.length).toBe(n - 1);
        for (let k = 1; k < n; k++) expect(reflectors[k * n + k - 1]).toBe(1);
        const q = explicitQ(reflectors, tau, n);
        let norm = 0;
        for (const x of a) norm = Math.max(norm, Math.abs(x));
        let orthogonality = 0;
        let reconstruction = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let qtq = 0;
            let qtqt = 0; // (Q T Qᵀ)_{ij} = Σ_k Q_ik (T Qᵀ)_kj
            for (let k = 0; k < n; k++) {
              qtq += q[k * n + i] * q[k * n + j];
              let tq = diagonal[k] * q[j * n + k];
              if (k > 0) tq += offDiagonal[k - 1] * q[j * n + k - 1];
              if (k < n - 1) tq += offDiagonal[k] * q[j * n + k + 1];
              qtqt += q[i * n + k] * tq;
            }
            orthogonality = Math.max(orthogonality, Math.abs(qtq - (i === j ? 1 : 0)));
            reconstruction = Math.max(reconstruction, Math.abs(qtqt - a[i * n + j]));
          }
        }
        expect(orthogonality).toBeLessThan(1e-14 * n);
        expect(reconstruction).toBeLessThan(1e-14 * n * norm);
      });
    }
  }

  it('leaves a tridiagonal matrix tridiagonal: [[4, 1, 0], [1, 3, 2], [0, 2, 1]] → same |d|, |e|', () => {
    const { diagonal, offDiagonal } = householderTridiagonal(new Float64Array([4, 1, 0, 1, 3, 2, 0, 2, 1]), 3);
    expect(Array.from(diagonal)).toEqual([4, 3, 1]);
    expect(Array.from(offDiagonal, Math.abs)).toEqual([1, 2]);
  });

  it('rejects a wrong length', () => {
    expect(() => householderTridiagonal(new Float64Array(3), 2)).toThrow(ShapeMismatchError);
  });
});
