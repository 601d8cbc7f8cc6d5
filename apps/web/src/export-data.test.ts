import { describe, expect, it } from 'vitest';
import { computeRanks } from './compute-ranks.js';
import { eigenvaluesCsv, numbersJson, sweepCsv } from './export-data.js';
import { DEFAULT_PAGE_STATE } from './page-state.js';
import { DEFAULT_VIEW_STATE } from './view-state.js';
import { widthSweepPoint } from './width-sweep.js';
import { pruningCurve } from './pruning-curve.js';
import { boundTable } from './bound-table.js';

describe('exports', () => {
  const state = { ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20 };
  const report = computeRanks(state);

  it('writes the eigenvalues as CSV that reads back to the same float64 numbers', () => {
    const lines = eigenvaluesCsv(report).trim().split('\n');
    expect(lines).toHaveLength(56);
    lines.slice(1).forEach((line, i) => {
      const [index, h, o, f] = line.split(',').map(Number);
      expect(index).toBe(i + 1);
      expect([h, o, f]).toEqual([report.eigenvalues.hessian[i], report.eigenvalues.outer[i], report.eigenvalues.functional[i]]);
    });
  });

  it('writes JSON with the settings, ranks and eigenvalues (NaN as null, no heatmaps) and the sweep as CSV', () => {
    const parsed = JSON.parse(numbersJson({ state, view: DEFAULT_VIEW_STATE, report: { ...report, lossValue: NaN } }));
    expect(parsed.state).toEqual(state);
    expect(parsed.ranks.rank).toEqual({ hessian: 45, outer: 24, functional: 30 });
    expect(parsed.ranks.lossValue).toBeNull();
    expect(parsed.ranks.heatmaps).toBeUndefined();
    expect(parsed.ranks.eigenvalues.hessian).toEqual(Array.from(report.eigenvalues.hessian));
    const point = widthSweepPoint(state, { layer: 1, width: 5 });
    expect(sweepCsv([point]).trim().split('\n')[1]).toBe(`5,55,45,24,30,45,24,30,${(45 / 55).toPrecision(6)}`);
  });

  it('adds the pruning curve and the bound table to the JSON (NaN accuracy of regression data as null)', () => {
    const model = { model: 'initial' as const, epochs: 1, learningRate: 0.01 };
    const pruning = pruningCurve(state, model);
    const bounds = boundTable(state, model);
    const parsed = JSON.parse(numbersJson({ state, view: DEFAULT_VIEW_STATE, pruning, bounds }));
    expect(parsed.pruning.methods.woodfisher[5].lossAfter).toBe(pruning.methods.woodfisher[5].lossAfter);
    expect(parsed.pruning.methods.magnitude[5].accuracyAfter).toBeNull();
    expect(parsed.bounds.rows.map((r: { key: string }) => r.key)).toEqual(bounds.rows.map((r) => r.key));
    expect(parsed.bounds.rows[0].value).toBe(bounds.rows[0].value);
  });
});
