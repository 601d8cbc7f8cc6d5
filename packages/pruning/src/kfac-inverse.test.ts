import { describe, expect, it } from 'vitest';
import { MlpEvaluation } from '@intrinsic/models';
import { choleskyInverse } from './cholesky.js';
import { empiricalFisher } from './empirical-fisher.js';
import { inverseColumn } from './inverse-curvature.js';
import { kfacFactors, kfacInverse, type KfacLayerFactors } from './kfac-inverse.js';
import { smallMlp } from './__fixtures__/small-mlp.js';
import { relativeError } from './__fixtures__/linear-algebra.js';

/** Flat index, inside the layer, of entry (o, j) of [W | b] (W row-major, then b). */
function flat(f: KfacLayerFactors, o: number, j: number): number {
  const inp = f.hasBias ? f.inputs - 1 : f.inputs;
  return j < inp ? o * inp + j : f.outputs * inp + o;
}

/** Dense S ⊗ A in the layer's flat order, from two factor matrices. */
function kronecker(f: KfacLayerFactors, S: Float64Array, A: Float64Array): Float64Array {
  const n = f.outputs * f.inputs;
  const out = new Float64Array(n * n);
  for (let o = 0; o < f.outputs; o++)
    for (let j = 0; j < f.inputs; j++)
      for (let o2 = 0; o2 < f.outputs; o2++)
        for (let j2 = 0; j2 < f.inputs; j2++) out[flat(f, o, j) * n + flat(f, o2, j2)] = S[o * f.outputs + o2] * A[j * f.inputs + j2];
  return out;
}

describe('K-FAC', () => {
  it('with one sample, S ⊗ A is exactly the empirical Fisher block g gᵀ of each layer (1e-14)', () => {
    const { spec, params, data, loss, p } = smallMlp(1);
    const F = empiricalFisher(new MlpEvaluation(spec, params, data, loss).perSampleGradients(), { count: 1, size: p, damping: 0 });
    for (const f of kfacFactors(spec, params, data, loss)) {
      const block = kronecker(f, f.gradientFactor, f.activationFactor);
      const n = f.outputs * f.inputs;
      const reference = new Float64Array(n * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) reference[a * n + b] = F[(f.offset + a) * p + f.offset + b];
      expect(relativeError(block, reference)).toBeLessThan(1e-14);
    }
  });

  it('A_1 is the input second moment and S_2 the residual second moment (MSE: δ = f − y)', () => {
    const { spec, params, data, loss } = smallMlp(10);
    const [first, second] = kfacFactors(spec, params, data, loss);
    const evaluation = new MlpEvaluation(spec, params, data, loss);
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        let s = 0;
        for (let i = 0; i < 10; i++) s += ((r < 4 ? data.inputs[i * 4 + r] : 1) * (c < 4 ? data.inputs[i * 4 + c] : 1)) / 10;
        expect(first.activationFactor[r * 5 + c]).toBeCloseTo(s, 14);
      }
    }
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 2; c++) {
        let s = 0;
        for (let i = 0; i < 10; i++) s += ((evaluation.outputs[i * 2 + r] - data.targets[i * 2 + r]) * (evaluation.outputs[i * 2 + c] - data.targets[i * 2 + c])) / 10;
        expect(second.gradientFactor[r * 2 + c]).toBeCloseTo(s, 14);
      }
    }
  });

  it('the inverse equals the dense inverse of the π-damped Kronecker blocks (1e-10)', () => {
    const { spec, params, data, loss, p } = smallMlp(10);
    const factors = kfacFactors(spec, params, data, loss);
    const damping = 1e-2;
    const inverse = kfacInverse(factors, damping, p);
    const diagonal = inverse.diagonal();
    for (const f of factors) {
      const m = f.inputs;
      const k = f.outputs;
      const trA = f.activationFactor.reduce((s, v, i) => (i % (m + 1) === 0 ? s + v : s), 0) / m;
      const trS = f.gradientFactor.reduce((s, v, i) => (i % (k + 1) === 0 ? s + v : s), 0) / k;
      const pi = Math.sqrt(trA / trS);
      const A = Float64Array.from(f.activationFactor, (v, i) => (i % (m + 1) === 0 ? v + pi * Math.sqrt(damping) : v));
      const S = Float64Array.from(f.gradientFactor, (v, i) => (i % (k + 1) === 0 ? v + Math.sqrt(damping) / pi : v));
      const n = k * m;
      const reference = choleskyInverse(kronecker(f, S, A), n);
      for (let a = 0; a < n; a++) {
        const column = inverseColumn(inverse, f.offset + a);
        for (let i = 0; i < p; i++) {
          const inBlock = i >= f.offset && i < f.offset + n;
          const expected = inBlock ? reference[(i - f.offset) * n + a] : 0;
          expect(Math.abs(column[i] - expected)).toBeLessThan(1e-10 * Math.abs(reference[a * n + a]));
        }
        expect(Math.abs(diagonal[f.offset + a] - reference[a * n + a])).toBeLessThan(1e-10 * reference[a * n + a]);
      }
    }
  });

  it("dampingSplit 'equal': the diagonal of (S + √λI)⁻¹ ⊗ (A + √λI)⁻¹ (1e-10); an unknown split is refused", () => {
    const { spec, params, data, loss, p } = smallMlp(10);
    const factors = kfacFactors(spec, params, data, loss);
    const damping = 1e-2;
    const diagonal = kfacInverse(factors, damping, p, 'equal').diagonal();
    const root = Math.sqrt(damping);
    for (const f of factors) {
      const m = f.inputs;
      const k = f.outputs;
      const A = Float64Array.from(f.activationFactor, (v, i) => (i % (m + 1) === 0 ? v + root : v));
      const S = Float64Array.from(f.gradientFactor, (v, i) => (i % (k + 1) === 0 ? v + root : v));
      const n = k * m;
      const reference = choleskyInverse(kronecker(f, S, A), n);
      for (let a = 0; a < n; a++) expect(Math.abs(diagonal[f.offset + a] - reference[a * n + a])).toBeLessThan(1e-10 * reference[a * n + a]);
    }
    expect(() => kfacInverse(factors, damping, p, 'half' as 'pi')).toThrow(/dampingSplit must be pi or equal, got 'half'/);
  });
});
