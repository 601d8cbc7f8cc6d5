import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { runDataSplits } from './analysis-target.js';
import { isDataFile, loadDataFile } from './data-file.js';
import { run as train } from './commands/train.js';

const folder = mkdtempSync(join(tmpdir(), 'intrinsic-data-file-'));

/** Rows of a data set as strings, for comparing sets of rows independently of order. */
function rowsOf(inputs: Float64Array, d: number): string[] {
  return Array.from({ length: inputs.length / d }, (_, i) => Array.from(inputs.subarray(i * d, i * d + d)).join(','));
}

/** An IDX file: magic 0 0 type rank, big-endian sizes, then the bytes. */
function idx(shape: number[], values: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  header.set([0, 0, 0x08, shape.length]);
  const view = new DataView(header.buffer);
  shape.forEach((size, i) => view.setUint32(4 + 4 * i, size, false));
  const bytes = new Uint8Array(header.length + values.length);
  bytes.set(header);
  bytes.set(values, header.length);
  return bytes;
}

afterEach(() => vi.restoreAllMocks());

describe('user data files (--data FILE)', () => {
  it('recognises data files by extension', () => {
    expect(['a.csv', 'x/y.JSON', 'train-images.idx3-ubyte', 'imgs.idx.gz', 'labels.idx1-ubyte.gz'].every(isDataFile)).toBe(true);
    expect(['mnist', 'gaussian', 'mixture', 'fashion-mnist'].some(isDataFile)).toBe(false);
  });

  it('CSV: a seeded 80/20 split that is a permutation of the file rows, one-hot targets from the label column', async () => {
    const random = new Random(3);
    const lines = ['x1,x2,x3,label'];
    for (let i = 0; i < 50; i++) lines.push(`${random.gaussian().toFixed(6)},${random.gaussian().toFixed(6)},${i},${i % 3}`);
    const file = join(folder, 'blobs.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const split = await loadDataFile({ file, seed: 1, normalization: 'none' });
    expect(split.train.count).toBe(40);
    expect(split.test!.count).toBe(10);
    const fileRows = lines.slice(1).map((l) => l.split(',').slice(0, 3).map(Number).join(','));
    const got = [...rowsOf(split.train.inputs, 3), ...rowsOf(split.test!.inputs, 3)];
    expect([...got].sort()).toEqual([...fileRows].sort());
    // The label of each row (its third column is its index) is the argmax of its one-hot target.
    for (let i = 0; i < 40; i++) {
      const index = split.train.inputs[i * 3 + 2];
      const target = Array.from(split.train.targets.subarray(i * 3, i * 3 + 3));
      expect(target).toEqual([0, 1, 2].map((c) => (c === index % 3 ? 1 : 0)));
    }
    // Another seed, another order; the same seed, the same order.
    const again = await loadDataFile({ file, seed: 1, normalization: 'none' });
    const other = await loadDataFile({ file, seed: 2, normalization: 'none' });
    expect(Array.from(again.train.inputs)).toEqual(Array.from(split.train.inputs));
    expect(Array.from(other.train.inputs)).not.toEqual(Array.from(split.train.inputs));
  });

  it('IDX (gzipped images and labels): pixels scaled by 1/255, labels one-hot, class subset relabelled', async () => {
    const count = 30;
    const pixels = new Uint8Array(count * 16);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 256;
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 4);
    const images = join(folder, 'images.idx.gz');
    const labelFile = join(folder, 'labels.idx.gz');
    writeFileSync(images, gzipSync(idx([count, 4, 4], pixels)));
    writeFileSync(labelFile, gzipSync(idx([count], labels)));
    const split = await loadDataFile({ file: images, labels: labelFile, classes: [1, 3], trainSamples: 10, testSamples: 5, seed: 0, normalization: 'none' });
    expect(split.train.inputSize).toBe(16);
    expect(split.train.outputSize).toBe(2);
    for (let i = 0; i < split.train.count; i++) {
      const row = Array.from(split.train.inputs.subarray(i * 16, i * 16 + 16));
      // Which image is it? Its first pixel identifies it (distinct across images).
      const source = Array.from({ length: count }, (_, j) => j).find((j) => Math.abs(pixels[j * 16] / 255 - row[0]) < 1e-7 && Math.abs(pixels[j * 16 + 1] / 255 - row[1]) < 1e-7)!;
      expect(row.map((x, k) => Math.abs(x - pixels[source * 16 + k] / 255) < 1e-7).every(Boolean)).toBe(true);
      expect([1, 3]).toContain(labels[source]);
      expect(split.train.labels![i]).toBe(labels[source] === 1 ? 0 : 1);
    }
    await expect(loadDataFile({ file: images, seed: 0, normalization: 'none' })).rejects.toThrow(/IDX images need --labels/);
  });

  it('JSON regression targets: seeded split, standardised with training statistics', async () => {
    const random = new Random(5);
    const inputs = Array.from({ length: 20 }, () => [3 + random.gaussian(), -2 + 4 * random.gaussian()]);
    const targets = inputs.map(([a, b]) => [a - b]);
    const file = join(folder, 'regression.json');
    writeFileSync(file, JSON.stringify({ inputs, targets }));
    const split = await loadDataFile({ file, trainSamples: 15, seed: 4, normalization: 'standardize' });
    expect(split.test!.count).toBe(5);
    for (const column of [0, 1]) {
      let mean = 0;
      for (let i = 0; i < 15; i++) mean += split.train.inputs[i * 2 + column] / 15;
      expect(Math.abs(mean)).toBeLessThan(1e-12);
    }
    await expect(loadDataFile({ file, trainSamples: 15, testSamples: 10, seed: 4, normalization: 'none' })).rejects.toThrow(/15 train \+ 10 test samples, the file has 20/);
    await expect(loadDataFile({ file, classes: [0], seed: 4, normalization: 'none' })).rejects.toThrow(/--classes: .* real-valued targets/);
  });

  it('intrinsic train --data FILE.csv records the file, and --model RUN re-reads the same training data', async () => {
    const random = new Random(9);
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      const label = i % 2;
      lines.push(`${(label * 2 + random.gaussian()).toFixed(5)},${random.gaussian().toFixed(5)},${label}`);
    }
    const file = join(folder, 'two-class.csv');
    writeFileSync(file, lines.join('\n'));
    const out = join(folder, 'run');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await train(['--data', file, '--widths', '2,3,2', '--epochs', '1', '--backend', 'cpu', '--out', out, '--json', '--train-samples', '30']);
    expect(code).toBe(0);
    const spec = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8'));
    expect(spec.data).toMatchObject({ kind: 'file', trainSamples: 30, testSamples: 10 });
    expect(spec.data.file).toMatch(/two-class\.csv$/);
    const direct = await loadDataFile({ file, trainSamples: 30, seed: 0, normalization: 'none' });
    const reread = await runDataSplits(out, spec.model, 'cross-entropy');
    expect(Array.from(reread.train!.inputs)).toEqual(Array.from(direct.train.inputs));
    await expect(train(['--data', 'mnist', '--labels', 'x.idx'])).rejects.toThrow(/--labels goes with --data IMAGES\.idx/);
    await expect(train(['--data', join(folder, 'missing.csv'), '--widths', '2,3,2'])).rejects.toThrow(/cannot be read/);
  });
});
