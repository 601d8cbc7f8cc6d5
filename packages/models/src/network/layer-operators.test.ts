import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../data.js';
import { initializeNetworkParameters } from './network-init.js';
import { networkForward } from './network-engine.js';
import { networkParameterLayout } from './network-layout.js';
import { networkSpec, type LayerSpec } from './network-spec.js';

interface Geometry {
  C: number;
  H: number;
  W: number;
  F: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Zeros before the input (top, left); the padded size is given by Ho, Wo. */
  top: number;
  left: number;
  Ho: number;
  Wo: number;
}

/**
 * Direct definition of a 2-D cross-correlation on an explicitly zero-padded input (1-D: H = 1):
 * y[f, y, x] = b + Σ_{c, ky, kx} W(f, c, ky, kx, position) x̃[c, y·sh + ky, x·sw + kx].
 */
function naiveCorrelation(
  input: Float64Array,
  g: Geometry,
  weight: (f: number, c: number, ky: number, kx: number, q: number) => number,
  bias: (f: number, q: number) => number,
): Float64Array {
  const Hp = (g.Ho - 1) * g.sh + g.kh;
  const Wp = (g.Wo - 1) * g.sw + g.kw;
  const padded = new Float64Array(g.C * Math.max(Hp, g.H + g.top) * Math.max(Wp, g.W + g.left));
  const PH = Math.max(Hp, g.H + g.top);
  const PW = Math.max(Wp, g.W + g.left);
  for (let c = 0; c < g.C; c++) for (let y = 0; y < g.H; y++) for (let x = 0; x < g.W; x++) padded[(c * PH + y + g.top) * PW + x + g.left] = input[(c * g.H + y) * g.W + x];
  const out = new Float64Array(g.F * g.Ho * g.Wo);
  for (let f = 0; f < g.F; f++) {
    for (let y = 0; y < g.Ho; y++) {
      for (let x = 0; x < g.Wo; x++) {
        const q = y * g.Wo + x;
        let s = bias(f, q);
        for (let c = 0; c < g.C; c++) for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) s += weight(f, c, ky, kx, q) * padded[(c * PH + y * g.sh + ky) * PW + x * g.sw + kx];
        out[(f * g.Ho + y) * g.Wo + x] = s;
      }
    }
  }
  return out;
}

/** Direct pooling over windows (no padding): mean or max. */
function naivePool(input: Float64Array, g: Geometry, kind: 'avg' | 'max'): Float64Array {
  const out = new Float64Array(g.C * g.Ho * g.Wo);
  for (let c = 0; c < g.C; c++) {
    for (let y = 0; y < g.Ho; y++) {
      for (let x = 0; x < g.Wo; x++) {
        const values: number[] = [];
        for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) values.push(input[(c * g.H + y * g.sh + ky) * g.W + x * g.sw + kx]);
        out[(c * g.Ho + y) * g.Wo + x] = kind === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length;
      }
    }
  }
  return out;
}

interface LayerCase {
  name: string;
  input: number[];
  layer: LayerSpec;
  /** Expected geometry, worked out by hand from the padding rules. */
  g: Geometry;
}

