import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { syntheticDataset } from '../data.js';
import { networkForward } from '../network/network-engine.js';
import { initializeNetworkParameters } from '../network/network-init.js';
import { networkParameterLayout } from '../network/network-layout.js';
import { networkSpec, type LayerSpec } from '../network/network-spec.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { networkFromLayersModel } from './network-from-layers.js';
import { loadNetworkFromTfjsFiles } from './network-model-files.js';
import { networkOutputsTensor, networkParametersToTensors, networkTensorPlan } from './network-tensors.js';
import { channelsLastShape, networkToLayersModel, reorderChannels } from './network-to-layers-model.js';
import { directorySaveHandler, loadLayersModelFromFiles } from './tfjs-model-files.js';

beforeAll(useCpuBackend);
const folder = mkdtempSync(join(tmpdir(), 'intrinsic-network-tfjs-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const conv = (type: 'conv1d' | 'conv2d' | 'locally-connected1d' | 'locally-connected2d', extra: Record<string, unknown>): LayerSpec => ({ type, filters: 3, kernel: 3, ...extra }) as LayerSpec;

/** One network per layer type and option (plus a mixed CNN); each runs through both engines and back. */
const cases: { name: string; input: number[]; layers: LayerSpec[]; bias?: boolean; leakySlope?: number }[] = [
  { name: 'dense + tanh', input: [6], layers: [{ type: 'dense', units: 4 }, { type: 'activation', activation: 'tanh' }, { type: 'dense', units: 3 }], bias: true },
  { name: 'conv1d same, stride 2', input: [2, 9], layers: [conv('conv1d', { stride: 2, padding: 'same' }), { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true },
  { name: 'conv1d numeric padding', input: [2, 7], layers: [conv('conv1d', { padding: 1 }), { type: 'activation', activation: 'gelu' }, { type: 'flatten' }, { type: 'dense', units: 2 }] },
  { name: 'conv2d valid, [3,2] kernel, [2,1] stride', input: [2, 6, 5], layers: [conv('conv2d', { kernel: [3, 2], stride: [2, 1] }), { type: 'activation', activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 3 }], bias: true },
  { name: 'conv2d same', input: [1, 5, 6], layers: [conv('conv2d', { padding: 'same', stride: 2 }), { type: 'flatten' }, { type: 'dense', units: 2 }] },
  { name: 'conv2d numeric padding [1, 2]', input: [2, 4, 4], layers: [conv('conv2d', { padding: [1, 2] }), { type: 'activation', activation: 'softplus' }, { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true },
  { name: 'locally-connected1d', input: [2, 8], layers: [conv('locally-connected1d', { stride: 2 }), { type: 'activation', activation: 'sigmoid' }, { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true },
  { name: 'locally-connected1d same', input: [2, 7], layers: [conv('locally-connected1d', { padding: 'same' }), { type: 'flatten' }, { type: 'dense', units: 2 }] },
  { name: 'locally-connected2d', input: [2, 5, 5], layers: [conv('locally-connected2d', { kernel: [2, 3] }), { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true },
  { name: 'locally-connected2d numeric padding', input: [1, 4, 4], layers: [conv('locally-connected2d', { padding: 1, stride: 2 }), { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true },
  { name: 'avgpool1d', input: [2, 9], layers: [conv('conv1d', {}), { type: 'avgpool', size: 2, stride: 1 }, { type: 'flatten' }, { type: 'dense', units: 2 }] },
  { name: 'maxpool1d', input: [2, 9], layers: [conv('conv1d', {}), { type: 'maxpool', size: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true },
  { name: 'avgpool2d', input: [2, 6, 6], layers: [conv('conv2d', { padding: 'same' }), { type: 'avgpool', size: [2, 3] }, { type: 'flatten' }, { type: 'dense', units: 2 }] },
  { name: 'maxpool2d', input: [2, 6, 6], layers: [conv('conv2d', {}), { type: 'maxpool', size: 2, stride: 1 }, { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true },
  { name: 'leaky-relu activation', input: [1, 6, 6], layers: [conv('conv2d', {}), { type: 'activation', activation: 'leaky-relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }], leakySlope: 0.2 },
  { name: 'flatten last', input: [2, 4, 4], layers: [conv('conv2d', { filters: 2 }), { type: 'flatten' }] },
  { name: 'convolution output, no flatten', input: [2, 5, 4], layers: [conv('conv2d', { filters: 2, kernel: 2 })], bias: true },
  {
    name: 'mixed CNN',
    input: [2, 8, 8],
    layers: [
      conv('conv2d', { padding: 'same' }),
      { type: 'activation', activation: 'relu' },
      { type: 'maxpool', size: 2 },
      conv('locally-connected2d', { filters: 2, kernel: 2 }),
      { type: 'activation', activation: 'tanh' },
      { type: 'avgpool', size: 1 },
      { type: 'flatten' },
      { type: 'dense', units: 5 },
      { type: 'activation', activation: 'relu' },
      { type: 'dense', units: 3 },
    ],
    bias: true,
  },
];

describe('network spec + parameters ↔ tfjs LayersModel, per layer type', () => {
  it.each(cases)('$name: round trip (files too) and outputs of both engines agree', async ({ name, input, layers, bias, leakySlope }) => {
    const spec = networkSpec({ input, layers, bias: bias ?? false, seed: 3, ...(leakySlope !== undefined ? { leakySlope } : {}) });
    const params = initializeNetworkParameters(spec);
    for (let i = 0; i < params.length; i++) params[i] += 0.1 * Math.sin(1 + i);
    const N = 5;
    const d = input.reduce((a, b) => a * b, 1);
    const shapes = networkParameterLayout(spec).shapes;
    const data = syntheticDataset({ kind: 'gaussian', count: N, inputSize: d, outputSize: shapes[shapes.length - 1].outputSize, seed: 7 });
    const reference = networkForward(spec, params, data);
    const model = networkToLayersModel(spec, params);
    const outputShape = model.outputs[0].shape.slice(1) as number[];
    // tfjs takes channels-last inputs and gives channels-last outputs; reorder both ways around the engine's layout.
    const x = reorderChannels(data.inputs, N, input, 'channels-last');
    const predicted = tf.tidy(() => (model.predict(tf.tensor(Float32Array.from(x), [N, ...channelsLastShape(input)])) as tf.Tensor).dataSync());
    const outputs = outputShape.length > 1 ? reorderChannels(predicted, N, [outputShape[outputShape.length - 1], ...outputShape.slice(0, -1)], 'channels-first') : predicted;
    expect(outputs.length).toBe(reference.length);
    expect(maxAbs(outputs, reference), `${name}: LayersModel vs float64`).toBeLessThan(1e-5 * Math.max(1, maxAbs(reference, new Float64Array(reference.length))));
    // The gather-based tfjs forward of the curvature operators computes the same function.
    const plan = networkTensorPlan(spec);
    const ops = tf.tidy(() => networkOutputsTensor(plan, networkParametersToTensors(plan.layout, params), tf.tensor2d(Float32Array.from(data.inputs), [N, d])).dataSync());
    plan.dispose();
    expect(maxAbs(ops, reference), `${name}: tfjs ops vs float64`).toBeLessThan(1e-5 * Math.max(1, maxAbs(reference, new Float64Array(reference.length))));
    // Back to a spec: the same layers and the parameters rounded to float32, within 1e-5 of the originals.
    const fromModel = networkFromLayersModel(model);
    expect(fromModel.spec.input).toEqual(input);
    expect(fromModel.spec.layers.map((l) => l.type)).toEqual(layers.map((l) => l.type));
    expect(Array.from(fromModel.params)).toEqual(Array.from(params, Math.fround));
    expect(maxAbs(fromModel.params, params)).toBeLessThan(1e-5);
    expect(maxAbs(networkForward(fromModel.spec, fromModel.params, data), reference)).toBeLessThan(1e-5 * Math.max(1, maxAbs(reference, new Float64Array(reference.length))));
    // Through model.json + weights.bin on disk (the reader that does not build a tfjs model).
    const dir = join(folder, name.replace(/[^a-z0-9]+/gi, '-'));
    await model.save(directorySaveHandler(dir));
    const fromFiles = await loadNetworkFromTfjsFiles(dir);
    expect(fromFiles.spec).toEqual(fromModel.spec);
    expect(Array.from(fromFiles.params)).toEqual(Array.from(fromModel.params));
    // And tfjs itself reloads the saved model (the custom layers are registered) with the same outputs.
    const reloaded = await loadLayersModelFromFiles(dir);
    const again = tf.tidy(() => (reloaded.predict(tf.tensor(Float32Array.from(x), [N, ...channelsLastShape(input)])) as tf.Tensor).dataSync());
    expect(Array.from(again)).toEqual(Array.from(predicted));
    reloaded.dispose();
    model.dispose();
  });
});

describe("a user's channels-last model with a plain Flatten", () => {
  it('reads Conv2D → Flatten → Dense with the Dense rows reordered to channel-first, same outputs', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [5, 4, 3], filters: 2, kernelSize: 2, activation: 'relu', useBias: true }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const { spec, params, outputActivation } = networkFromLayersModel(model);
    expect(outputActivation).toBe('softmax');
    expect(spec.input).toEqual([3, 5, 4]);
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'activation', 'maxpool', 'flatten', 'dense']);
    const N = 4;
    const data = syntheticDataset({ kind: 'gaussian', count: N, inputSize: 60, outputSize: 3, seed: 2 });
    const logits = networkForward(spec, params, data);
    const x = reorderChannels(data.inputs, N, spec.input, 'channels-last');
    const probabilities = tf.tidy(() => (model.predict(tf.tensor(Float32Array.from(x), [N, 5, 4, 3])) as tf.Tensor).dataSync());
    const softmax = new Float64Array(logits.length);
    for (let i = 0; i < N; i++) {
      const row = logits.subarray(3 * i, 3 * i + 3);
      const m = Math.max(...row);
      const e = Array.from(row, (z) => Math.exp(z - m));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, k) => (softmax[3 * i + k] = v / s));
    }
    expect(maxAbs(probabilities, softmax)).toBeLessThan(1e-5);
    model.dispose();
  });
});
