import { curvatureOperator, denseCurvature, networkCurvatureMatrix, networkCurvatureOperator } from '@intrinsic/hessian';
import { MlpEvaluation, NetworkEvaluation, networkParameterCount, parameterCount, type Dataset, type HessianPart, type Loss, type MlpSpec, type NetworkSpec } from '@intrinsic/models';
import {
  assertMemoryBudget,
  DEFAULT_MEMORY_BUDGET_BYTES,
  hutchppTrace,
  lanczosEigenpairs,
  powerIterationEigenpairs,
  slqSpectralDensity,
  symmetricEigenvalues,
  type LinearOperator,
  type SlqResult,
} from '@intrinsic/spectra';
import { anyAnalysisTarget, describeNetwork, networkParametersJson, networkSourceFlags } from '../analysis-target.js';
import { modelFlags, modelSettings, outputFlags, parseFlags, parseInteger, type ModelSettings } from '../args.js';
import { UsageError } from '../cli-error.js';
import { renderSvgPlot } from '../plot/svg-plot.js';
import { Progress } from '../progress.js';
import { dataJson, parametersJson, saveRunFolder, writeFileAtomic } from '../run-folder.js';
import { formatNumber, formatTable } from '../table.js';

export const usage = `intrinsic spectrum — top/bottom eigenvalues, trace and spectral density of a curvature matrix, matrix-free

usage: intrinsic spectrum [model and data flags as in 'intrinsic rank' | --model RUN] [--operator hessian|ggn|functional|fisher]
                          [--engine float64|tfjs] [--backend node|wasm|cpu]
                          [--top K] [--bottom K] [--trace] [--density] [--log] [--layers SPEC]
                          [--method lanczos|power|dense] [--tolerance 1e-8] [--matvecs 100] [--probes 4] [--steps 60]
                          [--batch-size B] [--time-limit SECONDS] [--json] [--save-run DIR] [--plot FILE.svg] [--spec NETWORK.json]

Products are exact float64 Hessian-vector products (R-operator) summed over the whole data set; --engine tfjs uses
float32 products on TensorFlow.js (hessian and ggn; backend tfjs-node, else wasm, else cpu) for large trained models.
--model RUN analyses a trained network (a run folder of 'intrinsic train' or 'rank --save-run', or a tfjs model.json)
on its training data (--samples N keeps the first N).
--spec NETWORK.json analyses a layered network (conv, locally connected, pooling, flatten, dense, activation layers;
see 'intrinsic rank --help'); --model also takes such a run folder or a tfjs model.json with conv layers. Its products
are exact R-operator products (float64) or, with --engine tfjs, double back-propagation on TensorFlow.js (float32).
--layers selects a parameter subset: a layer (2), a pair (1,2), a range (1-3), an array (W1, b2), weights, biases.
--top K (default 10) by Lanczos with full re-orthogonalisation and thick restarts (or power iteration, or dense);
--trace by Hutch++ with --matvecs products and its standard error; --density by stochastic Lanczos quadrature
(--probes random starts, --steps nodes each, Gaussian smoothing), on the log10|λ| axis with --log.
--time-limit SECONDS bounds the iterative stages together: a stage that reaches it stops with what it has (Ritz pairs with
their residuals, the trace from the samples so far, the density from the probes finished), marked "timedOut": true in
the JSON and "(time limit)" in the table; later stages are skipped.
Numerical rank from iterative methods is out of scope: use 'intrinsic rank' (dense) where p allows.`;

const flags = {
  ...modelFlags,
  ...outputFlags,
  ...networkSourceFlags,
  engine: { type: 'string', default: 'float64' },
  backend: { type: 'string' },
  operator: { type: 'string', default: 'hessian' },
  top: { type: 'string', default: '10' },
  bottom: { type: 'string', default: '0' },
  trace: { type: 'boolean', default: false },
  density: { type: 'boolean', default: false },
  log: { type: 'boolean', default: false },
  layers: { type: 'string' },
  method: { type: 'string', default: 'lanczos' },
  tolerance: { type: 'string', default: '1e-8' },
  matvecs: { type: 'string', default: '100' },
  probes: { type: 'string', default: '4' },
  steps: { type: 'string', default: '60' },
  'batch-size': { type: 'string' },
  plot: { type: 'string' },
  'time-limit': { type: 'string' },
} as const;

