import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError } from '../errors.js';
import { symmetricEigenvalues } from '../symmetric-eigen.js';
import { denseResidual, matrixWithSpectrum } from './__fixtures__/known-spectrum.js';
import { denseOperator } from './dense-operator.js';
import { lanczosEigenpairs } from './lanczos-eigenpairs.js';
import { linearOperator } from './linear-operator.js';
import { powerIterationEigenpairs } from './power-iteration-eigenpairs.js';

describe('powerIterationEigenpairs', () => {
  const n = 300;
  // Top three by magnitude 10, −7, 5 with ratios ≤ 0.7, then a bulk in [−2, 3].
  const spectrum = Array.from({ length: n }, (_, i) => (i < 3 ? [10, -7, 5][i] : -2 + (5 * (i - 3)) / (n - 4)));
  const A = matrixWithSpectrum(spectrum, 4);
  const dense = Array.from(symmetricEigenvalues(A, n)).sort((a, b) => Math.abs(b) - Math.abs(a));

  it('agrees with the dense eigensolver on the top 3 by magnitude, with true residuals', () => {
    const result = powerIterationEigenpairs(denseOperator(A, n), { k: 3, seed: 2, returnVectors: true });
    expect(result.allConverged).toBe(true);
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(result.values[j] - dense[j])).toBeLessThanOrEqual(1e-8 * Math.abs(dense[j]));
      const trueResidual = denseResidual(A, n, result.vectors!.subarray(j * n, (j + 1) * n), result.values[j]);
      expect(Math.abs(trueResidual - result.residualNorms[j])).toBeLessThan(1e-12 * 10);
      // Pair 1 meets 1e-10 · |λ| exactly; later pairs carry the earlier vectors' error (≈ 1e-10 · 17 / gap).
      expect(result.residualNorms[j]).toBeLessThanOrEqual((j === 0 ? 1e-10 : 1e-8) * Math.abs(result.values[j]));
    }
    expect(result.matvecs).toBe(result.iterations.reduce((a, b) => a + b, 0));
    // Lanczos reaches the same three pairs with fewer products.
    const lanczos = lanczosEigenpairs(denseOperator(A, n), { k: 3, which: 'largest-magnitude', seed: 2, multiplicityCheck: false });
    expect(lanczos.matvecs).toBeLessThan(result.matvecs);
  });

  it('matches the documented example', () => {
    const { values } = powerIterationEigenpairs(denseOperator(new Float64Array([2, 0, 0, -5]), 2), { k: 2 });
    expect(values[0]).toBeCloseTo(-5, 12);
    expect(values[1]).toBeCloseTo(2, 12);
  });

  it('reports converged: false when the iteration limit is reached (ratio 0.999)', () => {
    const op = denseOperator(new Float64Array([1, 0, 0, 0.999]), 2);
    const result = powerIterationEigenpairs(op, { k: 1, maxIterations: 20 });
    expect(result.converged).toEqual([false]);
    expect(result.matvecs).toBe(20);
  });

  it('rejects bad input', () => {
    const op = denseOperator(new Float64Array([1, 0, 0, 2]), 2);
    expect(() => powerIterationEigenpairs(op, { k: 3 })).toThrow(InvalidArgumentError);
    expect(() => powerIterationEigenpairs(op, { k: 1, tolerance: -1 })).toThrow(InvalidArgumentError);
    expect(() => powerIterationEigenpairs(denseOperator(new Float64Array([1, 1, 0, 1]), 2), { k: 1 })).toThrow(/not symmetric/);
    const bad = linearOperator({ size: 2, symmetric: true, apply: (_x, y) => y.fill(Number.POSITIVE_INFINITY) });
    expect(() => powerIterationEigenpairs(bad, { k: 1 })).toThrow(NonFiniteError);
  });
});
