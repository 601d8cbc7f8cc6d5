import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { defaultDataset, networkParameterCount, networkSpec } from '@intrinsic/models';
import { predictNetworkRank } from './cnn-rank-theory.js';
import { measuredNetworkRanks, randomLinearCnn } from './cnn-test-family.js';

const PARTS = ['hessian', 'outer', 'functional'] as const;

describe('weight sharing vs local connectivity (docs/theory.md §7.4)', () => {
  it('on 40 paired architectures the convolution never has a higher rank than the locally connected layer of the same shape, and the LC bounds hold', () => {
    // Observation checked here, and why it must hold: f_conv(θ) = f_LC(Eθ) with E the linear map that
    // copies the shared kernel to every position, so H_conv = Eᵀ H_LC(Eθ) E has rank ≤ rank H_LC(Eθ),
    // at most the generic rank of H_LC (rank is lower semicontinuous) — the same for H_O and H_F.
    const rng = new Random(44);
    let pairs = 0;
    let strictlyLowerF = 0;
    let sameOuter = 0;
    while (pairs < 40) {
      const member = randomLinearCnn(rng, 1000 + pairs, 150);
      if (!member || networkParameterCount(member.localSpec) > 260) continue;
      const conv = measuredNetworkRanks(member.spec, member.data, member.loss);
      const local = measuredNetworkRanks(member.localSpec, member.data, member.loss);
      const label = JSON.stringify({ input: member.spec.input, layers: member.spec.layers, N: member.N, loss: member.loss });
      for (const part of PARTS) expect(conv[part], `${label} ${part}`).toBeLessThanOrEqual(local[part]);
      const prediction = predictNetworkRank(member.localSpec, member.data, member.loss);
      for (const part of PARTS) {
        const claim = prediction.parts[part];
        if (claim.kind === 'exact') expect(local[part], `${label} LC ${part}`).toBe(claim.value);
        else expect(local[part], `${label} LC ${part}`).toBeLessThanOrEqual(claim.value as number);
      }
      if (conv.functional < local.functional) strictlyLowerF++;
      if (conv.outer === local.outer) sameOuter++;
      pairs++;
    }
    // Sharing lowers rank(H_F) in most pairs; H_O often coincides (both reach K′·r).
    expect(strictlyLowerF).toBeGreaterThan(25);
    expect(sameOuter).toBeGreaterThan(5);
  }, 120_000);

  it('one hidden layer: rank(H_F) = 2M·min(s·a, b) with sharing, 2M·a·min(s, b) without (conv1d vs locally-connected1d, 3 filters, kernel 3 on [1, 12], K = 3)', () => {
    const layers = (type: 'conv1d' | 'locally-connected1d') => [{ type, filters: 3, kernel: 3 } as const, { type: 'flatten' } as const, { type: 'dense', units: 3 } as const];
    const data = defaultDataset('gaussian', 'mse', 30, 12, 3, 5);
    const conv = measuredNetworkRanks(networkSpec({ input: [1, 12], layers: layers('conv1d'), seed: 2 }), data, 'mse');
    const local = measuredNetworkRanks(networkSpec({ input: [1, 12], layers: layers('locally-connected1d'), seed: 2 }), data, 'mse');
    // a = 10 positions, b = 3, s = min(K, r) = 3.
    expect(conv.parameters).toBe(9 + 90);
    expect(local.parameters).toBe(90 + 90);
    expect(conv.functional).toBe(2 * 3 * Math.min(3 * 10, 3));
    expect(local.functional).toBe(2 * 3 * 10 * Math.min(3, 3));
    // H_O: both reach K·r = 36 (the readout alone spans K·min(r, M·a) = 36).
    expect(conv.outer).toBe(36);
    expect(local.outer).toBe(36);
    expect(conv.hessian).toBeLessThan(local.hessian);
  });
});