const g0 = { sh: 1, sw: 1, top: 0, left: 0 };
const windowed: LayerCase[] = [
  { name: 'conv1d valid', input: [2, 7], layer: { type: 'conv1d', filters: 3, kernel: 3 }, g: { ...g0, C: 2, H: 1, W: 7, F: 3, kh: 1, kw: 3, Ho: 1, Wo: 5 } },
  // same, stride 2: out = ⌈8/2⌉ = 4, total padding 3·2 + 4 − 8 = 2, one zero before.
  { name: 'conv1d same stride 2', input: [2, 8], layer: { type: 'conv1d', filters: 2, kernel: 4, stride: 2, padding: 'same' }, g: { ...g0, C: 2, H: 1, W: 8, F: 2, kh: 1, kw: 4, sw: 2, left: 1, Ho: 1, Wo: 4 } },
  // padding 2, stride 3: padded length 9, out = ⌊(9 − 3)/3⌋ + 1 = 3.
  { name: 'conv1d padding 2 stride 3', input: [1, 5], layer: { type: 'conv1d', filters: 2, kernel: 3, stride: 3, padding: 2 }, g: { ...g0, C: 1, H: 1, W: 5, F: 2, kh: 1, kw: 3, sw: 3, left: 2, Ho: 1, Wo: 3 } },
  { name: 'conv2d valid', input: [2, 5, 5], layer: { type: 'conv2d', filters: 2, kernel: 3 }, g: { ...g0, C: 2, H: 5, W: 5, F: 2, kh: 3, kw: 3, Ho: 3, Wo: 3 } },
  // same, stride 2, kernel [3, 2] on 6 × 5: out 3 × 3, total padding 1 and 1, none before.
  { name: 'conv2d same stride 2', input: [1, 6, 5], layer: { type: 'conv2d', filters: 3, kernel: [3, 2], stride: 2, padding: 'same' }, g: { ...g0, C: 1, H: 6, W: 5, F: 3, kh: 3, kw: 2, sh: 2, sw: 2, Ho: 3, Wo: 3 } },
  // padding 1 on 4 × 4, stride [2, 1]: padded 6 × 6, out 3 × 5.
  { name: 'conv2d padding 1 stride [2, 1]', input: [2, 4, 4], layer: { type: 'conv2d', filters: 2, kernel: 2, stride: [2, 1], padding: 1 }, g: { ...g0, C: 2, H: 4, W: 4, F: 2, kh: 2, kw: 2, sh: 2, sw: 1, top: 1, left: 1, Ho: 3, Wo: 5 } },
  { name: 'locally connected 1d padding 1 stride 2', input: [2, 9], layer: { type: 'locally-connected1d', filters: 2, kernel: 3, stride: 2, padding: 1 }, g: { ...g0, C: 2, H: 1, W: 9, F: 2, kh: 1, kw: 3, sw: 2, left: 1, Ho: 1, Wo: 5 } },
  // same, stride 2 on 3 × 3: out 2 × 2, total padding 1 per axis, none before.
  { name: 'locally connected 2d same stride 2', input: [2, 3, 3], layer: { type: 'locally-connected2d', filters: 2, kernel: 2, stride: 2, padding: 'same' }, g: { ...g0, C: 2, H: 3, W: 3, F: 2, kh: 2, kw: 2, sh: 2, sw: 2, Ho: 2, Wo: 2 } },
];

describe('convolution and locally connected layers against the direct definition', () => {
  it.each(windowed.flatMap((c) => [false, true].map((bias) => ({ ...c, bias }))))('$name bias=$bias', ({ input, layer, g, bias }) => {
    const spec = networkSpec({ input, layers: [layer], bias, seed: 3 });
    const layout = networkParameterLayout(spec);
    expect(layout.shapes[0].outputShape).toEqual(input.length === 2 ? [g.F, g.Wo] : [g.F, g.Ho, g.Wo]);
    const params = initializeNetworkParameters(spec);
    for (let i = 0; i < params.length; i++) params[i] += 0.1 * Math.cos(i);
    const N = 3;
    const data = syntheticDataset({ kind: 'gaussian', count: N, inputSize: g.C * g.H * g.W, outputSize: g.F * g.Ho * g.Wo, seed: 1 });
    const out = networkForward(spec, params, data);
    const local = layer.type.startsWith('locally');
    const W = layout.views[0];
    const b = layout.views[1];
    // PyTorch layout [F, C, kh, kw]; locally connected [positions, F, C, kh, kw], bias [positions, F].
    const weight = (f: number, c: number, ky: number, kx: number, q: number) => params[W.offset + (((local ? q * g.F + f : f) * g.C + c) * g.kh + ky) * g.kw + kx];
    const biasAt = (f: number, q: number) => (bias ? params[b.offset + (local ? q * g.F + f : f)] : 0);
    const m = g.F * g.Ho * g.Wo;
    for (let i = 0; i < N; i++) {
      const x = data.inputs.subarray(i * g.C * g.H * g.W, (i + 1) * g.C * g.H * g.W);
      const expected = naiveCorrelation(x, g, weight, biasAt);
      for (let o = 0; o < m; o++) expect(out[i * m + o]).toBeCloseTo(expected[o], 13);
    }
  });
});

