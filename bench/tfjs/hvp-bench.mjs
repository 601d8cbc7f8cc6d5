// Benchmark (not a test): the float32 Hessian-vector product of the MLP 784-40-20-10 (ReLU, no bias,
// cross-entropy) on 1,000 MNIST digits, on TensorFlow.js (tfjsHessianOperator, double back-propagation)
// against PyTorch's torch.autograd.functional.hvp on the same weights, data and vector, in the same run.
// Also checks that the two products agree. Run through run.sh (builds nothing; needs packages/models/dist).
//
// Usage: node hvp-bench.mjs [--rounds 5] [--repeats 20] [--backends wasm,cpu]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initializeParameters, loadMnist, mlpSpec } from '../../packages/models/dist/index.js';
import { loadMlpModel, selectBackend, tfjsHessianOperator } from '../../packages/models/dist/tfjs/index.js';
import { lanczosEigenpairs, Random } from '../../packages/spectra/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const modelsRequire = createRequire(join(here, '../../packages/models/package.json'));
const repeatsAt = process.argv.indexOf('--repeats');
const repeats = repeatsAt > 0 ? Number(process.argv[repeatsAt + 1]) : 20;
const backendsAt = process.argv.indexOf('--backends');
const backends = backendsAt > 0 ? process.argv[backendsAt + 1].split(',') : ['wasm', 'cpu'];
const methodsAt = process.argv.indexOf('--methods');
const methods = methodsAt > 0 ? process.argv[methodsAt + 1].split(',') : ['r-operator', 'double-backprop'];
const variants = backends.flatMap((backend) => methods.map((method) => ({ backend, method, key: `${backend} ${method}` })));
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 5;

const loaders = {
  wasm: async () => {
    const wasm = await import(modelsRequire.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(`${dirname(modelsRequire.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  },
  cpu: async () => {
    await import(modelsRequire.resolve('@tensorflow/tfjs-backend-cpu'));
  },
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
}

const modelAt = process.argv.indexOf('--model');
let spec = mlpSpec({ widths: [784, 40, 20, 10], activation: 'relu', bias: false, init: 'he-normal', seed: 0 });
let params = initializeParameters(spec);
let origin = 'he-normal initialisation, seed 0';
if (modelAt > 0) {
  await loaders.cpu();
  await selectBackend({ preferred: 'cpu', strict: true, loaders });
  ({ spec, params } = await loadMlpModel(process.argv[modelAt + 1]));
  origin = `trained weights from ${process.argv[modelAt + 1]}`;
}
const { train: data } = await loadMnist({ trainSamples: 1000, seed: 0 });
const v = new Random(1).fillGaussian(new Float64Array(params.length));

// Hand the same float32 weights, data and vector to PyTorch.
const folder = mkdtempSync(join(tmpdir(), 'intrinsic-hvp-bench-'));
const f32 = (array) => Buffer.from(Float32Array.from(array).buffer);
writeFileSync(join(folder, 'params.bin'), f32(params));
writeFileSync(join(folder, 'inputs.bin'), f32(data.inputs));
writeFileSync(join(folder, 'targets.bin'), f32(data.targets));
writeFileSync(join(folder, 'v.bin'), f32(v));
writeFileSync(join(folder, 'meta.json'), JSON.stringify({ widths: spec.widths, count: data.count, repeats }));

console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); MLP ${spec.widths.join('-')} ${spec.activation}, ${spec.bias ? 'bias' : 'no bias'}, p = ${params.length} (${origin}); cross-entropy; N = ${data.count} MNIST digits (first 1,000 of the seeded order, seed 0)`);
console.log(`${rounds} rounds alternating tfjs and torch (the machine may be shared); each round: 3 warm-up products, then the median of ${repeats}`);
const python = process.env.PYTHON ?? '/usr/bin/python3';
const operators = {};
for (const { backend, method, key } of variants) {
  await selectBackend({ preferred: backend, strict: true, loaders });
  operators[key] = tfjsHessianOperator(spec, params, data, 'cross-entropy', { batchSize: 1000, method });
}
const rows = [];
let torchHv;
let torchInfo;
for (let round = 0; round < rounds; round++) {
  const row = {};
  for (const { backend, key } of variants) {
    await selectBackend({ preferred: backend, strict: true, loaders });
    const H = operators[key];
    const out = new Float64Array(params.length);
    for (let i = 0; i < 3; i++) H.apply(v, out);
    const times = [];
    for (let i = 0; i < repeats; i++) {
      const t = performance.now();
      H.apply(v, out);
      times.push(performance.now() - t);
    }
    row[key] = median(times);
    row[`${key} min`] = Math.min(...times);
    row[`${key} Hv`] = out;
  }
  const torch = JSON.parse(execFileSync(python, [join(here, 'torch_hvp.py'), folder], { encoding: 'utf8' }).trim().split('\n').pop());
  torchInfo = torch;
  row.torch = torch.hvpMs;
  row.torchMin = torch.hvpMinMs;
  row.torchDouble = torch.doubleBackwardMs;
  torchHv = new Float32Array(readFileSync(join(folder, 'torch_hv.bin')).buffer.slice(0));
  rows.push(row);
  console.log(`round ${round + 1}: ${variants.map(({ key }) => `tfjs ${key} ${row[key].toFixed(1)} ms`).join(', ')}; torch hvp ${row.torch.toFixed(1)} ms, torch double backward ${row.torchDouble.toFixed(1)} ms`);
}
console.log(`torch ${torchInfo.version}, ${torchInfo.threads} thread(s); torch.autograd.functional.hvp vs plain double backward (autograd.grad of gᵀv)`);
for (const { key } of variants) {
  const ratios = rows.map((r) => r[key] / r.torch);
  const hv = rows[rows.length - 1][`${key} Hv`];
  let d = 0;
  let n = 0;
  for (let i = 0; i < hv.length; i++) {
    d += (hv[i] - torchHv[i]) ** 2;
    n += torchHv[i] ** 2;
  }
  const best = Math.min(...rows.map((r) => r[`${key} min`]));
  const torchBest = Math.min(...rows.map((r) => r.torchMin));
  console.log(`tfjs ${key}: median ${median(rows.map((r) => r[key])).toFixed(1)} ms vs torch hvp ${median(rows.map((r) => r.torch)).toFixed(1)} ms → ratio ${median(ratios).toFixed(2)}× (per round ${ratios.map((x) => x.toFixed(2)).join(', ')}); best ${best.toFixed(1)} vs ${torchBest.toFixed(1)} ms → ${(best / torchBest).toFixed(2)}×; ‖Hv_tfjs − Hv_torch‖/‖Hv_torch‖ = ${Math.sqrt(d / n).toExponential(2)}`);
  operators[key].dispose();
}

// What the operator is for: the top of the Hessian spectrum by Lanczos (spectra) on tfjs products.
await selectBackend({ preferred: backends[0], strict: true, loaders });
const H = tfjsHessianOperator(spec, params, data, 'cross-entropy', { method: methods[0] });
const started = performance.now();
const top = lanczosEigenpairs(H, { k: 5, which: 'largest', seed: 0 });
console.log(`lanczosEigenpairs top 5 on tfjs ${backends[0]} ${methods[0]}: ${Array.from(top.values).map((x) => x.toPrecision(5)).join(', ')} (${top.matvecs} products, ${((performance.now() - started) / 1000).toFixed(1)} s, converged ${top.allConverged})`);
H.dispose();
