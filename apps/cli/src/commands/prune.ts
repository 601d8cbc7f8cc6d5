import { join } from 'node:path';
import { MlpEvaluation, parameterCount, parameterLayout, type Dataset, type Loss, type MlpSpec } from '@intrinsic/models';
import { cubicSparsity, curvatureRedundancy, magnitudeSaliency, maskSparsity, pruneOneShot, selectPruningMask, topKAccuracy, type HessianNullity, type PruningMethod, type PruningScope } from '@intrinsic/pruning';
import { parseFlags, parseInteger } from '../args.js';
import { UsageError } from '../cli-error.js';
import { Progress } from '../progress.js';
import { pruneTarget, sampleSubset, type PruneTarget } from '../prune/prune-data.js';
import { formatLayerTable, formatSummaryTable, pointsCsv, summarizePoints, sweepPlot, withoutTimings, type PrunePoint, type SplitFigures } from '../prune/prune-report.js';
import { toleratedSparsities, type ToleratedSparsity } from '../prune/tolerated-sparsity.js';
import { parseSparsityGrid } from '../prune/sparsity-grid.js';
import { saveRunFolder, writeFileAtomic } from '../run-folder.js';
import { InterruptedError, interrupted, onInterrupt } from '../interrupt.js';

export const usage = `intrinsic prune — one-shot and gradual pruning of a trained MLP: magnitude, random, diagonal Fisher, OBD, OBS, WoodFisher, K-FAC

usage: intrinsic prune --model RUN [--method woodfisher[,magnitude,…]] (--sparsity 0.95 | --sweep 0.1:0.98[:step] | --sweep 0.5,0.9)
                       [--gradients 100] [--fisher-batch 1] [--damp 1e-5] [--block C|full] [--update 1] [--joint] [--recompute-steps K] [--kfac-damping pi|equal]
                       [--scope global|layerwise] [--seeds 1] [--nullity [--max-drop 0.01]]
                       [--gradual --steps N --finetune-epochs E [--lr 1e-3] [--batch-size 64] [--backend node|wasm|cpu]]
                       [--json] [--out DIR]

Methods: magnitude (w², following --scope), global-magnitude (w², always one threshold), random, diag-fisher (½F_qq w²),
obd (½H_qq w², exact Hessian diagonal), obs (w²/2[C⁻¹]_qq, dense H + λI), woodfisher (the same with the empirical Fisher
λI + (1/n)GᵀG, inverse by Woodbury; blocks of --block C entries within each layer, default one block per layer, --block full one
block over all layers; a block wider than n uses the n × n closed form), kfac.
OBS, WoodFisher and K-FAC move the kept weights by the superposed OBS update times --update (0 … 1); --joint makes
WoodFisher's update the exact multi-weight OBS solution for its block-diagonal empirical Fisher (n × n solves).
--recompute-steps K reaches the target in K steps s·k/K, recomputing gradients and curvature at the updated weights.
--kfac-damping splits λ over the K-FAC factors by Martens & Grosse's π (default) or as √λ on each (equal).
--nullity adds the redundancy seen by the curvature: p − rank of the exact Hessian on the training split (dense,
small networks only), beside the largest sparsity of the grid whose test top-1 is at most --max-drop below dense.
RUN is a run folder of 'intrinsic train' (both data splits are regenerated from its recorded settings) or of
'rank --save-run' (training data only). Per seed s = 0 … seeds−1, the n = --gradients samples whose per-sample
gradients enter the Fisher methods (and the Hessian of obd/obs) are drawn from the training split with seed s;
--fisher-batch B (diag-fisher and woodfisher) makes each of the n gradients the mean gradient of a mini-batch of B
of n·B drawn samples (WoodFisher's --fisher-mini-bsz);
loss and top-1/top-5 accuracy are reported on the test split and on the whole training split, mean ± std over seeds.
Weights are pruned, biases kept. --sweep writes prune.csv, prune.json and prune.svg (top-1 vs sparsity, one line per
method) into --out DIR. --gradual prunes on the cubic schedule s_t = s(1 − (1 − t/N)³), t = 0 … N, fine-tuning
E epochs on TensorFlow.js (Adam) after each step, zeroing the pruned weights again every 16 mini-batches.`;

