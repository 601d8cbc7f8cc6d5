import { InvalidArgumentError } from '@intrinsic/spectra';
import { ACTIVATIONS, type Activation } from './activations.js';

/** Parameter initialisers. */
export const INITIALIZERS = ['glorot-normal', 'glorot-uniform', 'he-normal', 'orthogonal', 'pytorch-uniform'] as const;
export type Initializer = (typeof INITIALIZERS)[number];

/**
 * A multilayer perceptron, JSON-serialisable.
 *
 * f(x) = W_L σ(⋯ σ(W_1 x + b_1) ⋯) + b_L: `widths = [d, M_1, …, M_{L−1}, K]` gives L = widths.length − 1
 * weight matrices; the activation σ acts on every hidden layer and not on the output.
 */
export interface MlpSpec {
  kind: 'mlp';
  /** Input width d, hidden widths, output width K. At least two entries, each a positive integer. */
  widths: number[];
  activation: Activation;
  /** Bias vector in every layer. */
  bias: boolean;
  init: Initializer;
  /** Seed of the initialiser. */
  seed: number;
  /** Negative slope of leaky-relu; 0.01 when omitted. */
  leakySlope?: number;
}

/** Defaults of the paper's example (Singh et al. 2021): 25-5-10-10, linear, no bias, Glorot normal, seed 0. */
export const DEFAULT_MLP_SPEC: MlpSpec = {
  kind: 'mlp',
  widths: [25, 5, 10, 10],
  activation: 'linear',
  bias: false,
  init: 'glorot-normal',
  seed: 0,
};

/**
 * Builds a validated spec from partial options, filling the defaults.
 * @throws InvalidArgumentError on a width that is not a positive integer, fewer than two widths, an
 * unknown activation or initialiser, or a non-integer seed.
 */
export function mlpSpec(options: Partial<Omit<MlpSpec, 'kind'>> = {}): MlpSpec {
  const spec: MlpSpec = { ...DEFAULT_MLP_SPEC, ...options, kind: 'mlp' };
  validateMlpSpec(spec);
  return spec;
}

/**
 * @internal A short one-line description of a value for error messages: JSON when it has one (cut at
 * `max` characters), else its type — never throws (BigInt, cycles, symbols) and never spans lines.
 */
export function describeValue(value: unknown, max = 60): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(typeof value));
  } catch {
    text = Array.isArray(value) ? 'an array' : typeof value;
  }
  text = text.replace(/[\r\n\u2028\u2029]/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Checks a spec (e.g. one read from JSON). @throws InvalidArgumentError naming the field and value. */
export function validateMlpSpec(spec: unknown): asserts spec is MlpSpec {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('model spec must be an object');
  const s = spec as Record<string, unknown>;
  if (s.kind !== 'mlp') throw new InvalidArgumentError(`model spec kind must be 'mlp', got ${describeValue(s.kind)}`);
  if (!Array.isArray(s.widths) || s.widths.length < 2) {
    throw new InvalidArgumentError(`widths must list at least an input and an output width, got ${describeValue(s.widths)}`);
  }
  s.widths.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 1) {
      throw new InvalidArgumentError(`width ${i} must be a positive integer, got ${describeValue(w)}`);
    }
  });
  if (!(ACTIVATIONS as readonly unknown[]).includes(s.activation)) {
    throw new InvalidArgumentError(`unknown activation ${describeValue(s.activation)}; supported: ${ACTIVATIONS.join(', ')}`);
  }
  if (typeof s.bias !== 'boolean') throw new InvalidArgumentError(`bias must be true or false, got ${describeValue(s.bias)}`);
  if (!(INITIALIZERS as readonly unknown[]).includes(s.init)) {
    throw new InvalidArgumentError(`unknown initialiser ${describeValue(s.init)}; supported: ${INITIALIZERS.join(', ')}`);
  }
  if (typeof s.seed !== 'number' || !Number.isSafeInteger(s.seed)) {
    throw new InvalidArgumentError(`seed must be an integer, got ${describeValue(s.seed)}`);
  }
  if (s.leakySlope !== undefined && (typeof s.leakySlope !== 'number' || !Number.isFinite(s.leakySlope))) {
    throw new InvalidArgumentError(`leakySlope must be a finite number, got ${describeValue(s.leakySlope)}`);
  }
}
