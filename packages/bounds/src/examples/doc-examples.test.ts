import { describe, expect, it } from 'vitest';
import { mlpSpec, syntheticDataset } from '@intrinsic/models';
import {
  activationLipschitzConstant,
  catoniBound,
  distanceToInitialization,
  effectiveDimension,
  frobeniusNorms,
  gaussianKl,
  inputJacobian,
  klDivergenceBernoulli,
  klInverseLower,
  klInverseUpper,
  marginQuantile,
  matrixSpectralNorm,
  mcAllesterBound,
  monteCarloErrorBound,
  outputMargins,
  pathNorm,
  powerIterationSpectralNorm,
  priorVarianceGridIndices,
  priorVarianceGridPoint,
  seegerMaurerBound,
  smallestPositiveEigenvalue,
  splitPriorBoundData,
} from '../index.js';

/** Every `@example` of the TSDoc comments, through the public entry point, with the number it states. */
describe('TSDoc @example values', () => {
  it('PAC-Bayes', () => {
    expect(klDivergenceBernoulli(0, 0.5)).toBe(0.6931471805599453);
    expect(klInverseUpper(0, Math.LN2)).toBeCloseTo(0.5, 15);
    expect(klInverseLower(1, Math.LN2)).toBeCloseTo(0.5, 15);
    expect(seegerMaurerBound({ empiricalError: 0, kl: 0, sampleCount: 100, delta: 0.05 })).toBeCloseTo(0.058155, 6);
    expect(mcAllesterBound({ empiricalError: 0.1, kl: 5, sampleCount: 1000, delta: 0.05 })).toBeCloseTo(0.17792, 5);
    expect(catoniBound({ empiricalError: 0, kl: 0, sampleCount: 100, delta: 0.05, beta: 1 }).bound).toBeCloseTo(0.046689, 6);
    expect(gaussianKl({ posteriorMean: Float64Array.of(1), posteriorStd: Float64Array.of(1), priorMean: Float64Array.of(0), priorVariance: 1 })).toBe(0.5);
    expect(priorVarianceGridPoint(100).variance).toBeCloseTo(0.036788, 6);
    expect(priorVarianceGridIndices(0.1 * Math.exp(-2.5 / 100))).toEqual([2, 3]);
    expect(monteCarloErrorBound({ sampledError: 0, sampleCount: 1000, delta: 0.01 })).toBeCloseTo(0.005284, 6);
    const tenRows = syntheticDataset({ kind: 'mixture', count: 10, inputSize: 2, outputSize: 2, seed: 1 });
    expect(splitPriorBoundData(tenRows, { priorFraction: 0.3, seed: 1 }).bound.count).toBe(7);
  });

  it('measures, Lipschitz, double descent', () => {
    expect(powerIterationSpectralNorm(Float64Array.of(3, 0, 0, -5), { rows: 2, columns: 2 }).value).toBeCloseTo(5, 12);
    expect(Array.from(frobeniusNorms(mlpSpec({ widths: [2, 2], bias: false }), Float64Array.of(3, 0, 0, 4)))).toEqual([5]);
    expect(pathNorm(mlpSpec({ widths: [1, 1, 1], bias: false }), Float64Array.of(2, 3)).pathNorm).toBe(6);
    expect(distanceToInitialization(Float64Array.of(3, 4), Float64Array.of(0, 0))).toBe(5);
    expect(Array.from(outputMargins(Float64Array.of(1, 3, 0, 2, 0.5, 1), Int32Array.of(1, 0)))).toEqual([2, 1]);
    expect(marginQuantile(Float64Array.of(4, 1, 3, 2), 0.5)).toBe(2.5);
    expect(effectiveDimension(Float64Array.of(3, 1, 0), 1)).toBe(1.25);
    expect(activationLipschitzConstant('sigmoid')).toBe(0.25);
    expect(Array.from(inputJacobian(mlpSpec({ widths: [2, 1], bias: false }), Float64Array.of(3, -1), Float64Array.of(0, 0)))).toEqual([3, -1]);
    expect(matrixSpectralNorm(Float64Array.of(3, 4), 1, 2)).toBe(5);
    expect(smallestPositiveEigenvalue(Float64Array.of(-1e-17, 0.5, 3)).value).toBe(0.5);
  });
});
