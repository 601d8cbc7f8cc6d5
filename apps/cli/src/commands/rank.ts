import { analyzeHessianRanks, analyzeNetworkHessianRanks, denseHessianMemoryBytes, predictRank, type HessianRankAnalysis, type RankTheoryPrediction } from '@intrinsic/hessian';
import { networkParameterCount, parameterCount, type MlpSpec, type NetworkSpec } from '@intrinsic/models';
import { anyAnalysisTarget, describeNetwork, networkParametersJson, networkSourceFlags } from '../analysis-target.js';
import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, formatTolerancePolicy } from '@intrinsic/spectra';
import { modelFlags, modelSettings, outputFlags, parseFlags, parseTolerance } from '../args.js';
import { Progress } from '../progress.js';
import { dataJson, parametersJson, saveRunFolder } from '../run-folder.js';
import { formatNumber, formatTable } from '../table.js';

export const usage = `intrinsic rank — exact ranks of the loss Hessian H and its parts H_O (outer product) and H_F (functional)

usage: intrinsic rank [--widths 25,5,10,10] [--samples 50] [--loss mse|ce] [--activation linear|relu|leaky-relu|tanh|sigmoid|softplus|gelu]
                      [--bias] [--data gaussian|mixture] [--init glorot-normal|glorot-uniform|he-normal|orthogonal] [--seed 0]
                      [--tolerance numpy|rel:X|abs:X] [--json] [--save-run DIR] [--model RUN] [--spec NETWORK.json]

Defaults: the example of Singh, Bachmann & Hofmann (NeurIPS 2021): d = 25, hidden 5, 10, K = 10, N = 50, MSE, linear, no bias.
Data: Gaussian inputs with Gaussian targets (MSE) or uniform labels (cross-entropy); --data mixture gives a Gaussian mixture.
--model RUN analyses a trained network (a run folder of 'intrinsic train' or 'rank --save-run', or a tfjs model.json)
on its training data; --samples N keeps the first N samples.
--spec NETWORK.json analyses a layered network (conv1d, conv2d, locally-connected1d/2d, avgpool, maxpool, flatten,
dense, activation layers): {"input": [channels, height, width], "layers": [{"type": "conv2d", "filters": 2, "kernel": 3}, …]},
at its seeded initialisation on --data (d = the input size, K = the output size); --model also takes such a run folder
or a tfjs model.json with convolution and pooling layers. Exact ranks come from p R-operator products per matrix.`;

const flags = { ...modelFlags, ...outputFlags, ...networkSourceFlags, tolerance: { type: 'string', default: 'numpy' } } as const;

/** The JSON document of `intrinsic rank --json` (also result.json of a saved run). */
export function rankResultJson(analysis: HessianRankAnalysis, theory: RankTheoryPrediction, settings: Omit<ReturnType<typeof modelSettings>, 'data'> & { data: string }, layered?: NetworkSpec): object {
  const prediction = analysis.prediction;
  const part = (name: 'hessian' | 'outer' | 'functional') => {
    const p = analysis.parts[name];
    return { rank: p.rank, smallestNonzero: nullIfNaN(p.smallestNonzero), largest: p.largest, largestZero: nullIfNaN(p.largestZero), threshold: p.threshold };
  };
  return {
    params: analysis.params,
    rank: analysis.rank,
    predicted: theory.kind === 'exact' && theory.ranks ? theory.ranks : null,
    prediction: prediction.applies
      ? { source: prediction.source, kind: prediction.kind, terms: prediction.terms }
      : { reason: prediction.reason },
    theory: { kind: theory.kind, parts: theory.parts, reason: theory.reason, source: theory.source, ...(theory.reference ? { reference: theory.reference } : {}) },
    tolerance: {
      policy: formatTolerancePolicy(analysis.tolerance),
      hessian: analysis.parts.hessian.threshold,
      outer: analysis.parts.outer.threshold,
      functional: analysis.parts.functional.threshold,
    },
    parts: { hessian: part('hessian'), outer: part('outer'), functional: part('functional') },
    network: layered
      ? { input: layered.input, layers: layered.layers, bias: layered.bias, init: layered.init, seed: layered.seed, ...(layered.leakySlope !== undefined ? { leakySlope: layered.leakySlope } : {}) }
      : { widths: settings.widths, activation: settings.activation, bias: settings.bias, init: settings.init, seed: settings.seed },
    samples: analysis.samples,
    loss: analysis.loss,
    data: settings.data,
    dataRank: analysis.dataRank,
    lossValue: analysis.lossValue,
    splitResidual: analysis.splitResidual,
  };
}