const pools: LayerCase[] = [
  { name: '1-D size 3 stride 2', input: [2, 7], layer: { type: 'avgpool', size: 3, stride: 2 }, g: { ...g0, C: 2, H: 1, W: 7, F: 2, kh: 1, kw: 3, sw: 2, Ho: 1, Wo: 3 } },
  { name: '2-D size 2', input: [2, 5, 4], layer: { type: 'avgpool', size: 2 }, g: { ...g0, C: 2, H: 5, W: 4, F: 2, kh: 2, kw: 2, sh: 2, sw: 2, Ho: 2, Wo: 2 } },
  { name: '2-D size [2, 3] stride 1', input: [1, 4, 5], layer: { type: 'avgpool', size: [2, 3], stride: 1 }, g: { ...g0, C: 1, H: 4, W: 5, F: 1, kh: 2, kw: 3, Ho: 3, Wo: 3 } },
];

/** A 1 × 1 convolution with identity weights over C channels: parameters for a network whose other layers have none. */
function identityStem(input: number[]): { layer: LayerSpec; params: (p: number) => Float64Array } {
  const C = input[0];
  const layer: LayerSpec = { type: input.length === 2 ? 'conv1d' : 'conv2d', filters: C, kernel: 1 };
  return {
    layer,
    params: (p) => {
      const w = new Float64Array(p);
      for (let c = 0; c < C; c++) w[c * C + c] = 1;
      return w;
    },
  };
}

describe('pooling, flatten and activation layers against the direct definition', () => {
  it.each(pools.flatMap((c) => (['avgpool', 'maxpool'] as const).map((type) => ({ ...c, type }))))('$type $name', ({ input, layer, g, type }) => {
    const stem = identityStem(input);
    const spec = networkSpec({ input, layers: [stem.layer, { ...layer, type } as LayerSpec], seed: 0 });
    const layout = networkParameterLayout(spec);
    expect(layout.shapes[1].outputShape).toEqual(input.length === 2 ? [g.C, g.Wo] : [g.C, g.Ho, g.Wo]);
    const N = 3;
    const n = g.C * g.H * g.W;
    const m = g.C * g.Ho * g.Wo;
    const data = syntheticDataset({ kind: 'gaussian', count: N, inputSize: n, outputSize: m, seed: 2 });
    const out = networkForward(spec, stem.params(layout.size), data);
    for (let i = 0; i < N; i++) {
      const expected = naivePool(data.inputs.subarray(i * n, (i + 1) * n), g, type === 'avgpool' ? 'avg' : 'max');
      for (let o = 0; o < m; o++) expect(out[i * m + o]).toBeCloseTo(expected[o], 14);
    }
  });

  it('flatten is the identity on channel-first data and activations act element-wise', () => {
    const input = [2, 3, 2];
    const stem = identityStem(input);
    const spec = networkSpec({ input, layers: [stem.layer, { type: 'activation', activation: 'tanh' }, { type: 'flatten' }, { type: 'activation', activation: 'softplus' }], seed: 0 });
    expect(networkParameterLayout(spec).shapes.map((s) => s.outputShape)).toEqual([[2, 3, 2], [2, 3, 2], [12], [12]]);
    const data = syntheticDataset({ kind: 'gaussian', count: 2, inputSize: 12, outputSize: 12, seed: 4 });
    const out = networkForward(spec, stem.params(4), data);
    for (let i = 0; i < 24; i++) expect(out[i]).toBeCloseTo(Math.log1p(Math.exp(Math.tanh(data.inputs[i]))), 14);
  });

  it('max-pooling takes the first maximum of a window on ties', () => {
    const spec = networkSpec({ input: [1, 4], layers: [{ type: 'conv1d', filters: 1, kernel: 1 }, { type: 'maxpool', size: 2 }], seed: 0 });
    const data = { inputs: Float64Array.from([3, 3, -1, 2]), targets: new Float64Array(2), count: 1, inputSize: 4, outputSize: 2, description: 'ties' };
    expect(Array.from(networkForward(spec, Float64Array.from([1]), data))).toEqual([3, 2]);
  });
});
