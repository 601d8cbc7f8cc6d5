import { assertMemoryBudget, InvalidArgumentError } from '@intrinsic/spectra';
import type { Dataset } from '../data.js';
import { describeValue } from '../spec.js';
import { nodeFsPromises } from './node-modules.js';

/** How the targets of tabular data are given. */
export interface TabularTargetOptions {
  /**
   * `classification` (default): one integer label per row in [0, K), one-hot targets, K = `classCount`
   * or max label + 1. `regression`: the last `targetCount` columns are real targets.
   */
  task?: 'classification' | 'regression';
  /** Classification: where the label column is (default `last`). */
  labelColumn?: 'first' | 'last';
  /** Classification: number of classes K (default: largest label + 1). */
  classCount?: number;
  /** Regression: number of target columns (default 1). */
  targetCount?: number;
  /** Source name for descriptions and messages. */
  name?: string;
}

/** Options of {@link parseCsvDataset}. */
export interface CsvOptions extends TabularTargetOptions {
  /** Field separator (default `,`). */
  delimiter?: string;
  /** `auto` (default): the first row is a header when any of its fields is not a number. */
  header?: boolean | 'auto';
}

/** @internal Builds a data set from numeric rows; `where(r)` names row r for messages. */
export function datasetFromRows(rows: number[][], options: TabularTargetOptions, where: (r: number) => string): Dataset {
  const name = options.name ?? 'data';
  if (rows.length === 0) throw new InvalidArgumentError(`${name}: no data rows`);
  const width = rows[0].length;
  rows.forEach((row, r) => {
    if (row.length !== width) throw new InvalidArgumentError(`${name}: ${where(r)} has ${row.length} fields, the first has ${width} (ragged rows)`);
  });
  const task = options.task ?? 'classification';
  if (task !== 'classification' && task !== 'regression') throw new InvalidArgumentError(`${name}: unknown task ${describeValue(task)}; supported: classification, regression`);
  const N = rows.length;
  if (task === 'regression') {
    const K = options.targetCount ?? 1;
    if (!Number.isInteger(K) || K < 1 || K >= width) throw new InvalidArgumentError(`${name}: targetCount ${K} must be in 1 … ${width - 1} for rows of ${width} fields`);
    const d = width - K;
    const inputs = new Float64Array(N * d);
    const targets = new Float64Array(N * K);
    rows.forEach((row, r) => {
      for (let j = 0; j < d; j++) inputs[r * d + j] = row[j];
      for (let k = 0; k < K; k++) targets[r * K + k] = row[d + k];
    });
    return { inputs, targets, count: N, inputSize: d, outputSize: K, description: `${name}: regression N=${N} d=${d} K=${K}` };
  }
  if (width < 2) throw new InvalidArgumentError(`${name}: rows need at least one input and a label, got ${width} field(s)`);
  const labelAt = options.labelColumn === 'first' ? 0 : width - 1;
  const labels = new Int32Array(N);
  rows.forEach((row, r) => {
    const label = row[labelAt];
    if (!Number.isInteger(label) || label < 0 || label > 2 ** 31 - 2) throw new InvalidArgumentError(`${name}: ${where(r)} has label ${label}, not a non-negative integer below 2^31 − 1`);
    labels[r] = label;
  });
  const maxLabel = labels.reduce((m, l) => Math.max(m, l), 0);
  if (options.classCount !== undefined && (!Number.isSafeInteger(options.classCount) || options.classCount < 1)) {
    throw new InvalidArgumentError(`${name}: classCount ${describeValue(options.classCount)} must be a positive integer`);
  }
  const K = options.classCount ?? maxLabel + 1;
  if (maxLabel >= K) throw new InvalidArgumentError(`${name}: label ${maxLabel} is not below classCount ${K}`);
  // One-hot targets are N × K doubles: a stray huge label must not allocate gigabytes.
  assertMemoryBudget(N * K, `${name}: one-hot targets N × K = ${N} × ${K} (the largest label is ${maxLabel})`);
  const d = width - 1;
  const inputs = new Float64Array(N * d);
  const targets = new Float64Array(N * K);
  rows.forEach((row, r) => {
    let j = 0;
    for (let c = 0; c < width; c++) if (c !== labelAt) inputs[r * d + j++] = row[c];
    targets[r * K + labels[r]] = 1;
  });
  return { inputs, targets, labels, count: N, inputSize: d, outputSize: K, description: `${name}: classification N=${N} d=${d} K=${K}` };
}

/**
 * Parses numeric CSV into a data set (one sample per line; blank lines ignored; an optional header).
 * @throws InvalidArgumentError naming the line and column for a field that is not a finite number
 * (including NaN and empty fields), for ragged rows, labels that are not non-negative integers, and empty input.
 */
