import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_BUDGET_BYTES, IntrinsicError } from '@intrinsic/spectra';
import { syntheticDataset } from './data.js';
import { initializeParameters } from './init.js';
import { parameterCount } from './layout.js';
import { MlpEvaluation } from './mlp-engine.js';
import { mlpSpec } from './spec.js';

/**
 * Issue #10, resource guards: user-sized dense allocations check the memory budget first, so a huge width
 * or sample count ends in a one-line MemoryBudgetError, not a RangeError ("Invalid typed array length")
 * or an out-of-memory crash. Sizes are either tiny (computed for real) or far over the 4 GiB budget.
 */
const BUDGET_DOUBLES = DEFAULT_MEMORY_BUDGET_BYTES / 8;

function expectBudgetError(f: () => unknown, what: RegExp): void {
  try {
    f();
  } catch (error) {
    if (!IntrinsicError.isInstance(error)) throw error;
    expect(error.code).toBe('memory-budget');
    expect(error.message).toMatch(what);
    expect(error.message).toMatch(/needs [\d.]+ [KMGT]?B of float64 memory, over the budget of 4\.3 GB/);
    return;
  }
  throw new Error('expected a memory-budget error');
}

describe('memory budget before dense allocations (models)', () => {
  it('initializeParameters and syntheticDataset refuse sizes over the budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40_000, max: 1_000_000 }), fc.integer({ min: 1, max: 3 }), (width, depth) => {
        const spec = mlpSpec({ widths: [width, ...Array(depth).fill(width), 2] });
        const p = parameterCount(spec);
        if (p > BUDGET_DOUBLES) expectBudgetError(() => initializeParameters(spec), /^initializeParameters: p = \d+ parameters needs/);
        expectBudgetError(() => syntheticDataset({ kind: 'gaussian', count: 1e6, inputSize: width, outputSize: 2, seed: 0 }), /^syntheticDataset: 1000000 samples × \(\d+ inputs \+ 2 targets\) needs/);
      }),
      { numRuns: 200 },
    );
  });

  it('the Jacobian and per-sample gradients check N·K·p and N·p; small ones are computed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }), (d, hidden, K) => {
        const spec = mlpSpec({ widths: [d, hidden, K], seed: d });
        const params = initializeParameters(spec);
        const data = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: d, outputSize: K, seed: 1 });
        const evaluation = new MlpEvaluation(spec, params, data, 'mse');
        // Independent reference for the shapes: N·K × p and N × p.
        expect(evaluation.outputJacobian().length).toBe(3 * K * params.length);
        expect(evaluation.perSampleGradients().length).toBe(3 * params.length);
      }),
      { numRuns: 100 },
    );
    // 2,000 samples, K = 20, p = 24,000: the N·K × p Jacobian is 9.6·10⁸ doubles (7.7 GB).
    const spec = mlpSpec({ widths: [20, 600, 20] });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian', count: 2000, inputSize: 20, outputSize: 20, seed: 0 });
    expectBudgetError(() => new MlpEvaluation(spec, params, data, 'mse').outputJacobian(), /^outputJacobian: the N·K × p = 40000 × 24000 Jacobian needs 7\.7 GB/);
    // 23,000 samples: the N × p per-sample gradients are 5.5·10⁸ doubles (4.4 GB).
    const more = syntheticDataset({ kind: 'gaussian', count: 23_000, inputSize: 20, outputSize: 20, seed: 0 });
    expectBudgetError(() => new MlpEvaluation(spec, params, more, 'mse').perSampleGradients(), /^perSampleGradients: the N × p = 23000 × 24000 gradient matrix needs 4\.4 GB/);
  }, 60_000);
});
