import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError } from '../errors.js';
import { symmetricEigenvalues } from '../symmetric-eigen.js';
import { matrixWithSpectrum } from './__fixtures__/known-spectrum.js';
import { denseOperator } from './dense-operator.js';
import { linearOperator } from './linear-operator.js';
import { slqSpectralDensity, trapezoidIntegral } from './slq-spectral-density.js';

const n = 300;
/** Exact smoothed density (1/n) Σ_j g_σ(t − x_j) on a grid, from the dense eigenvalues (mapped by `axis`). */
function exactDensity(eigenvalues: Float64Array, grid: Float64Array, width: number, keep: (l: number) => boolean, axis: (l: number) => number): Float64Array {
  const out = new Float64Array(grid.length);
  for (const l of eigenvalues) {
    if (!keep(l)) continue;
    const x = axis(l);
    for (let g = 0; g < grid.length; g++) {
      const z = (grid[g] - x) / width;
      out[g] += Math.exp(-0.5 * z * z) / (width * Math.sqrt(2 * Math.PI) * eigenvalues.length);
    }
  }
  return out;
}
function l1Distance(grid: Float64Array, a: Float64Array, b: Float64Array): number {
  return trapezoidIntegral(grid, a.map((v, i) => Math.abs(v - b[i])));
}

