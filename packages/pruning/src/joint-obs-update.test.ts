import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { MlpEvaluation } from '@intrinsic/models';
import { cholesky, choleskyInverse, choleskySolve } from './cholesky.js';
import { empiricalFisher } from './empirical-fisher.js';
import { denseInverseCurvature } from './inverse-curvature.js';
import { jointObsPrune } from './joint-obs-update.js';
import { obsPrune } from './obs-update.js';
import { smallMlp } from './__fixtures__/small-mlp.js';
import { relativeError } from './__fixtures__/linear-algebra.js';

// Real per-sample gradients of a 4-3-2 tanh MLP (p = 23) on n = 10 samples: F = λI + (1/n)GᵀG has rank-10 data part.
const n = 10;
const damping = 1e-3;
const { spec, params, data, loss, p } = smallMlp(n);
const G = new MlpEvaluation(spec, params, data, loss).perSampleGradients();
const F = empiricalFisher(G, { count: n, size: p, damping });
const options = { count: n, size: p, damping };

/** Reference: the constrained minimiser of ½ dᵀ C d with d_Q = −w_Q, by a dense Cholesky solve of C_KK d_K = C_KQ w_Q. */
function denseJointUpdate(C: Float64Array, mask: Uint8Array): Float64Array {
  const K = [...mask.keys()].filter((q) => mask[q] === 1);
  const Q = [...mask.keys()].filter((q) => mask[q] === 0);
  const CKK = new Float64Array(K.length * K.length);
  const rhs = new Float64Array(K.length);
  K.forEach((a, i) => {
    K.forEach((b, j) => (CKK[i * K.length + j] = C[a * p + b]));
    rhs[i] = Q.reduce((s, q) => s + C[a * p + q] * params[q], 0);
  });
  const dK = choleskySolve(cholesky(CKK, K.length), K.length, rhs);
  const out = new Float64Array(p);
  K.forEach((a, i) => (out[a] = params[a] + dK[i]));
  return out;
}

function quadratic(C: Float64Array, pruned: Float64Array): number {
  const d = Float64Array.from(pruned, (w, q) => w - params[q]);
  let s = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += d[i] * C[i * p + j] * d[j];
  return 0.5 * s;
}

const mask = Uint8Array.from({ length: p }, (_, q) => ([1, 4, 6, 9, 12, 15, 18, 21].includes(q) ? 0 : 1));

describe('jointObsPrune: exact multi-weight OBS for λI + (1/n)GᵀG by n × n solves', () => {
  it('equals the dense constrained solution C_KK d_K = C_KQ w_Q (8 of 23 weights) to 1e-9, pruned entries exactly 0', () => {
    const joint = jointObsPrune(params, G, mask, options);
    expect(relativeError(joint, denseJointUpdate(F, mask))).toBeLessThan(1e-9);
    for (let q = 0; q < p; q++) if (mask[q] === 0) expect(joint[q]).toBe(0);
  });

  it('raises the quadratic model by ½ w_Qᵀ([F⁻¹]_QQ)⁻¹ w_Q, less than the superposed update does', () => {
    const Finv = choleskyInverse(F, p);
    const Q = [...mask.keys()].filter((q) => mask[q] === 0);
    const block = new Float64Array(Q.length * Q.length);
    Q.forEach((a, i) => Q.forEach((b, j) => (block[i * Q.length + j] = Finv[a * p + b])));
    const wQ = Float64Array.from(Q, (q) => params[q]);
    const y = choleskySolve(cholesky(block, Q.length), Q.length, wQ);
    const saliency = 0.5 * wQ.reduce((s, w, i) => s + w * y[i], 0);
    const joint = quadratic(F, jointObsPrune(params, G, mask, options));
    expect(Math.abs(joint - saliency) / saliency).toBeLessThan(1e-8);
    const superposed = quadratic(F, obsPrune(params, denseInverseCurvature(Finv, p), mask));
    expect(joint).toBeLessThan(superposed);
  });

  it('for one weight it is the single-weight OBS update', () => {
    const single = Uint8Array.from({ length: p }, (_, q) => (q === 7 ? 0 : 1));
    const inverse = denseInverseCurvature(choleskyInverse(F, p), p);
    expect(relativeError(jointObsPrune(params, G, single, options), obsPrune(params, inverse, single))).toBeLessThan(1e-9);
  });

  it('with blocks it solves each diagonal block of F separately; updateScale s moves the kept weights by s·d', () => {
    const blocks = [{ start: 0, length: 10 }, { start: 10, length: 13 }];
    const Fblock = Float64Array.from(F, (v, k) => {
      const i = Math.floor(k / p);
      const j = k % p;
      return (i < 10) === (j < 10) ? v : 0;
    });
    const full = jointObsPrune(params, G, mask, { ...options, blocks });
    expect(relativeError(full, denseJointUpdate(Fblock, mask))).toBeLessThan(1e-9);
    const half = jointObsPrune(params, G, mask, { ...options, blocks, updateScale: 0.5 });
    const expected = Float64Array.from(full, (w, q) => (mask[q] ? params[q] + 0.5 * (w - params[q]) : 0));
    expect(relativeError(half, expected)).toBeLessThan(1e-12);
  });

  it('rejects λ = 0, a scale outside [0, 1] and blocks that do not tile', () => {
    expect(() => jointObsPrune(params, G, mask, { ...options, damping: 0 })).toThrow(InvalidArgumentError);
    expect(() => jointObsPrune(params, G, mask, { ...options, updateScale: 2 })).toThrow(/updateScale must be in \[0, 1\], got 2/);
    expect(() => jointObsPrune(params, G, mask, { ...options, blocks: [{ start: 0, length: 10 }] })).toThrow(/blocks cover 10 indices, expected 23/);
  });
});
