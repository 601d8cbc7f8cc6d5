import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../activations.js';
import { syntheticDataset, type Dataset } from '../data.js';
import { initializeParameters } from '../init.js';
import { LOSSES, type Loss } from '../losses.js';
import { MlpEvaluation } from '../mlp-engine.js';
import { mlpSpec } from '../spec.js';
import { initializeNetworkParameters } from './network-init.js';
import { NetworkEvaluation, networkLoss } from './network-engine.js';
import { mlpAsNetworkSpec, networkSpec, type LayerSpec, type NetworkSpec } from './network-spec.js';
import { inferNetworkShapes } from './network-shapes.js';

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / Math.max(n, 1e-300));
}

/** Largest |a − b| (0 for bit-identical values; +0 and −0 count as equal). */
function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function dataFor(spec: NetworkSpec, loss: Loss, count: number, seed: number): Dataset {
  const shapes = inferNetworkShapes(spec);
  const inputSize = shapes[0].inputSize;
  const outputSize = shapes[shapes.length - 1].outputSize;
  return syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'mixture', count, inputSize, outputSize, seed });
}

describe('a network of dense and activation layers is MlpEvaluation exactly', () => {
  const cases = ACTIVATIONS.flatMap((activation) => LOSSES.flatMap((loss) => [false, true].map((bias) => ({ activation, loss, bias }))));
  it.each(cases)('$activation $loss bias=$bias: same init, outputs, gradient, Jacobian, per-sample gradients, H v, H_O v, H_F v, F v', ({ activation, loss, bias }) => {
    const mlp = mlpSpec({ widths: [5, 6, 4, 3], activation, bias, seed: 4 });
    const spec = mlpAsNetworkSpec(mlp);
    const params = initializeParameters(mlp);
    // Same seed, same random stream: the network initialiser reproduces the MLP's parameters.
    expect(maxAbsDifference(initializeNetworkParameters(spec), params)).toBe(0);
    for (let i = 0; i < params.length; i++) params[i] += 0.05 * Math.sin(5 * i + 2);
    const data = syntheticDataset({ kind: loss === 'mse' ? 'gaussian' : 'mixture', count: 9, inputSize: 5, outputSize: 3, seed: 2 });
    const a = new MlpEvaluation(mlp, params, data, loss);
    const b = new NetworkEvaluation(spec, params, data, loss);
    expect(b.value).toBe(a.value);
    expect(maxAbsDifference(b.outputs, a.outputs)).toBe(0);
    expect(maxAbsDifference(b.gradient(), a.gradient())).toBe(0);
    expect(maxAbsDifference(b.outputJacobian(), a.outputJacobian())).toBe(0);
    expect(maxAbsDifference(b.perSampleGradients(), a.perSampleGradients())).toBe(0);
    const v = new Float64Array(params.length).map((_, i) => Math.cos(0.37 * i + 0.1));
    for (const part of ['full', 'outer', 'functional', 'fisher'] as const) {
      expect(maxAbsDifference(b.curvatureProduct(v, part), a.curvatureProduct(v, part))).toBe(0);
    }
  });
});

interface Case {
  name: string;
  input: number[];
  layers: LayerSpec[];
}