const flags = {
  model: { type: 'string' },
  method: { type: 'string', default: 'woodfisher' },
  sparsity: { type: 'string' },
  sweep: { type: 'string' },
  gradients: { type: 'string', default: '100' },
  'fisher-batch': { type: 'string', default: '1' },
  damp: { type: 'string', default: '1e-5' },
  block: { type: 'string' },
  update: { type: 'string', default: '1' },
  joint: { type: 'boolean', default: false },
  'kfac-damping': { type: 'string', default: 'pi' },
  'recompute-steps': { type: 'string', default: '1' },
  nullity: { type: 'boolean', default: false },
  'max-drop': { type: 'string', default: '0.01' },
  scope: { type: 'string', default: 'global' },
  seeds: { type: 'string', default: '1' },
  gradual: { type: 'boolean', default: false },
  steps: { type: 'string', default: '4' },
  'finetune-epochs': { type: 'string', default: '1' },
  lr: { type: 'string', default: '1e-3' },
  'batch-size': { type: 'string', default: '64' },
  backend: { type: 'string' },
  json: { type: 'boolean', default: false },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Gradual mode: the pruned weights are zeroed again after every this many fine-tuning mini-batches. */
const MASK_EVERY = 16;

/** Methods of the command line and the library method plus scope they stand for. */
export const PRUNE_METHODS: Record<string, { method: PruningMethod; scope?: PruningScope }> = {
  magnitude: { method: 'magnitude' },
  'global-magnitude': { method: 'magnitude', scope: 'global' },
  random: { method: 'random' },
  'diag-fisher': { method: 'diagonal-fisher' },
  obd: { method: 'obd' },
  obs: { method: 'obs' },
  woodfisher: { method: 'woodfisher' },
  kfac: { method: 'kfac' },
};

function parseNumber(text: string, name: string, check: (x: number) => boolean, rule: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${name}: '${text}' must be ${rule}`);
  return value;
}

/** The parsed settings of `intrinsic prune`. */
export interface PruneSettings {
  model: string;
  methods: string[];
  sparsities: number[];
  sweep: boolean;
  gradients: number;
  /** Samples per gradient row (WoodFisher's fisher-mini-bsz); 1 = per-sample gradients. */
  fisherBatch: number;
  damping: number;
  /** WoodFisher block size c (cut at the layers' boundaries), or `full`: one block over all weights of all layers. */
  blockSize?: number | 'full';
  updateScale: number;
  /** WoodFisher's exact multi-weight OBS update instead of the superposed one. */
  joint: boolean;
  /** How λ is split over the K-FAC factors. */
  kfacDamping: 'pi' | 'equal';
  /** K: the target in K recomputations s·k/K. */
  recomputeSteps: number;
  /** Report p − rank(H) beside the tolerated sparsity. */
  nullity: boolean;
  /** Largest drop of test top-1 (a fraction, 0.01 = one point) that counts as tolerated. */
  maxDrop: number;
  scope: PruningScope;
  seeds: number;
  gradual: boolean;
  steps: number;
  fineTuneEpochs: number;
  learningRate: number;
  batchSize: number;
  backend?: 'node' | 'wasm' | 'cpu';
  out?: string;
}

/** Reads the flags of `intrinsic prune` into settings, with one-line usage errors. */
export function pruneSettings(values: Record<string, unknown>): PruneSettings {
  if (values.model === undefined) throw new UsageError('--model RUN is required (a run folder of intrinsic train)');
  const methods = String(values.method).split(',').map((m) => m.trim());
  for (const m of methods) {
    if (!PRUNE_METHODS[m]) throw new UsageError(`--method: unknown value '${m}'; choose from ${Object.keys(PRUNE_METHODS).join(', ')}`);
  }
  if (new Set(methods).size !== methods.length) throw new UsageError(`--method: '${String(values.method)}' lists a method twice`);
  if ((values.sparsity === undefined) === (values.sweep === undefined)) throw new UsageError('give exactly one of --sparsity S and --sweep a:b[:step]');
  const sweep = values.sweep !== undefined;
  const sparsities = sweep ? parseSparsityGrid(String(values.sweep), 'sweep') : parseSparsityGrid(String(values.sparsity), 'sparsity');
  const scope = String(values.scope);
  if (scope !== 'global' && scope !== 'layerwise') throw new UsageError(`--scope: unknown value '${scope}'; choose global or layerwise`);
  const backend = values.backend === undefined ? undefined : String(values.backend);
  if (backend !== undefined && !['node', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend: unknown value '${backend}'; choose node, wasm or cpu`);
  const gradual = Boolean(values.gradual);
  if (gradual && sweep) throw new UsageError('--gradual prunes to one final --sparsity; it does not combine with --sweep');
  const joint = Boolean(values.joint);
  const kfacDamping = String(values['kfac-damping']);
  if (kfacDamping !== 'pi' && kfacDamping !== 'equal') throw new UsageError(`--kfac-damping: unknown value '${kfacDamping}'; choose pi or equal`);
  if (joint && methods.some((m) => PRUNE_METHODS[m].method !== 'woodfisher')) {
    throw new UsageError(`--joint: the exact multi-weight update is for woodfisher only; run the other methods ('${methods.join(',')}') without it`);
  }
  const fisherBatch = parseInteger(String(values['fisher-batch']), 'fisher-batch', 1, 1e7);
  const perSampleOnly = methods.filter((m) => ['kfac', 'obd', 'obs'].includes(PRUNE_METHODS[m].method));
  if (fisherBatch > 1 && perSampleOnly.length > 0) {
    throw new UsageError(`--fisher-batch: mini-batch gradients are for diag-fisher and woodfisher; run ${perSampleOnly.join(', ')} without it`);
  }
  return {
    model: String(values.model),
    methods,
    sparsities,
    sweep,
    gradients: parseInteger(String(values.gradients), 'gradients', 1, 1e7),
    fisherBatch,
    damping: parseNumber(String(values.damp), 'damp', (x) => x > 0, 'a positive number'),
    blockSize: values.block === undefined ? undefined : String(values.block) === 'full' ? 'full' : parseInteger(String(values.block), 'block', 1, 1e9),
    updateScale: parseNumber(String(values.update), 'update', (x) => x >= 0 && x <= 1, 'in [0, 1]'),
    joint,
    kfacDamping,
    recomputeSteps: parseInteger(String(values['recompute-steps']), 'recompute-steps', 1, 1000),
    nullity: Boolean(values.nullity),
    maxDrop: parseNumber(String(values['max-drop']), 'max-drop', (x) => x >= 0 && x <= 1, 'a fraction in [0, 1] (0.01 = one point)'),
    scope,
    seeds: parseInteger(String(values.seeds), 'seeds', 1, 1000),
    gradual,
    steps: parseInteger(String(values.steps), 'steps', 1, 1000),
    fineTuneEpochs: parseInteger(String(values['finetune-epochs']), 'finetune-epochs', 0, 1e6),
    learningRate: parseNumber(String(values.lr), 'lr', (x) => x > 0, 'a positive number'),
    batchSize: parseInteger(String(values['batch-size']), 'batch-size', 1, 1e7),
    backend: backend as PruneSettings['backend'],
    out: values.out === undefined ? undefined : String(values.out),
  };
}

