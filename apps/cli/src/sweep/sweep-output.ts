import { join } from 'node:path';
import type { Loss } from '@intrinsic/models';
import { renderSvgPlot, type PlotSeries } from '../plot/svg-plot.js';
import { writeFileAtomic } from '../run-folder.js';
import { formatNumber, formatTable } from '../table.js';
import { fitPowerLaw, type PowerLawFit } from './power-law-fit.js';
import { sweepPointSeconds } from './run-sweep.js';
import type { SweepRecord } from './sweep-point.js';

const PARTS = ['hessian', 'outer', 'functional'] as const;
const PART_LABEL = { hessian: 'H', outer: 'H_O', functional: 'H_F' } as const;

/** The CSV columns, one row per point. */
export const SWEEP_CSV_COLUMNS = [
  'id', 'vary', 'value', 'loss', 'widths', 'samples', 'activation', 'bias', 'params', 'data_rank', 'augmented_data_rank',
  'rank_H', 'rank_HO', 'rank_HF',
  'prediction_kind', 'predicted_H_kind', 'predicted_H', 'predicted_HO_kind', 'predicted_HO', 'predicted_HF_kind', 'predicted_HF',
  'reference_H', 'reference_HO', 'reference_HF',
  'rank_over_p_H', 'rank_over_p_HO', 'rank_over_p_HF',
  'gap_ratio_H', 'gap_position_H', 'gap_ratio_HO', 'gap_position_HO', 'gap_ratio_HF', 'gap_position_HF', 'below_floor_H',
  'threshold_H',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV document of a sweep: deterministic (no wall-clock times), so a resumed sweep writes the same bytes. */
export function sweepCsv(records: SweepRecord[]): string {
  const rows = records.map((r) => [
    r.point.id, r.point.vary, r.point.value, r.point.loss, r.point.widths.join('-'), r.point.samples, r.point.activation, r.point.bias, r.params, r.dataRank, r.augmentedDataRank,
    r.rank.hessian, r.rank.outer, r.rank.functional,
    r.prediction.kind, r.prediction.hessian.kind, r.prediction.hessian.value, r.prediction.outer.kind, r.prediction.outer.value, r.prediction.functional.kind, r.prediction.functional.value,
    r.reference?.hessian, r.reference?.outer, r.reference?.functional,
    r.rankOverParams.hessian, r.rankOverParams.outer, r.rankOverParams.functional,
    r.gap.hessian.ratio, r.gap.hessian.position, r.gap.outer.ratio, r.gap.outer.position, r.gap.functional.ratio, r.gap.functional.position, r.gap.hessian.belowFloor,
    r.thresholds.hessian,
  ]);
  return `${[SWEEP_CSV_COLUMNS as readonly string[], ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/** The losses of a sweep, in order of appearance. */
export function sweepLosses(records: SweepRecord[]): Loss[] {
  return [...new Set(records.map((r) => r.point.loss))];
}

/** rank(H) ≈ c·p^α per loss (least squares on log–log); null where fewer than two usable points. */
export function sweepFits(records: SweepRecord[]): Record<string, PowerLawFit | null> {
  const fits: Record<string, PowerLawFit | null> = {};
  for (const loss of sweepLosses(records)) {
    const subset = records.filter((r) => r.point.loss === loss);
    const distinct = new Set(subset.map((r) => r.params)).size;
    fits[loss] = distinct >= 2 ? fitPowerLaw(subset.map((r) => r.params), subset.map((r) => r.rank.hessian)) : null;
  }
  return fits;
}

/** Counts of points where measured = predicted (exact parts) and measured ≤ bound (bounded parts). */
export function sweepAgreement(records: SweepRecord[]): { exact: number; exactEqual: number; bounded: number; boundHeld: number } {
  const tally = { exact: 0, exactEqual: 0, bounded: 0, boundHeld: 0 };
  for (const r of records) {
    for (const part of PARTS) {
      const claim = r.prediction[part];
      if (claim.kind === 'exact') {
        tally.exact++;
        if (claim.value === r.rank[part]) tally.exactEqual++;
      } else if (claim.kind === 'upper-bound') {
        tally.bounded++;
        if (claim.value !== null && r.rank[part] <= claim.value) tally.boundHeld++;
      }
    }
  }
  return tally;
}

function lossSuffix(records: SweepRecord[], loss: Loss): string {
  return sweepLosses(records).length > 1 ? `-${loss === 'cross-entropy' ? 'ce' : loss}` : '';
}

/** The SVG plots of a sweep, by file name: measured vs predicted per loss, and rank/p vs p with the fit. */
export function sweepPlots(records: SweepRecord[], fits: Record<string, PowerLawFit | null>): Record<string, string> {
  const plots: Record<string, string> = {};
  const vary = records[0]?.point.vary ?? 'width';
  const xLabel = { width: 'hidden width (every hidden layer)', depth: 'hidden layers', samples: 'samples N', channels: 'channels (every conv layer)', kernel: 'kernel size' }[vary];
  for (const loss of sweepLosses(records)) {
    const subset = records.filter((r) => r.point.loss === loss).sort((a, b) => a.point.value - b.point.value);
    const x = subset.map((r) => r.point.value);
    const series: PlotSeries[] = [];
    const colors = { hessian: '#1f77b4', outer: '#d62728', functional: '#2ca02c' };
    for (const part of PARTS) series.push({ label: `rank ${PART_LABEL[part]} (measured)`, x, y: subset.map((r) => r.rank[part]), points: true, color: colors[part] });
    for (const part of PARTS) {
      const predicted = subset.map((r) => r.prediction[part].value ?? r.reference?.[part] ?? Number.NaN);
      if (predicted.every((v) => Number.isNaN(v))) continue;
      const kinds = new Set(subset.map((r) => (r.prediction[part].value !== null ? r.prediction[part].kind : 'reference')));
      const what = kinds.size === 1 ? { exact: 'predicted', 'upper-bound': 'upper bound', none: 'reference', reference: 'linear formula (reference)' }[[...kinds][0]] : 'predicted / bound';
      series.push({ label: `${PART_LABEL[part]} ${what}`, x, y: predicted, dashed: true, color: colors[part] });
    }
    series.push({ label: 'p (parameters)', x, y: subset.map((r) => r.params), dashed: true, color: '#888' });
    const first = subset[0].point;
    plots[`rank-vs-${vary}${lossSuffix(records, loss)}.svg`] = renderSvgPlot({
      title: `Hessian rank vs ${vary === 'samples' ? 'sample size' : vary} — ${first.activation}${first.bias ? ', bias' : ''}, ${loss}`,
      xLabel,
      yLabel: 'rank',
      series,
    });
    const fit = fits[loss];
    const p = subset.map((r) => r.params);
    const ratioSeries: PlotSeries[] = [{ label: 'rank(H)/p (measured)', x: p, y: subset.map((r) => r.rankOverParams.hessian), points: true }];
    if (fit) {
      const pSorted = [...p].sort((a, b) => a - b);
      ratioSeries.push({ label: `fit c·p^(α−1), α = ${fit.alpha.toFixed(3)}`, x: pSorted, y: pSorted.map((v) => fit.c * v ** (fit.alpha - 1)), dashed: true });
      ratioSeries.push({ label: 'slope of √p (α = 0.5)', x: pSorted, y: pSorted.map((v) => fit.c * pSorted[0] ** (fit.alpha - 0.5) * v ** -0.5), dashed: true, color: '#888' });
    }
    plots[`rank-over-p${lossSuffix(records, loss)}.svg`] = renderSvgPlot({
      title: `rank(H)/p vs p — ${loss}${fit ? `: rank ≈ ${formatNumber(fit.c)}·p^${fit.alpha.toFixed(3)}` : ''}`,
      xLabel: 'parameters p',
      yLabel: 'rank(H) / p',
      series: ratioSeries,
      logX: true,
      logY: true,
    });
  }
  return plots;
}

/** Writes sweep.csv, sweep.json and the plots into the output folder (each file atomically); returns the paths. */
export function writeSweepOutputs(outDirectory: string, document: object, records: SweepRecord[], fits: Record<string, PowerLawFit | null>): string[] {
  const files: Record<string, string> = {
    'sweep.csv': sweepCsv(records),
    'sweep.json': `${JSON.stringify(document, null, 1)}\n`,
    ...sweepPlots(records, fits),
  };
  return Object.entries(files).map(([name, content]) => {
    const path = join(outDirectory, name);
    writeFileAtomic(path, content);
    return path;
  });
}

function claimCell(record: SweepRecord, part: (typeof PARTS)[number]): string {
  const claim = record.prediction[part];
  if (claim.value === null) return record.reference ? `~${record.reference[part]}` : '–';
  return claim.kind === 'upper-bound' ? `≤${claim.value}` : String(claim.value);
}

/** The table printed at the end of a sweep. */
export function formatSweepTable(records: SweepRecord[]): string {
  const rows = records.map((r) => [
    String(r.point.value),
    r.point.loss === 'cross-entropy' ? 'ce' : r.point.loss,
    String(r.params),
    String(r.rank.hessian),
    claimCell(r, 'hessian'),
    String(r.rank.outer),
    claimCell(r, 'outer'),
    String(r.rank.functional),
    claimCell(r, 'functional'),
    formatNumber(r.rankOverParams.hessian),
    r.gap.hessian.ratio === null ? `∞ @${r.gap.hessian.position}` : `${r.gap.hessian.ratio.toExponential(1)} @${r.gap.hessian.position}`,
    sweepPointSeconds(r)?.toFixed(1) ?? 'reused',
  ]);
  const vary = records[0]?.point.vary ?? 'value';
  return formatTable([vary, 'loss', 'p', 'H', 'pred', 'H_O', 'pred', 'H_F', 'pred', 'rank/p', 'gap(H) @k', 's'], rows);
}