function toleranceRule(policy: HessianRankAnalysis['tolerance']): string {
  if (policy.kind === 'numpy') return 'threshold = σ_max · p · ε (numpy.linalg.matrix_rank)';
  if (policy.kind === 'relative') return `threshold = ${policy.value} · σ_max`;
  return `threshold = ${policy.value}`;
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** Runs `intrinsic rank`. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv, flags, 'rank');
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const settings = modelSettings(values);
  const tolerance = parseTolerance(String(values.tolerance));
  if (values.model === undefined && values.spec === undefined) {
    const p0 = settings.widths.slice(1).reduce((sum, w, i) => sum + w * (settings.widths[i] + (settings.bias ? 1 : 0)), 0);
    const K0 = settings.widths[settings.widths.length - 1];
    // The memory check comes before any large allocation (parameters, data, Jacobians, matrices).
    assertMemoryBudget(
      denseHessianMemoryBytes(p0, settings.samples, K0) / 8 + settings.samples * (settings.widths[0] + K0),
      `intrinsic rank: the dense Hessian of p = ${p0} parameters on N = ${settings.samples} samples`,
      DEFAULT_MEMORY_BUDGET_BYTES,
      'use intrinsic spectrum (Lanczos on Hessian-vector products) for a model this size',
    );
  }
  const target = await anyAnalysisTarget(values, settings, argv);
  const { spec, params, data, loss } = target;
  const layered = target.kind === 'network' ? target.spec : undefined;
  const mlp = target.kind === 'mlp' ? target.spec : undefined;
  const p = layered ? networkParameterCount(layered) : parameterCount(mlp as MlpSpec);
  assertMemoryBudget(
    layered ? 3 * p * p : denseHessianMemoryBytes(p, data.count, data.outputSize) / 8,
    `intrinsic rank: the dense Hessian of p = ${p} parameters on N = ${data.count} samples`,
    DEFAULT_MEMORY_BUDGET_BYTES,
    'use intrinsic spectrum (Lanczos on Hessian-vector products) for a model this size',
  );
  // With --model the data are the run's own (its data.json or recorded settings), not the --data flag.
  const dataShown = values.model === undefined ? settings.data : data.description;
  const shown = layered
    ? { ...settings, data: dataShown, bias: layered.bias, init: layered.init, seed: layered.seed, samples: data.count, loss }
    : { ...settings, data: dataShown, widths: mlp!.widths, activation: mlp!.activation, bias: mlp!.bias, init: mlp!.init, seed: mlp!.seed, samples: data.count, loss };
  const progress = new Progress();
  const started = performance.now();
  const onProgress = (done: number, total: number, stage: string) => progress.update(done, total, stage);
  const analysis =
    target.kind === 'network'
      ? analyzeNetworkHessianRanks(target.spec, params, data, loss, { tolerance, onProgress })
      : analyzeHessianRanks(mlp as MlpSpec, params, data, loss, { tolerance, onProgress });
  progress.done();
  // Wall-clock time goes to the human report only: --json and result.json stay byte-identical across runs (#10).
  const seconds = (performance.now() - started) / 1000;
  const theory = predictRank(spec, data, loss);
  const result = rankResultJson(analysis, theory, shown, layered);
  if (values['save-run']) {
    const folder = String(values['save-run']);
    saveRunFolder(folder, {
      'spec.json': { model: spec, loss, data: { kind: values.model === undefined ? settings.data : data.description, samples: data.count, seed: settings.seed }, command: ['intrinsic', 'rank', ...argv] },
      'params.json': layered ? networkParametersJson(layered, params) : parametersJson(mlp as MlpSpec, params),
      'data.json': dataJson(data),
      'result.json': result,
      'eigenvalues.json': {
        order: 'ascending',
        hessian: Array.from(analysis.parts.hessian.eigenvalues),
        outer: Array.from(analysis.parts.outer.eigenvalues),
        functional: Array.from(analysis.parts.functional.eigenvalues),
      },
    });
    if (!values.json) process.stderr.write(`saved run folder ${folder}\n`);
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  process.stdout.write(`${formatRankReport(analysis, theory, shown, seconds, layered)}\n`);
  return 0;
}

/** The human-readable table of `intrinsic rank`. */
export function formatRankReport(analysis: HessianRankAnalysis, theory: RankTheoryPrediction, settings: Omit<ReturnType<typeof modelSettings>, 'data'> & { data: string }, seconds: number, layered?: NetworkSpec): string {
  const prediction = analysis.prediction;
  const claim = (name: 'hessian' | 'outer' | 'functional') => {
    const part = theory.parts[name];
    if (part.kind === 'exact') return String(part.value);
    if (part.kind === 'upper-bound') return `≤ ${part.value}`;
    return '–';
  };
  const rows = (['hessian', 'outer', 'functional'] as const).map((name) => {
    const part = analysis.parts[name];
    const label = { hessian: 'H', outer: 'H_O (outer)', functional: 'H_F (functional)' }[name];
    return [
      label,
      String(part.rank),
      claim(name),
      formatNumber(part.rank / analysis.params),
      formatNumber(part.smallestNonzero),
      formatNumber(part.largest),
      part.threshold.toExponential(2),
    ];
  });
  const lines = [
    layered
      ? `network ${describeNetwork(layered)}, ${layered.bias ? 'with' : 'no'} bias, ${layered.init}, seed ${layered.seed}`
      : `network ${settings.widths.join('-')}, ${settings.activation}, ${settings.bias ? 'with' : 'no'} bias, ${settings.init}, seed ${settings.seed}`,
    `data ${settings.data}, N = ${analysis.samples}, rank(X) = ${analysis.dataRank}; loss ${analysis.loss} = ${formatNumber(analysis.lossValue)}`,
    `parameters p = ${analysis.params}`,
    '',
    formatTable(['matrix', 'rank', 'predicted', 'rank/p', 'smallest |λ| > tol', 'largest |λ|', 'tolerance'], rows),
    '',
    `tolerance policy ${formatTolerancePolicy(analysis.tolerance)}: ${toleranceRule(analysis.tolerance)}; |λ| ≤ threshold counts as zero (last column)`,
    prediction.applies
      ? `prediction: ${prediction.source}; q = ${prediction.terms.q}, s = ${prediction.terms.s}, r = ${prediction.terms.r}, M = ${prediction.terms.M}, L = ${prediction.terms.L}`
      : `prediction (${theory.kind}): ${theory.reason}; ${theory.source}`,
    ...(theory.reference ? [`reference (linear network of the same widths): H ${theory.reference.ranks.hessian}, H_O ${theory.reference.ranks.outer}, H_F ${theory.reference.ranks.functional}`] : []),
    `check: ‖H − H_O − H_F‖/‖H‖ = ${analysis.splitResidual.toExponential(1)}; ${seconds.toFixed(2)} s`,
  ];
  return lines.join('\n');
}
