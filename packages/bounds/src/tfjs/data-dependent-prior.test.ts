import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initializeParameters, mlpSpec, syntheticDataset } from '@intrinsic/models';
import { trainMlpTfjs } from '@intrinsic/models/tfjs';
import { gaussianKl } from '../pac-bayes/gaussian-kl.js';
import { splitPriorBoundData, type PriorBoundSplit } from '../pac-bayes/split-prior-bound-data.js';
import { certifyDataDependentPriorPosterior } from './certify-data-dependent-prior-posterior.js';
import { certifyDziugaiteRoyPosterior } from './certify-dziugaite-roy-posterior.js';
import { trainDataDependentPrior } from './train-data-dependent-prior.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** A copy of the split with every label of one part flipped (y → 1 − y), targets to match. */
function flipLabels(split: PriorBoundSplit, part: 'prior' | 'bound'): PriorBoundSplit {
  const data = split[part];
  const labels = Int32Array.from(data.labels!, (y) => 1 - y);
  const targets = new Float64Array(2 * data.count);
  labels.forEach((y, i) => (targets[2 * i + y] = 1));
  return { ...split, [part]: { ...data, labels, targets } };
}

describe('data-dependent prior (splitPriorBoundData → trainDataDependentPrior → certifyDataDependentPriorPosterior)', () => {
  const data = syntheticDataset({ kind: 'mixture', count: 400, inputSize: 4, outputSize: 2, seed: 7 });
  const spec = mlpSpec({ widths: [4, 16, 2], activation: 'relu', bias: true, seed: 2 });
  const w0 = initializeParameters(spec);
  const split = splitPriorBoundData(data, { priorFraction: 0.5, seed: 1 });
  const priorSettings = { spec, initialParams: w0, epochs: 30, learningRate: 0.05, momentum: 0.9, batchSize: 20, seed: 3 };

  it('trains the prior mean on S_prior only: relabelling S_bound leaves w_P unchanged, relabelling S_prior does not', async () => {
    const prior = await trainDataDependentPrior({ ...priorSettings, split });
    const boundRelabelled = await trainDataDependentPrior({ ...priorSettings, split: flipLabels(split, 'bound') });
    const priorRelabelled = await trainDataDependentPrior({ ...priorSettings, split: flipLabels(split, 'prior') });
    expect(prior.priorSetSize).toBe(200);
    expect(Array.from(boundRelabelled.priorMean)).toEqual(Array.from(prior.priorMean));
    let moved = 0;
    for (let i = 0; i < w0.length; i++) moved += (priorRelabelled.priorMean[i] - prior.priorMean[i]) ** 2;
    expect(moved).toBeGreaterThan(1e-2); // the prior does read S_prior's labels
    expect(prior.priorTrainError).toBeLessThan(0.1);
  });

  it('certifies on S_bound only, with m = |S_bound|: S_prior labels do not change Ŝ or the bound; S_bound labels do', async () => {
    const prior = await trainDataDependentPrior({ ...priorSettings, split });
    const mean = prior.priorMean;
    const std = new Float64Array(w0.length).fill(0.05);
    const options = { spec, mean, std, priorMean: prior.priorMean, priorVariance: 0.01, monteCarloSamples: 20_000, seed: 11 };
    const certified = await certifyDataDependentPriorPosterior({ ...options, split });
    expect(certified.trainingSetSize).toBe(200);
    expect(certified.priorKind).toBe('data-dependent');
    expect(certified.priorSetSize).toBe(200);
    expect(certified.priorFraction).toBe(0.5);
    expect(certified.splitSeed).toBe(1);
    // The same numbers as the data-independent certificate run on the 200 bound rows (same draws).
    const direct = await certifyDziugaiteRoyPosterior({ ...options, data: split.bound });
    expect(certified.sampledError).toBe(direct.sampledError);
    expect(certified.bound).toBe(direct.bound);
    expect(direct.trainingSetSize).toBe(200);
    // Its KL is the float64 closed form against N(w_P, λ_j I).
    expect(Math.abs(certified.kl - gaussianKl({ posteriorMean: mean, posteriorStd: std, priorMean: prior.priorMean, priorVariance: certified.priorVariance }))).toBeLessThan(1e-9 * Math.max(1, certified.kl));
    const priorFlipped = await certifyDataDependentPriorPosterior({ ...options, split: flipLabels(split, 'prior') });
    expect(priorFlipped.sampledError).toBe(certified.sampledError);
    expect(priorFlipped.bound).toBe(certified.bound);
    const boundFlipped = await certifyDataDependentPriorPosterior({ ...options, split: flipLabels(split, 'bound') });
    expect(certified.sampledError).toBeLessThan(0.2);
    expect(boundFlipped.sampledError).toBeGreaterThan(0.8); // ≈ 1 − Ŝ: the certificate does read S_bound's labels
  });

  it('a prior mean trained on S_prior is closer to the posterior mean than w₀: smaller KL (float64 gaussianKl), measured', async () => {
    // Posterior mean: SGD on all of S continued from w_P (the `--posterior-start all` construction). Its KL to
    // N(w_P, λI) only counts the second leg; to N(w₀, λI) the whole way from w₀.
    const prior = await trainDataDependentPrior({ ...priorSettings, split });
    const posterior = await trainMlpTfjs(spec, prior.priorMean, data, 'cross-entropy', { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, epochs: 10, batchSize: 20, seed: 4 });
    const std = new Float64Array(w0.length).fill(0.05);
    const lambda = 0.01;
    const klData = gaussianKl({ posteriorMean: posterior.params, posteriorStd: std, priorMean: prior.priorMean, priorVariance: lambda });
    const klInitial = gaussianKl({ posteriorMean: posterior.params, posteriorStd: std, priorMean: w0, priorVariance: lambda });
    // Measured (cpu, these seeds): 36.3 against 437.5 nats.
    expect(klData).toBeLessThan(0.2 * klInitial);
    // And the certificate at that λ reports the data-dependent KL (bound rows only, m = 200).
    const certified = await certifyDataDependentPriorPosterior({ spec, mean: posterior.params, std, priorMean: prior.priorMean, priorVariance: lambda, split, monteCarloSamples: 20_000, seed: 11 });
    const kl64 = gaussianKl({ posteriorMean: posterior.params, posteriorStd: std, priorMean: prior.priorMean, priorVariance: certified.priorVariance });
    expect(Math.abs(certified.kl - kl64)).toBeLessThan(1e-9 * kl64);
    expect(certified.bound).toBeGreaterThanOrEqual(certified.empiricalErrorUpper);
    expect(certified.empiricalErrorUpper).toBeGreaterThanOrEqual(certified.sampledError);
  });

  it('rejects a split without bound rows and a bad epoch count with one line', async () => {
    await expect(certifyDataDependentPriorPosterior({ spec, mean: w0, std: new Float64Array(w0.length).fill(0.1), priorMean: w0, priorVariance: 0.01, split: { ...split, bound: { ...split.bound, count: 0 } } })).rejects.toThrow(/the split has no bound rows/);
    await expect(trainDataDependentPrior({ ...priorSettings, split, epochs: 0 })).rejects.toThrow(/epochs must be an integer ≥ 1, got 0/);
  });
});
