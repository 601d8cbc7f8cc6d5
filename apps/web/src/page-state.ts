import { ACTIVATIONS, INITIALIZERS, LOSSES, defaultDataset, type Activation, type Dataset, type Initializer, type Loss } from '@intrinsic/models';
import { MNIST_SIDE, mnistDataset } from './mnist-pool.js';
import { IntrinsicError, InvalidArgumentError, parseTolerancePolicy } from '@intrinsic/spectra';

/**
 * Everything the page computes from: the network, the data and the tolerance. It is the state kept in
 * the URL query, so a link reproduces the page.
 */
export interface PageState {
  /** [d, M_1, …, M_{L−1}, K]. */
  widths: number[];
  /** Number of samples N. */
  samples: number;
  loss: Loss;
  activation: Activation;
  bias: boolean;
  /** Seed of both the initialiser and the data set. */
  seed: number;
  /** Tolerance policy in its text form: `numpy`, `rel:X` or `abs:X`. */
  tolerance: string;
  /**
   * The synthetic data: `gaussian` (x ~ N(0, I); Gaussian targets for MSE, uniform labels for
   * cross-entropy) or `mixture` (K Gaussian class means, one-hot targets), see {@link pageDataset}.
   */
  data: PageData;
  /** Initialiser of the weights (`INITIALIZERS` of `@intrinsic/models`), drawn with `seed`. */
  init: Initializer;
  /** `dense` (an MLP) or `conv` (a convolutional network of the same widths, see {@link convNetworkSpec}). */
  arch: PageArch;
  /** MNIST classes kept (relabelled 0 … C−1), ascending; used only when `data` is `mnist`. */
  classes: number[];
}

/** The data choices of the page: two synthetic sets and MNIST area-averaged to 8 × 8 (d = 64). */
export const PAGE_DATA = ['gaussian', 'mixture', 'mnist'] as const;
export type PageData = (typeof PAGE_DATA)[number];

/** The architectures of the page. */
export const PAGE_ARCHS = ['dense', 'conv'] as const;
export type PageArch = (typeof PAGE_ARCHS)[number];

/** The paper's example (Singh et al. 2021): 25-5-10-10, linear, no bias, N = 50, MSE, numpy tolerance. */
export const DEFAULT_PAGE_STATE: PageState = {
  widths: [25, 5, 10, 10],
  samples: 50,
  loss: 'mse',
  activation: 'linear',
  bias: false,
  seed: 0,
  tolerance: 'numpy',
  data: 'gaussian',
  init: 'glorot-normal',
  arch: 'dense',
  classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
};

/**
 * The query keys, in the order they are written (`classes` only with `data=mnist`, where it is used; `arch`
 * only when it is `conv`, so the links made before it existed keep their meaning).
 */
export const PAGE_STATE_KEYS = ['widths', 'n', 'loss', 'activation', 'bias', 'seed', 'tolerance', 'data', 'init', 'arch', 'classes'] as const;
export type PageStateKey = (typeof PAGE_STATE_KEYS)[number];

/** Limits that keep one field from allocating more than the memory check can see coming. */
export const PAGE_LIMITS = { maxLayers: 20, maxWidth: 100_000, maxSamples: 100_000, maxSeed: 2 ** 31 - 1 } as const;

/** Text of each field as it appears in a form or a query; missing fields take the default. */
export type PageFields = Partial<Record<PageStateKey, string | null | undefined>>;

/** Result of {@link parsePageFields}: the state (defaults where a field was rejected) and the one-line problems. */
export interface ParsedPageState {
  state: PageState;
  /** One message per rejected field, naming the field and the value. */
  problems: string[];
}

function parseInteger(name: string, text: string, min: number, max: number): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw new InvalidArgumentError(`${name} must be an integer, got '${text}'`);
  const value = Number(trimmed);
  if (!(value >= min && value <= max)) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * Parses layer widths written as `25,5,10,10` (commas, spaces, `x` or `×` between the numbers).
 * @throws InvalidArgumentError when there are fewer than two widths, more than
 * {@link PAGE_LIMITS}.maxLayers + 1, or one is not an integer in 1 … {@link PAGE_LIMITS}.maxWidth.
 */