const OPERATORS: Record<string, HessianPart> = { hessian: 'full', ggn: 'outer', functional: 'functional', fisher: 'fisher' };

/** Largest p for `--method dense` (p² doubles). */
const DENSE_LIMIT = 6000;

function parsePositiveNumber(text: string, name: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`--${name}: '${text}' is not a positive number`);
  return value;
}

interface EigenReport {
  which: 'largest' | 'smallest';
  method: string;
  values: number[];
  residualNorms: number[];
  converged: boolean[];
  matvecs: number;
  /** Present and true when --time-limit ended the stage: a partial result. */
  timedOut?: boolean;
}

/** Runs `intrinsic spectrum`. Returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const values = parseFlags(argv, flags, 'spectrum');
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const settings: ModelSettings = modelSettings(values);
  const part = OPERATORS[String(values.operator)];
  if (!part) throw new UsageError(`--operator: unknown value '${values.operator}'; choose one of ${Object.keys(OPERATORS).join(', ')}`);
  const method = String(values.method);
  if (!['lanczos', 'power', 'dense'].includes(method)) throw new UsageError(`--method: unknown value '${method}'; choose one of lanczos, power, dense`);
  const top = parseInteger(String(values.top), 'top', 0, 1e6);
  const bottom = parseInteger(String(values.bottom), 'bottom', 0, 1e6);
  const tolerance = parsePositiveNumber(String(values.tolerance), 'tolerance');
  const traceMatvecs = parseInteger(String(values.matvecs), 'matvecs', 3, 1e6);
  const probes = parseInteger(String(values.probes), 'probes', 1, 1e4);
  const steps = parseInteger(String(values.steps), 'steps', 2, 1e4);
  const batchSize = values['batch-size'] === undefined ? undefined : parseInteger(String(values['batch-size']), 'batch-size', 1, 1e9);
  const wantDensity = Boolean(values.density) || values.plot !== undefined;
  const timeLimitSeconds = values['time-limit'] === undefined ? undefined : parsePositiveNumber(String(values['time-limit']), 'time-limit');

  const engine = String(values.engine);
  if (engine !== 'float64' && engine !== 'tfjs') throw new UsageError(`--engine: unknown value '${engine}'; choose float64 or tfjs`);
  if (engine === 'tfjs' && (part === 'functional' || part === 'fisher')) throw new UsageError(`--engine tfjs supports --operator hessian and ggn; use --engine float64 for ${values.operator}`);
  if (engine === 'tfjs' && values.layers !== undefined) throw new UsageError('--layers needs --engine float64');
  if (values.model === undefined && values.spec === undefined) {
    const p0 = settings.widths.slice(1).reduce((sum, w, i) => sum + w * (settings.widths[i] + (settings.bias ? 1 : 0)), 0);
    const activations = settings.samples * settings.widths.reduce((a, b) => a + b, 0);
    // Parameters, data, cached activations (×6) and the Lanczos basis, checked before allocating.
    assertMemoryBudget(
      4 * p0 + settings.samples * (settings.widths[0] + settings.widths[settings.widths.length - 1]) + 6 * activations + (Math.max(2 * Math.max(top, bottom) + 1, 20) + 4) * p0,
      `intrinsic spectrum: p = ${p0} parameters on N = ${settings.samples} samples`,
      DEFAULT_MEMORY_BUDGET_BYTES,
      'use fewer samples (--samples) or --batch-size',
    );
  }
  const target = await anyAnalysisTarget(values, settings, argv);
  const { params, data, loss } = target;
  const layered = target.kind === 'network' ? target.spec : undefined;
  const mlp = target.kind === 'mlp' ? target.spec : undefined;
  if (layered && values.layers !== undefined) throw new UsageError('--layers applies to MLPs only; a layered network (--spec, or a --model with conv layers) is analysed on all its parameters');
  const p = layered ? networkParameterCount(layered) : parameterCount(mlp as MlpSpec);
  const progress = new Progress();
  const started = performance.now();
  let stage = 'products';
  let products = 0;
  let backend = 'float64 (exact)';
  let operator: LinearOperator;
  let release = () => {};
  const evaluation = layered ? new NetworkEvaluation(layered, params, data, loss) : new MlpEvaluation(mlp as MlpSpec, params, data, loss);
  const countProducts = (op: LinearOperator) =>
    countingOperator(op, () => {
      products++;
      progress.update(products, 0, `${stage}, products`);
    });
  if (engine === 'tfjs') {
    const { selectBackend, tfjsHessianOperator, tfjsGgnOperator, tfjsNetworkHessianOperator, tfjsNetworkGgnOperator } = await import('@intrinsic/models/tfjs');
    const { nodeBackendLoaders } = await import('./train.js');
    const preferred = values.backend === undefined ? undefined : String(values.backend);
    if (preferred !== undefined && !['node', 'wasm', 'cpu'].includes(preferred)) throw new UsageError(`--backend: unknown value '${preferred}'; choose node, wasm or cpu`);
    const selection = await selectBackend({ preferred: preferred as 'wasm' | undefined, strict: preferred !== undefined, loaders: nodeBackendLoaders });
    backend = `tfjs ${selection.backend} (float32)`;
    if (!values.json) process.stderr.write(`backend ${selection.backend}\n`);
    const tfjsOperator = layered
      ? (part === 'full' ? tfjsNetworkHessianOperator : tfjsNetworkGgnOperator)(layered, params, data, loss, { batchSize })
      : (part === 'full' ? tfjsHessianOperator : tfjsGgnOperator)(mlp as MlpSpec, params, data, loss, { batchSize });
    release = () => tfjsOperator.dispose();
    operator = countProducts(tfjsOperator);
  } else if (layered) {
    operator = countProducts(networkCurvatureOperator(evaluation as NetworkEvaluation, part));
  } else {
    operator = curvatureOperator(mlp as MlpSpec, params, data, loss, part, {
      batchSize,
      parameters: values.layers === undefined ? undefined : String(values.layers),
      onProduct: (count) => {
        products = count;
        progress.update(count, 0, `${stage}, products`);
      },
    });
  }
  const n = operator.size;
  if (top > n || bottom > n) throw new UsageError(`--top/--bottom: ${Math.max(top, bottom)} eigenvalues asked of an operator of size ${n}`);

  // One budget for all iterative stages; each gets what is left (at least 1 ms, so a spent budget stops it at once).
  const deadline = timeLimitSeconds === undefined ? undefined : performance.now() + 1000 * timeLimitSeconds;
  const remaining = (): { timeLimitMs?: number } => (deadline === undefined ? {} : { timeLimitMs: Math.max(1, deadline - performance.now()) });
  let timedOut = false;
  const eigen: EigenReport[] = [];
  let trace: { estimate: number; standardError: number; matvecs: number; method: string; timedOut?: boolean } | null = null;
  let density: SlqResult | null = null;
  let exact: Float64Array | null = null;

  if (method === 'dense') {
    if (n > DENSE_LIMIT) throw new UsageError(`--method dense: the operator has size ${n}, above the dense limit ${DENSE_LIMIT}; use --method lanczos`);
    assertMemoryBudget(2 * n * n, `--method dense: a ${n} × ${n} matrix`, DEFAULT_MEMORY_BUDGET_BYTES);
    stage = 'dense matrix';
    const matrix =
      layered && engine === 'float64'
        ? networkCurvatureMatrix(evaluation as NetworkEvaluation, part)
        : denseOf(operator, n, mlp as MlpSpec, params, data, loss, part, !layered && values.layers === undefined && engine === 'float64');
    exact = symmetricEigenvalues(matrix, n);
    const ascending = Array.from(exact);
    if (top > 0) eigen.push({ which: 'largest', method: 'dense', values: ascending.slice(-top).reverse(), residualNorms: [], converged: [], matvecs: 0 });
    if (bottom > 0) eigen.push({ which: 'smallest', method: 'dense', values: ascending.slice(0, bottom), residualNorms: [], converged: [], matvecs: 0 });
    let sum = 0;
    for (let i = 0; i < n; i++) sum += matrix[i * n + i];
    if (values.trace) trace = { estimate: sum, standardError: 0, matvecs: 0, method: 'exact (dense diagonal)' };
  } else {
    for (const [which, k] of [['largest', top], ['smallest', bottom]] as const) {
      if (k === 0 || timedOut) continue;
      stage = `${which} ${k} by ${method}`;
      const before = products;
      if (method === 'lanczos') {
        const result = lanczosEigenpairs(operator, { k, which, tolerance, seed: settings.seed, ...remaining() });
        timedOut ||= result.timedOut;
        eigen.push({ which, method: 'lanczos', values: Array.from(result.values), residualNorms: Array.from(result.residualNorms), converged: result.converged, matvecs: products - before, ...(result.timedOut ? { timedOut: true } : {}) });
      } else {
        if (which === 'smallest') throw new UsageError('--method power finds the largest-magnitude eigenvalues only; use --method lanczos for --bottom');
        const result = powerIterationEigenpairs(operator, { k, tolerance, seed: settings.seed, ...remaining() });
        timedOut ||= result.timedOut;
        eigen.push({ which, method: 'power', values: Array.from(result.values), residualNorms: Array.from(result.residualNorms ?? []), converged: Array.from(result.converged ?? []), matvecs: products - before, ...(result.timedOut ? { timedOut: true } : {}) });
      }
    }
    if (values.trace && !timedOut) {
      stage = 'trace by Hutch++';
      const result = hutchppTrace(operator, { matvecs: traceMatvecs, seed: settings.seed, ...remaining() });
      timedOut ||= result.timedOut === true;
      trace = { estimate: result.estimate, standardError: result.standardError, matvecs: result.matvecs, method: 'Hutch++', ...(result.timedOut ? { timedOut: true } : {}) };
    }
  }
  if (wantDensity && !timedOut) {
    stage = 'density by SLQ';
    density = slqSpectralDensity(operator, { probes, steps: Math.min(steps, n), seed: settings.seed, scale: values.log ? 'log' : 'linear', ...remaining() });
    timedOut ||= density.timedOut;
  }
  release();
  progress.done();
  // Wall-clock time goes to the human report only: --json and result.json stay byte-identical across runs (#10).
  const seconds = (performance.now() - started) / 1000;
  const result = {
    params: p,
    model: target.description,
    engine: backend,
    operator: String(values.operator),
    size: n,
    layers: values.layers ?? 'all',
    samples: data.count,
    loss,
    lossValue: evaluation.value,
    network: layered
      ? { input: layered.input, layers: layered.layers, bias: layered.bias, init: layered.init, seed: layered.seed, ...(layered.leakySlope !== undefined ? { leakySlope: layered.leakySlope } : {}) }
      : { widths: mlp!.widths, activation: mlp!.activation, bias: mlp!.bias, init: mlp!.init, seed: mlp!.seed },
    data: data.description,
    eigenvalues: eigen,
    trace,
    density: density
      ? { scale: density.scale, width: density.width, probes: density.probes, steps: Math.min(steps, n), massBelowFloor: density.massBelowFloor, grid: Array.from(density.grid), density: Array.from(density.density), ...(density.timedOut ? { timedOut: true } : {}) }
      : null,
    products,
    ...(timeLimitSeconds !== undefined ? { timeLimitSeconds, timedOut } : {}),
  };
  if (values.plot) {
    const file = String(values.plot);
    const largest = eigen.find((e) => e.which === 'largest')?.values ?? [];
    writeFileAtomic(file, densityPlot(density as SlqResult, largest, String(values.operator), Boolean(values.log)));
    if (!values.json) process.stderr.write(`wrote ${file}\n`);
  }
  if (values['save-run']) {
    saveRunFolder(String(values['save-run']), {
      'spec.json': { model: layered ?? mlp, loss, data: { description: data.description, samples: data.count }, source: target.description, command: ['intrinsic', 'spectrum', ...argv] },
      'params.json': layered ? networkParametersJson(layered, params) : parametersJson(mlp as MlpSpec, params),
      'data.json': dataJson(data),
      'result.json': result,
    });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const header = layered
    ? `network ${describeNetwork(layered)}, ${layered.bias ? 'with' : 'no'} bias`
    : `network ${mlp!.widths.join('-')}, ${mlp!.activation}, ${mlp!.bias ? 'with' : 'no'} bias`;
  process.stdout.write(`${formatReport({ ...result, header, seconds }, eigen, trace, density, exact)}\n`);
  if (timedOut) {
    const partial = [...eigen.filter((e) => e.timedOut).map((e) => `${e.which} eigenvalues`), ...(trace?.timedOut ? ['trace'] : []), ...(density?.timedOut ? ['density'] : [])];
    process.stdout.write(`(time limit) --time-limit ${timeLimitSeconds} s reached: partial ${partial.join(', ') || 'results'}; later stages skipped — check the residuals and the converged flags\n`);
  }
  return 0;
}

/** Wraps an operator to count its products. */
function countingOperator(op: LinearOperator, onProduct: () => void): LinearOperator {
  return {
    size: op.size,
    symmetric: op.symmetric,
    apply(x, out) {
      const y = op.apply(x, out);
      onProduct();
      return y;
    },
    applyBlock(X, count, out) {
      const Y = op.applyBlock(X, count, out);
      for (let j = 0; j < count; j++) onProduct();
      return Y;
    },
  };
}