export function parseCsvDataset(text: string, options: CsvOptions = {}): Dataset {
  const name = options.name ?? 'CSV data';
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter === '' || /[\r\n]/.test(delimiter)) throw new InvalidArgumentError(`${name}: delimiter ${describeValue(delimiter)} must be a non-empty string without line breaks`);
  const lines = text.split(/\r?\n/).map((line, i) => ({ line, number: i + 1 })).filter((l) => l.line.trim() !== '');
  if (lines.length === 0) throw new InvalidArgumentError(`${name}: empty`);
  const isNumber = (field: string) => field.trim() !== '' && Number.isFinite(Number(field));
  const first = lines[0].line.split(delimiter);
  const header = options.header === 'auto' || options.header === undefined ? !first.every(isNumber) : options.header;
  const body = header ? lines.slice(1) : lines;
  const rows = body.map(({ line, number }) =>
    line.split(delimiter).map((field, c) => {
      if (!isNumber(field)) throw new InvalidArgumentError(`${name}: line ${number}, column ${c + 1}: '${field.trim().replace(/[\r\u2028\u2029]/g, ' ').slice(0, 40)}' is not a finite number`);
      return Number(field);
    }),
  );
  return datasetFromRows(rows, { ...options, name }, (r) => `line ${body[r].number}`);
}

/**
 * Parses JSON data: `{ "inputs": number[][], "labels": int[] }` (classification, one-hot targets) or
 * `{ "inputs": number[][], "targets": number[][] }` (real targets, or one-hot with optional labels) —
 * the shape of a run folder's data.json.
 * @throws InvalidArgumentError for invalid JSON, missing fields, ragged rows, non-finite values, counts
 * that disagree, or labels that are not non-negative integers.
 */
export function parseJsonDataset(text: string, options: { name?: string; classCount?: number } = {}): Dataset {
  const name = options.name ?? 'JSON data';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${name}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const doc = json as { inputs?: unknown; labels?: unknown; targets?: unknown; description?: unknown };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.inputs)) throw new InvalidArgumentError(`${name}: needs an 'inputs' array of rows`);
  const matrix = (value: unknown, field: string): number[][] => {
    if (!Array.isArray(value)) throw new InvalidArgumentError(`${name}: '${field}' must be an array of rows`);
    return value.map((row, r) => {
      if (!Array.isArray(row)) throw new InvalidArgumentError(`${name}: ${field}[${r}] is not an array`);
      return row.map((v, c) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError(`${name}: ${field}[${r}][${c}] is ${describeValue(v)}, not a finite number`);
        return v;
      });
    });
  };
  const inputs = matrix(doc.inputs, 'inputs');
  if (doc.targets !== undefined) {
    const targets = matrix(doc.targets, 'targets');
    if (targets.length !== inputs.length) throw new InvalidArgumentError(`${name}: ${inputs.length} input rows but ${targets.length} target rows`);
    const K = targets[0]?.length ?? 0;
    const data = datasetFromRows(inputs.map((row, r) => [...row, ...targets[r]]), { task: 'regression', targetCount: K, name }, (r) => `row ${r}`);
    if (Array.isArray(doc.labels)) {
      if (doc.labels.length !== inputs.length) throw new InvalidArgumentError(`${name}: ${doc.labels.length} labels for ${inputs.length} rows`);
      (doc.labels as unknown[]).forEach((l, r) => {
        if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= K) throw new InvalidArgumentError(`${name}: labels[${r}] is ${describeValue(l)}, not a class index in 0 … ${K - 1}`);
      });
      data.labels = Int32Array.from(doc.labels as number[]);
    }
    if (typeof doc.description === 'string') data.description = doc.description;
    return data;
  }
  if (!Array.isArray(doc.labels)) throw new InvalidArgumentError(`${name}: needs 'labels' or 'targets'`);
  if (doc.labels.length !== inputs.length) throw new InvalidArgumentError(`${name}: ${inputs.length} input rows but ${doc.labels.length} labels`);
  const labels = doc.labels as unknown[];
  labels.forEach((l, r) => {
    if (typeof l !== 'number') throw new InvalidArgumentError(`${name}: labels[${r}] is ${describeValue(l)}, not a number`);
  });
  return datasetFromRows(inputs.map((row, r) => [...row, labels[r] as number]), { task: 'classification', classCount: options.classCount, name }, (r) => `row ${r}`);
}

/**
 * Reads a user data file by extension: `.csv` ({@link parseCsvDataset}), `.json` ({@link parseJsonDataset}).
 * For IDX use {@link readIdxFile} on the images and labels files. Node only.
 * @throws InvalidArgumentError for an unreadable file or an unknown extension.
 */
export async function readDatasetFile(path: string, options: CsvOptions = {}): Promise<Dataset> {
  const { readFile } = await nodeFsPromises();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InvalidArgumentError(`data file '${path}' cannot be read`);
  }
  if (/\.csv$/i.test(path)) return parseCsvDataset(text, { name: path, ...options });
  if (/\.json$/i.test(path)) return parseJsonDataset(text, { name: path, classCount: options.classCount });
  throw new InvalidArgumentError(`data file '${path}': unknown extension; supported: .csv, .json (IDX through readIdxFile)`);
}
