import { InvalidArgumentError, IntrinsicError } from '@intrinsic/spectra';
import type { ColorScaleKind } from './color-scale.js';

/** The three curvature matrices the page can show. */
export const MATRIX_PARTS = ['hessian', 'outer', 'functional'] as const;
export type MatrixPart = (typeof MATRIX_PARTS)[number];

/**
 * How the results are looked at (not what is computed): the matrix in the heatmap and spectrum, the
 * heatmap's colour scale, the width sweep's range and the number of Lanczos eigenvalues. Kept in the URL
 * next to the {@link PageState} keys, written only when different from the default so the default link
 * stays short.
 */
export interface ViewState {
  matrix: MatrixPart;
  color: ColorScaleKind;
  /** Hidden layer whose width the sweep varies, 1 … L − 1. */
  sweepLayer: number;
  /** Sweep widths from … to (inclusive, step 1). */
  sweepFrom: number;
  sweepTo: number;
  /** Lanczos eigenvalues of largest magnitude. */
  topK: number;
  /** Training in the page: full-batch Adam epochs, checkpoints after the initial one, learning rate. */
  trainEpochs: number;
  trainCheckpoints: number;
  learningRate: number;
  /** Model of the pruning and bounds panels: the initial weights or those trained for `trainEpochs` at `learningRate`. */
  panelModel: 'initial' | 'trained';
  /** Training engine: the exact float64 trainer, or TensorFlow.js (float32) on the first backend that starts or a forced one. */
  trainEngine: TrainEngine;
}

