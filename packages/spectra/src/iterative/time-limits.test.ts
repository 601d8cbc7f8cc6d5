import { describe, expect, it } from 'vitest';
import { hutchinsonDiagonal } from './hutchinson-diagonal.js';
import { hutchinsonTrace } from './hutchinson-trace.js';
import { lanczosEigenpairs } from './lanczos-eigenpairs.js';
import { linearOperator, type LinearOperator } from './linear-operator.js';
import { powerIterationEigenpairs } from './power-iteration-eigenpairs.js';
import { slqSpectralDensity } from './slq-spectral-density.js';

/**
 * Issue #10, resource guards: every iterative method has an iteration limit and an optional wall-clock
 * limit `timeLimitMs` that ends it with a partial result flagged `timedOut`. The operator here is a
 * diagonal matrix whose product takes `delayMs` (a busy wait), so that a limit of a few tens of
 * milliseconds cuts a run that would otherwise take seconds.
 */
const n = 60;
/** Eigenvalues 1, 1.01, 1.02, …: clustered, so power iteration and Lanczos need many products. */
const diagonal = Float64Array.from({ length: n }, (_, i) => 1 + 0.01 * i);

function slowDiagonal(delayMs: number): LinearOperator & { products: () => number } {
  let count = 0;
  const op = linearOperator({
    size: n,
    symmetric: true,
    apply: (x, out) => {
      const until = performance.now() + delayMs;
      while (performance.now() < until);
      count++;
      for (let i = 0; i < n; i++) out[i] = diagonal[i] * x[i];
    },
  });
  return Object.assign(op, { products: () => count });
}

describe('timeLimitMs: partial results flagged as such', () => {
  it('lanczosEigenpairs stops at the limit; its residuals are the true ones of the vectors it returns', () => {
    const op = slowDiagonal(2);
    const result = lanczosEigenpairs(op, { k: 6, tolerance: 1e-14, basisSize: 13, timeLimitMs: 40, returnVectors: true });
    expect(result.timedOut).toBe(true);
    expect(result.allConverged).toBe(false);
    // The limit is checked after every product and each takes ≥ 2 ms: at most 40/2 products, plus the one running.
    expect(result.matvecs).toBeLessThanOrEqual(21);
    expect(result.matvecs).toBe(op.products());
    // Reference: the residual ‖A v − θ v‖ recomputed from the returned pairs.
    for (let q = 0; q < result.values.length; q++) {
      const v = result.vectors!.subarray(q * n, (q + 1) * n);
      let s = 0;
      for (let i = 0; i < n; i++) s += (diagonal[i] * v[i] - result.values[q] * v[i]) ** 2;
      expect(Math.abs(Math.sqrt(s) - result.residualNorms[q])).toBeLessThan(1e-10);
      expect(result.converged[q]).toBe(result.residualNorms[q] <= 1e-14 * result.normEstimate);
    }
    // Without a limit the same call converges to the top eigenvalues 1.59, 1.58, … and says timedOut false.
    const full = lanczosEigenpairs(slowDiagonal(0), { k: 6, tolerance: 1e-10 });
    expect(full.timedOut).toBe(false);
    full.values.forEach((value, q) => expect(value).toBeCloseTo(diagonal[n - 1 - q], 9));
  });

  it('powerIterationEigenpairs returns the pairs reached, fewer than k, flagged', () => {
    const op = slowDiagonal(1);
    const result = powerIterationEigenpairs(op, { k: 5, tolerance: 1e-14, maxIterations: 100_000, timeLimitMs: 30 });
    expect(result.timedOut).toBe(true);
    expect(result.values.length).toBeLessThan(5);
    expect(result.values.length).toBe(result.converged.length);
    expect(result.allConverged).toBe(false);
    expect(result.matvecs).toBe(op.products());
    // The iteration limit alone also ends it: maxIterations products per pair, not converged, not timed out.
    const limited = powerIterationEigenpairs(slowDiagonal(0), { k: 2, tolerance: 1e-14, maxIterations: 7 });
    expect(limited).toMatchObject({ timedOut: false, iterations: [7, 7], matvecs: 14, allConverged: false });
  });

  it('slqSpectralDensity uses the probes finished within the limit; weights still sum to 1', () => {
    const op = slowDiagonal(2);
    const result = slqSpectralDensity(op, { probes: 50, steps: 10, timeLimitMs: 30 });
    expect(result.timedOut).toBe(true);
    expect(result.probes).toBeGreaterThanOrEqual(1);
    expect(result.probes).toBeLessThan(50);
    expect(result.nodeOffsets.length).toBe(result.probes + 1);
    expect(result.matvecs).toBe(result.probes * 10);
    expect(result.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Same seed, no limit, the same number of probes: identical nodes (the partial run is a prefix).
    const reference = slqSpectralDensity(slowDiagonal(0), { probes: result.probes, steps: 10 });
    expect(Array.from(reference.nodes)).toEqual(Array.from(result.nodes));
    expect(reference.timedOut).toBe(false);
  });

  it('hutchinsonTrace and hutchinsonDiagonal: whole blocks of 32 products, equal to a run with that budget', () => {
    const trace = hutchinsonTrace(slowDiagonal(1), { matvecs: 3200, timeLimitMs: 40 });
    expect(trace.timedOut).toBe(true);
    expect(trace.matvecs % 32).toBe(0);
    expect(trace.matvecs).toBeLessThan(3200);
    const same = hutchinsonTrace(slowDiagonal(0), { matvecs: trace.matvecs });
    expect(same.estimate).toBe(trace.estimate);
    expect(same.timedOut).toBeUndefined();
    // Rademacher probes on a diagonal matrix: every sample is exactly tr(A).
    expect(trace.estimate).toBeCloseTo(diagonal.reduce((a, b) => a + b, 0), 10);

    const diag = hutchinsonDiagonal(slowDiagonal(1), { matvecs: 3200, timeLimitMs: 40 });
    expect(diag.timedOut).toBe(true);
    expect(diag.matvecs).toBeLessThan(3200);
    diag.estimate.forEach((value, i) => expect(value).toBeCloseTo(diagonal[i], 12));
  });

  it('rejects a time limit that is not a positive number', () => {
    const op = slowDiagonal(0);
    for (const bad of [0, -5, Number.NaN]) {
      expect(() => lanczosEigenpairs(op, { k: 1, timeLimitMs: bad })).toThrow(`lanczosEigenpairs: timeLimitMs must be a positive number of milliseconds, got ${bad}`);
      expect(() => slqSpectralDensity(op, { timeLimitMs: bad })).toThrow('slqSpectralDensity: timeLimitMs must be a positive number');
      expect(() => hutchinsonTrace(op, { timeLimitMs: bad })).toThrow('hutchinsonTrace: timeLimitMs must be a positive number');
      expect(() => powerIterationEigenpairs(op, { k: 1, timeLimitMs: bad })).toThrow('powerIterationEigenpairs: timeLimitMs must be a positive number');
    }
  });
});
