import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { defaultDataset, networkParameterCount, networkSpec, type LayerSpec, type Loss, type NetworkSpec } from '@intrinsic/models';
import { predictNetworkRank } from './cnn-rank-theory.js';
import { kernelDirectionGenericRank, kernelDirectionRank, oneHiddenLayerHessianRankClaim, patchCoincidenceDimension, patchMixingDimension } from './cnn-hessian-rank.js';
import { measuredNetworkRanks, randomLinearCnn } from './cnn-test-family.js';
import { linearCnnStructure } from './cnn-structure.js';
import { kernelSyzygiesPossible } from './cnn-structural-ranks.js';

function linearCnnStructureCovered(spec: NetworkSpec): number {
  const read = linearCnnStructure(spec);
  if (!read.applies) throw new Error('not a linear CNN');
  return read.structure.coveredInputs.length;
}

describe('rank(H) of a one-hidden-layer linear CNN: min(p′, 2Mb + K′z − I) against exact float64 ranks', () => {
  it('conv1d on [2, 12], 3 filters of 3, K = 3, MSE: N = 40 > d gives I = C² = 4 (channel mixing), N = 10 < d gives I = 1', () => {
    // b = C·k = 6, a = 10, ρ = min(K·a, b) = 6 = b, p = 3·6 + 3·3·10 = 108.
    const spec = networkSpec({ input: [2, 12], layers: [{ type: 'conv1d', filters: 3, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }], seed: 5 });
    for (const [N, z, I] of [
      [40, 24, 4], // r = d = 24, z = min(r, M·a) = 24, every channel mix A ∈ ℝ^{2×2} qualifies: I = C·min(C, M·k) = 4
      [10, 10, 1], // r = 10 < d, z = 10, only A = identity: I = max(1, C² − s(d − r)) = 1
    ] as const) {
      const data = defaultDataset('gaussian', 'mse', N, 24, 3, 6);
      const measured = measuredNetworkRanks(spec, data, 'mse');
      const prediction = predictNetworkRank(spec, data, 'mse');
      expect(prediction.terms).toMatchObject({ M: 3, a: 10, b: 6, rho: 6, z, I, a0: 0 });
      const expected = Math.min(3 * 6 + 3 * 3 * 10, 2 * 3 * 6 + 3 * z - I);
      expect(measured.hessian).toBe(expected);
      expect(prediction.parts.hessian).toMatchObject({ kind: 'exact', value: expected });
      expect(prediction).toMatchObject({ kind: 'exact', reason: 'linear CNN with one hidden layer: H, H_O and H_F exact' });
      // The previous bound rank(H_O) + rank(H_F) − 1 is not attained at N = 40: 72 + 36 − 1 = 107 > 104.
      if (N === 40) expect(measured.outer + measured.functional - 1).toBe(107);
    }
  });

  it('a 1×1 convolution (windows that do not overlap): I = b·min(b, M), e.g. [2, 6], 3 filters, K = 1, N = 19', () => {
    // b = 2, a = 6, r = 12 = d, z = 12, I = 2·min(2, 3) = 4: rank(H) = min(6 + 18, 12 + 12 − 4) = 20,
    // while rank(H_O) + rank(H_F) − 1 = 12 + 12 − 1 = 23.
    const spec = networkSpec({ input: [2, 6], layers: [{ type: 'conv1d', filters: 3, kernel: 1 }, { type: 'flatten' }, { type: 'dense', units: 1 }], seed: 2 });
    const data = defaultDataset('gaussian', 'mse', 19, 12, 1, 3);
    const measured = measuredNetworkRanks(spec, data, 'mse');
    expect(measured).toMatchObject({ hessian: 20, outer: 12, functional: 12 });
    expect(predictNetworkRank(spec, data, 'mse').parts.hessian).toMatchObject({ kind: 'exact', value: 20 });
  });

  it('a second randomised family of 150 one-hidden-layer CNNs (Random(61)): rank(H) equals the formula wherever it is claimed exact, the bound holds elsewhere', () => {
    const rng = new Random(61);
    const counts = { total: 0, exact: 0, twoD: 0, strided: 0, padded: 0, belowD: 0, aboveD: 0, crossEntropy: 0, mixing: 0, notFull: 0 };
    let seed = 0;
    while (counts.total < 150) {
      const member = randomLinearCnn(rng, 6100 + seed++, 160, 1);
      if (!member) continue;
      const { spec, data, loss, d, N } = member;
      const measured = measuredNetworkRanks(spec, data, loss);
      const prediction = predictNetworkRank(spec, data, loss);
      const claim = prediction.parts.hessian;
      const label = JSON.stringify({ input: spec.input, layers: spec.layers, N, loss, terms: prediction.terms });
      counts.total++;
      if (claim.kind !== 'exact') {
        expect(measured.hessian, `${label} bound`).toBeLessThanOrEqual(claim.value as number);
        continue;
      }
      expect(measured.hessian, `${label} exact`).toBe(claim.value);
      counts.exact++;
      const layer = spec.layers[0] as { stride?: number; padding?: unknown };
      if (spec.input.length === 3) counts.twoD++;
      if ((layer.stride ?? 1) !== 1) counts.strided++;
      if (layer.padding !== undefined && layer.padding !== 'valid' && layer.padding !== 0) counts.padded++;
      if (N < d) counts.belowD++;
      if (N > d) counts.aboveD++;
      if (loss === 'cross-entropy') counts.crossEntropy++;
      if ((prediction.terms?.I ?? 0) > 1) counts.mixing++;
      if (measured.hessian < measured.parameters) counts.notFull++;
    }
    console.log(`one-hidden-layer family: ${JSON.stringify(counts)}`);
    // The exact claims cover every branch of the formula.
    expect(counts.exact).toBeGreaterThan(80);
    for (const key of ['twoD', 'strided', 'padded', 'belowD', 'aboveD', 'crossEntropy', 'mixing'] as const) expect(counts[key], key).toBeGreaterThan(5);
    expect(counts.notFull).toBeGreaterThan(40);
  }, 120_000);
});