/** Training engines of the page. */
export const TRAIN_ENGINES = ['float64', 'tfjs', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type TrainEngine = (typeof TRAIN_ENGINES)[number];

export const DEFAULT_VIEW_STATE: ViewState = { matrix: 'hessian', color: 'symlog', sweepLayer: 1, sweepFrom: 1, sweepTo: 12, topK: 10, trainEpochs: 300, trainCheckpoints: 6, learningRate: 0.01, panelModel: 'initial', trainEngine: 'float64' };

/** Query keys of the view, in the order they are written. */
export const VIEW_STATE_KEYS = ['matrix', 'color', 'sweeplayer', 'sweep', 'topk', 'epochs', 'checkpoints', 'lr', 'model', 'engine'] as const;
export type ViewStateKey = (typeof VIEW_STATE_KEYS)[number];

/** Limits: at most 64 sweep points, widths ≤ 1000, k ≤ 100. */
export const VIEW_LIMITS = { maxSweepPoints: 64, maxSweepWidth: 1000, maxTopK: 100, maxLayer: 20, maxEpochs: 100_000, maxCheckpoints: 20 } as const;

function integer(name: string, text: string, min: number, max: number): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new InvalidArgumentError(`${name} must be an integer, got '${text}'`);
  const value = Number(trimmed);
  if (value < min || value > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Parses a sweep range `from-to` (e.g. `1-12`). @throws InvalidArgumentError for a malformed or empty range or one over the limits. */
export function parseSweepRange(text: string): [number, number] {
  const match = /^\s*(\d+)\s*[-–:]\s*(\d+)\s*$/.exec(text);
  if (!match) throw new InvalidArgumentError(`sweep range must look like 1-12, got '${text}'`);
  const from = integer('sweep start', match[1], 1, VIEW_LIMITS.maxSweepWidth);
  const to = integer('sweep end', match[2], 1, VIEW_LIMITS.maxSweepWidth);
  if (to < from) throw new InvalidArgumentError(`sweep range ${from}-${to} is empty: the end must be at least the start`);
  if (to - from + 1 > VIEW_LIMITS.maxSweepPoints) {
    throw new InvalidArgumentError(`sweep range ${from}-${to} has ${to - from + 1} widths, at most ${VIEW_LIMITS.maxSweepPoints} are allowed`);
  }
  return [from, to];
}

function choice<T extends string>(name: string, choices: readonly T[], text: string): T {
  if (!(choices as readonly string[]).includes(text.trim())) throw new InvalidArgumentError(`unknown ${name} '${text}'; supported: ${choices.join(', ')}`);
  return text.trim() as T;
}

/** A learning rate: a number in (0, 10]. @throws InvalidArgumentError otherwise. */
export function parseLearningRate(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !(value > 0 && value <= 10)) throw new InvalidArgumentError(`learning rate must be a number in (0, 10], got '${text}'`);
  return value;
}

/** Field texts of a view (a form or a query); missing fields take the default. */
export type ViewFields = Partial<Record<ViewStateKey, string | null | undefined>>;

/**
 * Reads a view from field texts. A missing field takes its default; a bad one takes its default and adds
 * a one-line problem naming the value.
 */
export function parseViewFields(fields: ViewFields, defaults: ViewState = DEFAULT_VIEW_STATE): { view: ViewState; problems: string[] } {
  const problems: string[] = [];
  const read = <T>(text: string | null | undefined, fallback: T, parse: (t: string) => T): T => {
    if (text === null || text === undefined) return fallback;
    try {
      return parse(text);
    } catch (error) {
      if (!IntrinsicError.isInstance(error)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };
  const range = read(fields.sweep, [defaults.sweepFrom, defaults.sweepTo] as [number, number], parseSweepRange);
  const view: ViewState = {
    matrix: read(fields.matrix, defaults.matrix, (t) => choice('matrix', MATRIX_PARTS, t)),
    color: read(fields.color, defaults.color, (t) => choice<ColorScaleKind>('colour scale', ['linear', 'symlog'], t)),
    sweepLayer: read(fields.sweeplayer, defaults.sweepLayer, (t) => integer('sweep layer', t, 1, VIEW_LIMITS.maxLayer)),
    sweepFrom: range[0],
    sweepTo: range[1],
    topK: read(fields.topk, defaults.topK, (t) => integer('top k', t, 1, VIEW_LIMITS.maxTopK)),
    trainEpochs: read(fields.epochs, defaults.trainEpochs, (t) => integer('epochs', t, 1, VIEW_LIMITS.maxEpochs)),
    trainCheckpoints: read(fields.checkpoints, defaults.trainCheckpoints, (t) => integer('checkpoints', t, 1, VIEW_LIMITS.maxCheckpoints)),
    learningRate: read(fields.lr, defaults.learningRate, parseLearningRate),
    panelModel: read(fields.model, defaults.panelModel, (t) => choice<'initial' | 'trained'>('model', ['initial', 'trained'], t)),
    trainEngine: read(fields.engine, defaults.trainEngine, (t) => choice('engine', TRAIN_ENGINES, t)),
  };
  return { view, problems };
}

/** Reads the view keys of a URL query. */
export function parseViewQuery(query: string, defaults: ViewState = DEFAULT_VIEW_STATE): { view: ViewState; problems: string[] } {
  const params = new URLSearchParams(query);
  const fields: ViewFields = {};
  for (const key of VIEW_STATE_KEYS) fields[key] = params.get(key);
  return parseViewFields(fields, defaults);
}

/** The field texts of a view. */
export function viewStateFields(view: ViewState): Record<ViewStateKey, string> {
  return {
    matrix: view.matrix,
    color: view.color,
    sweeplayer: String(view.sweepLayer),
    sweep: `${view.sweepFrom}-${view.sweepTo}`,
    topk: String(view.topK),
    epochs: String(view.trainEpochs),
    checkpoints: String(view.trainCheckpoints),
    lr: String(view.learningRate),
    model: view.panelModel,
    engine: view.trainEngine,
  };
}

/**
 * The view's part of a URL query, `&matrix=outer&sweep=2-20…`, with only the keys that differ from the
 * default (empty for the default view), to append to the page state's query.
 */
export function serializeViewState(view: ViewState): string {
  const fields = viewStateFields(view);
  const defaults = viewStateFields(DEFAULT_VIEW_STATE);
  return VIEW_STATE_KEYS.filter((key) => fields[key] !== defaults[key])
    .map((key) => `&${key}=${encodeURIComponent(fields[key])}`)
    .join('');
}
