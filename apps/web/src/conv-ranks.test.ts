import { networkGradient, initializeNetworkParameters, networkParameterCount } from '@intrinsic/models';
import { numericalRank, symmetricEigenvalues } from '@intrinsic/spectra';
import { describe, expect, it } from 'vitest';
import { computeRanks } from './compute-ranks.js';
import { convNetworkSpec } from './page-network.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeMnistAsset } from '../scripts/build-mnist-asset.mjs';
import { decodeMnistAsset, setMnistPool } from './mnist-pool.js';
import { widthSweepPoint } from './width-sweep.js';
import { DEFAULT_PAGE_STATE, pageDataset, type PageState } from './page-state.js';

/** Dense Hessian by central differences of the exact gradient, h = 1e-5 (error O(h²) ≈ 1e-10 relative). */
function finiteDifferenceHessian(state: PageState): { H: Float64Array; p: number } {
  const spec = convNetworkSpec(state);
  const params = initializeNetworkParameters(spec);
  const data = pageDataset(state);
  const p = networkParameterCount(spec);
  const H = new Float64Array(p * p);
  const h = 1e-5;
  for (let j = 0; j < p; j++) {
    const plus = params.slice();
    const minus = params.slice();
    plus[j] += h;
    minus[j] -= h;
    const gp = networkGradient(spec, plus, data, state.loss);
    const gm = networkGradient(spec, minus, data, state.loss);
    for (let i = 0; i < p; i++) H[i * p + j] = (gp[i] - gm[i]) / (2 * h);
  }
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) H[i * p + j] = H[j * p + i] = 0.5 * (H[i * p + j] + H[j * p + i]);
  return { H, p };
}

describe('convolutional networks in the page (arch = conv)', () => {
  it('builds conv1d → activation → … → flatten → dense with p = Σ M_l·M_{l−1}·3 + K·M_{L−1}·d', () => {
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [10, 2, 3, 4], arch: 'conv', bias: true };
    const spec = convNetworkSpec(state);
    expect(spec.input).toEqual([1, 10]);
    expect(spec.layers.map((l) => l.type)).toEqual(['conv1d', 'activation', 'conv1d', 'activation', 'flatten', 'dense']);
    expect(networkParameterCount(spec)).toBe(1 * 2 * 3 + 2 + 2 * 3 * 3 + 3 + 4 * 3 * 10 + 4);
    const mnist = convNetworkSpec({ ...state, widths: [64, 2, 3], data: 'mnist', classes: [0, 1, 2] });
    expect(mnist.input).toEqual([1, 8, 8]);
    expect(networkParameterCount(mnist)).toBe(2 * 9 + 2 + 3 * 2 * 64 + 3);
  });

  for (const [activation, loss] of [['linear', 'mse'], ['tanh', 'cross-entropy']] as const) {
    it(`${activation} CNN, ${loss}: eigenvalues and ranks equal those of a finite-difference Hessian`, () => {
      const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [6, 2, 3], samples: 5, arch: 'conv', activation, loss, tolerance: 'rel:1e-7', seed: 4 };
      const report = computeRanks(state);
      const { H, p } = finiteDifferenceHessian(state);
      expect(report.params).toBe(p);
      const reference = symmetricEigenvalues(H, p);
      const scale = Math.max(...Array.from(reference, Math.abs));
      for (let i = 0; i < p; i++) expect(Math.abs(report.eigenvalues.hessian[i] - reference[i])).toBeLessThan(1e-8 * scale);
      expect(report.rank.hessian).toBe(numericalRank(reference, p, { kind: 'relative', value: 1e-7 }).rank);
      // H = H_O + H_F to rounding, and the layer blocks W1 (conv), W2 (dense) tile the parameters.
      expect(report.splitResidual).toBeLessThan(1e-12);
      expect(report.blocks.map((b) => b.name)).toEqual(['W1', 'W2']);
      expect(report.blocks.reduce((sum, b) => sum + b.size, 0)).toBe(p);
      expect(report.network).toMatch(/^CNN: conv1d 1→2/);
      if (activation === 'linear') {
        // predictNetworkRank (docs/theory.md §7.2): one hidden convolution with M = 2 filters < b = 3 kernel entries:
        // H_O, H_F and H exact — the independent theory agrees with the finite-difference measurement.
        expect(report.theory!.parts.outer).toEqual({ kind: 'exact', value: report.rank.outer });
        expect(report.theory!.parts.functional).toEqual({ kind: 'exact', value: report.rank.functional });
        expect(report.theory!.parts.hessian).toEqual({ kind: 'exact', value: report.rank.hessian });
        expect(report.prediction.applies).toBe(true);
      } else {
        expect(report.prediction.applies).toBe(false);
        expect(report.theory!.kind).toBe('none');
      }
    });
  }

  it('the width sweep of a CNN varies the filters of one convolution; each point has the finite-difference rank', () => {
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [6, 2, 2, 3], samples: 5, arch: 'conv', activation: 'tanh', tolerance: 'rel:1e-7', seed: 3 };
    for (const width of [1, 3]) {
      const point = widthSweepPoint(state, { layer: 2, width });
      const { H, p } = finiteDifferenceHessian({ ...state, widths: [6, 2, width, 3] });
      expect(point.widths).toEqual([6, 2, width, 3]);
      expect(point.params).toBe(1 * 2 * 3 + 2 * width * 3 + 3 * width * 6);
      expect(point.params).toBe(p);
      expect(point.rank.hessian).toBe(numericalRank(symmetricEigenvalues(H, p), p, { kind: 'relative', value: 1e-7 }).rank);
      expect(point.predicted).toBeNull();
    }
  });

  it('2-D CNN on MNIST 8×8 (3×3 kernels): eigenvalues and ranks equal those of a finite-difference Hessian', () => {
    const { target } = writeMnistAsset(fileURLToPath(new URL('../public', import.meta.url)));
    const bytes = readFileSync(target);
    setMnistPool(decodeMnistAsset(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [64, 1, 2], samples: 8, data: 'mnist', classes: [3, 8], arch: 'conv', activation: 'relu', loss: 'cross-entropy', tolerance: 'rel:1e-7', seed: 1 };
    const report = computeRanks(state);
    const { H, p } = finiteDifferenceHessian(state);
    expect(p).toBe(9 + 2 * 64);
    const reference = symmetricEigenvalues(H, p);
    const scale = Math.max(...Array.from(reference, Math.abs));
    for (let i = 0; i < p; i++) expect(Math.abs(report.eigenvalues.hessian[i] - reference[i])).toBeLessThan(1e-8 * scale);
    expect(report.rank.hessian).toBe(numericalRank(reference, p, { kind: 'relative', value: 1e-7 }).rank);
    expect(report.network).toBe('CNN: conv2d 1→1 (kernel 3×3, same padding), flatten, dense 64→2');
  });
});