function denseOf(
  operator: LinearOperator,
  n: number,
  spec: MlpSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  part: HessianPart,
  whole: boolean,
): Float64Array {
  if (whole && part !== 'fisher') return denseCurvature(new MlpEvaluation(spec, params, data, loss), part);
  const matrix = new Float64Array(n * n);
  const e = new Float64Array(n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    operator.apply(e, column);
    e[j] = 0;
    for (let i = 0; i < n; i++) matrix[i * n + j] = column[i];
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const m = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
    matrix[i * n + j] = m;
    matrix[j * n + i] = m;
  }
  return matrix;
}

function densityPlot(density: SlqResult, largest: number[], operator: string, log: boolean): string {
  const markers = largest.map((value, i) => ({ x: log ? Math.log10(Math.abs(value)) : value, label: `λ${i + 1} = ${value.toPrecision(4)}` }));
  return renderSvgPlot({
    title: `Spectral density of the ${operator} (SLQ)`,
    xLabel: log ? 'log10 |λ|' : 'λ',
    yLabel: log ? 'density per decade' : 'density',
    series: [{ label: `SLQ, σ = ${density.width.toPrecision(2)}`, x: density.grid, y: density.density }],
    markers: markers.length ? markers.map((m, i) => ({ ...m, label: i === 0 ? `top ${markers.length} eigenvalues` : m.label })) : undefined,
    logY: false,
  });
}

