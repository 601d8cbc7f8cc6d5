import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { choleskyInverse } from './cholesky.js';
import { denseInverseCurvature } from './inverse-curvature.js';
import { obsSaliency } from './obs-saliency.js';
import { obsPrune, obsUpdate } from './obs-update.js';
import { dampedHessian } from './__fixtures__/small-mlp.js';

describe('OBS on a dampened MLP Hessian (4-3-2 tanh, MSE, p = 23)', () => {
  const { C, params, p } = dampedHessian();
  const inverse = denseInverseCurvature(choleskyInverse(C, p), p);
  const rho = obsSaliency(params, inverse);
  const quadratic = (d: Float64Array) => {
    let s = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += d[i] * C[i * p + j] * d[j];
    return 0.5 * s;
  };

  it('removing weight q with the OBS update raises ½ δwᵀ C δw by exactly ρ_q (1e-10) and zeroes w_q', () => {
    for (let q = 0; q < p; q++) {
      const delta = obsUpdate(params, inverse, [q]);
      expect(Math.abs(quadratic(delta) - rho[q]) / rho[q]).toBeLessThan(1e-10);
      expect(Math.abs(params[q] + delta[q])).toBeLessThan(1e-14 * Math.abs(params[q]));
      const mask = new Uint8Array(p).fill(1);
      mask[q] = 0;
      const pruned = obsPrune(params, inverse, mask);
      expect(pruned[q]).toBe(0);
      for (let i = 0; i < p; i++) if (i !== q) expect(pruned[i]).toBe(params[i] + delta[i]);
    }
  });

  it('the update is optimal: C δw vanishes off q (stationarity under the constraint δw_q = −w_q)', () => {
    for (const q of [0, 5, 14, 20]) {
      const delta = obsUpdate(params, inverse, [q]);
      let scale = 0;
      const Cd = new Float64Array(p);
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) Cd[i] += C[i * p + j] * delta[j];
      for (let i = 0; i < p; i++) scale = Math.max(scale, Math.abs(Cd[i]));
      for (let i = 0; i < p; i++) if (i !== q) expect(Math.abs(Cd[i])).toBeLessThan(1e-12 * scale);
    }
  });

  it('ρ_q equals the Schur-complement form ½ w_q² (C_qq − C_qR C_RR⁻¹ C_Rq) (1e-10)', () => {
    for (const q of [3, 16]) {
      const R = Array.from({ length: p }, (_, i) => i).filter((i) => i !== q);
      const m = R.length;
      const CRR = new Float64Array(m * m);
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) CRR[a * m + b] = C[R[a] * p + R[b]];
      const inv = choleskyInverse(CRR, m);
      let schur = C[q * p + q];
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) schur -= C[q * p + R[a]] * inv[a * m + b] * C[R[b] * p + q];
      expect(Math.abs(0.5 * params[q] ** 2 * schur - rho[q]) / rho[q]).toBeLessThan(1e-10);
    }
  });

  it('superposes single-weight updates: the multi-weight δw is the sum of the single ones; scale 0 only masks', () => {
    const Q = [1, 4, 9, 17];
    const sum = new Float64Array(p);
    for (const q of Q) obsUpdate(params, inverse, [q]).forEach((v, i) => (sum[i] += v));
    const joint = obsUpdate(params, inverse, Q);
    for (let i = 0; i < p; i++) expect(joint[i]).toBeCloseTo(sum[i], 13);
    const mask = new Uint8Array(p).fill(1);
    for (const q of Q) mask[q] = 0;
    expect(Array.from(obsPrune(params, inverse, mask, { updateScale: 0 }))).toEqual(Array.from(params, (w, i) => (mask[i] ? w : 0)));
    const half = obsPrune(params, inverse, mask, { updateScale: 0.5 });
    for (let i = 0; i < p; i++) expect(half[i]).toBe(mask[i] ? params[i] + 0.5 * joint[i] : 0);
    expect(() => obsPrune(params, inverse, mask, { updateScale: 2 })).toThrow(InvalidArgumentError);
  });

  it('with a diagonal C, OBS reduces to OBD: ρ_q = ½ C_qq w_q² and the update only moves w_q', () => {
    const diag = Float64Array.from({ length: p }, (_, i) => 1 + i / 10);
    const dense = new Float64Array(p * p);
    diag.forEach((d, i) => (dense[i * p + i] = d));
    const inv = denseInverseCurvature(choleskyInverse(dense, p), p);
    const saliency = obsSaliency(params, inv);
    for (let q = 0; q < p; q++) expect(saliency[q]).toBeCloseTo(0.5 * diag[q] * params[q] ** 2, 14);
    const delta = obsUpdate(params, inv, [2, 7]);
    for (let i = 0; i < p; i++) expect(delta[i]).toBeCloseTo(i === 2 || i === 7 ? -params[i] : 0, 14);
  });

  it('refuses a non-positive inverse diagonal', () => {
    expect(() => obsSaliency(new Float64Array([1, 2]), new Float64Array([1, 0]))).toThrow(/not positive/);
  });
});
