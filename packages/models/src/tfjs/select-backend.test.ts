import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { syntheticDataset } from '../data.js';
import { initializeParameters } from '../init.js';
import { MlpEvaluation } from '../mlp-engine.js';
import { mlpSpec } from '../spec.js';
import { backendOrder, selectBackend } from './select-backend.js';
import { tfjsHessianOperator } from './tfjs-hessian-operator.js';

const wasmDirectory = `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`;
const loaders = {
  node: async () => {
    throw new Error('The Node.js native addon module (tfjs_binding.node) can not be found');
  },
  wasm: async () => setWasmPaths(wasmDirectory),
};

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('backend order and selection', () => {
  it('orders node → wasm → cpu on Node and webgl → wasm → cpu in the browser; a preferred backend goes first', () => {
    expect(backendOrder('node')).toEqual(['node', 'wasm', 'cpu']);
    expect(backendOrder('browser')).toEqual(['webgl', 'wasm', 'cpu']);
    expect(backendOrder('node', 'cpu')).toEqual(['cpu', 'node', 'wasm']);
    expect(() => backendOrder('node', 'webgl')).toThrow("backend 'webgl' is not available in the node; choose one of node, wasm, cpu");
  });

  it('falls back from a tfjs-node without its binding to wasm, and reports why', async () => {
    const selection = await selectBackend({ loaders });
    expect(selection.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.skipped).toEqual([{ backend: 'node', reason: 'The Node.js native addon module (tfjs_binding.node) can not be found' }]);
  });

  it.each(['r-operator', 'double-backprop'] as const)('a Hessian-vector product on wasm (%s) agrees with the float64 engine', async (method) => {
    await selectBackend({ preferred: 'wasm', loaders, strict: true });
    const spec = mlpSpec({ widths: [6, 5, 3], activation: 'gelu', bias: true, seed: 2 });
    const params = initializeParameters(spec);
    const data = syntheticDataset({ kind: 'gaussian-classes', count: 15, inputSize: 6, outputSize: 3, seed: 1 });
    const v = Float64Array.from({ length: params.length }, (_, i) => Math.cos(i));
    const H = tfjsHessianOperator(spec, params, data, 'cross-entropy', { method });
    expect(H.backend).toBe('wasm');
    const hv = H.apply(v);
    const exact = new MlpEvaluation(spec, params, data, 'cross-entropy').curvatureProduct(v, 'full');
    let d = 0;
    let n = 0;
    for (let i = 0; i < hv.length; i++) {
      d += (hv[i] - exact[i]) ** 2;
      n += exact[i] ** 2;
    }
    expect(Math.sqrt(d / n)).toBeLessThan(1e-3);
    H.dispose();
  });

  it('prefers cpu when asked; strict mode refuses a missing preferred backend; no backend at all is an error', async () => {
    expect((await selectBackend({ preferred: 'cpu', loaders })).backend).toBe('cpu');
    await expect(selectBackend({ preferred: 'node', loaders, strict: true })).rejects.toThrow("backend 'node' is not available: The Node.js native addon");
    const failing = async () => {
      throw new Error('absent');
    };
    await expect(selectBackend({ loaders: { node: failing, wasm: failing, cpu: failing } })).rejects.toThrow(
      'no TensorFlow.js backend could be initialised: node (absent); wasm (absent); cpu (absent)',
    );
  });
});
