import { describe, expect, it } from 'vitest';
import { mlpGradient } from '@intrinsic/models';
import { magnitudeSaliency } from './magnitude-saliency.js';
import { matrixDiagonal, obdSaliency } from './obd-saliency.js';
import { randomSaliency } from './random-saliency.js';
import { dampedHessian } from './__fixtures__/small-mlp.js';

describe('obdSaliency', () => {
  it('is ½ H_qq w_q² with H_qq the exact Hessian diagonal, checked by central differences of the gradient (1e-6)', () => {
    const { spec, params, data, loss, H, p } = dampedHessian();
    const rho = obdSaliency(params, matrixDiagonal(H, p));
    const h = 1e-5;
    for (let q = 0; q < p; q++) {
      const plus = Float64Array.from(params);
      const minus = Float64Array.from(params);
      plus[q] += h;
      minus[q] -= h;
      const Hqq = (mlpGradient(spec, plus, data, loss)[q] - mlpGradient(spec, minus, data, loss)[q]) / (2 * h);
      expect(Math.abs(rho[q] - 0.5 * Hqq * params[q] ** 2)).toBeLessThan(1e-6 * (Math.abs(rho[q]) + 1e-3));
    }
  });

  it('gives the documented example [6, −0.5]', () => {
    expect(Array.from(obdSaliency(new Float64Array([2, 1]), new Float64Array([3, -1])))).toEqual([6, -0.5]);
  });
});

describe('magnitudeSaliency and randomSaliency', () => {
  it('magnitude is w² ([3, −0.5] → [9, 0.25]) and rejects NaN', () => {
    expect(Array.from(magnitudeSaliency(new Float64Array([3, -0.5])))).toEqual([9, 0.25]);
    expect(() => magnitudeSaliency(new Float64Array([NaN]))).toThrow(/parameter 0 is NaN/);
  });

  it('random saliencies repeat with the seed, differ across seeds, and lie in [0, 1)', () => {
    const a = randomSaliency(1000, 4);
    expect(Array.from(randomSaliency(1000, 4))).toEqual(Array.from(a));
    expect(Array.from(randomSaliency(1000, 5))).not.toEqual(Array.from(a));
    let mean = 0;
    for (const v of a) {
      expect(v >= 0 && v < 1).toBe(true);
      mean += v / 1000;
    }
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05); // 5.5 standard errors of a uniform mean (σ = 0.289/√1000)
  });
});