export function parseWidths(text: string): number[] {
  const parts = text.trim().split(/\s*[,x×\s]\s*/i).filter((part) => part !== '');
  if (parts.length < 2) throw new InvalidArgumentError(`widths '${text}' must list at least an input and an output width, e.g. 25,5,10,10`);
  if (parts.length > PAGE_LIMITS.maxLayers + 1) {
    throw new InvalidArgumentError(`widths '${text}' has ${parts.length} entries, at most ${PAGE_LIMITS.maxLayers + 1} are allowed`);
  }
  return parts.map((part, i) => parseInteger(`width ${i}`, part, 1, PAGE_LIMITS.maxWidth));
}

function parseField<T>(problems: string[], text: string | null | undefined, fallback: T, parse: (text: string) => T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return parse(text);
  } catch (error) {
    if (!IntrinsicError.isInstance(error)) throw error;
    problems.push(error.message);
    return fallback;
  }
}

function parseChoice<T extends string>(name: string, choices: readonly T[], text: string): T {
  const trimmed = text.trim();
  if (!(choices as readonly string[]).includes(trimmed)) {
    throw new InvalidArgumentError(`unknown ${name} '${text}'; supported: ${choices.join(', ')}`);
  }
  return trimmed as T;
}

function parseBoolean(text: string): boolean {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '1' || trimmed === 'true' || trimmed === 'on' || trimmed === 'yes') return true;
  if (trimmed === '0' || trimmed === 'false' || trimmed === 'off' || trimmed === 'no') return false;
  throw new InvalidArgumentError(`bias must be 1 or 0 (true or false), got '${text}'`);
}

/**
 * Parses an MNIST class subset written as `0,1,7` (or `0-9`): distinct digits, at least two, returned ascending.
 * @throws InvalidArgumentError naming the bad entry.
 */
export function parseClasses(text: string): number[] {
  const trimmed = text.trim();
  const range = /^(\d)\s*-\s*(\d)$/.exec(trimmed);
  const values = range
    ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, i) => Number(range[1]) + i)
    : trimmed.split(/\s*[,\s]\s*/).filter((part) => part !== '').map((part) => parseInteger('class', part, 0, 9));
  const unique = [...new Set(values)].sort((a, b) => a - b);
  if (unique.length !== values.length) throw new InvalidArgumentError(`classes '${text}' lists a digit twice`);
  if (unique.length < 2) throw new InvalidArgumentError(`classes '${text}' must list at least two digits, e.g. 0,1`);
  return unique;
}

function parseTolerance(text: string): string {
  parseTolerancePolicy(text);
  return text.trim();
}

/**
 * Reads a page state from field texts (a form, or a query through {@link parsePageQuery}). A missing field
 * takes its default silently; a bad field takes its default and adds a one-line problem naming the value,
 * so a mistyped link still opens a working page and says what was ignored.
 */
export function parsePageFields(fields: PageFields, defaults: PageState = DEFAULT_PAGE_STATE): ParsedPageState {
  const problems: string[] = [];
  const state: PageState = {
    widths: parseField(problems, fields.widths, defaults.widths, parseWidths),
    samples: parseField(problems, fields.n, defaults.samples, (t) => parseInteger('samples N', t, 1, PAGE_LIMITS.maxSamples)),
    loss: parseField(problems, fields.loss, defaults.loss, (t) => parseChoice('loss', LOSSES, t)),
    activation: parseField(problems, fields.activation, defaults.activation, (t) => parseChoice('activation', ACTIVATIONS, t)),
    bias: parseField(problems, fields.bias, defaults.bias, parseBoolean),
    seed: parseField(problems, fields.seed, defaults.seed, (t) => parseInteger('seed', t, 0, PAGE_LIMITS.maxSeed)),
    tolerance: parseField(problems, fields.tolerance, defaults.tolerance, parseTolerance),
    data: parseField(problems, fields.data, defaults.data, (t) => parseChoice('data', PAGE_DATA, t)),
    init: parseField(problems, fields.init, defaults.init, (t) => parseChoice('initialiser', INITIALIZERS, t)),
    arch: parseField(problems, fields.arch, defaults.arch, (t) => parseChoice('architecture', PAGE_ARCHS, t)),
    classes: parseField(problems, fields.classes, defaults.classes, parseClasses),
  };
  const mismatch = state.data === 'mnist' ? mnistWidthProblem(state) : null;
  if (mismatch) {
    state.widths = widthsForMnist(state.widths, state.classes);
    problems.push(`${mismatch}; using ${state.widths.join(',')}`);
  }
  return { state, problems };
}

