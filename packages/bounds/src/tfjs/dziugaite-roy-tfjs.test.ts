import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initializeParameters, mlpSpec, MlpEvaluation, parameterLayout, syntheticDataset, trainMlp } from '@intrinsic/models';
import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import { gaussianKl } from '../pac-bayes/gaussian-kl.js';
import { certifyDziugaiteRoyPosterior } from './certify-dziugaite-roy-posterior.js';
import { certifyDziugaiteRoyPosteriorLayerwise } from './certify-dziugaite-roy-posterior-layerwise.js';
import { optimizeDziugaiteRoyPosterior } from './optimize-dziugaite-roy-posterior.js';
import { posteriorErrorMonteCarlo } from './posterior-error-monte-carlo.js';
import { gaussianKlTensor } from './gaussian-kl-tensor.js';
import { klInverseObjective } from './kl-inverse-objective.js';
import { referenceKlInverseUpper } from '../pac-bayes/__fixtures__/kl-reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** Φ(x) through erfc (W. J. Cody's rational approximation as in Numerical Recipes' erfcc, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

describe('posteriorErrorMonteCarlo', () => {
  it('matches the closed-form error of a Gaussian linear classifier', async () => {
    // f = W x + b with K = 2: the margin f_y − f_o of a draw is N(μ_i, s_i²) with μ_i from the means and
    // s_i² = Σ_j (σ_yj² + σ_oj²) x_ij² + σ_by² + σ_bo², so ê(Q) = (1/m) Σ_i Φ(−μ_i/s_i).
    const data = syntheticDataset({ kind: 'mixture', count: 40, inputSize: 3, outputSize: 2, seed: 3 });
    const spec = mlpSpec({ widths: [3, 2], activation: 'linear', bias: true, seed: 1 });
    const mean = initializeParameters(spec);
    const std = Float64Array.from(mean, (_, i) => 0.2 + 0.1 * Math.cos(i));
    let expected = 0;
    for (let i = 0; i < data.count; i++) {
      const y = data.labels![i];
      const o = 1 - y;
      const x = data.inputs.subarray(3 * i, 3 * i + 3);
      let mu = mean[6 + y] - mean[6 + o];
      let s2 = std[6 + y] ** 2 + std[6 + o] ** 2;
      for (let j = 0; j < 3; j++) {
        mu += (mean[3 * y + j] - mean[3 * o + j]) * x[j];
        s2 += (std[3 * y + j] ** 2 + std[3 * o + j] ** 2) * x[j] ** 2;
      }
      expected += normalCdf(-mu / Math.sqrt(s2)) / data.count;
    }
    const n = 40_000;
    const result = await posteriorErrorMonteCarlo({ spec, mean, std, data, samples: n, seed: 5 });
    const standardError = Math.sqrt((expected * (1 - expected)) / n);
    expect(expected).toBeGreaterThan(0.05); // the check is not trivial
    expect(Math.abs(result.sampledError - expected)).toBeLessThan(4 * standardError);
    expect(result.errors).toBe(Math.round(result.sampledError * n));
  });

  it('rejects data without labels and negative σ with one line', async () => {
    const spec = mlpSpec({ widths: [3, 2], activation: 'linear', bias: false, seed: 1 });
    const mean = initializeParameters(spec);
    const regression = syntheticDataset({ kind: 'gaussian', count: 5, inputSize: 3, outputSize: 2, seed: 1 });
    await expect(posteriorErrorMonteCarlo({ spec, mean, std: new Float64Array(6), data: regression, samples: 10 })).rejects.toThrow(/class labels/);
    const data = syntheticDataset({ kind: 'mixture', count: 5, inputSize: 3, outputSize: 2, seed: 1 });
    await expect(posteriorErrorMonteCarlo({ spec, mean, std: new Float64Array(6).fill(-1), data, samples: 10 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('gaussianKlTensor', () => {
  it('matches the float64 gaussianKl at p = 472 202 on the wasm backend (float32 accumulation)', async () => {
    // The size of the binary-MNIST network 784-600-2 with biases; σ² ≈ λ so that KL ≈ 1e3 while the separate
    // totals are ≈ 3e6: the case where summing them separately in float32 went negative.
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const { dirname } = await import('node:path');
    wasm.setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    await tf.setBackend('wasm');
    try {
      const p = 472_202;
      const random = new Random(4);
      const mean = random.fillGaussian(new Float64Array(p), 0.05);
      const priorMean = Float64Array.from(mean, (v) => v + 0.001 * random.gaussian());
      const std = Float64Array.from(mean, () => 0.03 * Math.exp(0.1 * random.gaussian()));
      const lambda = 0.001;
      const expected = gaussianKl({ posteriorMean: mean, posteriorStd: std, priorMean, priorVariance: lambda });
      const kl = gaussianKlTensor(tf.tensor1d(Float32Array.from(mean)), tf.tensor1d(Float32Array.from(std, Math.log)), tf.tensor1d(Float32Array.from(priorMean)), tf.scalar(Math.log(lambda)));
      expect(expected).toBeGreaterThan(100);
      expect(Math.abs(kl.dataSync()[0] - expected) / expected).toBeLessThan(1e-3);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('klInverseObjective', () => {
  it('has the gradient of kl⁻¹(ŝ(θ), B(θ)) by finite differences on a tiny problem', () => {
    // ŝ(θ) = 0.3·sigmoid(θ₀ − θ₁), B(θ) = (θ₁² + 0.5 θ₀² + 1)/40: both move with both coordinates.
    const empirical64 = (t: number[]) => 0.3 / (1 + Math.exp(-(t[0] - t[1])));
    const complexity64 = (t: number[]) => (t[1] * t[1] + 0.5 * t[0] * t[0] + 1) / 40;
    const q64 = (t: number[]) => referenceKlInverseUpper(empirical64(t), complexity64(t));
    for (const point of [[0.2, -0.4], [-1, 0.7], [1.5, 1.2]]) {
      const theta = tf.variable(tf.tensor1d(point), true, undefined, 'float32');
      let value = NaN;
      const at = (k: number) => tf.reshape(tf.slice(theta, [k], [1]), []) as tf.Scalar;
      const { grads } = tf.variableGrads(() => {
        const e = tf.mul(0.3, tf.sigmoid(tf.sub(at(0), at(1)))) as tf.Scalar;
        const c = tf.div(tf.add(tf.add(tf.square(at(1)), tf.mul(0.5, tf.square(at(0)))), 1), 40) as tf.Scalar;
        const objective = klInverseObjective(e, c);
        value = objective.value;
        return objective.linearised!;
      }, [theta]);
      const gradient = grads[theta.name].arraySync() as number[];
      expect(Math.abs(value - q64(point))).toBeLessThan(1e-6);
      for (let k = 0; k < 2; k++) {
        const h = 1e-5;
        const plus = point.slice();
        const minus = point.slice();
        plus[k] += h;
        minus[k] -= h;
        const fd = (q64(plus) - q64(minus)) / (2 * h);
        // float32 forward pass: agreement to ~1e-5 relative.
        expect(Math.abs(gradient[k] - fd)).toBeLessThan(1e-4 * Math.max(1e-2, Math.abs(fd)) + 1e-6);
      }
      tf.dispose([theta, ...Object.values(grads)]);
    }
  });

  it('gives no linearised objective where q rounds to 1', () => {
    const objective = klInverseObjective(tf.scalar(1.7), tf.scalar(0.1));
    expect(objective.value).toBe(1);
    expect(objective.linearised).toBeUndefined();
  });
});

describe('optimizeDziugaiteRoyPosterior + certifyDziugaiteRoyPosterior', () => {
  it('improves the certified bound over its starting point; the bound is ≥ the Monte-Carlo error', async () => {
    const data = syntheticDataset({ kind: 'mixture', count: 400, inputSize: 4, outputSize: 2, seed: 7 });
    const spec = mlpSpec({ widths: [4, 16, 2], activation: 'relu', bias: true, seed: 2 });
    const w0 = initializeParameters(spec);
    const trained = trainMlp(spec, w0, data, 'cross-entropy', { epochs: 200, seed: 1 }).params;
    const trainError = (() => {
      const f = new MlpEvaluation(spec, trained, data, 'cross-entropy').outputs;
      let wrong = 0;
      for (let i = 0; i < data.count; i++) if ((f[2 * i] > f[2 * i + 1] ? 0 : 1) !== data.labels![i]) wrong++;
      return wrong / data.count;
    })();
    const initialStd = 0.05;
    const initialPriorVariance = Math.exp(-3);
    const certify = (mean: Float64Array, std: Float64Array, priorVariance: number) =>
      certifyDziugaiteRoyPosterior({ spec, mean, std, priorMean: w0, priorVariance, data, monteCarloSamples: 20_000, seed: 11 });
    const start = await certify(trained, new Float64Array(trained.length).fill(initialStd), initialPriorVariance);
    const optimised = await optimizeDziugaiteRoyPosterior({ spec, params: trained, initialParams: w0, data, initialStd, initialPriorVariance, iterations: 600, learningRate: 0.01, batchSize: 100, seed: 3 });
    const end = await certify(optimised.mean, optimised.std, optimised.priorVariance);

    expect(trainError).toBeLessThan(0.1);
    expect(end.bound).toBeLessThan(start.bound - 0.02);
    expect(end.kl).toBeLessThan(start.kl);
    expect(end.bound).toBeGreaterThanOrEqual(end.empiricalErrorUpper);
    expect(end.empiricalErrorUpper).toBeGreaterThanOrEqual(end.sampledError);
    expect(end.bound).toBeLessThan(1);
    // The KL tracked in float32 by tfjs equals the float64 closed form at the returned posterior.
    const last = optimised.history[optimised.history.length - 1];
    const kl64 = gaussianKl({ posteriorMean: optimised.mean, posteriorStd: optimised.std, priorMean: w0, priorVariance: last.priorVariance });
    expect(Math.abs(last.kl - kl64) / kl64).toBeLessThan(1e-3);
    expect(optimised.history[optimised.history.length - 1].objective).toBeLessThan(optimised.history[0].objective);
  });

  it("with objective 'kl-inverse' lowers the certified bound and tracks kl⁻¹ of its own terms", async () => {
    const data = syntheticDataset({ kind: 'mixture', count: 400, inputSize: 4, outputSize: 2, seed: 7 });
    const spec = mlpSpec({ widths: [4, 16, 2], activation: 'relu', bias: true, seed: 2 });
    const w0 = initializeParameters(spec);
    const trained = trainMlp(spec, w0, data, 'cross-entropy', { epochs: 200, seed: 1 }).params;
    const initialStd = 0.05;
    const initialPriorVariance = Math.exp(-3);
    const certify = (mean: Float64Array, std: Float64Array, priorVariance: number) =>
      certifyDziugaiteRoyPosterior({ spec, mean, std, priorMean: w0, priorVariance, data, monteCarloSamples: 20_000, seed: 11 });
    const start = await certify(trained, new Float64Array(trained.length).fill(initialStd), initialPriorVariance);
    const optimised = await optimizeDziugaiteRoyPosterior({ spec, params: trained, initialParams: w0, data, initialStd, initialPriorVariance, iterations: 600, learningRate: 0.01, batchSize: 100, seed: 3, objective: 'kl-inverse' });
    const end = await certify(optimised.mean, optimised.std, optimised.priorVariance);
    expect(end.bound).toBeLessThan(start.bound - 0.02);
    expect(end.bound).toBeGreaterThanOrEqual(end.empiricalErrorUpper);
    // The recorded objective is kl⁻¹(ŝ, B) of the sampled surrogate (cross-entropy in bits ≥ the 0-1 error), so
    // it lies between the surrogate and 1, and decreases over the run.
    const first = optimised.history[0];
    const last = optimised.history[optimised.history.length - 1];
    for (const h of optimised.history) expect(h.objective).toBeGreaterThan(Math.min(h.surrogate, 1) - 1e-9);
    expect(last.objective).toBeLessThan(first.objective);
    expect(last.objective).toBeLessThan(1);
  });

  it('with a prior variance per parameter array: its own λ per array, float32 KL = float64 KL, a lower certified bound', async () => {
    const data = syntheticDataset({ kind: 'mixture', count: 400, inputSize: 4, outputSize: 2, seed: 7 });
    const spec = mlpSpec({ widths: [4, 16, 2], activation: 'relu', bias: true, seed: 2 });
    const w0 = initializeParameters(spec);
    const trained = trainMlp(spec, w0, data, 'cross-entropy', { epochs: 200, seed: 1 }).params;
    const initialStd = 0.05;
    const initialPriorVariance = Math.exp(-3);
    const views = parameterLayout(spec).views;
    const certify = (mean: Float64Array, std: Float64Array, priorVariances: number[]) =>
      certifyDziugaiteRoyPosteriorLayerwise({ spec, mean, std, priorMean: w0, priorVariances, data, monteCarloSamples: 20_000, seed: 11 });
    const start = await certify(trained, new Float64Array(trained.length).fill(initialStd), views.map(() => initialPriorVariance));
    const optimised = await optimizeDziugaiteRoyPosterior({ spec, params: trained, initialParams: w0, data, initialStd, initialPriorVariance, iterations: 600, learningRate: 0.01, batchSize: 100, seed: 3, priorVariancePerArray: true });
    const variances = optimised.priorVariances!;
    expect(variances).toHaveLength(4);
    expect(new Set(variances.map((v) => v.toPrecision(6))).size).toBeGreaterThan(1);
    expect(optimised.priorVariance).toBe(variances[0]); // W1 (64 weights) is the largest array
    const end = await certify(optimised.mean, optimised.std, variances);
    expect(end.bound).toBeLessThan(start.bound - 0.02);
    expect(end.bound).toBeGreaterThanOrEqual(end.empiricalErrorUpper);
    expect(end.priorGridIndices).toHaveLength(4);
    const last = optimised.history[optimised.history.length - 1];
    const perCoordinate = new Float64Array(w0.length);
    views.forEach((v, g) => perCoordinate.fill(last.priorVariances![g], v.offset, v.offset + v.size));
    const kl64 = gaussianKl({ posteriorMean: optimised.mean, posteriorStd: optimised.std, priorMean: w0, priorVariance: perCoordinate });
    expect(Math.abs(last.kl - kl64) / kl64).toBeLessThan(1e-3);
    await expect(certify(optimised.mean, optimised.std, [0.01])).rejects.toThrow(/1 prior variances for 4 parameter arrays/);
  });

  it('runs with a prior variance per array on the wasm backend (every gradient kernel exists there)', async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const { dirname } = await import('node:path');
    wasm.setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    await tf.setBackend('wasm');
    try {
      const data = syntheticDataset({ kind: 'mixture', count: 100, inputSize: 4, outputSize: 2, seed: 7 });
      const spec = mlpSpec({ widths: [4, 8, 2], activation: 'relu', bias: true, seed: 2 });
      const w0 = initializeParameters(spec);
      const params = trainMlp(spec, w0, data, 'cross-entropy', { epochs: 50, seed: 1 }).params;
      const optimised = await optimizeDziugaiteRoyPosterior({ spec, params, initialParams: w0, data, initialStd: 0.05, initialPriorVariance: Math.exp(-3), iterations: 20, learningRate: 0.01, batchSize: 50, seed: 3, priorVariancePerArray: true, objective: 'kl-inverse', recordEvery: 20 });
      const last = optimised.history[0];
      const perCoordinate = new Float64Array(w0.length);
      parameterLayout(spec).views.forEach((v, g) => perCoordinate.fill(last.priorVariances![g], v.offset, v.offset + v.size));
      const kl64 = gaussianKl({ posteriorMean: optimised.mean, posteriorStd: optimised.std, priorMean: w0, priorVariance: perCoordinate });
      expect(Math.abs(last.kl - kl64) / kl64).toBeLessThan(1e-3);
      expect(Number.isFinite(last.objective) && last.objective < 1).toBe(true);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('rejects an unknown objective with one line', async () => {
    const data = syntheticDataset({ kind: 'mixture', count: 10, inputSize: 2, outputSize: 2, seed: 1 });
    const spec = mlpSpec({ widths: [2, 2], activation: 'linear', bias: false, seed: 1 });
    const w = initializeParameters(spec);
    await expect(optimizeDziugaiteRoyPosterior({ spec, params: w, initialParams: w, data, objective: 'mcallester' as never })).rejects.toThrow(/objective must be 'pinsker' or 'kl-inverse', got mcallester/);
  });

  it('rejects an initial prior variance above the grid with one line', async () => {
    const data = syntheticDataset({ kind: 'mixture', count: 10, inputSize: 2, outputSize: 2, seed: 1 });
    const spec = mlpSpec({ widths: [2, 2], activation: 'linear', bias: false, seed: 1 });
    const w = initializeParameters(spec);
    await expect(optimizeDziugaiteRoyPosterior({ spec, params: w, initialParams: w, data, initialPriorVariance: 0.5 })).rejects.toThrow(/initialPriorVariance 0.5 must be below/);
  });
});
