import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { matMulFast } from './mat-mul.js';
import { registerTfjsGradients } from './register-gradients.js';

beforeAll(useCpuBackend);

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('matMulFast', () => {
  // Shapes that take each branch: small first operand (transpose it) and large first operand (transpose the result).
  it.each([
    [[3, 5], [3, 4], true, false],
    [[50, 2], [50, 30], true, false],
    [[4, 6], [7, 6], false, true],
    [[40, 3], [2, 3], false, true],
    [[5, 3], [4, 5], true, true],
    [[3, 5], [5, 4], false, false],
    [[2, 30], [40, 2], true, true],
  ] as const)('op(a %j) · op(b %j), transposeA=%s transposeB=%s equals tf.matMul', (shapeA, shapeB, ta, tb) => {
    const a = tf.randomNormal([...shapeA], 0, 1, 'float32', 1);
    const b = tf.randomNormal([...shapeB], 0, 1, 'float32', 2);
    const reference = tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb);
    for (const cached of [true, false]) {
      const fast = matMulFast(a, b, ta, tb, cached);
      expect(fast.shape).toEqual(reference.shape);
      expect(maxAbs(fast.dataSync(), reference.dataSync())).toBeLessThan(1e-5);
    }
  });

  it('the BatchMatMul gradient is exact for 2-D operands and delegates batched (3-D) ones', () => {
    registerTfjsGradients();
    // d/da Σ (a b) = 1 bᵀ, d/db Σ (a b) = aᵀ 1.
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const b = tf.tensor2d([[1, -1], [2, 0], [0.5, 3]]);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)))([a, b]);
    expect(Array.from(ga.dataSync())).toEqual([0, 2, 3.5, 0, 2, 3.5]);
    expect(Array.from(gb.dataSync())).toEqual([5, 5, 7, 7, 9, 9]);
    const a3 = tf.reshape(a, [1, 2, 3]);
    const b3 = tf.reshape(b, [1, 3, 2]);
    const [ga3] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D)))([a3, b3]);
    expect(ga3.shape).toEqual([1, 2, 3]);
    expect(Array.from(ga3.dataSync())).toEqual([0, 2, 3.5, 0, 2, 3.5]);
  });
});
