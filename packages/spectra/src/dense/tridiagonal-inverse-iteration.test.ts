import { describe, expect, it } from 'vitest';
import { clusterWork, inverseIterationBlock } from './tridiagonal-inverse-iteration.js';

describe('inverseIterationBlock', () => {
  it('singular T − λI (an exact zero pivot, the perturbed solve): T = tridiag(1, 0, 1), n = 41, λ = 2cos(kπ/42)', () => {
    const m = 41;
    const d = new Float64Array(m);
    const e = new Float64Array(m).fill(1);
    // Exact eigenvalues ascending; the middle one is exactly 0, so T − 0·I has a zero pivot.
    const values = Float64Array.from({ length: m }, (_, k) => (k === 20 ? 0 : -2 * Math.cos(((k + 1) * Math.PI) / (m + 1))));
    const out = new Float64Array(m * m);
    expect(inverseIterationBlock(d, e, values, out, 0, m, new Uint32Array([1]))).toBe(true);
    let residual = 0;
    let orthogonality = 0;
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < m; i++) {
        const tv = (i > 0 ? out[j * m + i - 1] : 0) + (i < m - 1 ? out[j * m + i + 1] : 0);
        residual = Math.max(residual, Math.abs(tv - values[j] * out[j * m + i]));
      }
      for (let k = 0; k < m; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += out[j * m + i] * out[k * m + i];
        orthogonality = Math.max(orthogonality, Math.abs(dot - (j === k ? 1 : 0)));
      }
    }
    expect(residual).toBeLessThan(1e-14);
    expect(orthogonality).toBeLessThan(1e-14);
    // The null vector of tridiag(1, 0, 1) is (1, 0, −1, 0, 1, …)/√21, up to sign.
    for (let i = 0; i < m; i++) {
      const expected = i % 2 === 1 ? 0 : (i % 4 === 0 ? 1 : -1) / Math.sqrt(21);
      expect(Math.abs(Math.abs(out[20 * m + i]) - Math.abs(expected))).toBeLessThan(1e-14);
    }
  });

  it('clusterWork counts earlier eigenvalues within 1e-3 ‖T‖₁: [0, 0.0005, 0.0009, 0.5, 0.5] → 0 + 1 + 2 + 0 + 1', () => {
    expect(clusterWork(new Float64Array([0, 0.0005, 0.0009, 0.5, 0.5]), 1)).toBe(4);
  });
});
