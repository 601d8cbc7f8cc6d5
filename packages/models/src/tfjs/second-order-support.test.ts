import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { IntrinsicError } from '@intrinsic/spectra';
import { activationFunctions } from '../activations.js';
import { mlpSpec } from '../spec.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { registerTfjsGradients } from './register-gradients.js';
import { checkSecondOrderSupport } from './second-order-support.js';

beforeAll(useCpuBackend);

/** The stock tfjs tanh gradient: reads the saved output y, which tfjs keeps as a clone outside the tape. */
const stockTanh: tf.GradConfig = {
  kernelName: 'Tanh',
  outputsToSave: [true],
  gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(saved[0]))) }),
};

function tanhSecondDerivative(z: number[]): Float32Array {
  return tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.grad((u: tf.Tensor) => tf.sum(tf.tanh(u)))(x)))(tf.tensor1d(z)).dataSync() as Float32Array);
}

describe('second derivatives on tfjs', () => {
  it('the stock output-based tanh gradient cannot be differentiated again; the registered one gives tanh″', () => {
    registerTfjsGradients();
    tf.registerGradient(stockTanh);
    expect(() => tanhSecondDerivative([0.5])).toThrow(/Cannot compute gradient/);
    // Registering again re-installs the input-based replacement.
    expect(registerTfjsGradients()).toContain('Tanh');
    const z = [-1.2, 0.3, 2];
    const tanh = activationFunctions('tanh');
    tanhSecondDerivative(z).forEach((value, i) => expect(value).toBeCloseTo(tanh.second(z[i]), 5));
    expect(registerTfjsGradients()).toEqual([]);
  });

  it('names the op when a second derivative is not available', () => {
    const softplus: tf.GradConfig = {
      kernelName: 'Softplus',
      outputsToSave: [true],
      // σ(x) = 1 − e^{−softplus(x)}, read from the saved output: right first derivative, no second.
      gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.exp(tf.neg(saved[0])))) }),
    };
    tf.registerGradient(softplus);
    const spec = mlpSpec({ widths: [2, 2, 2], activation: 'softplus', seed: 0 });
    let error: unknown;
    try {
      checkSecondOrderSupport(spec, 'mse');
    } catch (e) {
      error = e;
    }
    expect(IntrinsicError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^tfjs cannot take the second derivative of op Softplus \(activation softplus\) on backend cpu/);
    // Put back an input-based gradient so that other tests in this worker see a working Softplus.
    tf.registerGradient({ kernelName: 'Softplus', inputsToSave: ['x'], gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sigmoid(saved[0])) }) });
    expect(() => checkSecondOrderSupport(spec, 'cross-entropy')).not.toThrow();
  });
});
