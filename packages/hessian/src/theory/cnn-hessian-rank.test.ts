import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { defaultDataset, networkSpec } from '@intrinsic/models';
import { predictNetworkRank } from './cnn-rank-theory.js';
import { measuredNetworkRanks, randomLinearCnn } from './cnn-test-family.js';

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
