import { parameterCount } from '@intrinsic/models';
import { analysisTarget, modelSourceFlags } from '../analysis-target.js';
import { modelFlags, modelSettings, outputFlags, parseFlags, parseInteger } from '../args.js';
import { lipschitzRows, measureRows, pacBayesRows, type BoundRow, type PacBayesDetails, type PriorDataOptions } from '../bounds/bound-rows.js';
import { UsageError } from '../cli-error.js';
import { Progress } from '../progress.js';
import { formatNumber, formatTable } from '../table.js';

export const usage = `intrinsic bound — generalization bounds and measures of a trained network, with their assumptions

usage: intrinsic bound --model RUN [--pac-bayes] [--measures] [--lipschitz] [--samples N] [--json]
                       [--iterations 2000] [--lr 0.01] [--mean-lr 0.001] [--initial-std 0.03|abs-weights]
                       [--initial-prior-variance 0.001] [--mc-samples 100000]
                       [--prior-data F [--prior-epochs 10] [--posterior-start prior|trained]]
                       [--backend node|wasm|cpu] [--seed 0]

RUN is a run folder of 'intrinsic train' / 'rank --save-run' (or a tfjs model.json); the data are its training data
(--samples N keeps the first N). Without a section flag, --measures and --lipschitz are shown; --pac-bayes runs the
Dziugaite–Roy procedure on TensorFlow.js (classification only): a Gaussian posterior N(w, diag σ²) around the trained
weights, a prior N(θ₀, λI) at the initial weights (the run's seeded initialisation) with λ from the grid 0.1·e^{−j/100}
under a union bound, w, σ and λ optimised on the PAC-Bayes objective (--iterations Adam steps, --lr for σ and λ,
--mean-lr for w, both decaying linearly to 10 %; starting at σ = --initial-std and λ = --initial-prior-variance), then certified
by --mc-samples Monte-Carlo draws (δ = 0.025, δ′ = 0.01). A bound on the 0-1 error is vacuous when ≥ 1 − 1/K.

--prior-data F: a data-dependent prior (Dziugaite et al., AISTATS 2021; Pérez-Ortiz et al., JMLR 2021). The data are
split by a permutation seeded with --seed into S_prior (a fraction F in (0, 1)) and S_bound; the prior mean w_P is
trained by SGD from θ₀ on S_prior only (--prior-epochs, lr 0.01, momentum 0.9, batch 100); Q starts at w_P (or, with
--posterior-start trained, at the run's weights) and is optimised and certified on S_bound, with m = |S_bound| and
P = N(w_P, λI). Valid because P never sees S_bound; fix F and the settings before looking at the result.`;

const flags = {
  ...modelFlags,
  ...outputFlags,
  ...modelSourceFlags,
  'pac-bayes': { type: 'boolean', default: false },
  measures: { type: 'boolean', default: false },
  lipschitz: { type: 'boolean', default: false },
  iterations: { type: 'string', default: '2000' },
  lr: { type: 'string', default: '0.01' },
  'mean-lr': { type: 'string', default: '0.001' },
  'initial-std': { type: 'string', default: '0.03' },
  'initial-prior-variance': { type: 'string', default: '0.001' },
  'mc-samples': { type: 'string', default: '100000' },
  'prior-data': { type: 'string' },
  'prior-epochs': { type: 'string', default: '10' },
  'posterior-start': { type: 'string', default: 'prior' },
  backend: { type: 'string' },
} as const;

