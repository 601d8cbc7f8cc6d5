import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusteredValues,
  eigenErrors,
  frobenius,
  gradedSymmetric,
  lowRankGram,
  randomSymmetric,
  withSpectrum,
} from './dense/__fixtures__/test-matrices.js';
import { createWasmKernels, moduleBytes, setWasmKernelsEnabled } from './dense/wasm-kernels.js';
import { InvalidArgumentError, ShapeMismatchError } from './errors.js';
import { symmetricEigen, symmetricEigenvalues } from './symmetric-eigen.js';

/** Eigenvalues from ml-matrix (JAMA tred2 + tql2), an independent implementation. */
function referenceValues(a: Float64Array, n: number): Float64Array {
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
  const values = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
  return Float64Array.from(values).sort();
}

const families: Record<string, (n: number) => Float64Array> = {
  random: (n) => randomSymmetric(n, 100 + n),
  graded: (n) => gradedSymmetric(n, 200 + n),
  clustered: (n) => withSpectrum(clusteredValues(n), 300 + n),
  'rank-deficient G Gᵀ, r = ⌈n/5⌉': (n) => lowRankGram(n, Math.ceil(n / 5), 400 + n),
};

describe.each([
  ['WebAssembly SIMD kernels', true],
  ['TypeScript kernels', false],
])('symmetricEigen with %s', (_, wasm) => {
  beforeAll(() => setWasmKernelsEnabled(wasm));
  afterAll(() => setWasmKernelsEnabled(true));

  for (const [family, make] of Object.entries(families)) {
    for (const n of [1, 2, 3, 10, 50, 200]) {
      it(`${family}, n = ${n}: A V = V Λ and VᵀV = I to n·1e-14, values match ml-matrix and the values-only path`, () => {
        const a = make(n);
        const copy = a.slice();
        const { values, vectors } = symmetricEigen(a, n);
        expect(a).toEqual(copy); // input not modified
        const { residual, orthogonality } = eigenErrors(a, n, values, vectors);
        expect(residual).toBeLessThanOrEqual(n * 1e-14);
        expect(orthogonality).toBeLessThanOrEqual(n * 1e-14);
        for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
        const reference = referenceValues(a, n);
        const scale = frobenius(a);
        for (let j = 0; j < n; j++) expect(Math.abs(values[j] - reference[j])).toBeLessThanOrEqual(1e-12 * scale);
        // Same reduction and the same QL arithmetic: the values-only path agrees exactly.
        expect(symmetricEigenvalues(a, n)).toEqual(values);
      });
    }
  }

  it('G Gᵀ of rank 100 at n = 400: 300 near-zero eigenvalues, orthogonality still below n·1e-14', () => {
    const n = 400;
    const a = lowRankGram(n, 100, 9);
    const { values, vectors } = symmetricEigen(a, n);
    const { residual, orthogonality } = eigenErrors(a, n, values, vectors);
    expect(residual).toBeLessThanOrEqual(n * 1e-14);
    expect(orthogonality).toBeLessThanOrEqual(n * 1e-14);
    expect(values.filter((x) => Math.abs(x) <= n * 2 ** -52 * values[n - 1]).length).toBe(300);
  });
});