/**
 * A seeded one-hidden-layer CNN without padding (every patch full): 1-D [C, 3…12] or 2-D [C, 2…6, 2…6],
 * C = 1…3, M = 1…5 filters, kernel 1…4, stride 1 (2/3) or 2…4 (or, with `nonOverlapping`, kernel or
 * kernel + 1), K = 1…4, N = 1…4 (a quarter) or 1…2d, MSE or CE (K ≥ 2). Null when the geometry does not fit.
 */
function randomValidCnn(rng: Random, seed: number, maxParameters: number, nonOverlapping: boolean): { spec: NetworkSpec; data: ReturnType<typeof defaultDataset>; loss: Loss; N: number; d: number } | null {
  const twoD = rng.integer(2) === 1;
  const C = 1 + rng.integer(3);
  const input = twoD ? [C, 2 + rng.integer(5), 2 + rng.integer(5)] : [C, 3 + rng.integer(10)];
  const kernel = 1 + rng.integer(4);
  const stride = nonOverlapping ? kernel + rng.integer(2) : rng.integer(3) === 0 ? 2 + rng.integer(3) : 1;
  const K = 1 + rng.integer(4);
  const layers: LayerSpec[] = [{ type: twoD ? 'conv2d' : 'conv1d', filters: 1 + rng.integer(5), kernel, stride, padding: 'valid' }, { type: 'flatten' }, { type: 'dense', units: K }];
  let spec: NetworkSpec;
  try {
    spec = networkSpec({ input, layers, seed });
  } catch {
    return null;
  }
  if (networkParameterCount(spec) > maxParameters) return null;
  const loss: Loss = K >= 2 && rng.integer(2) === 1 ? 'cross-entropy' : 'mse';
  const d = input.reduce((x, y) => x * y, 1);
  const N = rng.integer(4) === 0 ? 1 + rng.integer(4) : 1 + rng.integer(2 * d);
  return { spec, data: defaultDataset('gaussian', loss, N, d, K, seed), loss, N, d };
}

