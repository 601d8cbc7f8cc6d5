import { describe, expect, it } from 'vitest';
import { Random, ShapeMismatchError } from '@intrinsic/spectra';
import { initializeParameters, mlpSpec, parameterCount } from '@intrinsic/models';
import { distanceToInitialization } from './distance-to-initialization.js';
import { effectiveDimension } from './effective-dimension.js';
import { frobeniusNorms } from './frobenius-norms.js';
import { normMeasures } from './norm-measures.js';
import { marginQuantile, outputMargins } from './output-margins.js';
import { pathNorm } from './path-norm.js';
import { spectralNorms } from './spectral-norms.js';

describe('frobeniusNorms and spectralNorms', () => {
  it('1-layer linear net with diagonal W: ‖W‖_F = √Σw², ‖W‖₂ = max |w_ii|', () => {
    const spec = mlpSpec({ widths: [3, 3], bias: false });
    const params = Float64Array.of(2, 0, 0, 0, -7, 0, 0, 0, 1);
    expect(frobeniusNorms(spec, params)[0]).toBe(Math.sqrt(54));
    const s = spectralNorms(spec, params);
    expect(s.converged).toBe(true);
    expect(Math.abs(s.values[0] - 7)).toBeLessThan(7e-10);
  });

  it('excludes biases and rejects a wrong parameter length', () => {
    const spec = mlpSpec({ widths: [2, 1], bias: true });
    expect(frobeniusNorms(spec, Float64Array.of(3, 4, 100))[0]).toBe(5);
    expect(() => frobeniusNorms(spec, Float64Array.of(3, 4))).toThrow(/frobeniusNorms: parameters have length 2, the spec has p = 3/);
    expect(() => spectralNorms(spec, Float64Array.of(3, 4))).toThrow(ShapeMismatchError);
  });
});

describe('pathNorm', () => {
  it('2-layer ReLU net with biases: equals brute-force enumeration of all paths', () => {
    const spec = mlpSpec({ widths: [3, 4, 2], activation: 'relu', bias: true, seed: 4 });
    const rng = new Random(9);
    const params = rng.fillGaussian(new Float64Array(parameterCount(spec)));
    // layout: W1 (4×3) at 0, b1 (4) at 12, W2 (2×4) at 16, b2 (2) at 24
    const W1 = (h: number, j: number) => params[h * 3 + j];
    const b1 = (h: number) => params[12 + h];
    const W2 = (k: number, h: number) => params[16 + k * 4 + h];
    const b2 = (k: number) => params[24 + k];
    let all = 0;
    let weightsOnly = 0;
    for (let k = 0; k < 2; k++) {
      all += b2(k) ** 2; // path starting at the output bias
      for (let h = 0; h < 4; h++) {
        all += b1(h) ** 2 * W2(k, h) ** 2; // paths starting at a hidden bias
        for (let j = 0; j < 3; j++) {
          const path = W1(h, j) ** 2 * W2(k, h) ** 2;
          all += path;
          weightsOnly += path;
        }
      }
    }
    const r = pathNorm(spec, params);
    expect(Math.abs(r.pathNormSquared - all)).toBeLessThan(1e-13 * all);
    expect(Math.abs(r.pathNorm - Math.sqrt(all))).toBeLessThan(1e-13 * Math.sqrt(all));
    const w = pathNorm(spec, params, { includeBias: false });
    expect(Math.abs(w.pathNormSquared - weightsOnly)).toBeLessThan(1e-13 * weightsOnly);
  });

  it('a chain 1-1-1 with weights 2, 3 has path-norm 6', () => {
    expect(pathNorm(mlpSpec({ widths: [1, 1, 1], bias: false }), Float64Array.of(2, 3)).pathNorm).toBe(6);
  });
});

