import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ACTIVATIONS, DATA_KINDS, INITIALIZERS, parseLoss, type Activation, type Initializer, type Loss } from '@intrinsic/models';
import { parseTolerancePolicy, type TolerancePolicy } from '@intrinsic/spectra';
import { UsageError } from './cli-error.js';

/** Flag definitions shared by the commands that build a model and data (`rank`, `spectrum`, …). */
export const modelFlags = {
  widths: { type: 'string', default: '25,5,10,10' },
  samples: { type: 'string', default: '50' },
  loss: { type: 'string', default: 'mse' },
  activation: { type: 'string', default: 'linear' },
  bias: { type: 'boolean', default: false },
  data: { type: 'string', default: 'gaussian' },
  init: { type: 'string', default: 'glorot-normal' },
  seed: { type: 'string', default: '0' },
} as const satisfies ParseArgsConfig['options'];

/** Flags for output, shared by every command. */
export const outputFlags = {
  json: { type: 'boolean', default: false },
  'save-run': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** A user's text for a one-line message: line breaks shown as spaces, cut at 40 characters. */
export function shown(text: string): string {
  const line = text.replace(/[\r\n\u2028\u2029]/g, ' ');
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

/** Parses argv with strict flag checking; errors become one-line usage errors. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`intrinsic ${command}: ${message.length > 160 ? `${message.slice(0, 160)}…` : message}`);
  }
}

/** A whole number in [min, max]; `name` is the flag for the message. */
export function parseInteger(text: string, name: string, min = -Infinity, max = Infinity): number {
  const trimmed = text.trim();
  if (!/^[-+]?\d+$/.test(trimmed)) throw new UsageError(`--${name}: '${shown(text)}' is not a whole number`);
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name}: ${shown(trimmed)} is out of range (${min} … ${max})`);
  }
  return value;
}

/** Widths like `25,5,10,10`: at least two positive integers. */
export function parseWidths(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length < 2 || parts.some((s) => s === '')) {
    throw new UsageError(`--widths: '${shown(text)}' must list at least an input and an output width, e.g. 25,5,10,10`);
  }
  return parts.map((part, i) => {
    if (!/^\d+$/.test(part)) throw new UsageError(`--widths: entry ${i + 1} '${shown(part)}' is not a whole number`);
    const w = Number(part);
    if (w < 1) throw new UsageError(`--widths: entry ${i + 1} is ${w}; every width must be at least 1`);
    if (w > 1e7) throw new UsageError(`--widths: entry ${i + 1} is ${w}, larger than 10,000,000`);
    return w;
  });
}

function oneOf<T extends string>(text: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${name}: unknown value '${shown(text)}'; choose one of ${allowed.join(', ')}`);
  return text as T;
}

/** The model, data and loss settings parsed from {@link modelFlags}. */
export interface ModelSettings {
  widths: number[];
  samples: number;
  loss: Loss;
  activation: Activation;
  bias: boolean;
  data: 'gaussian' | 'mixture';
  init: Initializer;
  seed: number;
}

/** Reads {@link modelFlags} values into typed settings, with one-line errors. */
export function modelSettings(values: Record<string, unknown>): ModelSettings {
  let loss: Loss;
  try {
    loss = parseLoss(String(values.loss));
  } catch {
    throw new UsageError(`--loss: unknown value '${shown(String(values.loss))}'; choose one of mse, ce (cross-entropy)`);
  }
  const widths = parseWidths(String(values.widths));
  if (loss === 'cross-entropy' && widths[widths.length - 1] < 2) throw new UsageError('--loss ce needs at least 2 outputs (the last width)');
  const dataKinds = DATA_KINDS.filter((k) => k !== 'gaussian-classes') as ('gaussian' | 'mixture')[];
  return {
    widths,
    samples: parseInteger(String(values.samples), 'samples', 1, 1e7),
    loss,
    activation: oneOf(String(values.activation), ACTIVATIONS, 'activation'),
    bias: Boolean(values.bias),
    data: oneOf(String(values.data), dataKinds, 'data'),
    init: oneOf(String(values.init), INITIALIZERS, 'init'),
    seed: parseInteger(String(values.seed), 'seed', -(2 ** 31), 2 ** 31 - 1),
  };
}

/** `numpy`, `rel:X` or `abs:X`. */
export function parseTolerance(text: string): TolerancePolicy {
  try {
    return parseTolerancePolicy(text);
  } catch (error) {
    throw new UsageError(`--tolerance: ${(error as Error).message}`);
  }
}