describe('slqSpectralDensity (n = 300 against the dense eigenvalues)', () => {
  // Hessian-like: a bulk of 200 in [0, 1], 90 in [3, 4], 10 outliers in [8, 10].
  const spectrum = Array.from({ length: n }, (_, i) => (i < 200 ? i / 199 : i < 290 ? 3 + (i - 200) / 89 : 8 + (2 * (i - 290)) / 9));
  const A = matrixWithSpectrum(spectrum, 21);
  const eigenvalues = symmetricEigenvalues(A, n);
  const op = denseOperator(A, n);

  it('integrates to 1, is close to the smoothed exact histogram (L1 distance) and puts 10/300 of the mass on the outliers', () => {
    const distances: number[] = [];
    for (const probes of [2, 40]) {
      const result = slqSpectralDensity(op, { probes, steps: 60, width: 0.1, seed: 7, gridPoints: 800 });
      expect(trapezoidIntegral(result.grid, result.density)).toBeCloseTo(1, 12);
      expect(Math.abs(result.rawIntegral - 1)).toBeLessThan(1e-6); // 5σ margins lose < 1e-6 of the mass
      expect(result.matvecs).toBe(probes * 60);
      expect(result.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
      const exact = exactDensity(eigenvalues, result.grid, result.width, () => true, (l) => l);
      distances.push(l1Distance(result.grid, result.density, exact));
      if (probes === 40) {
        // The outlier mass 10/300 sits above 7; the probe average errs by ≈ √(2 · 10 / 300² / 40) ≈ 0.002.
        const above = result.nodes.reduce((sum, t, i) => sum + (t > 7 ? result.weights[i] : 0), 0);
        expect(Math.abs(above - 10 / 300)).toBeLessThan(0.01);
      }
    }
    // The probe error shrinks like 1/√probes (relative spread √(2/n) ≈ 0.08 per probe); the quadrature error
    // is small for 60 steps at σ = 0.1 over a range of 10. Measured: 0.096 with 2 probes, 0.030 with 40.
    expect(distances[1]).toBeLessThan(0.05);
    expect(distances[1]).toBeLessThan(distances[0]);
  });

  it('is exact with one node per eigenvalue when the probe spans an invariant subspace (diagonal, 3 values)', () => {
    // diag(1, 1, 2, 2, 2, 5): the Krylov space of any probe has dimension 3 → 3 nodes, weights = v-mass per eigenspace.
    const d = [1, 1, 2, 2, 2, 5];
    const diag = linearOperator({ size: 6, symmetric: true, apply: (x, y) => d.forEach((l, i) => (y[i] = l * x[i])) });
    const result = slqSpectralDensity(diag, { probes: 1, steps: 6, width: 0.1, seed: 3 });
    expect(result.matvecs).toBe(3);
    expect(Array.from(result.nodes).map((t) => Math.round(t * 1e10) / 1e10)).toEqual([1, 2, 5]);
    // Rademacher probe: ‖v‖² = 6, mass of each eigenspace = dimension / 6.
    expect(Array.from(result.weights).map((w) => Math.round(w * 1e10) / 1e10)).toEqual([2 / 6, 3 / 6, 1 / 6].map((w) => Math.round(w * 1e10) / 1e10));
  });

  it('log scale: density of log10 |λ| per decade, zero eigenvalues reported as mass below the floor, negatives folded', () => {
    // n = 120: 20 zeros, 20 negatives −10^(−3…0), 80 positives 10^(−4…1). With 120 steps each probe's Krylov
    // space is exhausted (101 distinct eigenvalues), so the quadrature is exact and only the probe sampling errs.
    const m = 120;
    const logSpectrum = Array.from({ length: m }, (_, i) =>
      i < 20 ? 0 : i < 40 ? -(10 ** (-3 + (3 * (i - 20)) / 19)) : 10 ** (-4 + (5 * (i - 40)) / 79),
    );
    const B = matrixWithSpectrum(logSpectrum, 5);
    const exactValues = symmetricEigenvalues(B, m);
    const result = slqSpectralDensity(denseOperator(B, m), { probes: 30, steps: m, scale: 'log', width: 0.25, seed: 2, logFloor: 1e-8 });
    expect(result.scale).toBe('log');
    expect(trapezoidIntegral(result.grid, result.density)).toBeCloseTo(1 - result.massBelowFloor, 12);
    // Expected masses 20/120 each; the probe average errs by ≈ √(2 · 20 / 120² / 30) ≈ 0.01.
    expect(Math.abs(result.massBelowFloor - 20 / m)).toBeLessThan(0.04);
    expect(Math.abs(result.negativeMass - 20 / m)).toBeLessThan(0.04);
    const exact = exactDensity(exactValues, result.grid, result.width, (l) => Math.abs(l) > 1e-8, (l) => Math.log10(Math.abs(l)));
    const distance = l1Distance(result.grid, result.density, exact);
    // Measured 0.040 (probe sampling only).
    expect(distance).toBeLessThan(0.1);
  });

  it('defaults: σ = 1 % of the node range, grid over [min θ − 5σ, max θ + 5σ] with 1000 points', () => {
    const d = [1, 2, 4];
    const diag = linearOperator({ size: 3, symmetric: true, apply: (x, y) => d.forEach((l, i) => (y[i] = l * x[i])) });
    const result = slqSpectralDensity(diag, { probes: 2 });
    expect(result.width).toBeCloseTo(0.03, 12);
    expect(result.grid.length).toBe(1000);
    expect(result.grid[0]).toBeCloseTo(1 - 0.15, 10);
    expect(result.grid[999]).toBeCloseTo(4 + 0.15, 10);
    expect(result.nodeOffsets[2]).toBe(6); // 3 steps (= n) per probe, 3 nodes each
  });

  it('rejects bad input', () => {
    expect(() => slqSpectralDensity(denseOperator(new Float64Array([1, 2, 3, 4]), 2))).toThrow(/not symmetric/);
    expect(() => slqSpectralDensity(op, { steps: 301 })).toThrow(InvalidArgumentError);
    expect(() => slqSpectralDensity(op, { probes: 0 })).toThrow(InvalidArgumentError);
    expect(() => slqSpectralDensity(op, { width: -1 })).toThrow(InvalidArgumentError);
    expect(() => slqSpectralDensity(op, { scale: 'loglog' as never })).toThrow(InvalidArgumentError);
    const bad = linearOperator({ size: 4, symmetric: true, apply: (x, y) => { y.set(x); y[2] = Number.NaN; } });
    expect(() => slqSpectralDensity(bad, { steps: 2 })).toThrow('slqSpectralDensity: matvec 1: entry 2 of the product is NaN');
    expect(() => slqSpectralDensity(bad, { steps: 2 })).toThrow(NonFiniteError);
  });
});