describe('rank(H) of a one-hidden-layer linear CNN with ρ = s·a < b: 2Mρ + (K′ − s)z + B against exact float64 ranks', () => {
  it('windows that overlap on no axis, w₀ > 0: [2, 6, 5], 5 filters 3 × 3, stride 3, K = 3, MSE, N = 22 gives B = 55, not min(M·n, K′(r − s), n·min(M, K′a)) = 57', () => {
    // a = 2, b = 18, s = 3, ρ = s·a = 6, ρ_P = b = 18, n = 12, r = 22, z = min(r, M·a) = 10.
    // w₀ = a·n − (r − s) = 24 − 19 = 5; m̃ = min(5, 6) = 5: B = 5·12 − 3·5 + min(15, 1·min(12, 10)) = 55.
    const spec = networkSpec({ input: [2, 6, 5], layers: [{ type: 'conv2d', filters: 5, kernel: 3, stride: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }], seed: 3 });
    const data = defaultDataset('gaussian', 'mse', 22, 60, 3, 4);
    const claim = oneHiddenLayerHessianRankClaim(spec, data, 'mse')!;
    expect(claim).toMatchObject({ branch: 'full-row', exact: true, value: 2 * 5 * 6 + 0 + 55 });
    expect(claim.terms).toMatchObject({ M: 5, a: 2, b: 18, s: 3, r: 22, z: 10, rho: 6, rhoP: 18, B: 55 });
    const measured = measuredNetworkRanks(spec, data, 'mse');
    expect(measured.hessian).toBe(115);
    expect(measured.functional).toBe(60);
    // What the previous code returned here: the bound rank(H_O) + rank(H_F) − 1, not attained.
    expect(measured.outer + measured.functional - 1).toBeGreaterThan(115);
  });

  it('overlapping windows with K > r (MSE): the (K′ − s)·z readout directions outside the residual span count, e.g. [3, 6], 2 filters of 4, K = 4, N = 2', () => {
    // a = 3, b = 12, r = 2, s = min(K, r) = 2 < K, ρ = s·a = 6 < b.
    const spec = networkSpec({ input: [3, 6], layers: [{ type: 'conv1d', filters: 2, kernel: 4 }, { type: 'flatten' }, { type: 'dense', units: 4 }], seed: 8 });
    const data = defaultDataset('gaussian', 'mse', 2, 18, 4, 9);
    const claim = oneHiddenLayerHessianRankClaim(spec, data, 'mse')!;
    // ρ = 6, z = min(r, M·a) = 2, ρ_P = min(N·a, b) = 6 so n = 0 and B = 0: rank(H) = 2·2·6 + (4 − 2)·2 = 28.
    expect(claim).toMatchObject({ branch: 'full-row', exact: true, value: 28 });
    expect(claim.terms).toMatchObject({ s: 2, r: 2, z: 2, rho: 6, rhoP: 6, B: 0 });
    expect(measuredNetworkRanks(spec, data, 'mse').hessian).toBe(28);
  });

  it('K′ = 1 kernel syzygies with overlapping windows: [3, 6, 6], 2 filters 4 × 4, stride 2, K = 1, N = 129: the count of B (88) is only a bound, the generic rank gives B = 83 and rank(H) = 99', () => {
    // a = 4, b = 48, ρ = s·a = 4, n = 44: min(M·n, K′(r − s), n·m̃) = 88; the Koszul relations (12 of them,
    // one per channel and coefficient of q) meet (ker G)^M in 12 − (Mρ − 1) = 5 directions: 2·2·4 + 0 + 83 = 99.
    const spec = networkSpec({ input: [3, 6, 6], layers: [{ type: 'conv2d', filters: 2, kernel: 4, stride: 2 }, { type: 'flatten' }, { type: 'dense', units: 1 }], seed: 6 });
    const data = defaultDataset('gaussian', 'mse', 129, 108, 1, 7);
    expect(kernelDirectionRank({ M: 2, a: 4, b: 48, Kp: 1, s: 1, r: 108, coveredInputs: 108, rho: 4, rhoP: 48, nonOverlapping: false, kernelSyzygies: true })).toEqual({ value: 88, exact: false });
    expect(kernelDirectionGenericRank(spec, data, 1, 1, 108)).toBe(83);
    const claim = oneHiddenLayerHessianRankClaim(spec, data, 'mse')!;
    expect(claim).toMatchObject({ branch: 'full-row', exact: true, value: 99, terms: { B: 83, BClosedForm: 0 } });
    expect(measuredNetworkRanks(spec, data, 'mse').hessian).toBe(99);
  });

  it('the closed form of B: the non-overlapping count reduces to min(M·n, K′(r − s), n·min(M, K′a)) when w₀ = 0 or the readout constraints are not binding', () => {
    // w₀ = 0: B = m̃·n.
    expect(kernelDirectionRank({ M: 3, a: 2, b: 9, Kp: 2, s: 2, r: 40, coveredInputs: 18, rho: 4, rhoP: 9, nonOverlapping: true, kernelSyzygies: false })).toEqual({ value: 15, exact: true });
    // n = 6, w₀ = a·n − (r − s) = 2, m̃ = 5, K′a − m̃ = 1: B = 30 − 3·2 + min(6, 1·min(6, 2·2)) = 28, below
    // min(M·n, K′(r − s), n·m̃) = 30 (the constraints of the readout span bind).
    expect(kernelDirectionRank({ M: 5, a: 2, b: 12, Kp: 3, s: 3, r: 13, coveredInputs: 24, rho: 6, rhoP: 12, nonOverlapping: true, kernelSyzygies: false }).value).toBe(28);
    // Overlapping windows with M·b > K′·d_c and M ≤ K′a: an upper bound only.
    expect(kernelDirectionRank({ M: 4, a: 6, b: 12, Kp: 1, s: 1, r: 27, coveredInputs: 27, rho: 6, rhoP: 12, nonOverlapping: false, kernelSyzygies: false })).toEqual({ value: 24, exact: false });
    // K′ = 1 Koszul relations: an upper bound only.
    expect(kernelDirectionRank({ M: 2, a: 4, b: 48, Kp: 1, s: 1, r: 108, coveredInputs: 108, rho: 4, rhoP: 48, nonOverlapping: false, kernelSyzygies: true })).toEqual({ value: 88, exact: false });
  });

  for (const [name, nonOverlapping, seed, target] of [
    ['windows that overlap on no axis', true, 71, 120],
    ['any stride (mostly overlapping windows)', false, 72, 160],
  ] as const) {
    it(`a seeded family of one-hidden-layer CNNs with ρ < b, ${name} (Random(${seed})): rank(H) = 2Mρ + (K′ − s)z + B on every one (B closed form or generic rank)`, () => {
      const rng = new Random(seed);
      const counts = { total: 0, exact: 0, closedForm: 0, twoD: 0, strided: 0, belowD: 0, aboveD: 0, crossEntropy: 0, singleOutput: 0, kAboveR: 0, vanishing: 0, overlapping: 0, improved: 0 };
      let attempt = 0;
      while (counts.total < target) {
        const member = randomValidCnn(rng, seed * 1000 + attempt++, 160, nonOverlapping);
        if (!member) continue;
        const { spec, data, loss, N, d } = member;
        const claim = oneHiddenLayerHessianRankClaim(spec, data, loss);
        if (!claim || claim.branch !== 'full-row') continue;
        counts.total++;
        const measured = measuredNetworkRanks(spec, data, loss);
        const label = JSON.stringify({ input: spec.input, layers: spec.layers, N, loss, terms: claim.terms });
        if (!claim.exact) {
          expect(measured.hessian, `${label} bound`).toBeLessThanOrEqual(claim.value);
          continue;
        }
        expect(measured.hessian, `${label} exact`).toBe(claim.value);
        counts.exact++;
        const t = claim.terms;
        if (t.BClosedForm === 1) counts.closedForm++;
        const layer = spec.layers[0] as { stride?: number; kernel: number };
        if (spec.input.length === 3) counts.twoD++;
        if ((layer.stride ?? 1) !== 1) counts.strided++;
        if (layer.kernel > (layer.stride ?? 1)) counts.overlapping++;
        if (N < d) counts.belowD++;
        if (N > d) counts.aboveD++;
        if (loss === 'cross-entropy') counts.crossEntropy++;
        if (t.Kp === 1) counts.singleOutput++;
        if (t.Kp > t.r) counts.kAboveR++;
        if (t.a * (t.rhoP - t.rho) > t.r - t.s) counts.vanishing++;
        if (claim.value < Math.min(measured.parameters, measured.outer + measured.functional - 1)) counts.improved++;
      }
      console.log(`ρ < b family (${name}): ${JSON.stringify(counts)}`);
      // Every full-row claim is exact (B by its closed form, or else by its generic rank).
      expect(counts.exact).toBe(target);
      expect(counts.closedForm).toBeGreaterThan(0.65 * target);
      if (!nonOverlapping) expect(counts.closedForm).toBeLessThan(target);
      for (const key of ['twoD', 'belowD', 'aboveD', 'crossEntropy', 'singleOutput', 'kAboveR', 'vanishing', 'improved'] as const) expect(counts[key], key).toBeGreaterThan(3);
      if (!nonOverlapping) expect(counts.overlapping).toBeGreaterThan(40);
    }, 120_000);
  }
});

