import { ACTIVATIONS, LOSSES, defaultDataset, type Activation, type Dataset, type Loss } from '@intrinsic/models';
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
}

/** The data choices of the page. */
export const PAGE_DATA = ['gaussian', 'mixture'] as const;
export type PageData = (typeof PAGE_DATA)[number];

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
};

/** The query keys, in the order they are written. */
export const PAGE_STATE_KEYS = ['widths', 'n', 'loss', 'activation', 'bias', 'seed', 'tolerance', 'data'] as const;
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
  };
  return { state, problems };
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
  };
}

/**
 * The URL query of a state, the inverse of {@link parsePageQuery}: `?widths=25,5,10,10&n=50&loss=mse&…`
 * (commas and colons left readable, everything else percent-encoded).
 */
export function serializePageState(state: PageState): string {
  const fields = pageStateFields(state);
  const encode = (text: string): string => encodeURIComponent(text).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
  return '?' + PAGE_STATE_KEYS.map((key) => `${key}=${encode(fields[key])}`).join('&');
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
 * Cost: O(N (d + K)).
 */
export function pageDataset(state: PageState): Dataset {
  const d = state.widths[0];
  const K = state.widths[state.widths.length - 1];
  return defaultDataset(state.data, state.loss, state.samples, d, K, state.seed);
}
