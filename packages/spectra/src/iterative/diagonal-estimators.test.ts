import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError } from '../errors.js';
import { matrixWithSpectrum } from './__fixtures__/known-spectrum.js';
import { denseOperator } from './dense-operator.js';
import { hutchinsonDiagonal } from './hutchinson-diagonal.js';
import { linearOperator } from './linear-operator.js';
import { xdiagDiagonal } from './xdiag-diagonal.js';

const n = 200;
// λ_i = i⁻², a decaying PSD spectrum; the reference is the matrix's own diagonal.
const A = matrixWithSpectrum(Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 2), 12);
const op = denseOperator(A, n);
const diagonal = Float64Array.from({ length: n }, (_, i) => A[i * n + i]);
const relativeError = (estimate: Float64Array) => {
  let e = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    e += (estimate[i] - diagonal[i]) ** 2;
    d += diagonal[i] ** 2;
  }
  return Math.sqrt(e / d);
};

describe('diagonal estimators converge to the true diagonal (n = 200, λ_i = i⁻²)', () => {
  it('hutchinsonDiagonal: error falls like 1/√m and the standard errors match it', () => {
    const small = hutchinsonDiagonal(op, { matvecs: 100, seed: 1 });
    const large = hutchinsonDiagonal(op, { matvecs: 1600, seed: 1 });
    expect(large.matvecs).toBe(1600);
    // 16× the samples → ≈ 4× smaller error.
    expect(relativeError(large.estimate)).toBeLessThan(relativeError(small.estimate) / 2.5);
    expect(relativeError(large.estimate)).toBeLessThan(0.3);
    // Root-mean-square of the errors vs root-mean-square of the reported standard errors.
    let e2 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      e2 += (large.estimate[i] - diagonal[i]) ** 2;
      s2 += large.standardErrors[i] ** 2;
    }
    expect(Math.sqrt(e2 / s2)).toBeGreaterThan(0.7);
    expect(Math.sqrt(e2 / s2)).toBeLessThan(1.4);
  });

  it('xdiagDiagonal: far more accurate than Hutchinson at the same budget, and converging with m', () => {
    const hutchinson = relativeError(hutchinsonDiagonal(op, { matvecs: 100, seed: 2 }).estimate);
    const x100 = xdiagDiagonal(op, { matvecs: 100, seed: 2 });
    const x160 = xdiagDiagonal(op, { matvecs: 160, seed: 2 });
    expect(x100.matvecs).toBe(100);
    // The sketch of 50 vectors captures the top eigenvalues; the residual tail is ~ Σ_{i>50} i⁻² ≈ 0.02 of the trace.
    expect(relativeError(x100.estimate)).toBeLessThan(hutchinson / 10);
    expect(relativeError(x160.estimate)).toBeLessThan(relativeError(x100.estimate));
  });

  it('both are exact in the cases their formulas make exact', () => {
    // Rademacher Hutchinson on a diagonal matrix: ω ⊙ D ω = D (ω ⊙ ω) = diag(D).
    const d = Array.from({ length: 30 }, (_, i) => Math.cos(i));
    const diag = linearOperator({ size: 30, symmetric: true, apply: (x, y) => d.forEach((l, i) => (y[i] = l * x[i])) });
    const exact = hutchinsonDiagonal(diag, { matvecs: 3 });
    d.forEach((l, i) => expect(exact.estimate[i]).toBeCloseTo(l, 14));
    // XDiag when rank(A) = 4 < s = 10.
    const lowRank = matrixWithSpectrum(Array.from({ length: n }, (_, i) => (i < 4 ? 4 - i : 0)), 6);
    const x = xdiagDiagonal(denseOperator(lowRank, n), { matvecs: 20, seed: 9 });
    let maxError = 0;
    for (let i = 0; i < n; i++) maxError = Math.max(maxError, Math.abs(x.estimate[i] - lowRank[i * n + i]));
    expect(maxError).toBeLessThan(1e-12);
  });

  it('rejects bad input', () => {
    expect(() => xdiagDiagonal(denseOperator(new Float64Array([1, 2, 3, 4]), 2))).toThrow(/xdiagDiagonal: the operator \(size 2\) is not symmetric/);
    expect(() => xdiagDiagonal(op, { matvecs: 3 })).toThrow(InvalidArgumentError);
    expect(() => hutchinsonDiagonal(op, { matvecs: 0 })).toThrow(InvalidArgumentError);
    const bad = linearOperator({ size: 3, symmetric: true, apply: (x, y) => { y.set(x); y[0] = Number.POSITIVE_INFINITY; } });
    expect(() => hutchinsonDiagonal(bad)).toThrow(NonFiniteError);
    expect(() => xdiagDiagonal(bad)).toThrow('xdiagDiagonal: matvec 1: entry 0 of the product is Infinity');
  });
});
