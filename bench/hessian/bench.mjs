// Benchmark (not a test): exact dense Hessian of an MLP loss by this project's structured assembly,
// written for torch_hessian.py to time torch.autograd.functional.hessian on the same weights and data
// and to check that the two Hessians agree. Run through run.sh.
//
// Usage: node bench.mjs DIR [--repeats R] [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { denseHessian, hessianDecomposition } from '../../packages/hessian/dist/index.js';
import { initializeParameters, mlpSpec, syntheticDataset } from '../../packages/models/dist/index.js';
import { Random } from '../../packages/spectra/dist/index.js';

const directory = process.argv[2];
if (!directory) throw new Error('usage: node bench.mjs DIR [--repeats R] [--quick]');
const repeatsIndex = process.argv.indexOf('--repeats');
const repeats = repeatsIndex > 0 ? Number(process.argv[repeatsIndex + 1]) : 5;
const quick = process.argv.includes('--quick');
mkdirSync(directory, { recursive: true });

/** 100 MNIST-sized inputs: pixel intensities uniform in [0, 1), one-hot labels uniform over 10 classes. */
function mnistSizedData(count, seed) {
  const rng = new Random(seed);
  const inputs = new Float64Array(count * 784);
  const targets = new Float64Array(count * 10);
  for (let t = 0; t < inputs.length; t++) inputs[t] = rng.uniform();
  for (let i = 0; i < count; i++) targets[i * 10 + rng.integer(10)] = 1;
  return { inputs, targets, count, inputSize: 784, outputSize: 10 };
}

const cases = [
  {
    name: 'tanh 20-50-5, MSE, N=100',
    spec: mlpSpec({ widths: [20, 50, 5], activation: 'tanh', bias: false, init: 'glorot-normal', seed: 0 }),
    data: syntheticDataset({ kind: 'gaussian', count: 100, inputSize: 20, outputSize: 5, seed: 1 }),
    loss: 'mse',
    decomposition: true,
    warmups: 3,
  },
];
if (!quick) {
  cases.push({
    name: 'tanh 784-16-10, cross-entropy, N=100',
    spec: mlpSpec({ widths: [784, 16, 10], activation: 'tanh', bias: false, init: 'glorot-normal', seed: 0 }),
    data: mnistSizedData(100, 2),
    loss: 'cross-entropy',
    decomposition: true,
    warmups: 1,
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; single-threaded assembly, warm-up runs then the median of ${repeats}`);
const names = [];
for (const [index, c] of cases.entries()) {
  const file = `case${index}`;
  names.push(file);
  const params = initializeParameters(c.spec);
  const p = params.length;
  writeFileSync(
    join(directory, `${file}.case.json`),
    JSON.stringify({
      name: c.name,
      widths: c.spec.widths,
      activation: c.spec.activation,
      bias: c.spec.bias,
      loss: c.loss,
      count: c.data.count,
      p,
      params: Array.from(params),
      inputs: Array.from(c.data.inputs),
      targets: Array.from(c.data.targets),
      warmups: c.warmups,
    }),
  );
  let H = null;
  for (let w = 0; w < c.warmups; w++) H = denseHessian(c.spec, params, c.data, c.loss); // warm-up (JIT tiers), not timed
  const hTimes = [];
  const hCpu = [];
  for (let r = 0; r < repeats; r++) {
    H = null;
    const cpu = process.cpuUsage();
    const start = performance.now();
    H = denseHessian(c.spec, params, c.data, c.loss);
    hTimes.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu);
    hCpu.push((used.user + used.system) / 1e6);
  }
  writeFileSync(join(directory, `${file}.H.f64`), new Uint8Array(H.buffer, H.byteOffset, H.byteLength));
  H = null;
  let decompositionSeconds = null;
  let splitResidual = null;
  let lossValue = null;
  if (c.decomposition) {
    const times = [];
    for (let w = 0; w < c.warmups; w++) hessianDecomposition(c.spec, params, c.data, c.loss); // warm-up
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      const result = hessianDecomposition(c.spec, params, c.data, c.loss);
      times.push((performance.now() - start) / 1000);
      splitResidual = result.splitResidual;
      lossValue = result.lossValue;
    }
    decompositionSeconds = median(times);
  }
  if (lossValue === null) {
    const { MlpEvaluation } = await import('../../packages/models/dist/index.js');
    lossValue = new MlpEvaluation(c.spec, params, c.data, c.loss).value;
  }
  const times = { name: c.name, p, hessianSeconds: median(hTimes), hessianRuns: hTimes, hessianCpuSeconds: median(hCpu), decompositionSeconds, splitResidual, lossValue };
  writeFileSync(join(directory, `${file}.times.json`), JSON.stringify(times, null, 2));
  console.log(
    `${c.name}: p = ${p}, H ${times.hessianSeconds.toFixed(3)} s (median of ${repeats}: ${hTimes.map((t) => t.toFixed(3)).join(' ')})` +
      (decompositionSeconds === null ? '' : `, H + H_O + H_F ${decompositionSeconds.toFixed(3)} s, split residual ${splitResidual.toExponential(2)}`),
  );
}
writeFileSync(join(directory, 'cases.json'), JSON.stringify(names));
console.log(`load average after the TypeScript runs: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
