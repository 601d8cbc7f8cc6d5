// Prints figures for the bounds package (not a test). Run after `pnpm --filter @intrinsic/bounds build`:
//   node bench/figures.mjs
import { Random, symmetricEigen } from '@intrinsic/spectra';
import { MlpEvaluation, mlpSpec } from '@intrinsic/models';
import { denseHessian } from '@intrinsic/hessian';
import {
  klInverseLower,
  klInverseUpper,
  influencePopulationLoss,
  leaveOneOutEstimate,
  perSampleLosses,
  powerIterationSpectralNorm,
  matrixSpectralNorm,
} from '../dist/index.js';

function naiveKl(q, p) {
  return (q === 0 ? 0 : q * Math.log(q / p)) + (q === 1 ? 0 : (1 - q) * (Math.log1p(-q) - Math.log1p(-p)));
}
function refUpper(q, c) {
  let lo = q, hi = 1;
  for (let i = 0; i < 200; i++) { const m = 0.5 * (lo + hi); if (naiveKl(q, m) > c) hi = m; else lo = m; }
  return 0.5 * (lo + hi);
}
function refLower(q, c) {
  let lo = Math.log(Number.MIN_VALUE), hi = Math.log(q);
  for (let i = 0; i < 200; i++) { const m = 0.5 * (lo + hi); if (naiveKl(q, Math.exp(m)) > c) lo = m; else hi = m; }
  return Math.exp(0.5 * (lo + hi));
}

// 1. kl inversion accuracy and speed on a 60 × 60 log grid q ∈ [1e-8, 1 − 1e-8], c ∈ [1e-10, 20].
const qs = [], cs = [];
for (let i = 0; i < 60; i++) {
  const t = i / 59;
  qs.push(t < 0.5 ? 10 ** (-8 + 16 * t) / 2 : 1 - 10 ** (-8 + 16 * (1 - t)) / 2);
  cs.push(10 ** (-10 + 11.3 * t));
}
let worstU = 0, worstL = 0;
for (const q of qs) for (const c of cs) {
  const ru = refUpper(q, c); worstU = Math.max(worstU, Math.abs(klInverseUpper(q, c) - ru) / ru);
  const rl = refLower(q, c); if (rl > 1e-300) worstL = Math.max(worstL, Math.abs(klInverseLower(q, c) - rl) / rl);
}
let t0 = performance.now(), calls = 0;
for (let rep = 0; rep < 20; rep++) for (const q of qs) for (const c of cs) { klInverseUpper(q, c); klInverseLower(q, c); calls += 2; }
const perCall = ((performance.now() - t0) * 1000) / calls;
console.log(`kl inversion: max rel. deviation from 200-step bisection: upper ${worstU.toExponential(2)}, lower ${worstL.toExponential(2)} (3600 (q, c) pairs); ${perCall.toFixed(2)} µs per call`);

// 2. Power iteration on Gaussian matrices vs dense eigensolver.
for (const n of [50, 200]) {
  const W = new Random(1).fillGaussian(new Float64Array(n * n));
  t0 = performance.now();
  const r = powerIterationSpectralNorm(W, { rows: n, columns: n, seed: 3 });
  const tp = performance.now() - t0;
  t0 = performance.now();
  const exact = matrixSpectralNorm(W, n, n);
  const td = performance.now() - t0;
  console.log(`power iteration ${n}×${n} Gaussian: ${r.iterations} iterations, converged ${r.converged}, rel. error ${(Math.abs(r.value - exact) / exact).toExponential(2)}, ${tp.toFixed(1)} ms (dense ${td.toFixed(1)} ms)`);
}

// 3. Double descent in ridge-less linear regression, N = 20, d swept: λ_min⁺, LOO (exact), influence estimate, test loss.
const N = 20, Ntest = 2000;
const truth = new Random(5).fillGaussian(new Float64Array(80), 1 / Math.sqrt(80));
function dataset(d, count, seed) {
  const rng = new Random(seed);
  const inputs = new Float64Array(count * d), targets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let j = 0; j < 80; j++) { const x = rng.gaussian(); if (j < d) inputs[i * d + j] = x; s += truth[j] * x; }
    targets[i] = s + 0.3 * rng.gaussian();
  }
  return { inputs, targets, count, inputSize: d, outputSize: 1, description: 'dd' };
}
console.log('d  p/N  λ_min⁺      LOO mean    influence   lowerBound  test loss');
for (const d of [5, 10, 15, 18, 20, 22, 25, 30, 40, 60]) {
  const spec = mlpSpec({ widths: [d, 1], bias: false });
  const train = dataset(d, N, 7), test = dataset(d, Ntest, 8);
  // minimum-norm least squares via the pseudo-inverse from the eigen-decomposition of H = XᵀX/N
  const H = denseHessian(spec, new Float64Array(d), train, 'mse');
  const { values, vectors } = symmetricEigen(H, d);
  const tau = values[d - 1] * d * 2 ** -52;
  const xty = new Float64Array(d);
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) xty[j] += train.inputs[i * d + j] * train.targets[i] / N;
  const theta = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    if (values[k] <= tau) continue;
    let c = 0; for (let j = 0; j < d; j++) c += vectors[j * d + k] * xty[j];
    for (let j = 0; j < d; j++) theta[j] += (vectors[j * d + k] * c) / values[k];
  }
  const ev = new MlpEvaluation(spec, theta, train, 'mse');
  const loo = leaveOneOutEstimate({ evaluation: ev, eigenvalues: values, eigenvectors: vectors });
  const tev = new MlpEvaluation(spec, theta, test, 'mse');
  const inf = influencePopulationLoss({ eigenvalues: values, eigenvectors: vectors, gradients: tev.perSampleGradients(), losses: perSampleLosses(tev), trainingSetSize: N });
  const f = (x) => (Number.isFinite(x) ? x.toExponential(3) : String(x)).padEnd(11);
  console.log(`${String(d).padEnd(3)}${(d / N).toFixed(2).padEnd(5)}${f(inf.lambdaMinPositive)} ${f(loo.singularCount ? Infinity : loo.meanLoss)} ${f(inf.estimate)} ${f(inf.lowerBound)} ${f(tev.value)}`);
}
