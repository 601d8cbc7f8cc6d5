import * as tf from '@tensorflow/tfjs-core';
import { matMulFast } from './mat-mul.js';

type Grads = Record<string, () => tf.Tensor>;
type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[], attrs: Record<string, unknown>) => Grads;

/** Sums a broadcast gradient back to the input's shape. */
function unbroadcast(dy: tf.Tensor, shape: number[]): tf.Tensor {
  // Always a new tensor object (a reshape shares the data): tfjs disposes accumulated gradients, so the
  // same tensor must not be handed out as the gradient of two inputs.
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  const reduced = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(reduced, shape);
}

function expandedShape(shape: number[], axis: unknown): number[] {
  const axes = tf.util.parseAxisParam(axis as number | number[], shape);
  return shape.map((size, i) => (axes.includes(i) ? 1 : size));
}

/**
 * Gradient functions written only with ops whose own gradients are registered here, and that read the
 * saved *inputs* (never the saved outputs): tfjs clones saved outputs outside the tape, so a gradient that
 * reads them (tfjs' own Tanh, Sigmoid, Exp) cannot be differentiated again.
 */
const GRADIENTS: Record<string, { inputsToSave: string[]; gradFunc: GradFunc }> = {
  BatchMatMul: {
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      const ta = Boolean(attrs.transposeA);
      const tb = Boolean(attrs.transposeB);
      // 2-D: products through matMulFast (explicit transposes instead of the slow transposed kernels of
      // wasm); batched operands of equal batch shape: the same formulas with tf.matMul.
      // Saved inputs are fresh clones, so the wasm kernel cannot reuse a packing: count it (last argument).
      const mm =
        a.rank === 2 && b.rank === 2
          ? (x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean) => matMulFast(x, y, tx, ty, false)
          : (x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean) => tf.matMul(x, y, tx, ty);
      if (!ta && !tb) return { a: () => mm(dy, b, false, true), b: () => mm(a, dy, true, false) };
      if (!ta && tb) return { a: () => mm(dy, b, false, false), b: () => mm(dy, a, true, false) };
      if (ta && !tb) return { a: () => mm(b, dy, false, true), b: () => mm(a, dy, false, false) };
      return { a: () => mm(b, dy, true, true), b: () => mm(dy, a, true, true) };
    },
  },
  Add: { inputsToSave: ['a', 'b'], gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy, a.shape), b: () => unbroadcast(dy, b.shape) }) },
  Sub: { inputsToSave: ['a', 'b'], gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(dy, a.shape), b: () => tf.neg(unbroadcast(dy, b.shape)) }) },
  Multiply: {
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => unbroadcast(tf.mul(dy, b), a.shape), b: () => unbroadcast(tf.mul(dy, a), b.shape) }),
  },
  RealDiv: {
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({
      a: () => unbroadcast(tf.div(dy, b), a.shape),
      b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy, a), tf.square(b))), b.shape),
    }),
  },
  Neg: { inputsToSave: [], gradFunc: (dy) => ({ x: () => tf.neg(dy) }) },
  Square: { inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(x, 2)) }) },
  Exp: { inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.exp(x)) }) },
  Log: { inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.div(dy, x) }) },
  Sum: {
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({ x: () => tf.mul(tf.reshape(dy, expandedShape(x.shape, attrs.axis)), tf.ones(x.shape)) }),
  },
  Max: {
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({
      x: () => {
        const shape = expandedShape(x.shape, attrs.reductionIndices);
        const y = tf.reshape(tf.max(x, attrs.reductionIndices as number[]), shape);
        return tf.mul(tf.reshape(dy, shape), tf.cast(tf.equal(x, y), 'float32'));
      },
    }),
  },
  Reshape: { inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy, x.shape) }) },
  Cast: { inputsToSave: [], gradFunc: (dy) => ({ x: () => tf.clone(dy) }) },
  Identity: { inputsToSave: [], gradFunc: (dy) => ({ x: () => tf.clone(dy) }) },
  Transpose: {
    inputsToSave: [],
    gradFunc: (dy, _saved, attrs) => {
      const perm = attrs.perm as number[];
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      return { x: () => tf.transpose(dy, inverse) };
    },
  },
  Relu: { inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.step(x, 0)) }) },
  // step(x, α) = 1 for x > 0 and α otherwise: the derivative of leaky-relu.
  LeakyRelu: { inputsToSave: ['x'], gradFunc: (dy, [x], attrs) => ({ x: () => tf.mul(dy, tf.step(x, attrs.alpha as number)) }) },
  Step: { inputsToSave: [], gradFunc: (dy) => ({ x: () => tf.zerosLike(dy) }) },
  Equal: { inputsToSave: ['a', 'b'], gradFunc: (_dy, [a, b]) => ({ a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) }) },
  Greater: { inputsToSave: ['a', 'b'], gradFunc: (_dy, [a, b]) => ({ a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) }) },
  Tanh: {
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x)))) }),
  },
  Sigmoid: {
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({
      x: () => {
        const s = tf.sigmoid(x);
        return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
      },
    }),
  },
  Softplus: { inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.sigmoid(x)) }) },
  Erf: {
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(2 / Math.sqrt(Math.PI), tf.exp(tf.neg(tf.square(x))))) }),
  },
};

