import { ACTIVATIONS, INITIALIZERS, parseLoss, type Activation, type Initializer, type Loss } from '@intrinsic/models';
import { isUserError } from '../cli-error.js';
import { formatTolerancePolicy } from '@intrinsic/spectra';
import { parseInteger, parseTolerance, parseWidths } from '../args.js';
import { UsageError } from '../cli-error.js';
import { sweepCnnSpec, type SweepCnnPoint, type SweepPoint } from './sweep-point.js';
import { SWEEP_DATA, SWEEP_PRESETS, SWEEP_VARIES, type SweepData, type SweepPreset, type SweepVary } from './sweep-presets.js';
import { parseSweepValues } from './sweep-values.js';

/** The flag values a sweep plan is built from (strings as parsed; undefined when not given). */
export interface SweepFlagValues {
  preset?: string;
  vary?: string;
  values?: string;
  widths?: string;
  samples?: string;
  loss?: string;
  activation?: string;
  bias?: boolean;
  data?: string;
  'input-size'?: string;
  init?: string;
  seed?: string;
  tolerance?: string;
  kernel?: string;
}

/** The resolved settings of a sweep (also stored in sweep.json). */
export interface SweepPlan {
  preset: string | null;
  vary: SweepVary;
  values: number[];
  losses: Loss[];
  inputSize: number;
  hidden: number[];
  outputs: number;
  samples: number;
  activation: Activation;
  bias: boolean;
  init: Initializer;
  seed: number;
  data: SweepData;
  tolerance: string;
  /** The convolutional base network (`--vary channels|kernel`, CNN presets); null for an MLP sweep. */
  cnn: { input: number[]; channels: number[]; kernel: number } | null;
  points: SweepPoint[];
}

/** Base network when neither --preset nor --widths is given: the paper example 25-5-10-10. */
const DEFAULT_WIDTHS = [25, 5, 10, 10];
/** CNN base when neither --preset nor --widths is given: 8 × 8 inputs (d = 64), two conv layers of 4 channels, K = 10. */
const DEFAULT_CNN_WIDTHS = [64, 4, 4, 10];

/**
 * The CNN of one point (channels: every conv layer gets the value; kernel: every kernel), checked by
 * building its network spec so that a kernel larger than its input is refused before any work.
 */
function cnnPoint(input: number[], vary: SweepVary, value: number, widths: number[], kernel: number, id: string): SweepCnnPoint {
  const cnn: SweepCnnPoint = { input, channels: widths.slice(1, -1), kernel: vary === 'kernel' ? value : kernel };
  try {
    sweepCnnSpec(cnn, { outputs: widths[widths.length - 1], activation: 'linear', bias: false, init: 'glorot-normal', seed: 0 });
  } catch (error) {
    if (isUserError(error)) throw new UsageError(`intrinsic sweep: point ${id}: ${(error as Error).message}`);
    throw error;
  }
  return cnn;
}

function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`--${flag}: unknown value '${text}'; choose one of ${allowed.join(', ')}`);
  return text as T;
}

/** `--input-size 8x8` → 64, `--input-size 16` → 16. */
export function parseInputSize(text: string): number {
  const match = /^\s*(\d+)\s*(?:[x×]\s*(\d+)\s*)?$/.exec(text);
  if (!match) throw new UsageError(`--input-size: '${text}' is not a size like 64 or 8x8`);
  const size = Number(match[1]) * (match[2] === undefined ? 1 : Number(match[2]));
  if (size < 1 || size > 1e6) throw new UsageError(`--input-size: ${text} gives ${size} inputs; allowed 1 … 1,000,000`);
  return size;
}

/**
 * The input shape of a CNN sweep: `--input-size HxW` (or a square d with MNIST data) gives one-channel
 * images [1, H, W] and 2-D convolutions; a plain d gives signals [1, d] and 1-D convolutions.
 */
export function cnnInputShape(inputSizeText: string | undefined, inputSize: number, data: SweepData): number[] {
  const match = inputSizeText === undefined ? null : /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/.exec(inputSizeText);
  if (match) return [1, Number(match[1]), Number(match[2])];
  const side = Math.round(Math.sqrt(inputSize));
  if (data === 'mnist' && side * side === inputSize) return [1, side, side];
  return [1, inputSize];
}

function parseLosses(text: string): Loss[] {
  return [
    ...new Set(
      text.split(',').map((part) => {
        try {
          return parseLoss(part.trim());
        } catch {
          throw new UsageError(`--loss: unknown value '${part.trim()}'; choose mse, ce (cross-entropy), or both: mse,ce`);
        }
      }),
    ),
  ];
}

function pointWidths(vary: SweepVary, value: number, inputSize: number, hidden: number[], outputs: number): number[] {
  if (vary === 'width' || vary === 'channels') return [inputSize, ...hidden.map(() => value), outputs];
  if (vary === 'depth') return [inputSize, ...Array.from({ length: value }, () => hidden[0]), outputs];
  return [inputSize, ...hidden, outputs];
}

