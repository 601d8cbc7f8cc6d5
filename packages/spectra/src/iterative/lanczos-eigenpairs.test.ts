import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeMismatchError } from '../errors.js';
import { symmetricEigenvalues } from '../symmetric-eigen.js';
import { denseResidual, matrixWithSpectrum } from './__fixtures__/known-spectrum.js';
import { denseOperator } from './dense-operator.js';
import { lanczosEigenpairs, type LanczosTarget } from './lanczos-eigenpairs.js';
import { linearOperator } from './linear-operator.js';
import { scaledOperator } from './scaled-operator.js';

const n = 300;

/** Test spectra with a known structure (the dense reference below is computed, not taken from here). */
const spectra: Record<string, number[]> = {
  // λ_i = i⁻², the decaying spectrum of a trained network's Hessian.
  decaying: Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 2),
  // Ten eigenvalues within 1e-3 of each other at the top, the rest in [0, 9].
  clustered: Array.from({ length: n }, (_, i) => (i < 10 ? 10 + 1e-3 * i : (9 * (i - 10)) / (n - 11))),
  // Both signs with outliers at both ends: largest-magnitude alternates between them.
  'mixed sign': Array.from({ length: n }, (_, i) =>
    i < 5 ? [-20, 18, -15, 14, -12][i] : -5 + (8 * (i - 5)) / (n - 6),
  ),
  // Repeated eigenvalues: 5 (×3), 4 (×3), 3.5 (×2), then 3, 2.9 and a bulk in [0, 2]; negated copies below −6.
  multiplicities: Array.from({ length: n }, (_, i) =>
    i < 10 ? [5, 5, 5, 4, 4, 4, 3.5, 3.5, 3, 2.9][i] : i < 20 ? -[7, 7, 7, 6.5, 6.5, 6.2, 6.1, 6.05, 6.02, 6.01][i - 10] : (2 * (i - 20)) / (n - 21),
  ),
};

const cache = new Map<string, { A: Float64Array; dense: Float64Array }>();
function fixture(name: string): { A: Float64Array; dense: Float64Array } {
  let entry = cache.get(name);
  if (!entry) {
    const A = matrixWithSpectrum(spectra[name], 11);
    entry = { A, dense: symmetricEigenvalues(A, n) };
    cache.set(name, entry);
  }
  return entry;
}

function expectedOrder(dense: Float64Array, which: LanczosTarget): number[] {
  const values = Array.from(dense);
  if (which === 'largest') return values.reverse();
  if (which === 'smallest') return values;
  return values.sort((a, b) => Math.abs(b) - Math.abs(a));
}