function formatReport(
  result: { header: string; params: number; model: string; engine: string; size: number; operator: string; layers: string | unknown; samples: number; lossValue: number; products: number; seconds: number },
  eigen: EigenReport[],
  trace: { estimate: number; standardError: number; matvecs: number; method: string } | null,
  density: SlqResult | null,
  exact: Float64Array | null,
): string {
  const lines = [
    `${result.header}; N = ${result.samples}; loss ${formatNumber(result.lossValue)}`,
    `model: ${result.model}; engine ${result.engine}`,
    `operator ${result.operator} on ${result.layers === 'all' ? 'all' : `parameters '${String(result.layers)}':`} ${result.size} of p = ${result.params} parameters`,
  ];
  for (const e of eigen) {
    lines.push('', `${e.which} eigenvalues (${e.method}${e.matvecs ? `, ${e.matvecs} products` : ''})`);
    lines.push(
      formatTable(
        ['#', 'λ', 'residual ‖Av − λv‖', 'converged'],
        e.values.map((v, i) => [String(i + 1), formatNumber(v), e.residualNorms.length ? e.residualNorms[i].toExponential(1) : 'exact', e.converged.length ? (e.converged[i] ? 'yes' : 'no') : '–']),
      ),
    );
  }
  if (trace) lines.push('', `trace ${formatNumber(trace.estimate)} ± ${formatNumber(trace.standardError)} (${trace.method}${trace.matvecs ? `, ${trace.matvecs} products` : ''})`);
  if (density) {
    let peak = 0;
    for (let i = 1; i < density.density.length; i++) if (density.density[i] > density.density[peak]) peak = i;
    lines.push(
      '',
      `density (SLQ, ${density.scale} scale, σ = ${density.width.toPrecision(3)}): ${density.grid.length} grid points over [${formatNumber(density.grid[0])}, ${formatNumber(density.grid[density.grid.length - 1])}], peak at ${formatNumber(density.grid[peak])}` +
        (density.scale === 'log' ? `, mass below the floor ${formatNumber(density.massBelowFloor)}` : ''),
    );
  }
  if (exact) lines.push('', `all ${exact.length} eigenvalues computed densely`);
  lines.push('', `${result.products} products, ${result.seconds.toFixed(2)} s`);
  return lines.join('\n');
}
