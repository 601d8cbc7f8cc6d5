// Benchmark (not a test): one-shot pruning of a small trained MLP with every method, and the cost of the
// WoodFisher inverse forms. Run after building: `node packages/pruning/bench/one-shot.bench.mjs`.
// Prints figures; never gates CI.
import { initializeParameters, mlpForward, mlpGradient, mlpSpec, syntheticDataset } from '@intrinsic/models';
import { MlpEvaluation } from '@intrinsic/models';
import { PRUNING_METHODS, pruneOneShot, topKAccuracy, woodFisherInverse } from '@intrinsic/pruning';

const widths = [32, 40, 20, 10];
const spec = mlpSpec({ widths, activation: 'relu', bias: false, init: 'he-normal', seed: 1 });
const all = syntheticDataset({ kind: 'mixture', count: 2000, inputSize: 32, outputSize: 10, seed: 2, separation: 0.6 });
const split = (from, to) => ({
  ...all,
  count: to - from,
  inputs: all.inputs.slice(from * 32, to * 32),
  targets: all.targets.slice(from * 10, to * 10),
  labels: all.labels.slice(from, to),
});
const train = split(0, 1000);
const test = split(1000, 2000);
const params = initializeParameters(spec);
// Adam, full batch (STEPS, default 60: not yet interpolating).
const m = new Float64Array(params.length);
const v = new Float64Array(params.length);
let t0 = performance.now();
const steps = Number(process.env.STEPS ?? 60);
for (let step = 1; step <= steps; step++) {
  const g = mlpGradient(spec, params, train, 'cross-entropy');
  for (let q = 0; q < params.length; q++) {
    m[q] = 0.9 * m[q] + 0.1 * g[q];
    v[q] = 0.999 * v[q] + 0.001 * g[q] * g[q];
    params[q] -= (0.01 * (m[q] / (1 - 0.9 ** step))) / (Math.sqrt(v[q] / (1 - 0.999 ** step)) + 1e-8);
  }
}
const testAccuracy = (theta) => topKAccuracy(mlpForward(spec, theta, test), test.labels, 10, 1);
console.log(`MLP ${widths.join('-')} relu, no bias, p = ${params.length}; mixture N = 1000 train / 1000 test; Adam ${steps} steps in ${(performance.now() - t0).toFixed(0)} ms`);
console.log(`dense: train loss ${new MlpEvaluation(spec, params, train, 'cross-entropy').value.toFixed(4)}, test top-1 ${testAccuracy(params).toFixed(4)}`);

for (const sparsity of [0.5, 0.8, 0.9]) {
  for (const method of PRUNING_METHODS) {
    if (method === 'obs' || method === 'obd') continue; // dense Hessian of p ≈ 2.3k: see below
    const r = pruneOneShot(spec, params, train, 'cross-entropy', { method, sparsity, gradients: 100, damping: 1e-5, seed: 0 });
    console.log(
      `s = ${sparsity} ${method.padEnd(16)} train loss ${r.lossAfter.toFixed(4)}  test top-1 ${testAccuracy(r.params).toFixed(4)}  ${r.timing.totalMs.toFixed(0)} ms  ${r.details.inverse ?? ''}`,
    );
  }
}

// Cost of the WoodFisher inverse forms at n = 100 gradients.
const G = new MlpEvaluation(spec, params, split(0, 100), 'cross-entropy').perSampleGradients();
const p = params.length;
for (const [label, options] of [
  ['recursion, one block c = p', { solver: 'recursion' }],
  ['recursion, c = 100', { solver: 'recursion', blockSize: 100 }],
  ['closed form, one block', { solver: 'closed-form' }],
]) {
  t0 = performance.now();
  const inverse = woodFisherInverse(G, { count: 100, size: p, damping: 1e-5, ...options });
  const built = performance.now() - t0;
  t0 = performance.now();
  inverse.diagonal();
  inverse.multiply(new Float64Array(p).fill(1));
  console.log(`woodFisherInverse ${label.padEnd(28)} build ${built.toFixed(0)} ms, diagonal + one product ${(performance.now() - t0).toFixed(1)} ms`);
}
