import type { RankReport } from './compute-ranks.js';
import type { MatrixFreeReport } from './matrix-free.js';
import type { PageState } from './page-state.js';
import type { ViewState } from './view-state.js';
import type { SweepPoint } from './width-sweep.js';
import type { TrainingCheckpoint } from './training-checkpoints.js';
import type { PruningCurve } from './pruning-curve.js';
import type { BoundTable } from './bound-table.js';

const PARTS = ['hessian', 'outer', 'functional'] as const;

/** Everything the page shows, as plain JSON (typed arrays become arrays; NaN becomes null). */
export interface ExportedNumbers {
  state: PageState;
  view: ViewState;
  ranks?: Omit<RankReport, 'eigenvalues' | 'heatmaps'> & { eigenvalues: Record<(typeof PARTS)[number], number[]> };
  sweep?: SweepPoint[];
  training?: (Omit<TrainingCheckpoint, 'top' | 'spectrum'> & { top: number[]; spectrum: number[] })[];
  matrixFree?: Omit<MatrixFreeReport, 'lanczos' | 'slq'> & {
    lanczos: { values: number[]; residualNorms: number[]; converged: boolean[]; iterations: number; matvecs: number };
    slq: { grid: number[]; density: number[]; massBelowFloor: number; negativeMass: number; logFloor: number; matvecs: number };
  };
  /** The pruning curve (NaN accuracies as null). */
  pruning?: PruningCurve;
  /** The bound table (NaN values as null). */
  bounds?: BoundTable;
}

/**
 * The current numbers as a JSON document: the settings (so the file reproduces the page), the rank report
 * with all eigenvalues (heatmaps left out: they are pictures of the matrices, not numbers of record), the
 * sweep points, the training checkpoints and the matrix-free results when present.
 */
export function numbersJson(input: { state: PageState; view: ViewState; report?: RankReport | null; sweep?: SweepPoint[]; matrixFree?: MatrixFreeReport | null; training?: TrainingCheckpoint[]; pruning?: PruningCurve | null; bounds?: BoundTable | null }): string {
  const out: ExportedNumbers = { state: input.state, view: input.view };
  if (input.report) {
    const { eigenvalues, heatmaps: _heatmaps, ...rest } = input.report;
    out.ranks = { ...rest, eigenvalues: { hessian: Array.from(eigenvalues.hessian), outer: Array.from(eigenvalues.outer), functional: Array.from(eigenvalues.functional) } };
  }
  if (input.sweep && input.sweep.length > 0) out.sweep = input.sweep;
  if (input.training && input.training.length > 0) out.training = input.training.map((c) => ({ ...c, top: Array.from(c.top), spectrum: Array.from(c.spectrum) }));
  if (input.pruning) out.pruning = input.pruning;
  if (input.bounds) out.bounds = input.bounds;
  if (input.matrixFree) {
    const { lanczos, slq, ...rest } = input.matrixFree;
    out.matrixFree = {
      ...rest,
      lanczos: { ...lanczos, values: Array.from(lanczos.values), residualNorms: Array.from(lanczos.residualNorms) },
      slq: { ...slq, grid: Array.from(slq.grid), density: Array.from(slq.density) },
    };
  }
  return JSON.stringify(out, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
}

/** All eigenvalues of H, H_O and H_F as CSV, ascending, full float64 precision (17 significant digits). */
export function eigenvaluesCsv(report: RankReport): string {
  const rows = ['index,hessian,outer,functional'];
  const n = report.eigenvalues.hessian.length;
  for (let i = 0; i < n; i++) rows.push([i + 1, ...PARTS.map((part) => report.eigenvalues[part][i].toPrecision(17))].join(','));
  return rows.join('\n') + '\n';
}

/** The width sweep as CSV: width, p, measured and predicted ranks (empty when no closed form), rank/p. */
export function sweepCsv(points: SweepPoint[]): string {
  const rows = ['width,params,rank_hessian,rank_outer,rank_functional,predicted_hessian,predicted_outer,predicted_functional,rank_over_p'];
  for (const point of points) {
    rows.push(
      [
        point.width,
        point.params,
        ...PARTS.map((part) => point.rank[part]),
        ...PARTS.map((part) => (point.predicted ? point.predicted[part] : '')),
        (point.rank.hessian / point.params).toPrecision(6),
      ].join(','),
    );
  }
  return rows.join('\n') + '\n';
}
