import { describe, expect, it } from 'vitest';
import { IntrinsicError, parseTolerancePolicy } from '@intrinsic/spectra';
import { analyzeHessianRanks } from '@intrinsic/hessian';
import { initializeParameters, mlpSpec, syntheticDataset } from '@intrinsic/models';
import { BROWSER_MEMORY_BUDGET_BYTES, computeRanks } from './compute-ranks.js';
import { DEFAULT_PAGE_STATE, type PageState } from './page-state.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('computeRanks (the worker computation)', () => {
  it('gives the public reference ranks of SCIENCE.md §2 with the closed form beside them', () => {
    // 8; [5]; 3; N = 20; MSE → rank H, H_O, H_F = 45, 24, 30; p = 55.
    const report = computeRanks({ ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20 });
    expect(report.params).toBe(55);
    expect(report.dataRank).toBe(8);
    expect(report.rank).toEqual({ hessian: 45, outer: 24, functional: 30 });
    expect(report.prediction.applies && report.prediction.ranks).toEqual({ hessian: 45, outer: 24, functional: 30 });
    expect(report.splitResidual).toBeLessThan(1e-12);
    // The numpy threshold is σ_max · p · ε, and the smallest non-zero sits far above it.
    const h = report.parts.hessian;
    expect(h.threshold / (h.largest * 55 * 2 ** -52)).toBeCloseTo(1, 12);
    expect(h.smallestNonzero).toBeGreaterThan(1e6 * h.threshold);
    expect(report.toleranceDescription).toMatch(/^numpy: /);
    expect(report.memoryBytes).toBe(8 * (3 * 55 * 55 + 2 * 20 * 3 * 55));
  });

  it('gives the cross-entropy reference 245, 145, 165 for 25-5-10-10', () => {
    const report = computeRanks({ ...DEFAULT_PAGE_STATE, loss: 'cross-entropy' });
    expect(report.rank).toEqual({ hessian: 245, outer: 145, functional: 165 });
  });

  it('uses the Gaussian mixture of syntheticDataset when data is mixture (both losses)', () => {
    for (const loss of ['mse', 'cross-entropy'] as const) {
      const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [6, 4, 3], samples: 15, loss, activation: 'tanh', bias: true, seed: 4, data: 'mixture' };
      const report = computeRanks(state);
      const spec = mlpSpec({ widths: [6, 4, 3], activation: 'tanh', bias: true, init: 'glorot-normal', seed: 4 });
      const data = syntheticDataset({ kind: 'mixture', count: 15, inputSize: 6, outputSize: 3, seed: 4 });
      const reference = analyzeHessianRanks(spec, initializeParameters(spec), data, loss, { tolerance: parseTolerancePolicy('numpy') });
      expect(report.rank).toEqual(reference.rank);
      expect(report.lossValue).toBe(reference.lossValue);
      expect(report.eigenvalues.hessian).toEqual(reference.parts.hessian.eigenvalues);
      // The Gaussian data gives another loss: the choice reaches the computation.
      expect(computeRanks({ ...state, data: 'gaussian' }).lossValue).not.toBe(report.lossValue);
    }
  });

  it('says why there is no closed form with bias or a non-linear activation', () => {
    const report = computeRanks({ ...DEFAULT_PAGE_STATE, widths: [4, 3, 2], samples: 10, activation: 'tanh' } satisfies PageState);
    expect(report.prediction.applies).toBe(false);
    expect(!report.prediction.applies && report.prediction.reason).toMatch(/tanh/);
    expect(report.params).toBe(4 * 3 + 3 * 2);
  });

  it('refuses a network over the browser budget with the library’s one-line MemoryBudgetError', () => {
    const error = thrown(() => computeRanks({ ...DEFAULT_PAGE_STATE, widths: [784, 2000, 10] }));
    expect(IntrinsicError.isInstance(error) && error.code).toBe('memory-budget');
    const message = (error as Error).message;
    // p = 784·2000 + 2000·10 = 1 588 000; 512 MiB = 537 MB.
    expect(message).toMatch(/^the dense Hessian of p = 1588000 parameters .* over the budget of 537 MB; /);
    expect(message).not.toContain('\n');
    expect(BROWSER_MEMORY_BUDGET_BYTES).toBe(536870912);
  });

  it('refuses parameters and data too large to allocate before anything is allocated', () => {
    const error = thrown(() => computeRanks({ ...DEFAULT_PAGE_STATE, widths: [100000, 100000, 100000], samples: 100000 }));
    expect(IntrinsicError.isInstance(error) && error.code).toBe('memory-budget');
    expect((error as Error).message).toMatch(/^the parameters \(p = 20000000000\) and data \(N = 100000, d = 100000, K = 100000\) need/);
  });

  it('rejects a bad tolerance with the library’s message', () => {
    const error = thrown(() => computeRanks({ ...DEFAULT_PAGE_STATE, tolerance: 'rel:0' }));
    expect(IntrinsicError.isInstance(error) && error.code).toBe('invalid-argument');
  });
});
