import { renderSvgPlot } from '../plot/svg-plot.js';
import { formatTable } from '../table.js';

/** Loss and accuracy of a network on one data split. */
export interface SplitFigures {
  loss: number;
  top1: number | null;
  top5: number | null;
}

/** One pruned network: a method at a sparsity for one seed (gradient subset). */
export interface PrunePoint {
  method: string;
  sparsity: number;
  seed: number;
  /** Pruned / prunable entries and the achieved sparsity; per named array. */
  mask: { pruned: number; prunable: number; sparsity: number; layers: { name: string; size: number; pruned: number; sparsity: number }[] };
  train: SplitFigures;
  test: SplitFigures | null;
  /** Wall-clock seconds: shown in the human table only, never written to JSON or CSV (see {@link withoutTimings}). */
  seconds: number;
  details: Record<string, unknown>;
  /** Gradual mode: the schedule's steps (target sparsity, test/train top-1 after pruning and after fine-tuning). */
  steps?: { step: number; sparsity: number; afterPruning: SplitFigures; afterFineTuning: SplitFigures | null }[];
}

/** Mean and sample standard deviation (0 for a single value). */
export interface MeanStd {
  mean: number;
  std: number;
}

/** The seeds of one method at one sparsity, averaged. */
export interface PruneSummary {
  method: string;
  sparsity: number;
  seeds: number;
  /** Figures on the test split (the train split when the run has none). */
  split: 'test' | 'train';
  loss: MeanStd;
  top1: MeanStd | null;
  top5: MeanStd | null;
  trainTop1: MeanStd | null;
  /** Wall-clock seconds (human table only). */
  seconds: MeanStd;
}

/**
 * A point or summary without its wall-clock `seconds`, for the JSON and CSV outputs, which must be
 * byte-identical for the same command and seed (issue #10).
 */
export function withoutTimings<T extends { seconds: unknown }>(item: T): Omit<T, 'seconds'> {
  const { seconds: _seconds, ...rest } = item;
  return rest;
}

function meanStd(values: number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

/** Averages the points over seeds, per method and sparsity, in method then sparsity order. */
export function summarizePoints(points: PrunePoint[]): PruneSummary[] {
  const groups = new Map<string, PrunePoint[]>();
  for (const point of points) {
    const key = `${point.method}\u0000${point.sparsity}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(point);
  }
  return [...groups.values()].map((group) => {
    const split = group[0].test ? 'test' : 'train';
    const figures = group.map((g) => (split === 'test' ? g.test! : g.train));
    const maybe = (values: (number | null)[]) => (values.some((v) => v === null) ? null : meanStd(values as number[]));
    return {
      method: group[0].method,
      sparsity: group[0].sparsity,
      seeds: group.length,
      split,
      loss: meanStd(figures.map((f) => f.loss)),
      top1: maybe(figures.map((f) => f.top1)),
      top5: maybe(figures.map((f) => f.top5)),
      trainTop1: maybe(group.map((g) => g.train.top1)),
      seconds: meanStd(group.map((g) => g.seconds)),
    };
  });
}

function percent(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? '–' : `${(100 * x).toFixed(digits)} %`;
}

function percentMeanStd(x: MeanStd | null, seeds: number): string {
  if (!x) return '–';
  return seeds > 1 ? `${(100 * x.mean).toFixed(2)} ± ${(100 * x.std).toFixed(2)} %` : percent(x.mean);
}

/** The table of `intrinsic prune`: one row per method and sparsity (mean ± std over seeds). */
export function formatSummaryTable(summaries: PruneSummary[]): string {
  const split = summaries[0]?.split ?? 'test';
  const rows = summaries.map((s) => [
    s.method,
    percent(s.sparsity, 1),
    s.seeds > 1 ? `${s.loss.mean.toFixed(4)} ± ${s.loss.std.toFixed(4)}` : s.loss.mean.toFixed(4),
    percentMeanStd(s.top1, s.seeds),
    percentMeanStd(s.top5, s.seeds),
    ...(split === 'test' ? [percentMeanStd(s.trainTop1, s.seeds)] : []),
    s.seconds.mean.toFixed(2),
  ]);
  return formatTable(['method', 'sparsity', `${split} loss`, `${split} top-1`, `${split} top-5`, ...(split === 'test' ? ['train top-1'] : []), 's'], rows);
}

/** Per-layer sparsity of the first seed of each method at each sparsity. */
export function formatLayerTable(points: PrunePoint[]): string {
  const seen = new Set<string>();
  const first = points.filter((p) => {
    const key = `${p.method}\u0000${p.sparsity}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const names = first[0]?.mask.layers.map((l) => l.name) ?? [];
  const rows = first.map((p) => [p.method, percent(p.sparsity, 1), `${p.mask.pruned}/${p.mask.prunable}`, ...p.mask.layers.map((l) => percent(l.sparsity, 1))]);
  return formatTable(['method', 'target', 'pruned', ...names], rows);
}

function csvNumber(x: number | null | undefined): string {
  return x === null || x === undefined ? '' : String(x);
}

/** CSV of every point (one row per method, sparsity and seed); no wall-clock times, so it is deterministic. */
export function pointsCsv(points: PrunePoint[]): string {
  const header = 'method,sparsity,seed,achieved_sparsity,pruned,prunable,test_loss,test_top1,test_top5,train_loss,train_top1,train_top5';
  const lines = points.map((p) =>
    [
      p.method,
      p.sparsity,
      p.seed,
      p.mask.sparsity,
      p.mask.pruned,
      p.mask.prunable,
      csvNumber(p.test?.loss),
      csvNumber(p.test?.top1),
      csvNumber(p.test?.top5),
      p.train.loss,
      csvNumber(p.train.top1),
      csvNumber(p.train.top5),
    ].join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}

/** SVG of top-1 accuracy (mean over seeds, in %) against sparsity, one line per method, the dense network dashed. */
export function sweepPlot(summaries: PruneSummary[], before: SplitFigures, title: string): string {
  const methods = [...new Set(summaries.map((s) => s.method))];
  const split = summaries[0]?.split ?? 'test';
  const xs = summaries.map((s) => s.sparsity);
  const series = methods.map((method) => {
    const rows = summaries.filter((s) => s.method === method);
    return { label: method, x: rows.map((r) => 100 * r.sparsity), y: rows.map((r) => 100 * (r.top1?.mean ?? Number.NaN)) };
  });
  if (before.top1 !== null) {
    series.push({ label: `dense ${percent(before.top1)}`, x: [100 * Math.min(...xs), 100 * Math.max(...xs)], y: [100 * before.top1, 100 * before.top1], dashed: true } as (typeof series)[number]);
  }
  return renderSvgPlot({ title, xLabel: 'sparsity of the weights (%)', yLabel: `${split} top-1 accuracy (%)`, series });
}
