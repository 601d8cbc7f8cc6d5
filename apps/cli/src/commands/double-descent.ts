import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLoss, ACTIVATIONS, type Activation, type Loss } from '@intrinsic/models';
import { outputFlags, parseFlags, parseInteger } from '../args.js';
import { doubleDescentData } from '../bounds/double-descent-data.js';
import { doubleDescentPoint, type DoubleDescentPoint } from '../bounds/double-descent-point.js';
import { UsageError } from '../cli-error.js';
import { InterruptedError, interrupted, onInterrupt } from '../interrupt.js';
import { renderSvgPlot } from '../plot/svg-plot.js';
import { writeFileAtomic } from '../run-folder.js';
import { formatNumber, formatTable } from '../table.js';

export const usage = `intrinsic double-descent — test loss, λ_min⁺ and the Hessian's population-loss estimate across widths

usage: intrinsic double-descent [--widths 1:30[:step] | 1,2,5] [--samples 100] [--test-samples 500] [--loss mse|ce]
                                [--label-noise F] [--seeds 1] [--data gaussian-teacher|mnist] [--input-size 10]
                                [--outputs 1] [--activation tanh] [--epochs 5000] [--lr 0.01] [--target-grad-norm 1e-7]
                                [--out DIR] [--resume] [--json]

For every width h and seed, a one-hidden-layer network d-h-K without bias (p = h(d + K)) is trained with full-batch
float64 Adam until ‖∇L‖ ≤ --target-grad-norm or --epochs; then the dense Hessian H of the training loss and its
outer-product part H_O give λ_min⁺ (smallest eigenvalue above numpy's tolerance σ_max·p·ε; at an interpolating
minimum H_F is at the level of the residuals and pollutes H's null space, H_O's is exact), the influence estimate of the population loss
E_z[ℓ] + E_z[∇ℓᵀH⁺∇ℓ]/(N+1) over the test samples and its 1/λ_min⁺ lower bound (Singh et al., ICLR 2022), and the
Lipschitz upper (Π‖W_l‖₂) and lower (max ‖∂f/∂x‖₂ over the training data) bounds.
Data: gaussian-teacher (x ~ N(0, I_d), targets of a fixed tanh teacher d-20-K; --label-noise is the σ of Gaussian
noise on the training targets for mse, a fraction of flipped labels for ce) or mnist (--input-size 8 → 8×8 digits,
K = 10; --label-noise is a fraction of replaced labels). The interpolation threshold p = N·K is marked in the plots.
--out DIR writes points/w<h>-s<seed>.json per point (atomically; --resume skips those that exist), results.json,
results.csv, test-loss.svg, lambda-min.svg and lipschitz.svg. Progress on stderr. Ctrl-C starts no new point, writes the
results of the finished ones ("interrupted" in results.json) and exits with code 130; --resume then completes the run.`;

const flags = {
  ...outputFlags,
  widths: { type: 'string', default: '1:30' },
  samples: { type: 'string', default: '100' },
  'test-samples': { type: 'string', default: '500' },
  loss: { type: 'string', default: 'mse' },
  'label-noise': { type: 'string', default: '0' },
  seeds: { type: 'string', default: '1' },
  data: { type: 'string', default: 'gaussian-teacher' },
  'input-size': { type: 'string' },
  outputs: { type: 'string', default: '1' },
  activation: { type: 'string', default: 'tanh' },
  epochs: { type: 'string', default: '5000' },
  lr: { type: 'string', default: '0.01' },
  'target-grad-norm': { type: 'string', default: '1e-7' },
  out: { type: 'string' },
  resume: { type: 'boolean', default: false },
} as const;

/** Widths `a:b[:step]` (inclusive) or a comma list, each ≥ 1. */
export function parseWidthRange(text: string): number[] {
  const range = /^(\d+):(\d+)(?::(\d+))?$/.exec(text.trim());
  if (range) {
    const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? 1)];
    if (from < 1 || to < from || step < 1) throw new UsageError(`--widths: '${text}' must be from:to[:step] with 1 ≤ from ≤ to and step ≥ 1`);
    const widths: number[] = [];
    for (let w = from; w <= to; w += step) widths.push(w);
    return widths;
  }
  return text.split(',').map((part, i) => parseInteger(part, `widths (entry ${i + 1})`, 1, 100000));
}