/**
 * Builds the list of points from the flags: explicit flags override the preset's settings, which override
 * the defaults (the `rank` defaults: 25-5-10-10, N = 50, MSE, linear, no bias). Points are values × losses.
 */
export function buildSweepPlan(flags: SweepFlagValues): SweepPlan {
  let preset: SweepPreset | undefined;
  if (flags.preset !== undefined) {
    preset = SWEEP_PRESETS[flags.preset];
    if (!preset) throw new UsageError(`--preset: unknown preset '${flags.preset}'; choose one of ${Object.keys(SWEEP_PRESETS).join(', ')}`);
  }
  const varyText = flags.vary ?? preset?.vary;
  if (varyText === undefined) throw new UsageError('intrinsic sweep: give --vary width|depth|samples with --values, or --preset NAME');
  const vary = oneOf(varyText, SWEEP_VARIES, 'vary');
  if (flags.values === undefined && (!preset || preset.vary !== vary)) throw new UsageError(`intrinsic sweep: --vary ${vary} needs --values, e.g. --values ${vary === 'kernel' ? '1:5' : '4:56:4'}`);
  const values = flags.values !== undefined ? parseSweepValues(flags.values, vary === 'depth' ? 0 : 1) : (preset as SweepPreset).values;
  const convolutional = vary === 'channels' || vary === 'kernel' || preset?.cnn !== undefined;

  const presetWidths = preset ? [preset.inputSize, ...(preset.cnn ? preset.cnn.channels : preset.hidden), preset.outputs] : undefined;
  const widths = flags.widths !== undefined ? parseWidths(flags.widths) : (presetWidths ?? (convolutional ? DEFAULT_CNN_WIDTHS : DEFAULT_WIDTHS));
  const inputSize = flags['input-size'] !== undefined ? parseInputSize(flags['input-size']) : widths[0];
  const hidden = widths.slice(1, -1);
  const outputs = widths[widths.length - 1];
  if (vary === 'width' && hidden.length === 0) throw new UsageError('--vary width: the network has no hidden layer; give --widths with at least one, e.g. 64,10,10,10');
  if (vary === 'depth' && hidden.length === 0) throw new UsageError('--vary depth: give the hidden width in --widths, e.g. 16,25,10 (repeated for each depth)');
  if (convolutional && hidden.length === 0) throw new UsageError('intrinsic sweep: a CNN sweep needs at least one convolution layer; give --widths d,channels…,K, e.g. 64,4,4,10');
  if (!convolutional && flags.kernel !== undefined) throw new UsageError('--kernel applies to CNN sweeps (--vary channels|kernel or a cnn preset)');
  const kernel = flags.kernel !== undefined ? parseInteger(flags.kernel, 'kernel', 1, 64) : (preset?.cnn?.kernel ?? 3);
  const losses = flags.loss !== undefined ? parseLosses(flags.loss) : (preset?.losses ?? ['mse']);
  if (losses.includes('cross-entropy') && outputs < 2) throw new UsageError('--loss ce needs at least 2 outputs (the last width)');
  const data = oneOf(flags.data ?? preset?.data ?? 'gaussian', SWEEP_DATA, 'data');
  if (data === 'mnist') {
    const side = Math.round(Math.sqrt(inputSize));
    if (side * side !== inputSize || side > 28) throw new UsageError(`--data mnist: the input size must be a square image of side ≤ 28 (e.g. --input-size 8x8), got d = ${inputSize}`);
    if (outputs > 10) throw new UsageError(`--data mnist has 10 classes; the output width is ${outputs}`);
  }
  const samples = flags.samples !== undefined ? parseInteger(flags.samples, 'samples', 1, 1e7) : (preset?.samples ?? 50);
  const activation = oneOf(flags.activation ?? 'linear', ACTIVATIONS, 'activation');
  const init = oneOf(flags.init ?? 'glorot-normal', INITIALIZERS, 'init');
  const seed = flags.seed !== undefined ? parseInteger(flags.seed, 'seed', -(2 ** 31), 2 ** 31 - 1) : 0;
  const tolerance = formatTolerancePolicy(parseTolerance(flags.tolerance ?? 'numpy'));
  const bias = Boolean(flags.bias);
  const cnnInput = convolutional ? cnnInputShape(flags['input-size'], inputSize, data) : null;

  const points: SweepPoint[] = [];
  for (const loss of losses) {
    for (const value of values) {
      const point: SweepPoint = {
        id: `${vary}-${value}-${loss === 'cross-entropy' ? 'ce' : loss}`,
        vary,
        value,
        loss,
        widths: pointWidths(vary, value, inputSize, hidden, outputs),
        samples: vary === 'samples' ? value : samples,
        activation,
        bias,
        init,
        seed,
        data,
        tolerance,
      };
      if (cnnInput) point.cnn = cnnPoint(cnnInput, vary, value, point.widths, kernel, point.id);
      points.push(point);
    }
  }
  const cnn = cnnInput ? { input: cnnInput, channels: hidden, kernel } : null;
  return { preset: preset?.name ?? null, vary, values, losses, inputSize, hidden, outputs, samples, activation, bias, init, seed, data, tolerance, cnn, points };
}