describe('lanczosEigenpairs against the dense eigensolver (n = 300, A = Q diag(λ) Qᵀ)', () => {
  const cases: [string, LanczosTarget][] = [
    ['decaying', 'largest'],
    ['clustered', 'largest'],
    ['mixed sign', 'largest'],
    ['mixed sign', 'smallest'],
    ['mixed sign', 'largest-magnitude'],
    ['multiplicities', 'largest'],
    ['multiplicities', 'smallest'],
  ];
  it.each(cases)('%s spectrum, 10 %s: values to 1e-8 relative, true residuals, orthonormal vectors', (name, which) => {
    const { A, dense } = fixture(name);
    const result = lanczosEigenpairs(denseOperator(A, n), { k: 10, which, returnVectors: true, seed: 3 });
    const expected = expectedOrder(dense, which).slice(0, 10);
    expect(result.allConverged).toBe(true);
    expect(result.converged).toEqual(new Array(10).fill(true));
    for (let j = 0; j < 10; j++) {
      expect(Math.abs(result.values[j] - expected[j])).toBeLessThanOrEqual(1e-8 * Math.abs(expected[j]));
    }
    // Reported residuals are the true ‖A v − θ v‖ (recomputed densely) up to rounding, and meet the tolerance.
    const vectors = result.vectors!;
    for (let j = 0; j < 10; j++) {
      const v = vectors.subarray(j * n, (j + 1) * n);
      const trueResidual = denseResidual(A, n, v, result.values[j]);
      expect(Math.abs(trueResidual - result.residualNorms[j])).toBeLessThanOrEqual(1e-12 * result.normEstimate);
      expect(trueResidual).toBeLessThanOrEqual(1e-10 * result.normEstimate + 1e-12 * result.normEstimate);
      for (let i = 0; i <= j; i++) {
        let d = 0;
        for (let r = 0; r < n; r++) d += vectors[i * n + r] * v[r];
        expect(Math.abs(d - (i === j ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
    // ‖A‖_est is a lower bound of ‖A‖₂ = max |λ| and, here, equal to it to the tolerance.
    const normA = Math.max(Math.abs(dense[0]), Math.abs(dense[n - 1]));
    expect(result.normEstimate).toBeLessThanOrEqual(normA * (1 + 1e-12));
    expect(result.matvecs).toBeGreaterThan(10);
  });

  it('no ghosts: a long run with a small basis and a tight tolerance returns each simple eigenvalue once', () => {
    // 40 restarts of a 14-vector basis would, without full re-orthogonalisation, duplicate the converged top
    // eigenvalues; the decaying spectrum is simple, so every returned value must match a distinct dense one.
    const { A, dense } = fixture('decaying');
    const result = lanczosEigenpairs(denseOperator(A, n), { k: 10, basisSize: 14, tolerance: 1e-14, seed: 5 });
    expect(result.iterations).toBeGreaterThan(3);
    const expected = expectedOrder(dense, 'largest');
    for (let j = 0; j < 10; j++) expect(Math.abs(result.values[j] - expected[j])).toBeLessThanOrEqual(1e-12 * expected[j]);
    for (let i = 0; i < 10; i++) {
      for (let j = i + 1; j < 10; j++) expect(Math.abs(result.values[i] - result.values[j])).toBeGreaterThan(1e-6);
    }
  });

  it('thick restart with a basis of only k + 3 vectors still converges', () => {
    const { A, dense } = fixture('decaying');
    const result = lanczosEigenpairs(denseOperator(A, n), { k: 5, basisSize: 8, seed: 1 });
    expect(result.allConverged).toBe(true);
    expect(result.iterations).toBeGreaterThan(5);
    const expected = expectedOrder(dense, 'largest');
    for (let j = 0; j < 5; j++) expect(Math.abs(result.values[j] - expected[j])).toBeLessThanOrEqual(1e-8 * expected[j]);
  });
});

describe('lanczosEigenpairs: multiplicities, breakdown, determinism', () => {
  const diagonal = (values: number[]) =>
    linearOperator({
      size: values.length,
      symmetric: true,
      apply: (x, y) => {
        for (let i = 0; i < values.length; i++) y[i] = values[i] * x[i];
      },
    });

  it('finds every copy of a repeated eigenvalue that a single Krylov space cannot contain', () => {
    // diag with 5 (×3) and 4 (×2) at the top, started from the all-ones vector: every Krylov vector has equal
    // entries on each eigenspace, so the first run sees one direction per distinct eigenvalue. Exact answer:
    // [5, 5, 5, 4, 4, 3, 2.99, 2.98].
    const values = Array.from({ length: 200 }, (_, i) => (i < 3 ? 5 : i < 5 ? 4 : 3 - 0.01 * (i - 5)));
    const op = diagonal(values);
    const start = new Float64Array(200).fill(1);
    const without = lanczosEigenpairs(op, { k: 8, startVector: start, multiplicityCheck: false });
    expect(Array.from(without.values)).not.toEqual([5, 5, 5, 4, 4, 3, 2.99, 2.98]);
    expect(without.values[1]).toBeCloseTo(4, 12); // one 5, then one 4: the copies are missing
    const result = lanczosEigenpairs(op, { k: 8, startVector: start, returnVectors: true });
    const expected = [5, 5, 5, 4, 4, 3, 2.99, 2.98];
    for (let j = 0; j < 8; j++) expect(Math.abs(result.values[j] - expected[j])).toBeLessThanOrEqual(1e-10 * expected[j]);
    expect(result.addedByMultiplicityCheck).toBe(3);
    // The three vectors of 5 are orthonormal and span e₀, e₁, e₂.
    for (let j = 0; j < 3; j++) {
      let inside = 0;
      for (let r = 0; r < 3; r++) inside += result.vectors![j * 200 + r] ** 2;
      expect(inside).toBeCloseTo(1, 12);
    }
  });

  it('restarts from a random vector at an invariant subspace (start = an eigenvector of a small eigenvalue)', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    const start = new Float64Array(100);
    start[70] = 1; // eigenvector of 30: K(A, e₇₀) = span(e₇₀) is invariant
    const result = lanczosEigenpairs(diagonal(values), { k: 3, startVector: start });
    expect(Array.from(result.values).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([100, 99, 98]);
  });

  it('computes the whole spectrum exactly when k = n (the basis exhausts ℝⁿ)', () => {
    const values = [3, -1, 2, 2, 0.5, -4, 7, 1];
    const result = lanczosEigenpairs(diagonal(values), { k: 8, which: 'smallest' });
    const expected = values.slice().sort((a, b) => a - b);
    for (let j = 0; j < 8; j++) expect(result.values[j]).toBeCloseTo(expected[j], 12);
    expect(result.allConverged).toBe(true);
  });

  it('works with the smallest basis (k = 1, m = 2) and its multiplicity check', () => {
    const values = Array.from({ length: 60 }, (_, i) => 1 + i / 10);
    const result = lanczosEigenpairs(diagonal(values), { k: 1, basisSize: 2 });
    expect(result.basisSize).toBe(2);
    expect(result.allConverged).toBe(true);
    expect(Math.abs(result.values[0] - 6.9)).toBeLessThan(1e-9);
  });

  it("'smallest' of A equals minus 'largest' of scaledOperator(−1, A)", () => {
    const values = Array.from({ length: 80 }, (_, i) => Math.sin(i) * (1 + i / 40));
    const op = diagonal(values);
    const smallest = lanczosEigenpairs(op, { k: 4, which: 'smallest' });
    const negated = lanczosEigenpairs(scaledOperator(-1, op), { k: 4 });
    const expected = values.slice().sort((a, b) => a - b).slice(0, 4);
    for (let j = 0; j < 4; j++) {
      expect(Math.abs(smallest.values[j] - expected[j])).toBeLessThan(1e-9);
      expect(Math.abs(-negated.values[j] - expected[j])).toBeLessThan(1e-9);
    }
  });

  it('handles a rank-one operator (A = u uᵀ): λ = ‖u‖² then zeros', () => {
    const u = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i + 1));
    const uu = u.reduce((s, x) => s + x * x, 0);
    const op = linearOperator({
      size: 50,
      symmetric: true,
      apply: (x, y) => {
        const c = u.reduce((s, ui, i) => s + ui * x[i], 0);
        for (let i = 0; i < 50; i++) y[i] = c * u[i];
      },
    });
    const result = lanczosEigenpairs(op, { k: 3 });
    expect(result.values[0]).toBeCloseTo(uu, 11);
    expect(Math.abs(result.values[1])).toBeLessThan(1e-12 * uu);
    expect(Math.abs(result.values[2])).toBeLessThan(1e-12 * uu);
  });

  it('is deterministic for a seed and seed-independent within the tolerance', () => {
    const { A } = fixture('decaying');
    const op = denseOperator(A, n);
    const a = lanczosEigenpairs(op, { k: 4, seed: 42 });
    const b = lanczosEigenpairs(op, { k: 4, seed: 42 });
    const c = lanczosEigenpairs(op, { k: 4, seed: 43 });
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    expect(b.matvecs).toBe(a.matvecs);
    for (let j = 0; j < 4; j++) expect(Math.abs(c.values[j] - a.values[j])).toBeLessThan(1e-12);
  });

  it('matches the documented example: diag(1, …, 300) → 300, 299, 298', () => {
    const op = diagonal(Array.from({ length: 300 }, (_, i) => i + 1));
    const { values } = lanczosEigenpairs(op, { k: 3 });
    for (let j = 0; j < 3; j++) expect(Math.abs(values[j] - (300 - j))).toBeLessThanOrEqual(1e-10 * 300);
  });

  it('stops at maxMatvecs and reports converged: false', () => {
    const op = diagonal(Array.from({ length: 300 }, (_, i) => i + 1));
    const result = lanczosEigenpairs(op, { k: 10, maxMatvecs: 30 });
    expect(result.matvecs).toBeLessThanOrEqual(30);
    expect(result.allConverged).toBe(false);
    expect(result.converged.some((c) => !c)).toBe(true);
  });
});

describe('lanczosEigenpairs: bad input', () => {
  const A = new Float64Array([2, 1, 0, 1, 2, 1, 0, 1, 2]);
  const op = denseOperator(A, 3);
  it('rejects k outside [1, n]', () => {
    expect(() => lanczosEigenpairs(op, { k: 0 })).toThrow(InvalidArgumentError);
    expect(() => lanczosEigenpairs(op, { k: 4 })).toThrow(/k must be an integer in \[1, n = 3\], got 4/);
    expect(() => lanczosEigenpairs(op, { k: 1.5 })).toThrow(InvalidArgumentError);
  });
  it('rejects a non-symmetric operator', () => {
    const nonSymmetric = denseOperator(new Float64Array([1, 2, 0, 1]), 2);
    expect(nonSymmetric.symmetric).toBe(false);
    expect(() => lanczosEigenpairs(nonSymmetric, { k: 1 })).toThrow(/lanczosEigenpairs: the operator \(size 2\) is not symmetric/);
  });
  it('rejects a basis not larger than k, a bad tolerance and a start vector of the wrong length', () => {
    const big = denseOperator(new Float64Array(100).map((_, i) => (i % 11 === 0 ? i : 0)), 10);
    expect(() => lanczosEigenpairs(big, { k: 5, basisSize: 5 })).toThrow(/basisSize 5 must exceed k = 5/);
    expect(() => lanczosEigenpairs(big, { k: 2, tolerance: 0 })).toThrow(InvalidArgumentError);
    expect(() => lanczosEigenpairs(big, { k: 2, which: 'middle' as never })).toThrow(InvalidArgumentError);
    expect(() => lanczosEigenpairs(big, { k: 2, startVector: new Float64Array(3) })).toThrow(ShapeMismatchError);
    expect(() => lanczosEigenpairs(big, { k: 2, startVector: new Float64Array(10) })).toThrow(/startVector must be non-zero and finite, its norm is 0/);
  });
  it('throws NonFiniteError naming the entry when a product contains NaN', () => {
    let calls = 0;
    const bad = linearOperator({
      size: 20,
      symmetric: true,
      apply: (x, y) => {
        calls++;
        for (let i = 0; i < 20; i++) y[i] = (i + 1) * x[i];
        if (calls === 4) y[7] = Number.NaN;
      },
    });
    expect(() => lanczosEigenpairs(bad, { k: 2 })).toThrow(NonFiniteError);
    calls = 0;
    expect(() => lanczosEigenpairs(bad, { k: 2 })).toThrow('lanczosEigenpairs: matvec 4: entry 7 of the product is NaN');
  });
});
