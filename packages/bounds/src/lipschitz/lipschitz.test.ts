import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { activationFunctions, mlpForward, mlpSpec, parameterCount, type Dataset, type MlpSpec } from '@intrinsic/models';
import { activationLipschitzConstant, GELU_LIPSCHITZ_CONSTANT } from './activation-lipschitz-constant.js';
import { inputJacobian } from './input-jacobian.js';
import { lipschitzLowerBound } from './lipschitz-lower-bound.js';
import { lipschitzUpperBound } from './lipschitz-upper-bound.js';
import { matrixSpectralNorm } from '../measures/matrix-spectral-norm.js';

function forward(spec: MlpSpec, params: Float64Array, x: Float64Array): Float64Array {
  const K = spec.widths[spec.widths.length - 1];
  const data: Dataset = { inputs: x, targets: new Float64Array(K), count: 1, inputSize: x.length, outputSize: K, description: 'point' };
  return mlpForward(spec, params, data);
}

describe('activationLipschitzConstant', () => {
  it('gelu: Φ(√2) + √2 φ(√2) ≈ 1.128904 is the maximum of gelu′ on a fine grid', () => {
    const gelu = activationFunctions('gelu');
    let max = 0;
    for (let x = -10; x <= 10; x += 1e-4) max = Math.max(max, Math.abs(gelu.first(x)));
    expect(GELU_LIPSCHITZ_CONSTANT).toBeGreaterThanOrEqual(max);
    expect(GELU_LIPSCHITZ_CONSTANT - max).toBeLessThan(1e-8); // grid spacing 1e-4, quadratic peak
    expect(GELU_LIPSCHITZ_CONSTANT).toBeCloseTo(1.128904, 6);
  });

  it('the others: sup |σ′| on a grid equals the stated constant', () => {
    for (const [name, slope] of [
      ['relu', 0.01],
      ['leaky-relu', 0.01],
      ['leaky-relu', 2.5],
      ['tanh', 0.01],
      ['sigmoid', 0.01],
      ['softplus', 0.01],
      ['linear', 0.01],
    ] as const) {
      const f = activationFunctions(name, slope);
      let max = 0;
      for (let x = -40; x <= 40; x += 1e-3) max = Math.max(max, Math.abs(f.first(x)));
      const c = activationLipschitzConstant(name, slope);
      expect(c).toBeGreaterThanOrEqual(max);
      expect(c - max).toBeLessThan(1e-6);
    }
    expect(() => activationLipschitzConstant('swish' as never)).toThrow(/unknown activation 'swish'/);
  });
});

describe('inputJacobian', () => {
  it('matches central finite differences for tanh, gelu, softplus and sigmoid nets with biases', () => {
    for (const activation of ['tanh', 'gelu', 'softplus', 'sigmoid'] as const) {
      const spec = mlpSpec({ widths: [4, 6, 5, 3], activation, bias: true, seed: 1 });
      const rng = new Random(8);
      const params = rng.fillGaussian(new Float64Array(parameterCount(spec)), 0.7);
      const x = rng.fillGaussian(new Float64Array(4));
      const J = inputJacobian(spec, params, x, { mode: 'forward' });
      const reverse = inputJacobian(spec, params, x, { mode: 'reverse' });
      for (let i = 0; i < J.length; i++) expect(Math.abs(reverse[i] - J[i])).toBeLessThan(1e-14 * Math.max(1, Math.abs(J[i])));
      const h = 1e-5;
      for (let j = 0; j < 4; j++) {
        const xp = Float64Array.from(x);
        const xm = Float64Array.from(x);
        xp[j] += h;
        xm[j] -= h;
        const fp = forward(spec, params, xp);
        const fm = forward(spec, params, xm);
        for (let k = 0; k < 3; k++) {
          const fd = (fp[k] - fm[k]) / (2 * h);
          expect(Math.abs(J[k * 4 + j] - fd)).toBeLessThan(1e-8);
        }
      }
    }
  });

  it('reverse mode (auto for d > K) matches forward mode on a wide-input ReLU net', () => {
    const spec = mlpSpec({ widths: [30, 12, 2], activation: 'relu', bias: true });
    const rng = new Random(17);
    const params = rng.fillGaussian(new Float64Array(parameterCount(spec)), 0.3);
    const x = rng.fillGaussian(new Float64Array(30));
    const forwardJ = inputJacobian(spec, params, x, { mode: 'forward' });
    const autoJ = inputJacobian(spec, params, x);
    for (let i = 0; i < forwardJ.length; i++) expect(Math.abs(autoJ[i] - forwardJ[i])).toBeLessThan(1e-14);
  });

  it('linear network: J = W2 W1 exactly', () => {
    const spec = mlpSpec({ widths: [2, 3, 2], bias: true });
    const rng = new Random(2);
    const params = rng.fillGaussian(new Float64Array(parameterCount(spec)));
    const J = inputJacobian(spec, params, Float64Array.of(0.3, -2));
    // layout: W1 3×2 at 0, b1 at 6, W2 2×3 at 9, b2 at 15
    for (let k = 0; k < 2; k++) for (let j = 0; j < 2; j++) {
      let s = 0;
      for (let h = 0; h < 3; h++) s += params[9 + k * 3 + h] * params[h * 2 + j];
      expect(Math.abs(J[k * 2 + j] - s)).toBeLessThan(1e-15);
    }
    expect(() => inputJacobian(spec, params, Float64Array.of(1))).toThrow(ShapeMismatchError);
    expect(() => inputJacobian(spec, params, Float64Array.of(1, 2), { mode: 'sideways' as never })).toThrow(/unknown mode 'sideways'/);
  });
});