function nonNegative(text: string, name: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--${name}: '${text}' is not a non-negative number`);
  return value;
}

/** Mean over seeds per width. */
function aggregate(points: DoubleDescentPoint[]) {
  const widths = [...new Set(points.map((p) => p.width))].sort((a, b) => a - b);
  const mean = (values: (number | null)[]) => {
    const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
    return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
  };
  return widths.map((width) => {
    const at = points.filter((p) => p.width === width);
    return {
      width,
      params: at[0].params,
      seeds: at.length,
      trainLoss: mean(at.map((p) => p.trainLoss)),
      testLoss: mean(at.map((p) => p.testLoss)),
      lambdaMinPositive: mean(at.map((p) => p.lambdaMinPositive)),
      influenceEstimate: mean(at.map((p) => p.influenceEstimate)),
      influenceLowerBound: mean(at.map((p) => p.influenceLowerBound)),
      lambdaMinPositiveOuter: mean(at.map((p) => p.lambdaMinPositiveOuter)),
      influenceEstimateOuter: mean(at.map((p) => p.influenceEstimateOuter)),
      influenceLowerBoundOuter: mean(at.map((p) => p.influenceLowerBoundOuter)),
      lipschitzUpper: mean(at.map((p) => p.lipschitzUpper)),
      lipschitzLower: mean(at.map((p) => p.lipschitzLower)),
    };
  });
}

const CSV_COLUMNS = ['width', 'seed', 'params', 'trainLoss', 'testLoss', 'gradientNorm', 'epochs', 'converged', 'lambdaMinPositive', 'lambdaMax', 'hessianRank', 'negativeEigenvalues', 'influenceEstimate', 'influenceLowerBound', 'lambdaMinPositiveOuter', 'outerRank', 'influenceEstimateOuter', 'influenceLowerBoundOuter', 'lipschitzUpper', 'lipschitzLower'] as const;

/** Runs `intrinsic double-descent`. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv, flags, 'double-descent');
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const widths = parseWidthRange(String(values.widths));
  const data = String(values.data);
  if (data !== 'gaussian-teacher' && data !== 'mnist') throw new UsageError(`--data: unknown value '${data}'; choose one of gaussian-teacher, mnist`);
  let loss: Loss;
  try {
    loss = parseLoss(String(values.loss));
  } catch {
    throw new UsageError(`--loss: unknown value '${String(values.loss)}'; choose one of mse, ce (cross-entropy)`);
  }
  const activation = String(values.activation) as Activation;
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) throw new UsageError(`--activation: unknown value '${activation}'; choose one of ${ACTIVATIONS.join(', ')}`);
  const samples = parseInteger(String(values.samples), 'samples', 1, 1e6);
  const testSamples = parseInteger(String(values['test-samples']), 'test-samples', 1, 1e6);
  const seeds = parseInteger(String(values.seeds), 'seeds', 1, 1000);
  const inputSize = parseInteger(String(values['input-size'] ?? (data === 'mnist' ? '8' : '10')), 'input-size', 1, data === 'mnist' ? 28 : 1e5);
  const outputs = data === 'mnist' ? 10 : parseInteger(String(values.outputs), 'outputs', 1, 1000);
  if (loss === 'cross-entropy' && outputs < 2) throw new UsageError('--loss ce needs --outputs ≥ 2');
  const labelNoise = nonNegative(String(values['label-noise']), 'label-noise');
  if ((data === 'mnist' || loss === 'cross-entropy') && labelNoise > 1) throw new UsageError(`--label-noise: ${labelNoise} must be a fraction in [0, 1] for labels`);
  const epochs = parseInteger(String(values.epochs), 'epochs', 0, 1e8);
  const learningRate = nonNegative(String(values.lr), 'lr');
  if (learningRate === 0) throw new UsageError('--lr: must be positive');
  const targetGradientNorm = nonNegative(String(values['target-grad-norm']), 'target-grad-norm');
  const out = values.out === undefined ? undefined : String(values.out);
  if (values.resume && !out) throw new UsageError('--resume needs --out DIR');
  const pointsDirectory = out ? join(out, 'points') : undefined;
  if (pointsDirectory) mkdirSync(pointsDirectory, { recursive: true });

  const settings = { loss, activation, epochs, learningRate, targetGradientNorm };
  const points: DoubleDescentPoint[] = [];
  const total = widths.length * seeds;
  let done = 0;
  let d = 0;
  let K = 0;
  // Ctrl-C: no new point starts; the finished ones are written (point files and results), and the command exits 130.
  const stopListening = onInterrupt();
  let stopped = false;
  try {
    points: for (let seed = 0; seed < seeds; seed++) {
      const split = await doubleDescentData({ data, samples, testSamples, inputSize, outputs, loss, labelNoise, seed });
      d = split.train.inputSize;
      K = split.train.outputSize;
      for (const width of widths) {
        // Let a pending SIGINT handler run: the points themselves are synchronous.
        await new Promise((resolve) => setImmediate(resolve));
        if (interrupted()) {
          stopped = true;
          break points;
        }
        done++;
        const file = pointsDirectory ? join(pointsDirectory, `w${width}-s${seed}.json`) : undefined;
        if (file && values.resume && existsSync(file)) {
          const saved = JSON.parse(readFileSync(file, 'utf8')) as DoubleDescentPoint & { seconds?: number };
          delete saved.seconds; // point files of older versions carried a wall-clock time; results stay deterministic
          points.push(saved);
          process.stderr.write(`[${done}/${total}] width ${width} seed ${seed}: done before (resume)\n`);
          continue;
        }
        const pointStarted = performance.now();
        const point = doubleDescentPoint(width, seed, split.train, split.test, settings);
        const pointSeconds = (performance.now() - pointStarted) / 1000; // stderr only (issue #10: no wall-clock time in the files)
        if (file) writeFileAtomic(file, `${JSON.stringify(point)}\n`);
        points.push(point);
        process.stderr.write(
          `[${done}/${total}] width ${width} seed ${seed}: p = ${point.params}, train ${formatNumber(point.trainLoss)}, test ${formatNumber(point.testLoss)}, λ_min⁺ ${point.lambdaMinPositive === null ? '–' : point.lambdaMinPositive.toExponential(2)}, ${pointSeconds.toFixed(1)} s\n`,
        );
      }
    }
  } finally {
    stopListening();
  }
  if (stopped && points.length === 0) throw new InterruptedError('interrupted before the first width finished; nothing written');
  if (stopped) process.stderr.write(`intrinsic double-descent: interrupted after ${points.length} of ${total} points; the output covers those${out ? '; run the same command with --resume to finish' : ''}\n`);
  const threshold = { params: samples * K, width: (samples * K) / (d + K) };
  const summary = aggregate(points);
  const result = {
    data,
    loss,
    activation,
    samples,
    testSamples,
    inputSize: d,
    outputs: K,
    labelNoise,
    seeds,
    interpolationThreshold: threshold,
    ...(stopped ? { interrupted: { completed: points.length, planned: total } } : {}),
    widths: summary,
    points,
  };
  if (out) {
    writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
    const csv = [CSV_COLUMNS.join(','), ...points.map((p) => CSV_COLUMNS.map((c) => String(p[c] ?? '')).join(','))].join('\n');
    writeFileAtomic(join(out, 'results.csv'), `${csv}\n`);
    const x = summary.map((s) => s.width);
    const marker = [{ x: threshold.width, label: `p = N·K = ${threshold.params}` }];
    const series = (label: string, key: keyof (typeof summary)[number], dashed = false) => {
      const kept = summary.filter((s) => typeof s[key] === 'number' && (s[key] as number) > 0);
      return { label, x: kept.map((s) => s.width), y: kept.map((s) => s[key] as number), dashed };
    };
    const plots: [string, string, ReturnType<typeof series>[]][] = [
      ['test-loss.svg', 'loss', [series('test loss', 'testLoss'), series('train loss', 'trainLoss', true), series('influence estimate (H_O)', 'influenceEstimateOuter'), series('its 1/λ_min⁺ lower bound', 'influenceLowerBoundOuter', true)]],
      ['lambda-min.svg', 'λ_min⁺', [series('λ_min⁺ of H', 'lambdaMinPositive'), series('λ_min⁺ of H_O', 'lambdaMinPositiveOuter', true)]],
      ['lipschitz.svg', 'Lipschitz constant', [series('upper bound Π‖W_l‖₂', 'lipschitzUpper'), series('lower bound max ‖∂f/∂x‖₂', 'lipschitzLower')]],
    ];
    if (x.length > 0) {
      for (const [name, yLabel, s] of plots) {
        writeFileAtomic(join(out, name), renderSvgPlot({ title: `${yLabel} vs width (${data}, N = ${samples}, ${loss})`, xLabel: 'hidden width', yLabel, series: s.filter((t) => t.x.length > 0), markers: marker, logY: true }));
      }
    }
    if (!values.json) process.stderr.write(`wrote ${out}/results.json, results.csv, test-loss.svg, lambda-min.svg, lipschitz.svg\n`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const table = formatTable(
    ['width', 'p', 'train loss', 'test loss', 'λ_min⁺(H)', 'λ_min⁺(H_O)', 'influence (H)', 'influence (H_O)', '1/λ_min⁺ bound (H_O)', 'Lip. upper', 'Lip. lower'],
    summary.map((s) => [String(s.width), String(s.params), ...[s.trainLoss, s.testLoss, s.lambdaMinPositive, s.lambdaMinPositiveOuter, s.influenceEstimate, s.influenceEstimateOuter, s.influenceLowerBoundOuter, s.lipschitzUpper, s.lipschitzLower].map((v) => (v === null ? '–' : formatNumber(v)))]),
  );
  process.stdout.write(`${data}, N = ${samples}, d = ${d}, K = ${K}, ${loss}, ${activation}; interpolation threshold p = N·K = ${threshold.params} (width ≈ ${threshold.width.toFixed(1)})\n\n${table}\n`);
  return 0;
}
