import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linearNetworkRankPrediction } from '@intrinsic/hessian';
import { pointFile, runSweep } from '../sweep/run-sweep.js';
import { buildSweepPlan } from '../sweep/sweep-plan.js';
import { sweepAgreement, sweepCsv, SWEEP_CSV_COLUMNS, sweepFits, sweepPlots } from '../sweep/sweep-output.js';
import type { SweepRecord } from '../sweep/sweep-point.js';

/** Every exact claim equals the measured rank, and equals the paper's formula computed here independently. */
function expectTheoryMatches(records: SweepRecord[]): void {
  for (const r of records) {
    expect(r.prediction.kind, r.point.id).toBe('exact');
    const formula = linearNetworkRankPrediction({ widths: r.point.widths, dataRank: Math.min(r.point.widths[0], r.point.samples), loss: r.point.loss });
    if (!formula.applies) throw new Error('expected the linear formula to apply');
    expect({ id: r.point.id, ...r.rank }).toEqual({ id: r.point.id, ...formula.ranks });
    expect({ id: r.point.id, ...r.rank }).toEqual({ id: r.point.id, hessian: r.prediction.hessian.value, outer: r.prediction.outer.value, functional: r.prediction.functional.value });
    // A linear network's spectrum has a clean gap exactly at the rank (unless full rank).
    if (r.rank.hessian < r.params) expect(r.gap.hessian.position, r.point.id).toBe(r.rank.hessian);
  }
}

describe('sweep presets on reduced ranges: measured = predicted at every point (linear FC)', () => {
  it('width preset logic (d = 12 instead of 64, widths 2…8, N = 30, MSE and CE)', async () => {
    const plan = buildSweepPlan({ preset: 'width', data: 'gaussian', 'input-size': '3x4', values: '2:8:2', samples: '30' });
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    expect(records).toHaveLength(8);
    expectTheoryMatches(records);
    expect(sweepAgreement(records)).toEqual({ exact: 24, exactEqual: 24, bounded: 0, boundHeld: 0 });
  });

  it('width preset logic on real MNIST (4 × 4 digits, classes 0–3, N = 30): theory uses the measured data rank', async () => {
    const plan = buildSweepPlan({ preset: 'width', 'input-size': '4x4', widths: '16,2,2,4', values: '2,5', samples: '30' });
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    expect(records.map((r) => r.point.data)).toEqual(['mnist', 'mnist', 'mnist', 'mnist']);
    // MNIST is not generic data: the formula is evaluated at the measured r = rank(X), not min(d, N).
    for (const r of records) {
      const formula = linearNetworkRankPrediction({ widths: r.point.widths, dataRank: r.dataRank, loss: r.point.loss });
      if (!formula.applies) throw new Error('expected the linear formula to apply');
      expect({ id: r.point.id, ...r.rank }).toEqual({ id: r.point.id, ...formula.ranks });
      expect(r.prediction.kind).toBe('exact');
      // Constant pixels give exactly-zero eigenvalues; the gap still sits at the rank.
      if (r.rank.hessian < r.params) expect(r.gap.hessian.position, r.point.id).toBe(r.rank.hessian);
    }
  });

  it('samples preset logic (d = 12, N around d: 6, 12, 13, 40)', async () => {
    const plan = buildSweepPlan({ preset: 'samples', 'input-size': '12', values: '6,12,13,40' });
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    expectTheoryMatches(records);
    // r = min(d, N): the rank stops growing once N ≥ d.
    expect(records.map((r) => r.dataRank)).toEqual([6, 12, 12, 12]);
    expect(records[2].rank).toEqual(records[3].rank);
  });

  it('depth preset logic (hidden width 6 instead of 25, depth 0…3)', async () => {
    const plan = buildSweepPlan({ preset: 'depth', widths: '16,6,10', values: '0:3' });
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    expectTheoryMatches(records);
    expect(records.map((r) => r.params)).toEqual([160, 156, 192, 228]);
  });
});

describe('sweep outputs and --resume', () => {
  it('writes each point atomically, reuses finished points with the same settings, recomputes the rest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'intrinsic-sweep-'));
    try {
      const plan = buildSweepPlan({ vary: 'width', values: '1:3', widths: '5,2,3', samples: '9', bias: true });
      const first = await runSweep(plan.points, { jobs: 1, resume: false, outDirectory: out });
      for (const point of plan.points) expect(existsSync(pointFile(out, point.id))).toBe(true);
      // Simulate an interrupted sweep: one point lost, one computed with other settings.
      rmSync(pointFile(out, 'width-2-mse'));
      const stale = JSON.parse(readFileSync(pointFile(out, 'width-3-mse'), 'utf8'));
      stale.point.seed = 99;
      writeFileSync(pointFile(out, 'width-3-mse'), JSON.stringify(stale));
      const reused: string[] = [];
      const second = await runSweep(plan.points, { jobs: 1, resume: true, outDirectory: out, onRecord: (r, _d, _t, wasReused) => wasReused && reused.push(r.point.id) });
      expect(reused).toEqual(['width-1-mse']);
      expect(second.map((r) => r.rank)).toEqual(first.map((r) => r.rank));
      // Linear with bias: the records carry the with-bias prediction (exact H_O, for 5-w-3 with N = 9, r′ = 6).
      expect(second.map((r) => r.prediction.outer.value)).toEqual(second.map((r) => r.rank.outer));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('CSV has one row per point with the documented columns; plots and fits are produced', async () => {
    const plan = buildSweepPlan({ vary: 'width', values: '2,4,6', widths: '6,2,3', samples: '10', loss: 'mse,ce' });
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    const lines = sweepCsv(records).trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0].split(',')).toEqual([...SWEEP_CSV_COLUMNS]);
    const row = Object.fromEntries(lines[0].split(',').map((name, i) => [name, lines[1].split(',')[i]]));
    expect(row).toMatchObject({ id: 'width-2-mse', widths: '6-2-3', params: String(records[0].params), rank_H: String(records[0].rank.hessian) });
    const fits = sweepFits(records);
    expect(Object.keys(fits)).toEqual(['mse', 'cross-entropy']);
    const plots = sweepPlots(records, fits);
    expect(Object.keys(plots).sort()).toEqual(['rank-over-p-ce.svg', 'rank-over-p-mse.svg', 'rank-vs-width-ce.svg', 'rank-vs-width-mse.svg']);
    expect(plots['rank-over-p-mse.svg']).toContain(`α = ${fits.mse?.alpha.toFixed(3)}`);
  });

  it('non-linear points carry the linear formula as a reference and a spectral gap, and no exact claim', async () => {
    const plan = buildSweepPlan({ vary: 'samples', values: '5,20', widths: '4,6,2', activation: 'tanh' });
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    for (const r of records) {
      expect(r.prediction.kind).toBe('none');
      expect(r.prediction.outer).toMatchObject({ kind: 'upper-bound', value: Math.min(r.params, r.point.samples * 2) });
      expect(r.rank.outer).toBeLessThanOrEqual(r.prediction.outer.value ?? -1);
      expect(r.reference).not.toBeNull();
    }
  });
});