describe('rank(H) with ρ = b, M ≥ b and overlapping windows: I = dim(S_G ∩ S_Z) as a generic rank', () => {
  it('[1, 6], 4 filters of 3, K = 1, N = 6: the shifted-window coincidences give I = 3 (patch mixing alone: 1), rank(H) = 27 (the previous value min(p′, …) = 28)', () => {
    // b = 3 ≤ M = 4, a = 4, r = d = 6, s = 1, z = 6: 2Mb + K′z − I = 24 + 6 − 3 = 27 < p′ = 12 + 16 = 28.
    const spec = networkSpec({ input: [1, 6], layers: [{ type: 'conv1d', filters: 4, kernel: 3 }, { type: 'flatten' }, { type: 'dense', units: 1 }], seed: 4 });
    const data = defaultDataset('gaussian', 'mse', 6, 6, 1, 5);
    expect(patchMixingDimension(spec, 6, 6, 1)).toBe(1);
    expect(patchCoincidenceDimension(spec, data, 1, 6)).toBe(3);
    const claim = oneHiddenLayerHessianRankClaim(spec, data, 'mse')!;
    expect(claim).toMatchObject({ branch: 'full-column', exact: true, value: 27 });
    expect(claim.terms).toMatchObject({ I: 3 });
    expect(measuredNetworkRanks(spec, data, 'mse').hessian).toBe(27);
  });

  it('disjoint windows cut by padding: [3, 5], 4 filters of 2, stride 3, padding 1, K = 3, N = 9 — the patch-mixing count (24) exceeds I = 21, so I is the generic rank: rank(H) = 48', () => {
    const spec = networkSpec({ input: [3, 5], layers: [{ type: 'conv1d', filters: 4, kernel: 2, stride: 3, padding: 1 }, { type: 'flatten' }, { type: 'dense', units: 3 }], seed: 2 });
    const data = defaultDataset('gaussian', 'mse', 9, 15, 3, 3);
    const claim = oneHiddenLayerHessianRankClaim(spec, data, 'mse')!;
    // b = 6, a = 2, d_c = 9 = r, s = 3; z = Σ_t min(M, live entries) = 3 + 4 = 7:
    // 2Mb + K′z − I = 48 + 21 − 21 = 48 = p′ = 24 + 0 + 3·4·2; with the patch-mixing count 24 it would be 45.
    expect(claim.terms).toMatchObject({ b: 6, a: 2, r: 9, z: 7, I: 21, IPatchMixing: -1 });
    expect(patchMixingDimension(spec, linearCnnStructureCovered(spec), 9, 3)).toBe(24);
    expect(claim).toMatchObject({ branch: 'full-column', exact: true, value: 48 });
    expect(measuredNetworkRanks(spec, data, 'mse').hessian).toBe(48);
  });

  it('the patch-mixing count misses coincidences even with M < b: [2, 12], 5 filters of 3, K = 2, CE, N = 29 (I = 6, not 4: rank 78) and [3, 4], 4 filters of 2, same padding, K = 4, N = 17 (I = 12, not 9: rank 84)', () => {
    for (const [input, filters, kernel, padding, K, loss, N, I, mixingCount, rank] of [
      [[2, 12], 5, 3, 'valid', 2, 'cross-entropy', 29, 6, 4, 78],
      [[3, 4], 4, 2, 'same', 4, 'mse', 17, 12, 9, 84],
    ] as const) {
      const spec = networkSpec({ input: [...input], layers: [{ type: 'conv1d', filters, kernel, padding }, { type: 'flatten' }, { type: 'dense', units: K }], seed: 11 });
      const d = input[0] * input[1];
      const data = defaultDataset('gaussian', loss, N, d, K, 12);
      const claim = oneHiddenLayerHessianRankClaim(spec, data, loss)!;
      expect(claim.terms).toMatchObject({ I, IPatchMixing: mixingCount });
      expect(claim).toMatchObject({ branch: 'full-column', exact: true, value: rank });
      expect(measuredNetworkRanks(spec, data, loss).hessian).toBe(rank);
    }
  });

  it('a seeded family of 60 one-hidden-layer CNNs with M ≥ b and overlapping windows (Random(73)): min(p′, 2Mb + K′z − I) with the generic I equals the measured rank wherever claimed exact', () => {
    const rng = new Random(73);
    const paddings = ['valid', 'same', 0, 1] as const;
    const counts = { total: 0, exact: 0, twoD: 0, padded: 0, crossEntropy: 0, beyondMixing: 0, belowCap: 0 };
    let attempt = 0;
    while (counts.total < 60) {
      const seed = 7300 + attempt++;
      const twoD = rng.integer(3) === 0;
      const C = 1 + rng.integer(twoD ? 1 : 2);
      const kernel = 2 + rng.integer(twoD ? 1 : 2);
      const b = C * (twoD ? kernel * kernel : kernel);
      const input = twoD ? [C, 3 + rng.integer(3), 3 + rng.integer(3)] : [C, 4 + rng.integer(8)];
      const K = 1 + rng.integer(4);
      const padding = paddings[rng.integer(4)];
      let spec: NetworkSpec;
      try {
        spec = networkSpec({ input, layers: [{ type: twoD ? 'conv2d' : 'conv1d', filters: b + rng.integer(2), kernel, stride: 1 + rng.integer(kernel - 1), padding }, { type: 'flatten' }, { type: 'dense', units: K }], seed });
      } catch {
        continue;
      }
      if (networkParameterCount(spec) > 200) continue;
      const loss: Loss = K >= 2 && rng.integer(2) === 1 ? 'cross-entropy' : 'mse';
      const d = input.reduce((x, y) => x * y, 1);
      const N = 1 + rng.integer(2 * d);
      const data = defaultDataset('gaussian', loss, N, d, K, seed);
      const claim = oneHiddenLayerHessianRankClaim(spec, data, loss);
      if (!claim || claim.branch !== 'full-column') continue;
      counts.total++;
      const measured = measuredNetworkRanks(spec, data, loss);
      const label = JSON.stringify({ input, layers: spec.layers, N, loss, terms: claim.terms });
      if (!claim.exact) {
        expect(measured.hessian, `${label} bound`).toBeLessThanOrEqual(claim.value);
        continue;
      }
      expect(measured.hessian, `${label} exact`).toBe(claim.value);
      counts.exact++;
      if (twoD) counts.twoD++;
      if (padding !== 'valid' && padding !== 0) counts.padded++;
      if (loss === 'cross-entropy') counts.crossEntropy++;
      if (claim.terms.I > patchMixingDimension(spec, linearCnnStructureCovered(spec), claim.terms.r, claim.terms.s)) counts.beyondMixing++;
      if (claim.value < measured.parameters) counts.belowCap++;
    }
    console.log(`M ≥ b family: ${JSON.stringify(counts)}`);
    expect(counts.exact).toBeGreaterThan(45);
    for (const key of ['twoD', 'padded', 'crossEntropy', 'beyondMixing', 'belowCap'] as const) expect(counts[key], key).toBeGreaterThan(3);
  }, 120_000);
});