describe('Lipschitz bounds', () => {
  it('1-layer linear net: lower = upper = ‖W‖₂', () => {
    const spec = mlpSpec({ widths: [3, 2], bias: true });
    const rng = new Random(4);
    const params = rng.fillGaussian(new Float64Array(parameterCount(spec)));
    const inputs = rng.fillGaussian(new Float64Array(5 * 3));
    const upper = lipschitzUpperBound(spec, params);
    const lower = lipschitzLowerBound({ spec, params, inputs, pairs: 3 });
    expect(upper.converged).toBe(true);
    expect(Math.abs(lower.bound - upper.bound)).toBeLessThan(1e-10 * upper.bound);
    expect(Math.abs(lower.data.mean - upper.bound)).toBeLessThan(1e-10 * upper.bound);
    expect(Math.abs(lower.interpolation.rms - upper.bound)).toBeLessThan(1e-10 * upper.bound);
  });

  it('2-layer linear net with aligned diagonal weights: lower = upper = 3·2', () => {
    const spec = mlpSpec({ widths: [2, 2, 2], bias: false });
    const params = Float64Array.of(3, 0, 0, 1, 2, 0, 0, 1); // W1 = diag(3, 1), W2 = diag(2, 1)
    const upper = lipschitzUpperBound(spec, params);
    const lower = lipschitzLowerBound({ spec, params, inputs: Float64Array.of(1, 1) });
    expect(Math.abs(upper.bound - 6)).toBeLessThan(6e-10);
    expect(Math.abs(lower.bound - 6)).toBeLessThan(1e-14);
  });

  it('2-layer linear net, generic weights: lower = ‖W2 W1‖₂ ≤ ‖W2‖₂‖W1‖₂ = upper', () => {
    const spec = mlpSpec({ widths: [4, 3, 2], bias: false });
    const rng = new Random(6);
    const params = rng.fillGaussian(new Float64Array(parameterCount(spec)));
    const product = new Float64Array(2 * 4);
    for (let k = 0; k < 2; k++) for (let j = 0; j < 4; j++) {
      for (let h = 0; h < 3; h++) product[k * 4 + j] += params[12 + k * 3 + h] * params[h * 4 + j];
    }
    const lower = lipschitzLowerBound({ spec, params, inputs: rng.fillGaussian(new Float64Array(4)) });
    expect(Math.abs(lower.bound - matrixSpectralNorm(product, 2, 4))).toBeLessThan(1e-13 * lower.bound);
    expect(lower.bound).toBeLessThanOrEqual(lipschitzUpperBound(spec, params).bound);
  });

  it('ReLU / sigmoid nets: lower ≤ upper, upper carries c_σ^{L−1}, statistics are consistent', () => {
    const rng = new Random(10);
    for (const activation of ['relu', 'sigmoid', 'gelu'] as const) {
      const spec = mlpSpec({ widths: [5, 16, 16, 3], activation, bias: true });
      const params = rng.fillGaussian(new Float64Array(parameterCount(spec)), 0.5);
      const inputs = rng.fillGaussian(new Float64Array(20 * 5));
      const upper = lipschitzUpperBound(spec, params);
      const lower = lipschitzLowerBound({ spec, params, inputs, pairs: 10, seed: 1 });
      const c = activationLipschitzConstant(activation);
      expect(Math.abs(upper.bound - upper.spectralNorms.reduce((a, b) => a * b, 1) * c * c)).toBeLessThan(1e-12 * upper.bound);
      expect(lower.bound).toBeLessThanOrEqual(upper.bound);
      expect(lower.data.count).toBe(20);
      expect(lower.interpolation.count).toBe(90);
      expect(lower.data.mean).toBeLessThanOrEqual(lower.data.rms);
      expect(lower.data.rms).toBeLessThanOrEqual(lower.data.max);
      expect(lower.bound).toBe(Math.max(lower.data.max, lower.interpolation.max));
      expect(lower.data.max).toBe(Math.max(...lower.dataNorms));
    }
  });

  it('matrixSpectralNorm agrees on tall and wide shapes', () => {
    expect(matrixSpectralNorm(Float64Array.of(3, 4), 1, 2)).toBe(5);
    expect(matrixSpectralNorm(Float64Array.of(3, 4), 2, 1)).toBe(5);
  });

  it('rejects bad input', () => {
    const spec = mlpSpec({ widths: [2, 1], bias: false });
    const params = Float64Array.of(1, 1);
    expect(() => lipschitzLowerBound({ spec, params, inputs: new Float64Array(3) })).toThrow(/not a positive multiple of d = 2/);
    expect(() => lipschitzLowerBound({ spec, params, inputs: new Float64Array(2), pairs: 1 })).toThrow(/at least 2 data points/);
    expect(() => lipschitzLowerBound({ spec, params, inputs: new Float64Array(4), pairs: 1, lambdaGrid: [1.5] })).toThrow(InvalidArgumentError);
  });
});