/** Mean loss and top-1 / top-5 accuracy (float64 forward pass). */
export function splitFigures(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss): SplitFigures {
  const evaluation = new MlpEvaluation(spec, params, data, loss);
  const K = data.outputSize;
  const outputs = evaluation.outputs;
  return {
    loss: evaluation.value,
    top1: data.labels ? topKAccuracy(outputs, data.labels, K, 1) : null,
    top5: data.labels && K > 5 ? topKAccuracy(outputs, data.labels, K, 5) : null,
  };
}

/** 1e-5 rather than 0.00001. */
function formatDamping(x: number): string {
  return x < 1e-3 ? x.toExponential() : String(x);
}

function percent(x: number | null): string {
  return x === null ? '–' : `${(100 * x).toFixed(2)} %`;
}

/**
 * Fraction of the weights a mask prunes that magnitude pruning (same sparsity and scope) prunes too:
 * 1 means the method chose exactly magnitude's weights. Recorded as `details.magnitudeOverlap`.
 */
function overlapWithMagnitude(mask: Uint8Array, magnitude: Uint8Array): number {
  let pruned = 0;
  let shared = 0;
  for (let q = 0; q < mask.length; q++) {
    if (mask[q] !== 0) continue;
    pruned++;
    if (magnitude[q] === 0) shared++;
  }
  return pruned === 0 ? 1 : shared / pruned;
}

/** The --nullity lines: p − rank(H) and the tolerated sparsity per method. */
function formatRedundancy(r: { hessian: HessianNullity; tolerated: ToleratedSparsity[]; maxDrop: number; split: string }, p: number): string {
  const h = r.hessian;
  const tolerated = r.tolerated.map((t) => `${t.method} ${t.sparsity === null ? 'none of the grid' : `${(100 * t.sparsity).toFixed(1)} %`}`).join(', ');
  return [
    `redundancy from curvature: rank(H) = ${h.rank} of p = ${p}, nullity p − rank = ${h.nullity} (${(100 * h.nullityFraction).toFixed(1)} %); ${h.tolerance.description}`,
    `tolerated sparsity (${r.split} top-1 at most ${(100 * r.maxDrop).toFixed(2)} points below dense, largest of the grid): ${tolerated}`,
  ].join('\n');
}

