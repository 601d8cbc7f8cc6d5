import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeMismatchError } from '../errors.js';
import { tridiagonalEigen } from './tridiagonal-eigen.js';
import { tridiagonalEigenvalues } from './tridiagonal-ql.js';

/** ‖T V − V Λ‖_F / ‖T‖_F and ‖VᵀV − I‖_F for a tridiagonal T. */
function errors(d: Float64Array, e: Float64Array, values: Float64Array, vectors: Float64Array): { residual: number; orthogonality: number } {
  const n = d.length;
  let residual = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) norm += d[i] ** 2 + (i < n - 1 ? 2 * e[i] ** 2 : 0);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let tv = d[i] * vectors[i * n + j];
      if (i > 0) tv += e[i - 1] * vectors[(i - 1) * n + j];
      if (i < n - 1) tv += e[i] * vectors[(i + 1) * n + j];
      residual += (tv - values[j] * vectors[i * n + j]) ** 2;
    }
  }
  let orthogonality = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += vectors[i * n + a] * vectors[i * n + b];
      orthogonality += (s - (a === b ? 1 : 0)) ** 2;
    }
  }
  return { residual: Math.sqrt(residual / norm), orthogonality: Math.sqrt(orthogonality) };
}

/** Wilkinson W21+ blocks glued by off-diagonal `glue`: tight clusters of pairs and of copies. */
function gluedWilkinson(copies: number, glue: number): { d: Float64Array; e: Float64Array } {
  const n = 21 * copies;
  const d = Float64Array.from({ length: n }, (_, i) => Math.abs(10 - (i % 21)));
  const e = Float64Array.from({ length: n - 1 }, (_, i) => ((i + 1) % 21 === 0 ? glue : 1));
  return { d, e };
}

describe('tridiagonalEigen', () => {
  it('Toeplitz (a, b), n = 150: vectors ±√(2/(n+1)) sin(jkπ/(n+1)) to 1e-12', () => {
    const n = 150;
    const { values, vectors } = tridiagonalEigen(new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
    for (let k = 0; k < n; k++) {
      // ascending values 2 − 2cos(kπ/(n+1)), k = 1 … n
      expect(Math.abs(values[k] - (2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))))).toBeLessThan(1e-13);
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[j * n + k] * Math.sqrt(2 / (n + 1)) * Math.sin(((j + 1) * (k + 1) * Math.PI) / (n + 1));
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-12);
    }
  });

  for (const [name, make] of [
    ['random, n = 300 (inverse iteration)', () => randomTridiagonal(300, 1)],
    ['glued Wilkinson 5 × W21+, glue 1e-10 (clusters)', () => gluedWilkinson(5, 1e-10)],
    ['glued Wilkinson 10 × W21+, glue 1e-14 (clusters of 10)', () => gluedWilkinson(10, 1e-14)],
    ['Toeplitz split by zeros (blocks 40, 1, 59)', () => splitToeplitz()],
    ['one tight cluster, d = 1, e ~ 1e-5 (Gram–Schmidt too costly: QL fallback)', () => tightCluster(200)],
  ] as const) {
    it(`${name}: residual and orthogonality below n·1e-14, values equal tridiagonalEigenvalues`, () => {
      const { d, e } = make();
      const n = d.length;
      const { values, vectors } = tridiagonalEigen(d, e);
      const { residual, orthogonality } = errors(d, e, values, vectors);
      expect(residual).toBeLessThan(n * 1e-14);
      expect(orthogonality).toBeLessThan(n * 1e-14);
      expect(values).toEqual(tridiagonalEigenvalues(d, e));
    });
  }

  it('rejects mismatched lengths', () => {
    expect(() => tridiagonalEigen(new Float64Array(3), new Float64Array(3))).toThrow(ShapeMismatchError);
  });
});

function randomTridiagonal(n: number, seed: number): { d: Float64Array; e: Float64Array } {
  const random = new Random(seed);
  return { d: Float64Array.from({ length: n }, () => random.gaussian()), e: Float64Array.from({ length: n - 1 }, () => random.gaussian()) };
}

function tightCluster(n: number): { d: Float64Array; e: Float64Array } {
  const random = new Random(3);
  return { d: new Float64Array(n).fill(1), e: Float64Array.from({ length: n - 1 }, () => 1e-5 * (0.5 + random.uniform())) };
}

function splitToeplitz(): { d: Float64Array; e: Float64Array } {
  const n = 100;
  const e = new Float64Array(n - 1).fill(1);
  e[39] = 0;
  e[40] = 0;
  return { d: new Float64Array(n).fill(0.5), e };
}
