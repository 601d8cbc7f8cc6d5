import { describe, expect, it } from 'vitest';
import { runSweep } from '../sweep/run-sweep.js';
import { buildSweepPlan } from '../sweep/sweep-plan.js';
import { sweepAgreement, sweepCsv, sweepFits, sweepPlots } from '../sweep/sweep-output.js';
import { sweepDocument } from './sweep.js';

describe('intrinsic sweep on CNNs: --vary channels|kernel and the cnn-channels preset', () => {
  it('plans 2-D CNN points from --input-size HxW and 1-D points from a plain d; --vary kernel sets every kernel', () => {
    const channels = buildSweepPlan({ vary: 'channels', values: '1:3', widths: '36,2,2,3', 'input-size': '6x6' });
    expect(channels.cnn).toEqual({ input: [1, 6, 6], channels: [2, 2], kernel: 3 });
    expect(channels.points.map((p) => p.cnn)).toEqual([1, 2, 3].map((c) => ({ input: [1, 6, 6], channels: [c, c], kernel: 3 })));
    expect(channels.points.map((p) => p.widths)).toEqual([[36, 1, 1, 3], [36, 2, 2, 3], [36, 3, 3, 3]]);
    const kernel = buildSweepPlan({ vary: 'kernel', values: '1,2,4', widths: '12,3,2' });
    expect(kernel.points.map((p) => p.cnn)).toEqual([1, 2, 4].map((k) => ({ input: [1, 12], channels: [3], kernel: k })));
    const preset = buildSweepPlan({ preset: 'cnn-channels' });
    expect(preset.cnn).toEqual({ input: [1, 8, 8], channels: [1, 1], kernel: 3 });
    expect(preset).toMatchObject({ vary: 'channels', values: [1, 2, 3, 4, 5, 6, 7, 8], samples: 100, outputs: 10, data: 'mnist', losses: ['mse'] });
    // MLP points keep their stored form (no cnn field), so finished MLP sweeps still resume.
    expect('cnn' in buildSweepPlan({ vary: 'width', values: '2', widths: '4,2,2' }).points[0]).toBe(false);
  });

  it('refuses kernels that do not fit, --kernel on an MLP sweep and a CNN without conv layers, in one line', () => {
    expect(() => buildSweepPlan({ vary: 'kernel', values: '2,5', widths: '16,2,3', 'input-size': '4x4' })).toThrow(/point kernel-5-mse: .*kernel 5 is larger than the input/);
    expect(() => buildSweepPlan({ vary: 'width', values: '2', kernel: '3' })).toThrow(/--kernel applies to CNN sweeps/);
    expect(() => buildSweepPlan({ vary: 'channels', values: '2', widths: '16,3' })).toThrow(/needs at least one convolution layer/);
    expect(() => buildSweepPlan({ vary: 'channels', values: '2', kernel: '0', widths: '16,2,3' })).toThrow(/--kernel/);
  });

  it('one conv layer (1-D, d = 10, kernel 3, N = 20, K = 3, MSE and CE): H_O and H_F equal the closed forms at every point, H exact at every point', async () => {
    const plan = buildSweepPlan({ vary: 'channels', values: '1:4', widths: '10,1,3', samples: '20', loss: 'mse,ce' });
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    expect(records).toHaveLength(8);
    for (const r of records) {
      // Independent closed forms (docs/theory.md §7.2, full patches): a = 8 positions, b = 3, r = min(N, d) = 10.
      const M = r.point.value;
      const Kp = r.point.loss === 'mse' ? 3 : 2;
      const [a, b, rank] = [8, 3, 10];
      const s = Math.min(Kp, rank);
      expect(r.params).toBe(3 * M + 3 * M * a);
      expect({ id: r.point.id, outer: r.rank.outer }).toEqual({ id: r.point.id, outer: Math.min(Kp * rank, Kp * Math.min(rank, M * a) + M * Math.max(b - M, 0)) });
      expect({ id: r.point.id, functional: r.rank.functional }).toEqual({ id: r.point.id, functional: 2 * M * Math.min(s * a, b) });
      expect(r.prediction.outer).toMatchObject({ kind: 'exact', value: r.rank.outer });
      expect(r.prediction.functional).toMatchObject({ kind: 'exact', value: r.rank.functional });
      // rank(H) is exact at every point, M ≥ b included (docs/theory.md §7.2: ρ = b, I from its generic rank).
      expect(r.prediction.hessian).toMatchObject({ kind: 'exact', value: r.rank.hessian });
    }
    expect(sweepAgreement(records)).toEqual({ exact: 24, exactEqual: 24, bounded: 0, boundHeld: 0 });
    const csv = sweepCsv(records);
    expect(csv.split('\n')[1]).toMatch(/^channels-1-mse,channels,1,mse,10-1-3,20,linear,false,/);
    const plots = sweepPlots(records, sweepFits(records));
    expect(Object.keys(plots).sort()).toEqual(['rank-over-p-ce.svg', 'rank-over-p-mse.svg', 'rank-vs-channels-ce.svg', 'rank-vs-channels-mse.svg']);
    expect(plots['rank-vs-channels-mse.svg']).toContain('channels (every conv layer)');
  });

  it('cnn-channels preset logic at small size (Gaussian 5 × 5 images, N = 20, K = 4, channels 1…4): p grows quadratically, every bound holds, sweep.json is deterministic', async () => {
    const flags = { preset: 'cnn-channels', data: 'gaussian', 'input-size': '5x5', samples: '20', widths: '25,1,1,4', values: '1:4' };
    const plan = buildSweepPlan(flags);
    const records = await runSweep(plan.points, { jobs: 1, resume: false });
    // Two conv2d 3 × 3 layers (5 × 5 → 3 × 3 → 1 × 1) and a dense readout: p = 9c + 9c² + 4c.
    expect(records.map((r) => r.params)).toEqual([1, 2, 3, 4].map((c) => 9 * c + 9 * c * c + 4 * c));
    for (const r of records) {
      expect(r.prediction.kind).toBe('upper-bound');
      for (const part of ['hessian', 'outer', 'functional'] as const) expect(r.rank[part], `${r.point.id} ${part}`).toBeLessThanOrEqual(r.prediction[part].value as number);
    }
    // rank(H_O) ≤ K·r = 4·20 and the rank grows more slowly than p.
    expect(records.map((r) => r.rank.outer).every((v) => v <= 80)).toBe(true);
    expect(records[3].rankOverParams.hessian).toBeLessThan(records[0].rankOverParams.hessian);
    const again = await runSweep(buildSweepPlan(flags).points, { jobs: 1, resume: false });
    expect(JSON.stringify(sweepDocument(plan, again, ['--preset', 'cnn-channels']))).toBe(JSON.stringify(sweepDocument(plan, records, ['--preset', 'cnn-channels'])));
    expect(JSON.stringify(sweepDocument(plan, records, []))).not.toMatch(/seconds/);
  });
});