describe('symmetricEigen', () => {
  it('runs the WebAssembly SIMD kernels on Node, and both kernel paths agree to 1e-13 ‖A‖', () => {
    expect(createWasmKernels(1024)).not.toBeNull();
    // Browsers compile modules over 4 KiB synchronously only off the main thread.
    expect(moduleBytes().length).toBeLessThan(4096);
    const n = 150;
    const a = randomSymmetric(n, 77);
    const fast = symmetricEigen(a, n);
    setWasmKernelsEnabled(false);
    const plain = symmetricEigen(a, n);
    setWasmKernelsEnabled(true);
    const scale = frobenius(a);
    for (let j = 0; j < n; j++) expect(Math.abs(fast.values[j] - plain.values[j])).toBeLessThan(1e-13 * scale);
  });

  it('recovers a known clustered spectrum {−2, 1, 5} with multiplicities 34, 33, 33 at n = 100', () => {
    const n = 100;
    const values = symmetricEigenvalues(withSpectrum(clusteredValues(n), 7), n);
    for (let j = 0; j < n; j++) {
      const expected = j < 34 ? -2 : j < 67 ? 1 : 5;
      expect(Math.abs(values[j] - expected)).toBeLessThan(1e-12);
    }
  });

  it('G Gᵀ of rank 20 at n = 120 has exactly 100 eigenvalues below n·ε·λ_max', () => {
    const n = 120;
    const values = symmetricEigenvalues(lowRankGram(n, 20, 5), n);
    const threshold = n * 2 ** -52 * values[n - 1];
    expect(values.filter((x) => Math.abs(x) <= threshold).length).toBe(100);
    expect(values[100]).toBeGreaterThan(1); // the smallest non-zero eigenvalue is about (√120 − √20)² ≈ 42
  });

  it('handles n = 0, n = 1, diagonal and zero matrices', () => {
    expect(symmetricEigen(new Float64Array(0), 0)).toEqual({ values: new Float64Array(0), vectors: new Float64Array(0) });
    expect(symmetricEigenvalues(new Float64Array(0), 0)).toEqual(new Float64Array(0));
    expect(symmetricEigen(new Float64Array([-3.5]), 1)).toEqual({ values: new Float64Array([-3.5]), vectors: new Float64Array([1]) });
    // diag(3, −1, 2, 0): eigenvalues sorted, eigenvectors ± unit vectors.
    const diagonal = new Float64Array(16);
    [3, -1, 2, 0].forEach((x, i) => (diagonal[i * 4 + i] = x));
    const { values, vectors } = symmetricEigen(diagonal, 4);
    expect(Array.from(values)).toEqual([-1, 0, 2, 3]);
    const position = [1, 3, 2, 0]; // row of the 1 in each eigenvector column
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) expect(Math.abs(vectors[i * 4 + j])).toBe(i === position[j] ? 1 : 0);
    const zero = symmetricEigen(new Float64Array(25), 5);
    expect(Array.from(zero.values)).toEqual([0, 0, 0, 0, 0]);
    expect(eigenErrors(new Float64Array(25), 5, zero.values, zero.vectors).orthogonality).toBeLessThan(1e-15);
  });

  it('matches the 2 × 2 closed form [[2, 1], [1, 2]] → 1, 3 with vectors (±1, ∓1)/√2, (1, 1)/√2', () => {
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors[0] + vectors[2])).toBeLessThan(1e-15);
    expect(Math.abs(Math.abs(vectors[1]) - Math.SQRT1_2)).toBeLessThan(1e-15);
    expect(vectors[1] * vectors[3]).toBeGreaterThan(0);
  });

  it('is scale invariant across 1e±200 (exact power-of-two scaling inside)', () => {
    const n = 30;
    const a = randomSymmetric(n, 11);
    const base = symmetricEigenvalues(a, n);
    for (const s of [1e-200, 1e200]) {
      const scaled = symmetricEigenvalues(a.map((x) => x * s), n);
      for (let j = 0; j < n; j++) expect(Math.abs(scaled[j] / s - base[j])).toBeLessThan(1e-13 * Math.abs(base[n - 1]));
    }
  });

  it('symmetrises its input as (A + Aᵀ)/2', () => {
    const lower = new Float64Array([2, 0, 2, 2]); // (A + Aᵀ)/2 = [[2, 1], [1, 2]]
    const values = symmetricEigenvalues(lower, 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
  });

  it('rejects non-finite entries, wrong lengths and bad orders', () => {
    const bad = new Float64Array([1, 2, 2, Number.NaN]);
    expect(() => symmetricEigen(bad, 2)).toThrow(InvalidArgumentError);
    expect(() => symmetricEigenvalues(new Float64Array([1, Infinity, Infinity, 1]), 2)).toThrow(/entry \(0, 1\) is Infinity/);
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(ShapeMismatchError);
    expect(() => symmetricEigenvalues(new Float64Array(5), 2)).toThrow(/5 entries, expected n × n = 4/);
    expect(() => symmetricEigenvalues(new Float64Array(4), 1.5)).toThrow(InvalidArgumentError);
  });
});