/** Small networks covering every layer type, stride 1 and 2, valid / same / numeric padding. */
const networks: Case[] = [
  { name: 'conv1d valid, tanh', input: [2, 7], layers: [{ type: 'conv1d', filters: 3, kernel: 3 }, { type: 'activation', activation: 'tanh' }, { type: 'flatten' }, { type: 'dense', units: 3 }] },
  { name: 'conv1d same stride 2, softplus, conv1d', input: [2, 8], layers: [{ type: 'conv1d', filters: 2, kernel: 4, stride: 2, padding: 'same' }, { type: 'activation', activation: 'softplus' }, { type: 'conv1d', filters: 3, kernel: 2 }, { type: 'flatten' }] },
  { name: 'conv2d valid, sigmoid, avgpool', input: [2, 5, 5], layers: [{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'activation', activation: 'sigmoid' }, { type: 'avgpool', size: 2, stride: 1 }, { type: 'flatten' }, { type: 'dense', units: 3 }] },
  { name: 'conv2d same stride 2, gelu, maxpool', input: [1, 6, 5], layers: [{ type: 'conv2d', filters: 3, kernel: [3, 2], stride: 2, padding: 'same' }, { type: 'activation', activation: 'gelu' }, { type: 'maxpool', size: [2, 1], stride: 1 }, { type: 'flatten' }, { type: 'dense', units: 3 }] },
  { name: 'conv2d padding 1 stride [2, 1], leaky-relu, avgpool 1-D-window', input: [2, 4, 4], layers: [{ type: 'conv2d', filters: 2, kernel: 2, stride: [2, 1], padding: 1 }, { type: 'activation', activation: 'leaky-relu' }, { type: 'avgpool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }] },
  { name: 'locally connected 1d padding 1 stride 2, tanh, maxpool', input: [2, 9], layers: [{ type: 'locally-connected1d', filters: 2, kernel: 3, stride: 2, padding: 1 }, { type: 'activation', activation: 'tanh' }, { type: 'maxpool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }] },
  { name: 'locally connected 2d, softplus, output layer', input: [2, 4, 4], layers: [{ type: 'conv2d', filters: 2, kernel: 2 }, { type: 'activation', activation: 'softplus' }, { type: 'locally-connected2d', filters: 1, kernel: 2, stride: 2, padding: 'same' }, { type: 'flatten' }] },
  { name: 'linear CNN: conv1d, conv1d, dense', input: [1, 8], layers: [{ type: 'conv1d', filters: 2, kernel: 3 }, { type: 'conv1d', filters: 2, kernel: 2, stride: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }] },
];

const derivativeCases = networks.flatMap((c) => [false, true].map((bias, j) => ({ ...c, bias, loss: LOSSES[(networks.indexOf(c) + j) % 2] })));

function perturbed(spec: NetworkSpec): Float64Array {
  const params = initializeNetworkParameters(spec);
  // Non-zero biases so that their derivatives are exercised away from 0.
  for (let i = 0; i < params.length; i++) params[i] += 0.1 * Math.sin(3 * i + 1);
  return params;
}

describe('NetworkEvaluation derivatives against central finite differences', () => {
  it.each(derivativeCases)('$name, bias=$bias, $loss', ({ input, layers, bias, loss }) => {
    const spec = networkSpec({ input, layers, bias, seed: 9 });
    const params = perturbed(spec);
    const data = dataFor(spec, loss, 4, 6);
    const evaluation = new NetworkEvaluation(spec, params, data, loss);
    const p = params.length;
    const K = evaluation.outputSize;
    const h = 1e-6;
    const fdGrad = new Float64Array(p);
    const fdJacobian = new Float64Array(data.count * K * p);
    for (let j = 0; j < p; j++) {
      const plus = params.slice();
      const minus = params.slice();
      plus[j] += h;
      minus[j] -= h;
      const ePlus = new NetworkEvaluation(spec, plus, data, loss);
      const eMinus = new NetworkEvaluation(spec, minus, data, loss);
      fdGrad[j] = (ePlus.value - eMinus.value) / (2 * h);
      for (let r = 0; r < data.count * K; r++) fdJacobian[r * p + j] = (ePlus.outputs[r] - eMinus.outputs[r]) / (2 * h);
    }
    expect(relativeError(evaluation.gradient(), fdGrad)).toBeLessThan(1e-7);
    const J = evaluation.outputJacobian();
    expect(relativeError(J, fdJacobian)).toBeLessThan(1e-7);
    const G = evaluation.perSampleGradients();
    const mean = new Float64Array(p);
    for (let i = 0; i < data.count; i++) for (let j = 0; j < p; j++) mean[j] += G[i * p + j] / data.count;
    expect(relativeError(mean, evaluation.gradient())).toBeLessThan(1e-13);

    // H v against central differences of the gradient along v.
    const v = new Float64Array(p).map((_, i) => Math.sin(0.7 * i + 0.3));
    const hv = 1e-5;
    const gPlus = new NetworkEvaluation(spec, params.map((x, i) => x + hv * v[i]), data, loss).gradient();
    const gMinus = new NetworkEvaluation(spec, params.map((x, i) => x - hv * v[i]), data, loss).gradient();
    const fd = gPlus.map((x, i) => (x - gMinus[i]) / (2 * hv));
    const Hv = evaluation.curvatureProduct(v, 'full');
    expect(relativeError(Hv, fd)).toBeLessThan(1e-6);
    const HOv = evaluation.curvatureProduct(v, 'outer');
    const HFv = evaluation.curvatureProduct(v, 'functional');
    expect(relativeError(HOv.map((x, i) => x + HFv[i]), Hv)).toBeLessThan(1e-12);
    // H_O v = (1/N) Σ_i J_iᵀ Λ_i J_i v from the explicit Jacobian.
    const Jv = new Float64Array(data.count * K);
    for (let r = 0; r < Jv.length; r++) for (let j = 0; j < p; j++) Jv[r] += J[r * p + j] * v[j];
    const outer = new Float64Array(p);
    const Lambda = evaluation.outputHessians;
    for (let i = 0; i < data.count; i++) {
      for (let a = 0; a < K; a++) {
        let w = 0;
        for (let b = 0; b < K; b++) w += Lambda[(i * K + a) * K + b] * Jv[i * K + b];
        for (let j = 0; j < p; j++) outer[j] += (J[(i * K + a) * p + j] * w) / data.count;
      }
    }
    expect(relativeError(HOv, outer)).toBeLessThan(1e-12);
    // H_F v against finite differences of the functional part: (1/N) Σ_i Σ_k g_ik ∇²f_k v, with g frozen,
    // is the derivative along v of (1/N) Σ_i J_iᵀ g_i (g fixed at θ).
    const g = evaluation.outputGradients;
    const frozen = (theta: Float64Array) => {
      const Jt = new NetworkEvaluation(spec, theta, data, loss).outputJacobian();
      const out = new Float64Array(p);
      for (let r = 0; r < data.count * K; r++) for (let j = 0; j < p; j++) out[j] += (Jt[r * p + j] * g[r]) / data.count;
      return out;
    };
    const fPlus = frozen(params.map((x, i) => x + hv * v[i]));
    const fMinus = frozen(params.map((x, i) => x - hv * v[i]));
    const fdFunctional = fPlus.map((x, i) => (x - fMinus[i]) / (2 * hv));
    const functionalNorm = Math.hypot(...fdFunctional);
    if (functionalNorm > 1e-9) expect(relativeError(HFv, fdFunctional)).toBeLessThan(1e-6);
    else expect(Math.hypot(...HFv)).toBeLessThan(1e-9);
    // Empirical Fisher F v = (1/N) Σ_i ∇ℓ_i (∇ℓ_iᵀ v).
    const fisher = new Float64Array(p);
    for (let i = 0; i < data.count; i++) {
      let dot = 0;
      for (let j = 0; j < p; j++) dot += G[i * p + j] * v[j];
      for (let j = 0; j < p; j++) fisher[j] += (G[i * p + j] * dot) / data.count;
    }
    expect(relativeError(evaluation.curvatureProduct(v, 'fisher'), fisher)).toBeLessThan(1e-12);
  });
});

describe('NetworkEvaluation guards', () => {
  const spec = networkSpec({ input: [1, 6], layers: [{ type: 'conv1d', filters: 2, kernel: 3 }, { type: 'flatten' }] });
  it('rejects parameter vectors, direction vectors and data of the wrong size', () => {
    const data = dataFor(spec, 'mse', 3, 0);
    expect(() => new NetworkEvaluation(spec, new Float64Array(5), data, 'mse')).toThrow(/length 5, the spec has p = 6/);
    const evaluation = new NetworkEvaluation(spec, initializeNetworkParameters(spec), data, 'mse');
    expect(() => evaluation.curvatureProduct(new Float64Array(4))).toThrow(/length 4, expected p = 6/);
    const wrong = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: 5, outputSize: 8, seed: 0 });
    expect(() => networkLoss(spec, initializeNetworkParameters(spec), wrong, 'mse')).toThrow(/input size 5, the network expects 6/);
    expect(() => new NetworkEvaluation(spec, initializeNetworkParameters(spec), data, 'hinge' as Loss)).toThrow(/unknown loss 'hinge'/);
    expect(evaluation.layerOutput(-1)).toBe(data.inputs);
    expect(evaluation.layerOutput(1)).toBe(evaluation.outputs);
    expect(evaluation.layerOutput(0)).toHaveLength(3 * 8);
    expect(() => evaluation.layerOutput(2)).toThrow(/layer 2 outside -1…1/);
  });
  it('rejects a non-finite loss', () => {
    const data = dataFor(spec, 'mse', 3, 0);
    data.inputs[1] = Number.NaN;
    expect(() => new NetworkEvaluation(spec, initializeNetworkParameters(spec), data, 'mse')).toThrow(/loss is NaN/);
  });
});

describe('weight sharing: a convolution is a locally connected layer with tied kernels', () => {
  it.each([
    { name: '1-D', input: [2, 7], conv: { type: 'conv1d', filters: 2, kernel: 3, stride: 2, padding: 'same' } as LayerSpec, local: 'locally-connected1d' as const },
    { name: '2-D', input: [1, 4, 5], conv: { type: 'conv2d', filters: 2, kernel: [2, 3], padding: 1 } as LayerSpec, local: 'locally-connected2d' as const },
  ])('$name: outputs agree, gradients and H v, H_O v, H_F v pull back through the tying map S', ({ input, conv, local }) => {
    const tail: LayerSpec[] = [{ type: 'activation', activation: 'tanh' }, { type: 'flatten' }, { type: 'dense', units: 3 }];
    const convSpec = networkSpec({ input, layers: [conv, ...tail], bias: true, seed: 2 });
    const localSpec = networkSpec({ input, layers: [{ ...conv, type: local } as LayerSpec, ...tail], bias: true, seed: 2 });
    const convLayout = inferNetworkShapes(convSpec);
    const positions = convLayout[0].outputSize / convLayout[0].outputShape[0];
    const F = convLayout[0].outputShape[0];
    const kernelSize = (convLayout[0].weightShape as number[]).reduce((a, b) => a * b, 1);
    const convParams = perturbed(convSpec);
    const p = convParams.length;
    // S: conv parameters → locally connected parameters (every position gets the shared kernel and bias).
    const tie = (theta: Float64Array): Float64Array => {
      const out: number[] = [];
      for (let q = 0; q < positions; q++) for (let j = 0; j < kernelSize; j++) out.push(theta[j]);
      for (let q = 0; q < positions; q++) for (let f = 0; f < F; f++) out.push(theta[kernelSize + f]);
      for (let j = kernelSize + F; j < p; j++) out.push(theta[j]);
      return Float64Array.from(out);
    };
    // Sᵀ: sum the locally connected entries of each shared parameter.
    const untie = (u: Float64Array): Float64Array => {
      const out = new Float64Array(p);
      let k = 0;
      for (let q = 0; q < positions; q++) for (let j = 0; j < kernelSize; j++) out[j] += u[k++];
      for (let q = 0; q < positions; q++) for (let f = 0; f < F; f++) out[kernelSize + f] += u[k++];
      for (let j = kernelSize + F; j < p; j++) out[j] = u[k++];
      return out;
    };
    const data = dataFor(convSpec, 'cross-entropy', 5, 3);
    const a = new NetworkEvaluation(convSpec, convParams, data, 'cross-entropy');
    const b = new NetworkEvaluation(localSpec, tie(convParams), data, 'cross-entropy');
    expect(relativeError(b.outputs, a.outputs)).toBeLessThan(1e-14);
    expect(relativeError(untie(b.gradient()), a.gradient())).toBeLessThan(1e-13);
    const v = new Float64Array(p).map((_, i) => Math.cos(1.3 * i));
    for (const part of ['full', 'outer', 'functional', 'fisher'] as const) {
      expect(relativeError(untie(b.curvatureProduct(tie(v), part)), a.curvatureProduct(v, part))).toBeLessThan(1e-12);
    }
  });
});
