import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IntrinsicError } from '@intrinsic/spectra';
import { ACTIVATIONS } from '../activations.js';
import { syntheticDataset } from '../data.js';
import { initializeParameters } from '../init.js';
import { mlpForward } from '../mlp-engine.js';
import { mlpSpec } from '../spec.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { mlpFromLayersModel } from './mlp-from-layers-model.js';
import { mlpToLayersModel } from './mlp-to-layers-model.js';
import { directorySaveHandler, loadLayersModelFromFiles, loadMlpFromTfjsFiles } from './tfjs-model-files.js';

beforeAll(useCpuBackend);
const folder = mkdtempSync(join(tmpdir(), 'intrinsic-tfjs-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('spec + parameters ↔ tfjs LayersModel', () => {
  it.each(ACTIVATIONS.flatMap((activation) => [true, false].map((bias) => ({ activation, bias }))))(
    'round trip and outputs: $activation, bias=$bias',
    ({ activation, bias }) => {
      const spec = mlpSpec({ widths: [6, 5, 4, 3], activation, bias, seed: 5, leakySlope: 0.2 });
      const params = initializeParameters(spec);
      for (let i = 0; i < params.length; i++) params[i] += 0.05 * Math.cos(i);
      const data = syntheticDataset({ kind: 'gaussian', count: 7, inputSize: 6, outputSize: 3, seed: 1 });
      const model = mlpToLayersModel(spec, params);
      // The tfjs model computes the float64 engine's function to float32 precision.
      const outputs = tf.tidy(() => (model.predict(tf.tensor2d(Float32Array.from(data.inputs), [7, 6])) as tf.Tensor).dataSync());
      expect(maxAbs(outputs, mlpForward(spec, params, data))).toBeLessThan(1e-5);
      // Back to a spec: same widths/activation/bias/slope, parameters equal to their float32 rounding.
      const back = mlpFromLayersModel(model);
      expect(back.spec.widths).toEqual(spec.widths);
      expect(back.spec.activation).toBe(activation);
      expect(back.spec.bias).toBe(bias);
      if (activation === 'leaky-relu') expect(back.spec.leakySlope).toBeCloseTo(0.2, 7);
      expect(Array.from(back.params)).toEqual(Array.from(Float32Array.from(params)));
      expect(maxAbs(mlpForward(back.spec, back.params, data), mlpForward(spec, params, data))).toBeLessThan(1e-5);
      model.dispose();
    },
  );

  it('saves model.json + weights.bin with a custom IOHandler and loads them back as float64', async () => {
    const spec = mlpSpec({ widths: [4, 3, 2], activation: 'tanh', bias: true, seed: 2 });
    const params = initializeParameters(spec);
    const model = mlpToLayersModel(spec, params);
    const dir = join(folder, 'saved');
    await model.save(directorySaveHandler(dir));
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(manifest.weightsManifest[0].paths).toEqual(['./weights.bin']);
    // p = 4·3 + 3 + 3·2 + 2 = 23 float32 weights.
    expect(readFileSync(join(dir, 'weights.bin')).byteLength).toBe(23 * 4);
    const imported = await loadMlpFromTfjsFiles(join(dir, 'model.json'));
    expect(imported.params).toBeInstanceOf(Float64Array);
    expect(Array.from(imported.params)).toEqual(Array.from(Float32Array.from(params)));
    model.dispose();
  });

  it("reads a user's model with InputLayer, Flatten, Dropout, ReLU layer and softmax output", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [2, 3] }),
        tfl.layers.dense({ units: 4, activation: 'linear' }),
        tfl.layers.reLU(),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const dir = join(folder, 'user');
    await model.save(directorySaveHandler(dir));
    const imported = await loadMlpFromTfjsFiles(dir);
    expect(imported.spec.widths).toEqual([6, 4, 3]);
    expect(imported.spec.activation).toBe('relu');
    expect(imported.outputActivation).toBe('softmax');
    // softmax(spec outputs) equals the user's model predictions.
    const x = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    const data = { inputs: x, targets: new Float64Array(6), count: 2, inputSize: 6, outputSize: 3, description: '' };
    const logits = mlpForward(imported.spec, imported.params, data);
    const predicted = tf.tidy(() => (model.predict(tf.tensor3d(Float32Array.from(x), [2, 2, 3])) as tf.Tensor).dataSync());
    for (let i = 0; i < 2; i++) {
      const row = Array.from(logits.subarray(3 * i, 3 * i + 3));
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      for (let k = 0; k < 3; k++) expect(Math.abs(Math.exp(row[k]) / z - predicted[3 * i + k])).toBeLessThan(1e-6);
    }
    model.dispose();
  });

  it('rejects an unsupported layer naming its class and the supported list', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3] }), tfl.layers.batchNormalization(), tfl.layers.dense({ units: 2 })] });
    const dir = join(folder, 'bn');
    await model.save(directorySaveHandler(dir));
    const error = await loadMlpFromTfjsFiles(dir).catch((e: unknown) => e);
    expect(IntrinsicError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/class BatchNormalization is not supported; supported layers: InputLayer, Dense, Activation, ReLU, LeakyReLU, Flatten, Dropout/);
    model.dispose();
  });

  it('rejects missing, malformed and truncated model files with one-line errors', async () => {
    await expect(loadLayersModelFromFiles(join(folder, 'nothing-here'))).rejects.toThrow(/does not exist/);
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, '{ not json');
    await expect(loadLayersModelFromFiles(bad)).rejects.toThrow(/not valid JSON/);
    const spec = mlpSpec({ widths: [3, 2], seed: 1 });
    const model = mlpToLayersModel(spec, initializeParameters(spec));
    const dir = join(folder, 'short');
    await model.save(directorySaveHandler(dir));
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(8));
    await expect(loadLayersModelFromFiles(dir)).rejects.toThrow(/weight files hold 8 bytes, the manifest needs 24/);
    model.dispose();
  });
});
