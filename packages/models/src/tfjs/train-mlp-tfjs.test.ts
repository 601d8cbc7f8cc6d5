import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticDataset } from '../data.js';
import { initializeParameters } from '../init.js';
import { MlpEvaluation } from '../mlp-engine.js';
import { mlpSpec } from '../spec.js';
import { trainMlp } from '../train-mlp.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { loadTrainingCheckpoint, saveTrainingCheckpoint } from './training-checkpoint.js';
import { evaluateMlpTfjs, trainMlpTfjs, type TrainingState } from './train-mlp-tfjs.js';

beforeAll(useCpuBackend);

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

const spec = mlpSpec({ widths: [4, 6, 3], activation: 'tanh', bias: true, seed: 3 });
const data = syntheticDataset({ kind: 'mixture', count: 40, inputSize: 4, outputSize: 3, seed: 5 });
const test = syntheticDataset({ kind: 'mixture', count: 20, inputSize: 4, outputSize: 3, seed: 5 + 1 });

describe('trainMlpTfjs', () => {
  it.each(['sgd', 'adam'] as const)('full-batch %s follows the float64 trainer to float32 precision', async (optimizer) => {
    const initial = initializeParameters(spec);
    const learningRate = optimizer === 'sgd' ? 0.05 : 0.01;
    const tfjs = await trainMlpTfjs(spec, initial, data, 'cross-entropy', { optimizer, learningRate, momentum: 0.9, epochs: 8 });
    const exact = trainMlp(spec, Float64Array.from(Float32Array.from(initial)), data, 'cross-entropy', { optimizer, learningRate, momentum: 0.9, epochs: 8 });
    expect(tfjs.epochs).toBe(8);
    expect(relativeError(tfjs.params, exact.params)).toBeLessThan(1e-4);
    expect(Math.abs(tfjs.final.loss - exact.loss) / exact.loss).toBeLessThan(1e-4);
    expect(tfjs.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tf.memory().numTensors).toBeLessThan(20);
  });

  it('reports loss, accuracy and the gradient norm of the float64 engine; test figures too', async () => {
    const calls: number[][] = [];
    const result = await trainMlpTfjs(spec, initializeParameters(spec), data, 'cross-entropy', { epochs: 3, batchSize: 8, learningRate: 0.02, seed: 1, test, onBatch: (...a) => calls.push(a) });
    // 40 samples in batches of 8: 5 steps per epoch.
    expect(calls.length).toBe(15);
    expect(calls[7]).toEqual([2, 3, 5]);
    const exact = new MlpEvaluation(spec, result.params, data, 'cross-entropy');
    const gradientNorm = Math.hypot(...exact.gradient());
    expect(Math.abs(result.final.gradientNorm - gradientNorm) / gradientNorm).toBeLessThan(1e-3);
    expect(Math.abs(result.final.loss - exact.value) / exact.value).toBeLessThan(1e-5);
    // Accuracy counted independently from the float64 outputs.
    const f = exact.outputs;
    let correct = 0;
    for (let i = 0; i < data.count; i++) {
      const row = Array.from(f.subarray(3 * i, 3 * i + 3));
      if (row.indexOf(Math.max(...row)) === data.labels![i]) correct++;
    }
    expect(result.final.accuracy).toBe(correct / data.count);
    const testFigures = evaluateMlpTfjs(spec, result.params, test, 'cross-entropy');
    expect(result.final.test).toEqual(testFigures);
  });

  it('mini-batch training is reproducible from its seed and depends on it', async () => {
    const initial = initializeParameters(spec);
    const run = (seed: number) => trainMlpTfjs(spec, initial, data, 'mse', { epochs: 2, batchSize: 7, seed, optimizer: 'sgd', learningRate: 0.05 });
    const [a, b, c] = await Promise.all([run(4), run(4), run(5)]);
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
    expect(relativeError(a.params, c.params)).toBeGreaterThan(1e-6);
  });

  it('stops at the target gradient norm', async () => {
    const regression = syntheticDataset({ kind: 'gaussian', count: 30, inputSize: 4, outputSize: 3, seed: 2 });
    const result = await trainMlpTfjs(spec, initializeParameters(spec), regression, 'mse', { epochs: 500, optimizer: 'adam', learningRate: 0.02, targetGradientNorm: 0.05 });
    expect(result.converged).toBe(true);
    expect(result.epochs).toBeLessThan(500);
    expect(result.final.gradientNorm).toBeLessThanOrEqual(0.05);
    const exactNorm = Math.hypot(...new MlpEvaluation(spec, result.params, regression, 'mse').gradient());
    expect(exactNorm).toBeLessThan(0.05 * 1.01);
  });

  it('a run resumed from a checkpoint on disk equals an uninterrupted run', async () => {
    const initial = initializeParameters(spec);
    const options = { epochs: 4, batchSize: 9, seed: 2, optimizer: 'adam' as const, learningRate: 0.01 };
    const straight = await trainMlpTfjs(spec, initial, data, 'cross-entropy', options);
    const dir = mkdtempSync(join(tmpdir(), 'intrinsic-ckpt-'));
    let saved: TrainingState | undefined;
    await trainMlpTfjs(spec, initial, data, 'cross-entropy', {
      ...options,
      epochs: 2,
      onCheckpoint: async (state) => {
        saved = state;
        await saveTrainingCheckpoint(dir, spec, state);
      },
    });
    const loaded = await loadTrainingCheckpoint(dir);
    expect(loaded.spec).toEqual(spec);
    expect(loaded.state.epoch).toBe(2);
    expect(Array.from(loaded.state.params)).toEqual(Array.from(saved!.params));
    // Adam state: the iteration count then first and second moments of the two weight and two bias arrays.
    expect(loaded.state.optimizerState.weights.length).toBe(1 + 2 * 4);
    const resumed = await trainMlpTfjs(spec, initial, data, 'cross-entropy', { ...options, resume: loaded.state });
    expect(resumed.history.map((h) => h.epoch)).toEqual([3, 4]);
    expect(relativeError(resumed.params, straight.params)).toBeLessThan(1e-6);
    await expect(trainMlpTfjs(spec, initial, data, 'cross-entropy', { ...options, optimizer: 'sgd', resume: loaded.state })).rejects.toThrow('trained with adam, not sgd');
  });

  it('rejects bad options and reports divergence', async () => {
    const initial = initializeParameters(spec);
    await expect(trainMlpTfjs(spec, initial, data, 'mse', { epochs: 1, learningRate: -1 })).rejects.toThrow('learning rate must be a positive number, got -1');
    await expect(trainMlpTfjs(spec, initial, data, 'mse', { epochs: 1.5 })).rejects.toThrow('epochs must be a non-negative integer');
    await expect(trainMlpTfjs(spec, new Float64Array(3), data, 'mse', { epochs: 1 })).rejects.toThrow('parameters have length 3');
    const huge = syntheticDataset({ kind: 'gaussian', count: 10, inputSize: 4, outputSize: 3, seed: 1 });
    huge.targets.fill(1e30);
    await expect(trainMlpTfjs(spec, initial, huge, 'mse', { epochs: 3, optimizer: 'sgd', learningRate: 10 })).rejects.toThrow(/training loss is (NaN|Infinity)/);
  });
});
