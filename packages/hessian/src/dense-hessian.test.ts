import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES, MlpEvaluation, initializeParameters, mlpSpec, syntheticDataset } from '@intrinsic/models';
import { denseCurvature, denseHessian, hessianDecomposition, outerProductHessian } from './dense-hessian.js';
import { MemoryBudgetError } from '@intrinsic/spectra';
import { structuredCurvatureWorkDoubles } from './assembly/structured-curvature.js';
import { layerBlock } from './layer-blocks.js';

function relativeFrobenius(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

const cases = ACTIVATIONS.flatMap((activation) => LOSSES.flatMap((loss) => [false, true].map((bias) => ({ activation, loss, bias }))));

describe('dense H, H_O, H_F against finite differences', () => {
  it.each(cases)('$activation $loss bias=$bias', ({ activation, loss, bias }) => {
    const spec = mlpSpec({ widths: [3, 4, 3, 3], activation, bias, seed: 21 });
    const params = initializeParameters(spec);
    for (let i = 0; i < params.length; i++) params[i] += 0.1 * Math.sin(5 * i + 2);
    const data = syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'gaussian-classes', count: 8, inputSize: 3, outputSize: 3, seed: 9 });
    const { hessian, outer, functional, size: p, splitResidual } = hessianDecomposition(spec, params, data, loss);
    // Reference H: central differences of the exact gradient, column by column.
    const h = 1e-5;
    const fdHessian = new Float64Array(p * p);
    for (let j = 0; j < p; j++) {
      const plus = params.slice();
      const minus = params.slice();
      plus[j] += h;
      minus[j] -= h;
      const gp = new MlpEvaluation(spec, plus, data, loss).gradient();
      const gm = new MlpEvaluation(spec, minus, data, loss).gradient();
      for (let i = 0; i < p; i++) fdHessian[i * p + j] = (gp[i] - gm[i]) / (2 * h);
    }
    // Reference H_O: (1/N) Σ J_iᵀ Λ_i J_i with J from central differences of the outputs.
    const N = data.count;
    const K = 3;
    const fdJ = new Float64Array(N * K * p);
    for (let j = 0; j < p; j++) {
      const plus = params.slice();
      const minus = params.slice();
      plus[j] += h;
      minus[j] -= h;
      const fp = new MlpEvaluation(spec, plus, data, loss).outputs;
      const fm = new MlpEvaluation(spec, minus, data, loss).outputs;
      for (let r = 0; r < N * K; r++) fdJ[r * p + j] = (fp[r] - fm[r]) / (2 * h);
    }
    const evaluation = new MlpEvaluation(spec, params, data, loss);
    const fdOuter = outerProductHessian(evaluation, fdJ);
    const fdFunctional = fdHessian.map((x, i) => x - fdOuter[i]);
    expect(relativeFrobenius(hessian, fdHessian)).toBeLessThan(1e-6);
    expect(relativeFrobenius(outer, fdOuter)).toBeLessThan(1e-6);
    expect(relativeFrobenius(functional, fdFunctional)).toBeLessThan(1e-6);
    expect(splitResidual).toBeLessThan(1e-13);
    // Symmetry.
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) expect(hessian[i * p + j]).toBe(hessian[j * p + i]);
  });

  it('refuses a network whose dense Hessian exceeds the memory budget, naming the size', () => {
    const spec = mlpSpec({ widths: [784, 2000, 10] });
    const data = syntheticDataset({ kind: 'gaussian', count: 2, inputSize: 784, outputSize: 10, seed: 0 });
    const params = new Float64Array(784 * 2000 + 2000 * 10);
    expect(() => hessianDecomposition(spec, params, data, 'mse')).toThrow(/p = 1588000 .* needs 60\.\d TB .*budget of 4\.3 GB/);
  });
});

describe('structured and product assembly', () => {
  it('give the same H, H_O, H_F (1e-12) and the same loss; outerProductHessian matches the Gauss–Newton products', () => {
    const spec = mlpSpec({ widths: [5, 7, 6, 3], activation: 'gelu', bias: true, seed: 4 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian-classes', count: 11, inputSize: 5, outputSize: 3, seed: 6 });
    const fast = hessianDecomposition(spec, params, data, 'cross-entropy');
    const slow = hessianDecomposition(spec, params, data, 'cross-entropy', { assembly: 'products' });
    expect(relativeFrobenius(fast.hessian, slow.hessian)).toBeLessThan(1e-12);
    expect(relativeFrobenius(fast.outer, slow.outer)).toBeLessThan(1e-12);
    expect(relativeFrobenius(fast.functional, slow.functional)).toBeLessThan(1e-12);
    expect(fast.lossValue).toBe(slow.lossValue);
    expect(slow.splitResidual).toBeLessThan(1e-13);
    const evaluation = new MlpEvaluation(spec, params, data, 'cross-entropy');
    expect(relativeFrobenius(outerProductHessian(evaluation), denseCurvature(evaluation, 'outer'))).toBeLessThan(1e-12);
    expect(relativeFrobenius(denseHessian(spec, params, data, 'cross-entropy'), slow.hessian)).toBeLessThan(1e-12);
  });

  it('denseHessian needs p² doubles plus small work arrays, not the 3p² of the decomposition', () => {
    const spec = mlpSpec({ widths: [4, 5, 3], activation: 'tanh', bias: true, seed: 1 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian', count: 6, inputSize: 4, outputSize: 3, seed: 1 });
    const p = params.length;
    expect(p).toBe(43);
    const evaluation = new MlpEvaluation(spec, params, data, 'mse');
    const needed = p * p + structuredCurvatureWorkDoubles(evaluation);
    expect(needed).toBeLessThan(3 * p * p);
    const budget = { memoryBudgetBytes: 8 * needed };
    expect(denseHessian(spec, params, data, 'mse', budget).length).toBe(p * p);
    expect(denseHessian(spec, params, data, 'mse', { ...budget, assembly: 'products' }).length).toBe(p * p);
    expect(() => hessianDecomposition(spec, params, data, 'mse', budget)).toThrow(MemoryBudgetError);
    expect(() => denseHessian(spec, params, data, 'mse', { memoryBudgetBytes: 8 * needed - 8 })).toThrow(MemoryBudgetError);
    expect(() => denseHessian(spec, params, data, 'mse', { memoryBudgetBytes: 8 * p * p - 8, assembly: 'products' })).toThrow(MemoryBudgetError);
  });
});

describe('layer blocks', () => {
  it('block (k, l) holds ∂²L/∂θ_k∂θ_l and block (l, k) is its transpose', () => {
    const spec = mlpSpec({ widths: [3, 2, 2], activation: 'tanh', bias: true, seed: 1 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian', count: 4, inputSize: 3, outputSize: 2, seed: 1 });
    const { hessian, size } = hessianDecomposition(spec, params, data, 'mse');
    const b12 = layerBlock(hessian, spec, 1, 2);
    const b21 = layerBlock(hessian, spec, 2, 1);
    expect([b12.rows, b12.columns]).toEqual([8, 6]); // layer 1: 2·3 + 2, layer 2: 2·2 + 2
    for (let i = 0; i < 8; i++) for (let j = 0; j < 6; j++) {
      expect(b12.values[i * 6 + j]).toBe(hessian[i * size + 8 + j]);
      expect(b21.values[j * 8 + i]).toBe(b12.values[i * 6 + j]);
    }
    expect(() => layerBlock(hessian, spec, 0, 3)).toThrow(/layer 0 does not exist; layers are 1…2/);
  });
});
