import { describe, expect, it } from 'vitest';
import { analyzeHessianRanks } from '@intrinsic/hessian';
import { defaultDataset, initializeParameters, mlpSpec } from '@intrinsic/models';
import { MemoryBudgetError, trapezoidIntegral } from '@intrinsic/spectra';
import { computeMatrixFree } from './matrix-free.js';
import { computeRanks } from './compute-ranks.js';
import { DEFAULT_PAGE_STATE } from './page-state.js';

describe('computeMatrixFree', () => {
  it('finds the top-|λ| eigenvalues of the dense Hessian by Lanczos on Hessian-vector products', () => {
    const state = { ...DEFAULT_PAGE_STATE, widths: [6, 4, 3], samples: 12, activation: 'tanh' as const };
    const report = computeMatrixFree(state, { topK: 5 });
    // Independent reference: all eigenvalues of the dense H, sorted by magnitude.
    const spec = mlpSpec({ widths: state.widths, activation: 'tanh', bias: false, init: 'glorot-normal', seed: 0 });
    const data = defaultDataset('gaussian', 'mse', 12, 6, 3, 0);
    const dense = Array.from(analyzeHessianRanks(spec, initializeParameters(spec), data, 'mse').parts.hessian.eigenvalues).sort((a, b) => Math.abs(b) - Math.abs(a));
    expect(report.params).toBe(36);
    expect(report.lanczos.converged.every(Boolean)).toBe(true);
    Array.from(report.lanczos.values).forEach((value, i) => expect(Math.abs(value - dense[i])).toBeLessThan(1e-9 * Math.abs(dense[0])));
    // The log density integrates to 1 − mass below the floor.
    expect(trapezoidIntegral(report.slq.grid, report.slq.density)).toBeCloseTo(1 - report.slq.massBelowFloor, 6);
    expect(report.slq.matvecs).toBeLessThanOrEqual(4 * 36);
  });

  it('works on a CNN through the layered engine: Lanczos equals the dense eigenvalues of computeRanks', () => {
    const state = { ...DEFAULT_PAGE_STATE, widths: [10, 3, 2, 3], samples: 6, activation: 'tanh' as const, arch: 'conv' as const, seed: 5 };
    const report = computeMatrixFree(state, { topK: 4 });
    // Independent path: all eigenvalues of the dense CNN Hessian (p exact columns, symmetric eigensolver).
    const dense = Array.from(computeRanks(state).eigenvalues.hessian).sort((a, b) => Math.abs(b) - Math.abs(a));
    expect(report.params).toBe(1 * 3 * 3 + 3 * 2 * 3 + 3 * 2 * 10);
    expect(report.lanczos.converged.every(Boolean)).toBe(true);
    Array.from(report.lanczos.values).forEach((value, i) => expect(Math.abs(value - dense[i])).toBeLessThan(1e-9 * Math.abs(dense[0])));
    expect(trapezoidIntegral(report.slq.grid, report.slq.density)).toBeCloseTo(1 - report.slq.massBelowFloor, 6);
  });

  it('refuses bases over the budget before allocating', () => {
    expect(() => computeMatrixFree({ ...DEFAULT_PAGE_STATE, widths: [784, 2000, 10] }, { topK: 10, memoryBudgetBytes: 1e8 })).toThrow(MemoryBudgetError);
  });
});
