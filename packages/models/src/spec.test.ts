import { describe, expect, it } from 'vitest';
import { initializeParameters } from './init.js';
import { parameterCount, parameterLayout } from './layout.js';
import { initializeNetworkParameters } from './network/network-init.js';
import { mlpAsNetworkSpec } from './network/network-spec.js';
import { mlpSpec, validateMlpSpec } from './spec.js';

describe('MLP spec and layout', () => {
  it('counts the paper example: 25·5 + 5·10 + 10·10 = 275 parameters', () => {
    expect(parameterCount(mlpSpec())).toBe(275);
    expect(parameterCount(mlpSpec({ bias: true }))).toBe(275 + 5 + 10 + 10);
  });

  it('lays out W1, b1, W2, b2 contiguously in that order', () => {
    const layout = parameterLayout(mlpSpec({ widths: [3, 2, 1], bias: true }));
    expect(layout.views.map((v) => [v.name, v.offset, v.shape.join('x')])).toEqual([
      ['W1', 0, '2x3'],
      ['b1', 6, '2'],
      ['W2', 8, '1x2'],
      ['b2', 10, '1'],
    ]);
    expect(layout.size).toBe(11);
  });

  it('survives a JSON round trip', () => {
    const spec = mlpSpec({ widths: [4, 3, 2], activation: 'tanh', bias: true, init: 'orthogonal', seed: 5 });
    const copy = JSON.parse(JSON.stringify(spec));
    validateMlpSpec(copy);
    expect(initializeParameters(copy)).toEqual(initializeParameters(spec));
  });

  it.each([
    [{ widths: [3, 0, 2] }, /width 1 must be a positive integer, got 0/],
    [{ widths: [3] }, /at least an input and an output width/],
    [{ widths: [3, 2.5, 2] }, /width 1 must be a positive integer, got 2.5/],
    [{ activation: 'swish' as never }, /unknown activation "swish"/],
    [{ init: 'zeros' as never }, /unknown initialiser "zeros"/],
    [{ seed: 1.5 }, /seed must be an integer/],
  ])('rejects %j', (options, message) => {
    expect(() => mlpSpec(options)).toThrow(message);
  });
});

describe('initialisers', () => {
  it('orthogonal gives orthonormal rows (wide) and columns (tall)', () => {
    const spec = mlpSpec({ widths: [6, 3, 8], init: 'orthogonal', seed: 2 });
    const params = initializeParameters(spec);
    const [w1, w2] = parameterLayout(spec).views;
    // W1 is 3 × 6: rows orthonormal.
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      let dot = 0;
      for (let j = 0; j < 6; j++) dot += params[w1.offset + a * 6 + j] * params[w1.offset + b * 6 + j];
      expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
    }
    // W2 is 8 × 3: columns orthonormal.
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      let dot = 0;
      for (let i = 0; i < 8; i++) dot += params[w2.offset + i * 3 + a] * params[w2.offset + i * 3 + b];
      expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
    }
  });

  it('glorot-normal and he-normal have the stated variances (large sample)', () => {
    const glorot = initializeParameters(mlpSpec({ widths: [400, 600], init: 'glorot-normal', seed: 1 }));
    const he = initializeParameters(mlpSpec({ widths: [400, 600], init: 'he-normal', seed: 1 }));
    const uniform = initializeParameters(mlpSpec({ widths: [400, 600], init: 'glorot-uniform', seed: 1 }));
    const variance = (a: Float64Array) => a.reduce((s, x) => s + x * x, 0) / a.length;
    // 240,000 draws: standard error of the variance ≈ √(2/240000) ≈ 0.3 % relative.
    expect(variance(glorot) / (2 / 1000)).toBeCloseTo(1, 1);
    expect(variance(he) / (2 / 400)).toBeCloseTo(1, 1);
    expect(variance(uniform) / (2 / 1000)).toBeCloseTo(1, 1);
    expect(uniform.reduce((m, x) => Math.max(m, Math.abs(x)), 0)).toBeLessThanOrEqual(Math.sqrt(6 / 1000));
  });

  it('pytorch-uniform is U(±1/√fan_in): variance 1/(3·fan_in), bound 1/√fan_in (PyTorch nn.Linear default)', () => {
    const spec = mlpSpec({ widths: [400, 600, 30], init: 'pytorch-uniform', seed: 2 });
    const params = initializeParameters(spec);
    const [w1, w2] = parameterLayout(spec).views;
    const a = params.subarray(w1.offset, w1.offset + w1.size);
    const b = params.subarray(w2.offset, w2.offset + w2.size);
    const variance = (v: Float64Array) => v.reduce((s, x) => s + x * x, 0) / v.length;
    const maxAbs = (v: Float64Array) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    // 240,000 draws for W1 (fan_in 400): standard error of the variance ≈ √(0.8/240000) ≈ 0.2 % relative.
    expect(variance(a) / (1 / (3 * 400))).toBeCloseTo(1, 1);
    expect(maxAbs(a)).toBeLessThanOrEqual(1 / Math.sqrt(400));
    expect(maxAbs(a)).toBeGreaterThan(0.99 / Math.sqrt(400));
    // W2 has fan_in 600: the bound follows fan_in only, not fan_out.
    expect(variance(b) / (1 / (3 * 600))).toBeCloseTo(1, 1);
    expect(maxAbs(b)).toBeLessThanOrEqual(1 / Math.sqrt(600));
    expect(maxAbs(b)).toBeGreaterThan(0.99 / Math.sqrt(600));
    // The layered-network initialiser draws the same stream with the same bounds.
    expect(initializeNetworkParameters(mlpAsNetworkSpec(spec))).toEqual(params);
  });
});