describe('margins, distance, effective dimension', () => {
  it('outputMargins and marginQuantile on a hand example', () => {
    expect(Array.from(outputMargins(Float64Array.of(1, 3, 0, 2, 0.5, 1), Int32Array.of(1, 0)))).toEqual([2, 1]);
    expect(Array.from(outputMargins(Float64Array.of(5, 1), Int32Array.of(1)))).toEqual([-4]);
    expect(marginQuantile(Float64Array.of(4, 1, 3, 2), 0.5)).toBe(2.5);
    expect(marginQuantile(Float64Array.of(4, 1, 3, 2), 0.1)).toBeCloseTo(1.3, 14);
    expect(() => outputMargins(Float64Array.of(1, 2), Int32Array.of(2))).toThrow(/label 0 is 2, outside 0…1/);
  });

  it('distanceToInitialization is the Euclidean distance', () => {
    expect(distanceToInitialization(Float64Array.of(4, 6), Float64Array.of(1, 2))).toBe(5);
    expect(() => distanceToInitialization(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(ShapeMismatchError);
  });

  it('effectiveDimension: Σ λ/(λ + α), negative eigenvalues count 0, limits p and 0', () => {
    expect(effectiveDimension(Float64Array.of(3, 1, 0, -2), 1)).toBe(0.75 + 0.5);
    expect(effectiveDimension(Float64Array.of(1e8, 1e8), 1e-8)).toBeCloseTo(2, 14);
    expect(effectiveDimension(Float64Array.of(1e-8, 1e-8), 1e8)).toBeLessThan(1e-15);
    expect(() => effectiveDimension([1], 0)).toThrow(/alpha must be finite and > 0, got 0/);
  });
});

describe('normMeasures', () => {
  it('combines the per-layer norms as documented', () => {
    const spec = mlpSpec({ widths: [5, 8, 3], activation: 'relu', bias: true, seed: 2 });
    const init = initializeParameters(spec);
    const rng = new Random(1);
    const params = Float64Array.from(init, (w) => w + 0.1 * rng.gaussian());
    const m = normMeasures(spec, params, { initialParams: init, margin: 0.5 });
    const f = frobeniusNorms(spec, params);
    const s = spectralNorms(spec, params).values;
    expect(m.parameterCount).toBe(5 * 8 + 8 + 8 * 3 + 3);
    expect(m.depth).toBe(2);
    expect(m.frobeniusProduct).toBe(f[0] * f[1]);
    expect(m.frobeniusSum).toBe(f[0] + f[1]);
    expect(m.spectralProduct).toBe(s[0] * s[1]);
    expect(m.spectralSum).toBe(s[0] + s[1]);
    expect(m.spectralProductOverMargin).toBeCloseTo((s[0] * s[1]) ** 2 / 0.25, 12);
    expect(m.frobeniusProductOverMargin).toBeCloseTo((f[0] * f[1]) ** 2 / 0.25, 12);
    expect(m.spectralOriginalOverMargin).toBeCloseTo(((s[0] * s[1]) ** 2 * ((f[0] / s[0]) ** 2 + (f[1] / s[1]) ** 2)) / 0.25, 10);
    expect(m.pathNormOverMargin).toBeCloseTo(m.pathNorm ** 2 / 0.25, 12);
    expect(m.distanceToInitialization).toBe(distanceToInitialization(params, init));
    // ‖W‖₂ ≤ ‖W‖_F ≤ √rank ‖W‖₂
    for (let l = 0; l < 2; l++) {
      expect(s[l]).toBeLessThanOrEqual(f[l]);
      expect(f[l]).toBeLessThanOrEqual(Math.sqrt(3 + (l === 0 ? 2 : 0)) * s[l] * (1 + 1e-12));
    }
    const bare = normMeasures(spec, params);
    expect(Number.isNaN(bare.spectralProductOverMargin)).toBe(true);
    expect(Number.isNaN(bare.distanceToInitialization)).toBe(true);
    expect(() => normMeasures(spec, params, { margin: -1 })).toThrow(/normMeasures: margin must be a finite number > 0/);
  });
});