/** Runs `intrinsic prune`. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv, flags, 'prune');
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const settings = pruneSettings(values);
  const target = await pruneTarget(settings.model);
  const { spec, params, loss, train, test } = target;
  const p = parameterCount(spec);
  if (settings.gradients * settings.fisherBatch > train.count) {
    throw new UsageError(settings.fisherBatch > 1
      ? `--gradients × --fisher-batch: ${settings.gradients} × ${settings.fisherBatch} = ${settings.gradients * settings.fisherBatch} is more than the ${train.count} training samples of ${settings.model}`
      : `--gradients: ${settings.gradients} is more than the ${train.count} training samples of ${settings.model}`);
  }
  if (typeof settings.blockSize === 'number' && settings.blockSize > p) {
    throw new UsageError(`--block: ${settings.blockSize} is larger than p = ${p}; omit --block for one block per layer`);
  }
  const before = { train: splitFigures(spec, params, train, loss), test: test ? splitFigures(spec, params, test, loss) : null };

  let fineTune: ((params: Float64Array, mask: Uint8Array, seed: number) => Promise<Float64Array>) | undefined;
  let backend: string | null = null;
  if (settings.gradual && settings.fineTuneEpochs > 0) {
    const { selectBackend, trainMlpTfjs } = await import('@intrinsic/models/tfjs');
    const { nodeBackendLoaders } = await import('./train.js');
    const selection = await selectBackend({ preferred: settings.backend, strict: settings.backend !== undefined, loaders: nodeBackendLoaders });
    backend = selection.backend;
    if (!values.json) process.stderr.write(`backend ${selection.backend}\n`);
    fineTune = async (start, mask, seed) => {
      // trainMlpTfjs has no gradient mask: train on chunks of MASK_EVERY mini-batches (one tfjs "epoch" each, the
      // Adam state carried by resume) and zero the pruned weights after every chunk, so they never drift far.
      let state: Parameters<typeof trainMlpTfjs>[4]['resume'];
      let current = start;
      let calls = 0;
      const chunk = MASK_EVERY * settings.batchSize;
      for (let epoch = 1; epoch <= settings.fineTuneEpochs; epoch++) {
        const shuffled = sampleSubset(train, train.count, 7919 * seed + epoch);
        for (let first = 0; first < train.count; first += chunk) {
          const count = Math.min(chunk, train.count - first);
          const { inputSize: d, outputSize: K } = train;
          const part: Dataset = {
            ...shuffled,
            count,
            inputs: shuffled.inputs.subarray(first * d, (first + count) * d),
            targets: shuffled.targets.subarray(first * K, (first + count) * K),
            labels: shuffled.labels?.subarray(first, first + count),
          };
          calls++;
          const result = await trainMlpTfjs(spec, current, part, loss, {
            optimizer: 'adam',
            learningRate: settings.learningRate,
            epochs: calls,
            batchSize: settings.batchSize,
            seed: seed + calls,
            resume: state,
            checkpointEvery: 1,
            onCheckpoint: (s) => {
              state = s;
            },
          });
          current = Float64Array.from(result.params, (w, q) => (mask[q] ? w : 0));
          if (state) state = { ...state, params: current };
        }
      }
      return current;
    };
  }

  const progress = new Progress();
  const started = performance.now();
  // First, so that a Hessian over the memory budget is refused before any pruning runs.
  let nullity: HessianNullity | undefined;
  if (settings.nullity) {
    progress.update(0, 1, `exact Hessian of p = ${p} on ${train.count} training samples`);
    nullity = curvatureRedundancy(spec, params, train, loss);
    progress.done();
  }
  const points: PrunePoint[] = [];
  const total = settings.methods.length * settings.sparsities.length * settings.seeds;
  const layout = parameterLayout(spec);
  const magnitudeMasks = new Map<string, Uint8Array>();
  const magnitudeMask = (sparsity: number, scope: PruningScope): Uint8Array => {
    const key = `${scope} ${sparsity}`;
    if (!magnitudeMasks.has(key)) magnitudeMasks.set(key, selectPruningMask(layout, magnitudeSaliency(params), { sparsity, scope }));
    return magnitudeMasks.get(key)!;
  };
  // Ctrl-C: no new pruning starts; the finished ones are reported and written, and the command exits 130.
  const stopListening = onInterrupt();
  let stopped = false;
  try {
    prunings: for (let seed = 0; seed < settings.seeds; seed++) {
      const subset = sampleSubset(train, settings.gradients * settings.fisherBatch, seed);
      for (const name of settings.methods) {
        const { method, scope } = PRUNE_METHODS[name];
        const options = {
          method,
          scope: scope ?? settings.scope,
          gradients: settings.gradients,
          ...(settings.fisherBatch > 1 ? { fisherBatch: settings.fisherBatch } : {}),
          damping: settings.damping,
          blockSize: settings.blockSize === 'full' ? p : settings.blockSize,
          blockBoundaries: settings.blockSize === 'full' ? ('none' as const) : ('layers' as const),
          updateScale: settings.updateScale,
          updateRule: settings.joint ? ('joint' as const) : ('superposed' as const),
          recomputeSteps: settings.recomputeSteps,
          kfacDampingSplit: settings.kfacDamping,
          seed,
        };
        for (const sparsity of settings.sparsities) {
          if (interrupted()) {
            stopped = true;
            break prunings;
          }
          progress.update(points.length, total, `${name} at ${sparsity}, seed ${seed}`);
          const pointStart = performance.now();
          let pruned: Float64Array;
          let mask: Uint8Array;
          let details: Record<string, unknown>;
          let steps: PrunePoint['steps'];
          if (settings.gradual) {
            steps = [];
            let current = params;
            let previous: Uint8Array | undefined;
            let last: ReturnType<typeof pruneOneShot> | undefined;
            for (let t = 0; t <= settings.steps; t++) {
              const s = cubicSparsity(t, { initialSparsity: 0, finalSparsity: sparsity, steps: settings.steps });
              const data = sampleSubset(train, settings.gradients * settings.fisherBatch, seed + 1000 * t);
              last = pruneOneShot(spec, current, data, loss, { ...options, sparsity: s, previousMask: previous });
              previous = last.mask;
              current = last.params;
              const afterPruning = splitFigures(spec, current, test ?? train, loss);
              let afterFineTuning: SplitFigures | null = null;
              if (fineTune) {
                current = await fineTune(current, previous, seed + 7 * t);
                afterFineTuning = splitFigures(spec, current, test ?? train, loss);
              }
              steps.push({ step: t, sparsity: s, afterPruning, afterFineTuning });
            }
            pruned = current;
            mask = previous!;
            details = { ...last!.details, schedule: 'cubic', steps: settings.steps, fineTuneEpochs: settings.fineTuneEpochs };
          } else {
            const result = pruneOneShot(spec, params, subset, loss, { ...options, sparsity });
            pruned = result.params;
            mask = result.mask;
            details = { ...result.details };
          }
          const sparsityOfMask = maskSparsity(layout, mask);
          const magnitudeOverlap = settings.gradual ? null : overlapWithMagnitude(mask, magnitudeMask(sparsity, options.scope));
          points.push({
            method: name,
            sparsity,
            seed,
            mask: {
              pruned: sparsityOfMask.prunable.pruned,
              prunable: sparsityOfMask.prunable.size,
              sparsity: sparsityOfMask.prunable.sparsity,
              layers: sparsityOfMask.views.filter((v) => v.kind === 'weight').map((v) => ({ name: v.name, size: v.size, pruned: v.pruned, sparsity: v.sparsity })),
            },
            train: splitFigures(spec, pruned, train, loss),
            test: test ? splitFigures(spec, pruned, test, loss) : null,
            seconds: (performance.now() - pointStart) / 1000,
            details: magnitudeOverlap === null ? details : { ...details, magnitudeOverlap },
            ...(steps ? { steps } : {}),
          });
        }
      }
    }
  } finally {
    stopListening();
  }
  progress.done();
  if (stopped && points.length === 0) throw new InterruptedError('interrupted before the first pruning finished; nothing written');
  if (stopped) process.stderr.write(`intrinsic prune: interrupted after ${points.length} of ${total} prunings; the output covers those\n`);
  let redundancy: { hessian: HessianNullity; tolerated: ToleratedSparsity[]; maxDrop: number; split: string } | null = null;
  if (nullity) {
    const dense = (before.test ?? before.train).top1;
    redundancy = { hessian: nullity, maxDrop: settings.maxDrop, split: before.test ? 'test' : 'train', tolerated: dense === null ? [] : toleratedSparsities(summarizePoints(points), dense, settings.maxDrop) };
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = summarizePoints(points).sort((a, b) => settings.methods.indexOf(a.method) - settings.methods.indexOf(b.method) || a.sparsity - b.sparsity);
  const result = {
    model: target.description,
    network: { widths: spec.widths, activation: spec.activation, bias: spec.bias, params: p },
    loss,
    data: { train: train.description, trainSamples: train.count, test: test?.description ?? null, testSamples: test?.count ?? 0 },
    settings: {
      mode: settings.gradual ? 'gradual' : 'one-shot',
      methods: settings.methods,
      sparsities: settings.sparsities,
      scope: settings.scope,
      gradients: settings.gradients,
      ...(settings.fisherBatch > 1 ? { fisherBatch: settings.fisherBatch } : {}),
      damping: settings.damping,
      blockSize: settings.blockSize ?? null,
      updateScale: settings.updateScale,
      updateRule: settings.joint ? 'joint' : 'superposed',
      recomputeSteps: settings.recomputeSteps,
      kfacDamping: settings.kfacDamping,
      seeds: settings.seeds,
      seedMeaning: 'seed s draws the gradient samples (and the random saliencies) with new Random(s)',
      ...(settings.gradual ? { steps: settings.steps, fineTuneEpochs: settings.fineTuneEpochs, learningRate: settings.learningRate, batchSize: settings.batchSize, backend } : {}),
    },
    before,
    summary: summary.map(withoutTimings),
    points: points.map(withoutTimings),
    ...(redundancy ? { redundancy } : {}),
    ...(stopped ? { interrupted: { completed: points.length, planned: total } } : {}),
  };
  const written: string[] = [];
  if (settings.out) {
    const plotTitle = `${settings.gradual ? 'Gradual' : 'One-shot'} pruning of ${spec.widths.join('-')} (p = ${p}), n = ${settings.gradients}, λ = ${formatDamping(settings.damping)}`;
    written.push(
      ...saveRunFolder(settings.out, {
        'prune.json': result,
        'timings.json': { note: 'wall-clock seconds: not deterministic, unlike prune.json and prune.csv', total: seconds, points: points.map((q) => ({ method: q.method, sparsity: q.sparsity, seed: q.seed, seconds: q.seconds })) },
        ...(settings.sweep ? { 'prune.csv': pointsCsv(points), 'prune.svg': sweepPlot(summary, before.test ?? before.train, plotTitle) } : { 'prune.csv': pointsCsv(points) }),
      }),
    );
    if (!values.json) process.stderr.write(`wrote ${written.join(', ')}\n`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const lines = [
    `network ${spec.widths.join('-')}, ${spec.activation}, ${spec.bias ? 'with' : 'no'} bias, p = ${p}; ${loss}; ${target.description}`,
    `data train N = ${train.count}${test ? `, test N = ${test.count}` : ' (no test split in this run folder: figures on train)'}; ${train.description}`,
    `${settings.gradual ? `gradual (cubic, ${settings.steps} steps, ${settings.fineTuneEpochs} fine-tuning epochs each)` : 'one-shot'}; ${settings.scope} scope; ${settings.gradients} ${settings.fisherBatch > 1 ? `mini-batch gradients of ${settings.fisherBatch} samples` : 'gradients'}, damping ${formatDamping(settings.damping)}${settings.blockSize ? `, block ${settings.blockSize}` : ''}, update ${settings.updateScale}; ${settings.seeds} seed${settings.seeds > 1 ? 's (gradient subsets), mean ± std' : ''}`,
    `before: ${test ? `test loss ${before.test!.loss.toFixed(4)} top-1 ${percent(before.test!.top1)} top-5 ${percent(before.test!.top5)}; ` : ''}train loss ${before.train.loss.toFixed(4)} top-1 ${percent(before.train.top1)}`,
    '',
    formatSummaryTable(summary),
    '',
    'weights pruned per layer (seed 0):',
    formatLayerTable(points),
    '',
    ...(redundancy ? ['', formatRedundancy(redundancy, p)] : []),
    '',
    `${points.length} pruned networks in ${seconds.toFixed(1)} s`,
  ];
  if (settings.sweep && !settings.out) lines.push(`(--out DIR writes ${['prune.csv', 'prune.json', 'prune.svg'].map((f) => join('DIR', f)).join(', ')})`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
