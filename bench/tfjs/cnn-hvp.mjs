// The float32 Hessian-vector product of a LeNet-like CNN on tfjs (wasm, cpu) against the float64 layered
// engine's exact R-operator product, in the same run (not a test; never gates CI).
// Usage: pnpm --filter @intrinsic/models build && node bench/tfjs/cnn-hvp.mjs [N = 1000]
import { createRequire } from 'node:module';
import { networkSpec, initializeNetworkParameters, NetworkEvaluation, syntheticDataset } from '../../packages/models/dist/index.js';
import { tfjsNetworkHessianOperator } from '../../packages/models/dist/tfjs/index.js';

// tfjs from the models package's own dependencies (one tfjs-core instance).
const requireFromModels = createRequire(new URL('../../packages/models/package.json', import.meta.url));
const tf = await import(requireFromModels.resolve('@tensorflow/tfjs-core'));
await import(requireFromModels.resolve('@tensorflow/tfjs-backend-cpu'));
await import(requireFromModels.resolve('@tensorflow/tfjs-backend-wasm'));
const spec = networkSpec({ input: [1, 28, 28], layers: [
  { type: 'conv2d', filters: 8, kernel: 5 }, { type: 'activation', activation: 'relu' }, { type: 'maxpool', size: 2 },
  { type: 'conv2d', filters: 16, kernel: 5 }, { type: 'activation', activation: 'relu' }, { type: 'maxpool', size: 2 },
  { type: 'flatten' }, { type: 'dense', units: 10 }], bias: true, seed: 1 });
const params = initializeNetworkParameters(spec);
const N = Number(process.argv[2] ?? 1000);
const data = syntheticDataset({ kind: 'gaussian', count: N, inputSize: 784, outputSize: 10, seed: 2 });
const p = params.length;
const v = new Float64Array(p); for (let i = 0; i < p; i++) v[i] = Math.sin(i + 1);
let t = performance.now();
const ev = new NetworkEvaluation(spec, params, data, 'mse');
const setup64 = performance.now() - t;
const ref = ev.curvatureProduct(v, 'full');
t = performance.now(); for (let k = 0; k < 3; k++) ev.curvatureProduct(v, 'full'); const f64 = (performance.now() - t) / 3;
console.log(`p = ${p}, N = ${N}; float64 engine: forward ${setup64.toFixed(0)} ms, Hv ${f64.toFixed(0)} ms`);
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend); await tf.ready();
  const op = tfjsNetworkHessianOperator(spec, params, data, 'mse', { batchSize: 500 });
  const out = new Float64Array(p);
  op.apply(v, out);
  let d = 0, n = 0; for (let i = 0; i < p; i++) { d += (out[i] - ref[i]) ** 2; n += ref[i] ** 2; }
  t = performance.now(); for (let k = 0; k < 3; k++) op.apply(v, out); const ms = (performance.now() - t) / 3;
  console.log(`tfjs ${backend}: Hv ${ms.toFixed(0)} ms, relative error vs float64 ${Math.sqrt(d / n).toExponential(2)}`);
  op.dispose();
}
