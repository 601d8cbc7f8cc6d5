import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { convolutionMatrix, defaultDataset, inferNetworkShapes, networkSpec, type LayerSpec, type NetworkSpec } from '@intrinsic/models';
import { linearNetworkRankPrediction } from '../linear-rank-theory.js';
import { coveredDataRank, layerPatchDataRanks, layerResidualPatchRanks, linearCnnRankBounds, patchOuterRankBound, predictNetworkRank, residualPatchFunctionalBound } from './cnn-rank-theory.js';
import { linearCnnStructure } from './cnn-structure.js';
import { applyRandomLayer, layerPatchIndex } from './cnn-structural-ranks.js';
import { measuredNetworkRanks, randomLinearCnn } from './cnn-test-family.js';

const PARTS = ['hessian', 'outer', 'functional'] as const;

describe('linear CNN rank theory against exact float64 ranks', () => {
  it('a randomised family of 210 linear CNNs (1-D and 2-D, depth 1–3, strides, padding, N below and above d, MSE and CE): every bound holds, one hidden layer H_F exact, H_O and H exact where claimed', () => {
    const rng = new Random(6);
    const counts = { total: 0, oneHidden: 0, deep: 0, twoD: 0, belowD: 0, aboveD: 0, crossEntropy: 0, strided: 0, hessianTight: 0, deepOuterTight: 0, outerExact: 0, hessianExact: 0, oneOuterTight: 0, oneFunctionalTight: 0, deepFunctionalTight: 0, deepHessianTight: 0, patchBoundTighter: 0, outerPatchTighter: 0, cutWindowOuter: 0 };
    while (counts.total < 210) {
      const member = randomLinearCnn(rng, counts.total, 220);
      if (!member) continue;
      const { spec, data, loss, d, N } = member;
      const measured = measuredNetworkRanks(spec, data, loss);
      const prediction = predictNetworkRank(spec, data, loss);
      const label = JSON.stringify({ input: spec.input, layers: spec.layers, N, loss });
      for (const part of PARTS) {
        const claim = prediction.parts[part];
        expect(claim.value, `${label} ${part}`).not.toBeNull();
        if (claim.kind === 'exact') expect(measured[part], `${label} ${part} exact`).toBe(claim.value);
        else expect(measured[part], `${label} ${part} bound`).toBeLessThanOrEqual(claim.value as number);
      }
      const structure = linearCnnStructure(spec);
      if (!structure.applies) throw new Error('family member is not a linear CNN');
      const hidden = structure.structure.stages.length;
      // The residual-patch bound on rank(H_F) (docs/theory.md §7.3) on its own, against the measured rank;
      // for one hidden layer it is the exact value 2Mρ.
      const { stages, parameters } = structure.structure;
      const patchBound = residualPatchFunctionalBound(layerResidualPatchRanks(spec, structure.structure, data, loss), parameters - stages.reduce((s, st) => s + st.parameters, 0));
      expect(measured.functional, `${label} patch bound`).toBeLessThanOrEqual(patchBound);
      if (hidden === 1) expect(patchBound, `${label} patch bound, one hidden layer`).toBe(measured.functional);
      // The patch-data bound on rank(H_O) on its own; for one hidden layer, capped by K′r_e, it is the value of
      // oneHiddenLayerCnnRanks (computed there through other code: hiddenRepresentationRank, patchDataRanks).
      const Kp = structure.structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
      const outerPatch = patchOuterRankBound(layerPatchDataRanks(spec, structure.structure, data), Kp);
      expect(measured.outer, `${label} H_O patch bound`).toBeLessThanOrEqual(outerPatch);
      // (With disjoint windows cut by padding the value comes from cutWindowOuterRank instead: at most that.)
      const patchValue = Math.min(Kp * (prediction.terms!.r as number), outerPatch);
      if (hidden === 1 && prediction.terms!.zFull === undefined && prediction.terms!.tangent === undefined) expect(patchValue, `${label} H_O patch bound, one hidden layer`).toBe(prediction.parts.outer.value);
      else if (hidden === 1) {
        expect(prediction.parts.outer.value as number, `${label} H_O cut-window value`).toBeLessThanOrEqual(patchValue);
        counts.cutWindowOuter++;
      }
      else {
        const older = linearCnnRankBounds(structure.structure, coveredDataRank(data, structure.structure.coveredInputs), loss);
        if (patchBound < older.functional) counts.patchBoundTighter++;
        if (outerPatch < older.outer) counts.outerPatchTighter++;
        if (prediction.parts.functional.value === measured.functional) counts.deepFunctionalTight++;
        if (prediction.parts.hessian.value === measured.hessian) counts.deepHessianTight++;
      }
      if (hidden === 1) {
        if (prediction.parts.outer.value === measured.outer) counts.oneOuterTight++;
        if (prediction.parts.functional.value === measured.functional) counts.oneFunctionalTight++;
        counts.oneHidden++;
        if (prediction.parts.outer.kind === 'exact') counts.outerExact++;
        if (prediction.parts.hessian.kind === 'exact') counts.hessianExact++;
        expect(prediction.parts.functional.kind).toBe('exact');
        if (prediction.parts.hessian.value === measured.hessian) counts.hessianTight++;
      } else {
        counts.deep++;
        expect(prediction.kind).toBe('upper-bound');
        if (prediction.parts.outer.value === measured.outer) counts.deepOuterTight++;
      }
      if (spec.input.length === 3) counts.twoD++;
      if (N < d) counts.belowD++;
      if (N > d) counts.aboveD++;
      if (loss === 'cross-entropy') counts.crossEntropy++;
      if (spec.layers.some((l) => 'stride' in l && l.stride !== 1)) counts.strided++;
      counts.total++;
    }
    // The family covers every branch.
    expect(counts.oneHidden).toBeGreaterThan(50);
    // H_O is exact except with K′ = 1 kernel syzygies or cut windows on data that do not span the covered
    // inputs (bounded then): 61 of the 71 when written.
    expect(counts.outerExact).toBeGreaterThan(0.8 * counts.oneHidden);
    expect(counts.cutWindowOuter).toBeGreaterThan(5);
    // H exact where oneHiddenLayerHessianRankClaim says so: 66 of the 71 when written.
    expect(counts.hessianExact).toBeGreaterThan(0.85 * counts.oneHidden);
    console.log(`family: ${JSON.stringify(counts)}`);
    expect(counts.deep).toBeGreaterThan(80);
    expect(counts.twoD).toBeGreaterThan(60);
    expect(counts.belowD).toBeGreaterThan(60);
    expect(counts.aboveD).toBeGreaterThan(60);
    expect(counts.crossEntropy).toBeGreaterThan(50);
    expect(counts.strided).toBeGreaterThan(40);
  }, 120_000);

  it('one hidden layer without padding artefacts: the structural ranks reduce to the closed forms z = min(r, M·a), ρ = min(s·a, b)', () => {
    // conv1d, 3 filters, kernel 3 on [2, 9] (a = 7, b = 6), K = 3, N = 40 > d = 18 and N = 5 < d.
    for (const N of [40, 5]) {
      const spec = networkSpec({ input: [2, 9], layers: [{ type: 'conv1d', filters: 3, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }], seed: 3 });
      const data = defaultDataset('gaussian', 'mse', N, 18, 3, 4);
      const prediction = predictNetworkRank(spec, data, 'mse');
      const r = Math.min(N, 18);
      const s = Math.min(3, r);
      expect(prediction.terms).toMatchObject({ r, z: Math.min(r, 21), rho: Math.min(s * 7, 6), M: 3, a: 7, b: 6 });
      const measured = measuredNetworkRanks(spec, data, 'mse');
      // rank(H_O) = min(K r, K z + M·max(ρ_P − M, 0)) with ρ_P = b = 6 (N·a ≥ b) and rank(H_F) = 2Mρ.
      expect(measured.outer).toBe(Math.min(3 * r, 3 * Math.min(r, 21) + 3 * 3));
      expect(measured.functional).toBe(2 * 3 * Math.min(s * 7, 6));
    }
  });

  it('a two-conv-layer CNN: the H_O bound K·r is attained, every bound holds and none exceeds p or the dense network with the same neurons', () => {
    // conv1d 4 → conv1d 4 filters, kernel 3 on [1, 12], K = 3, N = 30: the dense network [12, 40, 32, 3].
    const spec: NetworkSpec = networkSpec({ input: [1, 12], layers: [{ type: 'conv1d', filters: 4, kernel: 3 }, { type: 'conv1d', filters: 4, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }] });
    const data = defaultDataset('gaussian', 'mse', 30, 12, 3, 1);
    const prediction = predictNetworkRank(spec, data, 'mse');
    const measured = measuredNetworkRanks(spec, data, 'mse');
    const dense = linearNetworkRankPrediction({ widths: [12, 40, 32, 3], dataRank: 12, loss: 'mse' });
    if (!dense.applies) throw new Error('dense formula must apply');
    expect(measured.parameters).toBe(4 * 3 + 16 * 3 + 3 * 32);
    for (const part of PARTS) expect(measured[part]).toBeLessThanOrEqual(prediction.ranks![part]);
    // H_O ≤ K·r = 36 < p − symmetries = 156 − 32 = 124 and H_O is attained.
    expect(prediction.ranks!.outer).toBe(36);
    expect(measured.outer).toBe(36);
    for (const part of PARTS) expect(prediction.ranks![part]).toBeLessThanOrEqual(Math.min(measured.parameters, dense.ranks[part]));
  });

  it('two conv2d layers of c channels: the residual-patch bound on rank(H_F) grows linearly in c (2(9 + ρ₂) per channel) where p grows quadratically, holds, and is attained once ρ₂ saturates', () => {
    // [1, 7, 7] → 3 × 3 → 5 × 5 → 3 × 3 → 3 × 3, c channels each, K = 4, N = 60 Gaussian, MSE.
    const data = defaultDataset('gaussian', 'mse', 60, 49, 4, 5);
    const rows: { c: number; p: number; rho2: number; bound: number; older: number; measured: number }[] = [];
    for (const c of [2, 3, 4]) {
      const spec = networkSpec({ input: [1, 7, 7], layers: [{ type: 'conv2d', filters: c, kernel: 3 }, { type: 'conv2d', filters: c, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 4 }], seed: 1 });
      const read = linearCnnStructure(spec);
      if (!read.applies) throw new Error('a linear CNN');
      const layers = layerResidualPatchRanks(spec, read.structure, data, 'mse');
      const bound = residualPatchFunctionalBound(layers, 4 * 9 * c);
      const older = linearCnnRankBounds(read.structure, 49, 'mse').functional;
      const measured = measuredNetworkRanks(spec, data, 'mse');
      expect(predictNetworkRank(spec, data, 'mse').ranks!.functional).toBe(Math.min(bound, older));
      expect(measured.functional).toBeLessThanOrEqual(bound);
      rows.push({ c, p: measured.parameters, rho2: layers[1].rho, bound, older, measured: measured.functional });
    }
    // ρ₁ = b = 9; ρ₂ ≤ min(9c − Koszul relations, 25 inputs under one layer-2 patch): 17, 24, 25 (25 for every c ≥ 4,
    // so the bound then grows by 2(9 + 25) = 68 per channel).
    expect(rows.map((r) => r.rho2)).toEqual([17, 24, 25]);
    // 2 Σ_l M_l ρ_l − 1: the − 1 is the middle layer's gradient direction, in the range of B and of Bᵀ.
    expect(rows.map((r) => r.bound)).toEqual(rows.map((r) => 2 * (9 * r.c + r.c * r.rho2) - 1));
    // At c = 4 equal to the measured rank (observed), where the older bounds give p = 324.
    expect(rows.map((r) => r.measured)).toEqual([102, 183, 271]);
    expect(rows[2].older).toBe(324);
  }, 60_000);

  it('a 1 × 1 bottleneck: the patch-data bound on rank(H_O), K′z + Σ_l M_l(ρ_P,l − M_l)₊, is attained where K′r_e and p − symmetries are far above', () => {
    // [2, 3, 6] → 1 × 1 conv, 1 filter, padding 1 (1 × 5 × 8) → 1 × 1 conv, 1 filter, 'same' → dense 4, CE, N = 38.
    const spec = networkSpec({ input: [2, 3, 6], layers: [{ type: 'conv2d', filters: 1, kernel: 1, padding: 1 }, { type: 'conv2d', filters: 1, kernel: 1, padding: 'same' }, { type: 'flatten' }, { type: 'dense', units: 4 }], seed: 2 });
    const data = defaultDataset('gaussian', 'cross-entropy', 38, 36, 4, 7);
    const read = linearCnnStructure(spec);
    if (!read.applies) throw new Error('a linear CNN');
    const ranks = layerPatchDataRanks(spec, read.structure, data);
    // ρ_P,1 = b = 2 channels, ρ_P,2 = 1; z = the 18 positions of the 5 × 8 grid that see the 3 × 6 image.
    expect(ranks.layers.map((l) => l.ranks)).toEqual([[2], [1]]);
    expect(ranks.lastRepresentationRank).toBe(18);
    // K′z + 1·(2 − 1) + 1·(1 − 1) = 3·18 + 1 = 55.
    expect(patchOuterRankBound(ranks, 3)).toBe(55);
    const measured = measuredNetworkRanks(spec, data, 'cross-entropy');
    expect(measured.outer).toBe(55);
    expect(predictNetworkRank(spec, data, 'cross-entropy').ranks!.outer).toBe(55);
    // The earlier bounds: K′r_e = 3·36 = 108 (p = 2 + 1 + 4·40 = 163).
    expect(linearCnnRankBounds(read.structure, 36, 'cross-entropy').outer).toBe(108);
  });

  it('applyRandomLayer is the layer: equal to its Toeplitz matrix times the input for the same weights (conv and LC, 1-D and 2-D, strides, padding)', () => {
    const layers = [
      { input: [2, 9], layer: { type: 'conv1d', filters: 3, kernel: 3, stride: 2, padding: 1 } },
      { input: [3, 5, 4], layer: { type: 'conv2d', filters: 2, kernel: 2, padding: 'same' } },
      { input: [2, 7], layer: { type: 'locally-connected1d', filters: 2, kernel: 3 } },
      { input: [1, 5, 5], layer: { type: 'locally-connected2d', filters: 3, kernel: 3, stride: 2 } },
    ] as const;
    for (const { input, layer } of layers) {
      const spec = networkSpec({ input: [...input], layers: [layer as LayerSpec, { type: 'flatten' }, { type: 'dense', units: 2 }] });
      const shape = inferNetworkShapes(spec)[0];
      const u = new Random(4).fillGaussian(new Float64Array(shape.inputSize));
      const [v] = applyRandomLayer(layerPatchIndex(spec, 0), layer.filters, [u], new Random(9));
      const weights = new Random(9).fillGaussian(new Float64Array((shape.weightShape as number[]).reduce((a, b) => a * b, 1)));
      const T = convolutionMatrix(spec.layers[0], shape.inputShape, weights);
      expect(v.length).toBe(T.rows);
      for (let row = 0; row < T.rows; row++) {
        let sum = 0;
        for (let c = 0; c < T.columns; c++) sum += T.values[row * T.columns + c] * u[c];
        expect(Math.abs(v[row] - sum)).toBeLessThan(1e-12);
      }
    }
    expect(() => layerPatchIndex(networkSpec({ input: [1, 6], layers: [{ type: 'conv1d', filters: 1, kernel: 2 }, { type: 'flatten' }, { type: 'dense', units: 1 }] }), 2)).toThrow(/layer 2 is not a convolution/);
  });

  it('answers none with the reason outside bias-free linear CNNs, and rejects mismatched data', () => {
    const data = defaultDataset('gaussian', 'mse', 6, 8, 2, 1);
    const conv = { type: 'conv1d', filters: 2, kernel: 3 } as const;
    const cases: [NetworkSpec, RegExp][] = [
      [networkSpec({ input: [1, 8], layers: [conv, { type: 'activation', activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }] }), /relu activation/],
      [networkSpec({ input: [1, 8], layers: [conv, { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true }), /has a bias/],
      [networkSpec({ input: [1, 8], layers: [conv, { type: 'avgpool', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 2 }] }), /avgpool/],
      [networkSpec({ input: [8], layers: [{ type: 'dense', units: 3 }, { type: 'dense', units: 2 }] }), /follows the dense layer|no convolution/],
      [networkSpec({ input: [1, 8], layers: [conv, { type: 'flatten' }] }), /no dense readout/],
    ];
    for (const [spec, reason] of cases) {
      const prediction = predictNetworkRank(spec, data, 'mse');
      expect(prediction.kind).toBe('none');
      expect(prediction.reason).toMatch(reason);
      expect(prediction.parts.hessian.value).toBeNull();
      expect(prediction.parts.functional.value).toBeNull();
      expect(prediction.parts.outer.kind).toBe('upper-bound');
      if (reason.source === 'no dense readout') continue; // 12 outputs: the 2-target data do not fit
      // Only rank(H_O) ≤ min(p, N·K) remains, and it holds.
      const measured = measuredNetworkRanks(spec, data, 'mse');
      expect(prediction.parts.outer.value).toBe(Math.min(measured.parameters, 6 * 2));
      expect(measured.outer).toBeLessThanOrEqual(12);
    }
    const ok = networkSpec({ input: [1, 8], layers: [conv, { type: 'flatten' }, { type: 'dense', units: 2 }] });
    expect(() => predictNetworkRank(ok, defaultDataset('gaussian', 'mse', 6, 9, 2, 1), 'mse')).toThrow(/the data have 9 inputs, the network reads 8/);
  });
});