/**
 * Kernels whose stock gradient is replaced: Tanh, Sigmoid, Exp read a saved output and LeakyRelu, Max use
 * ops without gradients, which breaks double back-propagation; BatchMatMul's stock gradient uses the
 * transposed products that are ≈ 30× slower on wasm (its replacement delegates to the stock one for
 * operands of rank > 2, which it does not handle).
 */
const OVERRIDDEN = new Set(['Tanh', 'Sigmoid', 'Exp', 'LeakyRelu', 'Max', 'BatchMatMul']);

const registeredFunctions = new Map<string, tf.GradConfig['gradFunc']>();

/**
 * Registers the gradients that the tfjs engine of Intrinsic needs for training and for Hessian-vector
 * products by double back-propagation, on the global tfjs-core gradient registry.
 *
 * `@tensorflow/tfjs-core` alone registers no gradients (the `@tensorflow/tfjs` bundle does), so this
 * registers each kernel's gradient that is missing: BatchMatMul, Add, Sub, Multiply, RealDiv, Neg,
 * Square, Exp, Log, Sum, Max, Reshape, Cast, Identity, Transpose, Relu, LeakyRelu, Step, Equal, Greater,
 * Tanh, Sigmoid, Softplus, Erf. For Tanh, Sigmoid, Exp, LeakyRelu and Max it replaces the stock gradient
 * even when present (and for 2-D BatchMatMul, for speed: see OVERRIDDEN): tfjs' versions read the saved output (a clone outside the tape) or use ops without
 * gradients (Greater/Select), so their second derivative fails with "Cannot compute gradient"; the
 * replacements compute the same first derivative from the saved input (e.g. tanh′(x) = 1 − tanh(x)²), so
 * first-order results are unchanged and the second derivative exists. Cheap and idempotent; it re-installs
 * the replacements if a later import (e.g. `@tensorflow/tfjs`) put the stock ones back.
 *
 * @returns the names of the kernels whose gradient this call registered (empty when all were in place).
 */
export function registerTfjsGradients(): string[] {
  const names: string[] = [];
  for (const [kernelName, config] of Object.entries(GRADIENTS)) {
    const existing = tf.getGradient(kernelName);
    if (existing !== undefined && existing.gradFunc === registeredFunctions.get(kernelName)) continue;
    if (existing !== undefined && !OVERRIDDEN.has(kernelName)) continue;
    let gradFunc = config.gradFunc as unknown as tf.GradConfig['gradFunc'];
    if (kernelName === 'BatchMatMul' && existing !== undefined) {
      const stock = existing.gradFunc;
      const mine = gradFunc;
      gradFunc = (dy, saved, attrs) => (saved[0].rank === 2 && saved[1].rank === 2 ? mine(dy, saved, attrs) : stock(dy, saved, attrs));
    }
    tf.registerGradient({ kernelName, inputsToSave: config.inputsToSave, gradFunc });
    registeredFunctions.set(kernelName, gradFunc);
    names.push(kernelName);
  }
  return names;
}
