import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Random, ShapeMismatchError, symmetricEigenvalues } from '@intrinsic/spectra';
import { powerIterationSpectralNorm } from './power-iteration-spectral-norm.js';

function gram(W: Float64Array, rows: number, cols: number): Float64Array {
  const G = new Float64Array(cols * cols);
  for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += W[i * cols + a] * W[i * cols + b];
    G[a * cols + b] = s;
  }
  return G;
}

describe('powerIterationSpectralNorm', () => {
  it('diagonal matrix: σ_max = max |w_ii|', () => {
    const W = new Float64Array(16);
    [1.5, -4, 2, 3.9].forEach((w, i) => (W[i * 4 + i] = w));
    const r = powerIterationSpectralNorm(W, { rows: 4, columns: 4 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.value - 4)).toBeLessThan(1e-10 * 4);
    expect(r.residualNorms.length).toBe(r.iterations);
    expect(r.residualNorms[r.iterations - 1]).toBeLessThanOrEqual(1e-10);
  });

  it('random rectangular matrices: matches the dense eigensolver of WᵀW to 1e-10', () => {
    const rng = new Random(3);
    for (const [rows, cols] of [
      [7, 5],
      [3, 9],
      [20, 20],
    ]) {
      const W = rng.fillGaussian(new Float64Array(rows * cols));
      const eig = symmetricEigenvalues(gram(W, rows, cols), cols);
      const ref = Math.sqrt(eig[cols - 1]);
      const r = powerIterationSpectralNorm(W, { rows, columns: cols, seed: 11 });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value - ref)).toBeLessThan(1e-10 * ref);
    }
  });

  it('zero matrix gives 0, converged; a capped run reports converged: false', () => {
    expect(powerIterationSpectralNorm(new Float64Array(6), { rows: 2, columns: 3 })).toMatchObject({ value: 0, converged: true });
    const rng = new Random(5);
    const W = rng.fillGaussian(new Float64Array(100));
    const r = powerIterationSpectralNorm(W, { rows: 10, columns: 10, maxIterations: 2 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(2);
  });

  it('rejects bad shapes and entries', () => {
    expect(() => powerIterationSpectralNorm(new Float64Array(5), { rows: 2, columns: 3 })).toThrow(ShapeMismatchError);
    expect(() => powerIterationSpectralNorm(Float64Array.of(NaN), { rows: 1, columns: 1 })).toThrow(/entry \(0, 0\) is NaN/);
    expect(() => powerIterationSpectralNorm(Float64Array.of(1), { rows: 1, columns: 1, tolerance: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('spectralNorms method: dense', () => {
  it('agrees with power iteration to 1e-10 on a random 3-layer net', async () => {
    const { mlpSpec, parameterCount } = await import('@intrinsic/models');
    const { spectralNorms } = await import('./spectral-norms.js');
    const spec = mlpSpec({ widths: [6, 12, 9, 4], activation: 'tanh', bias: true });
    const params = new Random(13).fillGaussian(new Float64Array(parameterCount(spec)));
    const power = spectralNorms(spec, params, { seed: 2 });
    const dense = spectralNorms(spec, params, { method: 'dense' });
    expect(power.converged).toBe(true);
    for (let l = 0; l < 3; l++) expect(Math.abs(power.values[l] - dense.values[l])).toBeLessThan(1e-10 * dense.values[l]);
    expect(() => spectralNorms(spec, params, { method: 'qr' as never })).toThrow(/unknown method 'qr'/);
  });
});
