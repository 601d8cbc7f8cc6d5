import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LOSSES, MlpEvaluation, initializeParameters, mlpSpec, syntheticDataset, type HessianPart } from '@intrinsic/models';
import { MemoryBudgetError } from '@intrinsic/spectra';
import { denseCurvature } from '../dense-hessian.js';
import { structuredCurvature } from './structured-curvature.js';

function relativeFrobenius(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

const WIDTHS: Record<number, number[]> = { 1: [4, 3], 2: [4, 5, 3], 3: [3, 4, 5, 3], 4: [3, 4, 3, 5, 3] };
const PARTS: HessianPart[] = ['full', 'outer', 'functional', 'fisher'];

function evaluationFor(activation: (typeof ACTIVATIONS)[number], loss: (typeof LOSSES)[number], bias: boolean, depth: number): MlpEvaluation {
  const widths = WIDTHS[depth];
  const spec = mlpSpec({ widths, activation, bias, seed: 3 + depth });
  const params = initializeParameters(spec);
  // Move away from the initialiser's zero biases so that every term is exercised.
  for (let i = 0; i < params.length; i++) params[i] += 0.2 * Math.sin(3 * i + depth);
  const data = syntheticDataset({
    kind: loss === 'mse' ? 'gaussian' : 'gaussian-classes',
    count: 7,
    inputSize: widths[0],
    outputSize: widths[widths.length - 1],
    seed: 11 + depth,
  });
  return new MlpEvaluation(spec, params, data, loss);
}

const cases = ACTIVATIONS.flatMap((activation) =>
  LOSSES.flatMap((loss) => [false, true].flatMap((bias) => [1, 2, 3, 4].map((depth) => ({ activation, loss, bias, depth })))),
);

describe('structuredCurvature against p R-operator products (denseCurvature)', () => {
  it.each(cases)('$activation $loss bias=$bias depth=$depth', ({ activation, loss, bias, depth }) => {
    const evaluation = evaluationFor(activation, loss, bias, depth);
    const p = evaluation.layout.size;
    for (const part of PARTS) {
      const reference = denseCurvature(evaluation, part);
      const fast = structuredCurvature(evaluation, part);
      const error = relativeFrobenius(fast, reference);
      // The functional part of a one-layer (affine) model is exactly zero: compare absolutely then.
      if (depth === 1 && part === 'functional') {
        expect(Math.max(...fast.map(Math.abs))).toBe(0);
        continue;
      }
      expect(error, `${part}`).toBeLessThan(1e-12);
      let asymmetric = 0;
      for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) if (fast[i * p + j] !== fast[j * p + i]) asymmetric++;
      expect(asymmetric, `${part} entries not exactly symmetric`).toBe(0);
    }
  });

  it('the WebAssembly and TypeScript kernels give bit-identical matrices (depth 3, bias, cross-entropy)', () => {
    const evaluation = evaluationFor('sigmoid', 'cross-entropy', true, 3);
    for (const part of PARTS) {
      const wasm = structuredCurvature(evaluation, part, { kernel: 'auto' });
      const js = structuredCurvature(evaluation, part, { kernel: 'javascript' });
      expect(wasm.every((x, i) => x === js[i])).toBe(true);
    }
  });

  it.each([
    { widths: [3, 1, 2, 1], activation: 'tanh' as const, bias: true, loss: 'mse' as const },
    { widths: [1, 6, 1, 2], activation: 'softplus' as const, bias: false, loss: 'cross-entropy' as const },
    { widths: [2, 9, 2], activation: 'gelu' as const, bias: true, loss: 'cross-entropy' as const },
  ])('width-1 and odd widths $widths (padding of the 4 × 4 blocks)', ({ widths, activation, bias, loss }) => {
    const spec = mlpSpec({ widths, activation, bias, seed: 8 });
    const params = initializeParameters(spec);
    for (let i = 0; i < params.length; i++) params[i] += 0.3 * Math.sin(7 * i + 1);
    const data = syntheticDataset({
      kind: loss === 'mse' ? 'gaussian' : 'gaussian-classes',
      count: 5,
      inputSize: widths[0],
      outputSize: widths[widths.length - 1],
      seed: 3,
    });
    const evaluation = new MlpEvaluation(spec, params, data, loss);
    for (const part of PARTS) {
      expect(relativeFrobenius(structuredCurvature(evaluation, part), denseCurvature(evaluation, part)), part).toBeLessThan(1e-12);
    }
  });

  it('reports progress in output-unit pairs and rows, ending at the total', () => {
    // widths [4, 5, 3], bias: layer 1 has 5·6/2 = 15 diagonal pairs and 5 rows of the (1, 2) block,
    // layer 2 has 3·4/2 = 6 pairs: 26 units.
    const evaluation = evaluationFor('tanh', 'mse', true, 2);
    const calls: [number, number, string][] = [];
    structuredCurvature(evaluation, 'functional', { onProgress: (done, total, stage) => calls.push([done, total, stage]) });
    expect(calls[calls.length - 1]).toEqual([26, 26, 'H_F blocks']);
  });

  it('throws, naming the entry, when the curvature overflows although the loss is finite', () => {
    // Linear 2-2-1, inputs 1e155, W1 = I, W2 = 1e-10: a = 1e155, f ≈ 2e145, loss ≈ 1e290 (finite), but
    // H(W2, W2) = a aᵀ / N ≈ 1e310 overflows.
    const spec = mlpSpec({ widths: [2, 2, 1], activation: 'linear', bias: false, seed: 0 });
    const params = new Float64Array([1, 0, 0, 1, 1e-10, 1e-10]);
    const data = { inputs: new Float64Array([1e155, 1e155]), targets: new Float64Array([0]), count: 1, inputSize: 2, outputSize: 1, description: 'overflow' };
    const evaluation = new MlpEvaluation(spec, params, data, 'mse');
    expect(Number.isFinite(evaluation.value)).toBe(true);
    expect(() => structuredCurvature(evaluation, 'outer')).toThrow(/structuredCurvature: entry \(4, 4\) of H_O is Infinity/);
  });

  it('H = H_O + H_F holds entry by entry for a wider tanh network with bias', () => {
    const spec = mlpSpec({ widths: [6, 9, 7, 4], activation: 'tanh', bias: true, seed: 5 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian', count: 13, inputSize: 6, outputSize: 4, seed: 2 });
    const evaluation = new MlpEvaluation(spec, params, data, 'mse');
    const H = structuredCurvature(evaluation, 'full');
    const O = structuredCurvature(evaluation, 'outer');
    const F = structuredCurvature(evaluation, 'functional');
    expect(relativeFrobenius(O.map((x, i) => x + F[i]), H)).toBeLessThan(1e-14);
    expect(relativeFrobenius(H, denseCurvature(evaluation, 'full'))).toBeLessThan(1e-12);
  });

  it('refuses before allocating when p² exceeds the budget, and rejects an out array of the wrong size', () => {
    const evaluation = evaluationFor('tanh', 'mse', true, 2);
    const p = evaluation.layout.size; // 4·5 + 5 + 5·3 + 3 = 43
    expect(p).toBe(43);
    expect(() => structuredCurvature(evaluation, 'full', { memoryBudgetBytes: 8 * p * p })).toThrow(MemoryBudgetError);
    expect(() => structuredCurvature(evaluation, 'full', { out: new Float64Array(10) })).toThrow(/out has 10 entries, expected p² = 1849/);
    const out = new Float64Array(p * p).fill(Number.NaN);
    expect(structuredCurvature(evaluation, 'outer', { out })).toBe(out);
    expect(relativeFrobenius(out, denseCurvature(evaluation, 'outer'))).toBeLessThan(1e-12);
  });
});