function positiveNumber(text: string, name: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${name}: '${text}' is not a positive number`);
  return value;
}

/** --prior-data F, --prior-epochs E, --posterior-start prior|trained. */
function priorDataOptions(values: { 'prior-data'?: unknown; 'prior-epochs'?: unknown; 'posterior-start'?: unknown }): PriorDataOptions {
  const text = String(values['prior-data']);
  const fraction = Number(text);
  if (text.trim() === '' || !(fraction > 0 && fraction < 1)) throw new UsageError(`--prior-data: '${text}' is not a fraction in (0, 1)`);
  const epochs = parseInteger(String(values['prior-epochs']), 'prior-epochs', 1, 1e6);
  const posteriorStart = String(values['posterior-start']);
  if (posteriorStart !== 'prior' && posteriorStart !== 'trained') throw new UsageError(`--posterior-start: unknown value '${posteriorStart}'; choose prior or trained`);
  return { fraction, epochs, posteriorStart };
}

/** The JSON document of `intrinsic bound --json`: no wall-clock times (issue #10: same command and seed, same bytes); the elapsed time is printed in the human table only. */
export interface BoundResult {
  model: string;
  network: { widths: number[]; activation: string; bias: boolean; params: number };
  data: { description: string; samples: number; classes: number };
  loss: string;
  rows: BoundRow[];
  pacBayes: PacBayesDetails | null;
}

/** Runs `intrinsic bound`. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv, flags, 'bound');
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  if (values.model === undefined) throw new UsageError('intrinsic bound: --model RUN is required (a run folder of intrinsic train, or a tfjs model.json)');
  const settings = modelSettings(values);
  const iterations = parseInteger(String(values.iterations), 'iterations', 0, 1e8);
  const monteCarloSamples = parseInteger(String(values['mc-samples']), 'mc-samples', 1, 1e9);
  const learningRate = positiveNumber(String(values.lr), 'lr');
  const meanLearningRate = positiveNumber(String(values['mean-lr']), 'mean-lr');
  const initialPriorVariance = positiveNumber(String(values['initial-prior-variance']), 'initial-prior-variance');
  if (initialPriorVariance >= 0.1) throw new UsageError(`--initial-prior-variance: ${initialPriorVariance} must be below the grid's largest variance 0.1`);
  const initialStd = values['initial-std'] === 'abs-weights' ? 'abs-weights' : positiveNumber(String(values['initial-std']), 'initial-std');
  const backend = values.backend === undefined ? undefined : String(values.backend);
  if (backend !== undefined && !['node', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend: unknown value '${backend}'; choose one of node, wasm, cpu`);
  const priorData = values['prior-data'] === undefined ? undefined : priorDataOptions(values);
  if (priorData && !values['pac-bayes']) throw new UsageError('intrinsic bound: --prior-data needs --pac-bayes');
  const any = values['pac-bayes'] || values.measures || values.lipschitz;
  const sections = { measures: any ? values.measures : true, lipschitz: any ? values.lipschitz : true, pacBayes: Boolean(values['pac-bayes']) };

  const target = await analysisTarget(values, settings, argv);
  if (sections.pacBayes && !target.data.labels) throw new UsageError('intrinsic bound: --pac-bayes bounds the 0-1 error and needs classification data (labels)');
  if (priorData) {
    const priorRows = Math.round(priorData.fraction * target.data.count);
    if (priorRows < 1 || priorRows > target.data.count - 1) throw new UsageError(`--prior-data: ${priorData.fraction} of ${target.data.count} samples leaves S_prior or S_bound empty`);
  }
  const started = performance.now();
  const rows: BoundRow[] = [];
  if (sections.measures) rows.push(...measureRows(target));
  if (sections.lipschitz) rows.push(...lipschitzRows(target));
  let details: PacBayesDetails | null = null;
  if (sections.pacBayes) {
    const { selectBackend } = await import('@intrinsic/models/tfjs');
    const { nodeBackendLoaders } = await import('./train.js');
    const selection = await selectBackend({ preferred: backend as 'cpu' | undefined, strict: backend !== undefined, loaders: nodeBackendLoaders });
    if (!values.json) process.stderr.write(`backend ${selection.backend}\n`);
    const progress = new Progress();
    const result = await pacBayesRows(target, { iterations, learningRate, meanLearningRate, initialPriorVariance, initialStd, monteCarloSamples, seed: settings.seed, priorData, onProgress: (d, t, s) => progress.update(d, t, s) });
    progress.done();
    rows.push(...result.rows);
    details = result.details;
  }
  const seconds = (performance.now() - started) / 1000;
  const result: BoundResult = {
    model: String(values.model),
    network: { widths: target.spec.widths, activation: target.spec.activation, bias: target.spec.bias, params: parameterCount(target.spec) },
    data: { description: target.data.description, samples: target.data.count, classes: target.data.outputSize },
    loss: target.loss,
    rows,
    pacBayes: details,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const table = formatTable(
    ['section', 'bound / measure', 'value', 'vacuous', 'assumptions'],
    rows.map((r) => [r.section, r.name, formatNumber(r.value), r.vacuous === null ? '–' : r.vacuous ? 'yes' : 'no', r.assumptions]),
  );
  process.stdout.write(
    [
      `network ${target.spec.widths.join('-')}, ${target.spec.activation}, ${target.spec.bias ? 'with' : 'no'} bias, p = ${parameterCount(target.spec)}; ${target.loss}`,
      `data ${target.data.description}, N = ${target.data.count}`,
      '',
      table,
      '',
      `${seconds.toFixed(2)} s`,
    ].join('\n') + '\n',
  );
  return 0;
}