describe('rank(H) with ρ = b where K′ = 1 kernel syzygies are possible', () => {
  it('a seeded family of 60 such CNNs (Random(74): one channel, stride 1, as many positions as kernel entries per axis, any padding): min(p′, 2Mb + K′z − I) claimed exact and equal to the measured rank', () => {
    // ρ = b needs s·a ≥ b, and with K′ = 1 and a footprint shorter than the kernel that means C = 1, stride 1 and
    // out = k on every axis. The Koszul directions (δw, 0) lie in ker J but not in ker H_F = 0 × S_G^⊥, so the
    // ρ = b count does not see them.
    const rng = new Random(74);
    const counts = { total: 0, twoD: 0, padded: 0, crossEntropy: 0, belowD: 0 };
    let attempt = 0;
    while (counts.total < 60) {
      const seed = 7400 + attempt++;
      const twoD = rng.integer(10) < 6;
      const kernel = Array.from({ length: twoD ? 2 : 1 }, () => 2 + rng.integer(3));
      const padding = rng.integer(3) === 0 ? 1 : 0;
      const input = [1, ...kernel.map((k) => 2 * k - 1 - 2 * padding)];
      const K = 1 + rng.integer(2);
      const loss: Loss = K === 2 ? 'cross-entropy' : 'mse';
      let spec: NetworkSpec;
      try {
        spec = networkSpec({ input, layers: [{ type: twoD ? 'conv2d' : 'conv1d', filters: 1 + rng.integer(4), kernel: twoD ? kernel : kernel[0], padding }, { type: 'flatten' }, { type: 'dense', units: K }], seed });
      } catch {
        continue;
      }
      if (networkParameterCount(spec) > 200 || !kernelSyzygiesPossible(spec, 1)) continue;
      const d = input.reduce((x, y) => x * y, 1);
      const N = rng.integer(3) === 0 ? 1 + rng.integer(d) : d + 1 + rng.integer(d);
      const data = defaultDataset('gaussian', loss, N, d, K, seed);
      const claim = oneHiddenLayerHessianRankClaim(spec, data, loss);
      if (!claim || claim.branch !== 'full-column') continue;
      counts.total++;
      expect(claim.exact).toBe(true);
      const measured = measuredNetworkRanks(spec, data, loss).hessian;
      expect(measured, JSON.stringify({ input, layers: spec.layers, N, loss, terms: claim.terms })).toBe(claim.value);
      if (twoD) counts.twoD++;
      if (padding > 0) counts.padded++;
      if (loss === 'cross-entropy') counts.crossEntropy++;
      if (N < d) counts.belowD++;
    }
    console.log(`ρ = b Koszul family: ${JSON.stringify(counts)}`);
    for (const key of ['twoD', 'padded', 'crossEntropy', 'belowD'] as const) expect(counts[key], key).toBeGreaterThan(5);
  }, 120_000);
});