/** d and K that MNIST 8 × 8 fixes: d = 64 inputs, K = the number of classes kept. */
export function mnistEnds(classes: number[]): { d: number; K: number } {
  return { d: MNIST_SIDE * MNIST_SIDE, K: classes.length };
}

/** The one-line problem when the widths do not start with d = 64 and end with K = |classes| for MNIST, else null. */
export function mnistWidthProblem(state: PageState): string | null {
  const { d, K } = mnistEnds(state.classes);
  const first = state.widths[0];
  const last = state.widths[state.widths.length - 1];
  if (first === d && last === K) return null;
  return `MNIST 8×8 with classes ${state.classes.join(',')} needs widths ${d}, …, ${K} (d = 64 pixels, K = ${K} classes); got ${state.widths.join(',')}`;
}

/** The widths with the input and output widths MNIST 8 × 8 needs for these classes (hidden widths kept). */
export function widthsForMnist(widths: number[], classes: number[]): number[] {
  const { d, K } = mnistEnds(classes);
  return [d, ...widths.slice(1, -1), K];
}

/** Reads a page state from a URL query string (`?widths=25,5,10,10&n=50&…`, leading `?` optional). */
export function parsePageQuery(query: string, defaults: PageState = DEFAULT_PAGE_STATE): ParsedPageState {
  const params = new URLSearchParams(query);
  const fields: PageFields = {};
  for (const key of PAGE_STATE_KEYS) fields[key] = params.get(key);
  return parsePageFields(fields, defaults);
}

/** The field texts of a state, as a form shows them and a query stores them. */
export function pageStateFields(state: PageState): Record<PageStateKey, string> {
  return {
    widths: state.widths.join(','),
    n: String(state.samples),
    loss: state.loss,
    activation: state.activation,
    bias: state.bias ? '1' : '0',
    seed: String(state.seed),
    tolerance: state.tolerance,
    data: state.data,
    init: state.init,
    arch: state.arch,
    classes: state.classes.join(','),
  };
}

/**
 * The URL query of a state, the inverse of {@link parsePageQuery}: `?widths=25,5,10,10&n=50&loss=mse&…`
 * (commas and colons left readable, everything else percent-encoded).
 */
export function serializePageState(state: PageState): string {
  const fields = pageStateFields(state);
  const encode = (text: string): string => encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
  const written = PAGE_STATE_KEYS.filter((key) => (key === 'classes' ? state.data === 'mnist' : key === 'arch' ? state.arch !== 'dense' : true));
  return '?' + written.map((key) => `${key}=${encode(fields[key])}`).join('&');
}

/** True when two states describe the same computation. */
export function samePageState(a: PageState, b: PageState): boolean {
  return serializePageState(a) === serializePageState(b);
}

/**
 * The data set of a state, the same for every view and for the CLI's `--data` flag: `defaultDataset(state.data,
 * state.loss, N, d, K, seed)` from `@intrinsic/models` — for `gaussian` x ~ N(0, I_d) with y ~ N(0, I_K) (MSE) or
 * uniform one-hot labels (`gaussian-classes`, cross-entropy); for `mixture` K class means μ_c ~ N(0, 3² I_d),
 * x = μ_c + N(0, I_d) and one-hot targets (for either loss).
 * For `mnist`: {@link mnistDataset} — the first N of the seeded order of the chosen classes, 8 × 8, exactly
 * `loadMnist({ classes, trainSamples: N, seed, size: 8 }).train` (the pool must be loaded first, see mnist-pool.ts).
 * Cost: O(N (d + K)).
 */
export function pageDataset(state: PageState): Dataset {
  if (state.data === 'mnist') return mnistDataset(state.classes, state.samples, state.seed);
  const d = state.widths[0];
  const K = state.widths[state.widths.length - 1];
  return defaultDataset(state.data, state.loss, state.samples, d, K, state.seed);
}
