import { beforeAll, describe, expect, it } from 'vitest';
import { IntrinsicError, Random } from '@intrinsic/spectra';
import { syntheticDataset } from '../data.js';
import { LOSSES } from '../losses.js';
import { NetworkEvaluation } from '../network/network-engine.js';
import { initializeNetworkParameters } from '../network/network-init.js';
import { networkSpec, type LayerSpec } from '../network/network-spec.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { tfjsNetworkGgnOperator, tfjsNetworkHessianOperator } from './tfjs-network-hessian-operator.js';

function relativeError(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

beforeAll(useCpuBackend);

/** Small CNNs covering every layer type with parameters and every pooling, with smooth and piecewise-linear activations. */
const networks: { name: string; input: number[]; layers: LayerSpec[] }[] = [
  {
    name: 'conv2d → tanh → maxpool → locally-connected2d → softplus → flatten → dense',
    input: [2, 6, 6],
    layers: [
      { type: 'conv2d', filters: 3, kernel: 3, padding: 'same' },
      { type: 'activation', activation: 'tanh' },
      { type: 'maxpool', size: 2 },
      { type: 'locally-connected2d', filters: 2, kernel: 2 },
      { type: 'activation', activation: 'softplus' },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ],
  },
  {
    name: 'conv1d (stride 2, padding 1) → gelu → avgpool → locally-connected1d → relu → flatten → dense',
    input: [2, 11],
    layers: [
      { type: 'conv1d', filters: 3, kernel: 3, stride: 2, padding: 1 },
      { type: 'activation', activation: 'gelu' },
      { type: 'avgpool', size: 2, stride: 1 },
      { type: 'locally-connected1d', filters: 2, kernel: 2 },
      { type: 'activation', activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ],
  },
];

const cases = networks.flatMap((network) => LOSSES.map((loss) => ({ ...network, loss })));

describe('tfjs curvature operators of layered networks against the float64 engine', () => {
  it.each(cases)('$name, $loss: Hv and Gv (relative error ≤ 1e-4)', ({ input, layers, loss }) => {
    const spec = networkSpec({ input, layers, bias: true, seed: 4 });
    const params = initializeNetworkParameters(spec);
    const d = input.reduce((a, b) => a * b, 1);
    const data = syntheticDataset({ kind: 'gaussian', count: 12, inputSize: d, outputSize: 3, seed: 9 });
    if (loss === 'cross-entropy') {
      // one-hot targets
      for (let i = 0; i < data.count; i++) for (let k = 0; k < 3; k++) data.targets[3 * i + k] = k === i % 3 ? 1 : 0;
    }
    const evaluation = new NetworkEvaluation(spec, params, data, loss);
    const p = evaluation.layout.size;
    const random = new Random(5);
    const hessian = tfjsNetworkHessianOperator(spec, params, data, loss, { batchSize: 5 });
    const ggn = tfjsNetworkGgnOperator(spec, params, data, loss, { batchSize: 7 });
    try {
      for (let trial = 0; trial < 2; trial++) {
        const v = new Float64Array(p);
        for (let i = 0; i < p; i++) v[i] = random.gaussian();
        const Hv = new Float64Array(p);
        const Gv = new Float64Array(p);
        hessian.apply(v, Hv);
        ggn.apply(v, Gv);
        expect(relativeError(Hv, evaluation.curvatureProduct(v, 'full'))).toBeLessThan(1e-4);
        expect(relativeError(Gv, evaluation.curvatureProduct(v, 'outer'))).toBeLessThan(1e-4);
      }
    } finally {
      hessian.dispose();
      ggn.dispose();
    }
  });

  it('rejects data that does not fit and a bad batch size with IntrinsicErrors', () => {
    const spec = networkSpec({ input: [1, 4, 4], layers: [{ type: 'conv2d', filters: 1, kernel: 2 }, { type: 'flatten' }, { type: 'dense', units: 2 }] });
    const params = initializeNetworkParameters(spec);
    const wrong = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: 15, outputSize: 2, seed: 1 });
    expect(() => tfjsNetworkHessianOperator(spec, params, wrong, 'mse')).toThrow(IntrinsicError);
    const data = syntheticDataset({ kind: 'gaussian', count: 3, inputSize: 16, outputSize: 2, seed: 1 });
    expect(() => tfjsNetworkGgnOperator(spec, params, data, 'mse', { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => tfjsNetworkHessianOperator(spec, params.subarray(1), data, 'mse')).toThrow(IntrinsicError);
  });
});