describe('rank(H) with ρ < b and windows cut by padding: 2Mρ + K′z − I + B, both parts generic ranks', () => {
  it('a seeded family of 80 such CNNs (Random(75): padding 1 or same, any stride, 1-D and 2-D, MSE and CE): the split value equals the measured rank on every one', () => {
    const rng = new Random(75);
    const counts = { total: 0, twoD: 0, overlapping: 0, crossEntropy: 0, belowD: 0, belowPrevious: 0, iOtherThanSz: 0 };
    let attempt = 0;
    while (counts.total < 80) {
      const seed = 7500 + attempt++;
      const twoD = rng.integer(2) === 1;
      const C = 1 + rng.integer(3);
      const input = twoD ? [C, 3 + rng.integer(4), 3 + rng.integer(4)] : [C, 4 + rng.integer(9)];
      const kernel = 2 + rng.integer(3);
      const stride = 1 + rng.integer(kernel + 1);
      const K = 1 + rng.integer(4);
      const loss: Loss = K >= 2 && rng.integer(2) === 1 ? 'cross-entropy' : 'mse';
      let spec: NetworkSpec;
      try {
        spec = networkSpec({ input, layers: [{ type: twoD ? 'conv2d' : 'conv1d', filters: 1 + rng.integer(4), kernel, stride, padding: rng.integer(2) === 0 ? 1 : 'same' }, { type: 'flatten' }, { type: 'dense', units: K }], seed });
      } catch {
        continue;
      }
      if (networkParameterCount(spec) > 200) continue;
      const d = input.reduce((x, y) => x * y, 1);
      const N = 1 + rng.integer(2 * d);
      const data = defaultDataset('gaussian', loss, N, d, K, seed);
      const claim = oneHiddenLayerHessianRankClaim(spec, data, loss);
      if (!claim || claim.branch !== 'split') continue;
      counts.total++;
      expect(claim.exact).toBe(true);
      const measured = measuredNetworkRanks(spec, data, loss);
      const { M, rho, Kp, z, I, B, s } = claim.terms;
      expect(claim.value).toBe(2 * M * rho + Kp * z - I + B);
      expect(measured.hessian, JSON.stringify({ input, layers: spec.layers, N, loss, terms: claim.terms })).toBe(claim.value);
      if (twoD) counts.twoD++;
      if (stride < kernel) counts.overlapping++;
      if (loss === 'cross-entropy') counts.crossEntropy++;
      if (N < d) counts.belowD++;
      if (claim.value < Math.min(networkParameterCount(spec), measured.outer + measured.functional - 1)) counts.belowPrevious++;
      if (I !== s * z) counts.iOtherThanSz++;
    }
    console.log(`ρ < b cut-window family: ${JSON.stringify(counts)}`);
    for (const key of ['twoD', 'overlapping', 'crossEntropy', 'belowD', 'belowPrevious'] as const) expect(counts[key], key).toBeGreaterThan(5);
  }, 120_000);
});
