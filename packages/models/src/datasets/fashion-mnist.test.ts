import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadFashionMnist } from './fashion-mnist.js';

function idxFile(shape: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((s, i) => header.writeUInt32BE(s, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, Buffer.from(values)]));
}

/** A miniature Fashion-MNIST folder in the Debian layout: 6 training and 4 test images of 2 × 2 pixels. */
function miniature(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fashion-'));
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), idxFile([6, 2, 2], Array.from({ length: 24 }, (_, i) => i * 10)));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), idxFile([6], [0, 1, 2, 0, 1, 2]));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), idxFile([4, 2, 2], Array.from({ length: 16 }, () => 255)));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), idxFile([4], [2, 2, 1, 0]));
  return dir;
}

describe('loadFashionMnist (Debian dataset-fashion-mnist IDX layout)', () => {
  it('reads gzipped IDX files, scales pixels by 1/255, takes test samples from the t10k files', async () => {
    const { train, test } = await loadFashionMnist({ directory: miniature(), classes: [2, 0], trainSamples: 4, testSamples: 3, seed: 0 });
    expect([train.count, train.inputSize, train.outputSize]).toEqual([4, 4, 2]);
    // Training images of classes 2 and 0 are images 0, 2, 3, 5, with pixel values 10·(4i + j)/255.
    const firstPixels = new Set(Array.from({ length: 4 }, (_, r) => Math.round(train.inputs[r * 4] * 255)));
    expect(firstPixels).toEqual(new Set([0, 80, 120, 200]));
    expect(Array.from(test!.inputs)).toEqual(new Array(12).fill(1));
    expect(test!.description).toMatch(/test N=3 \(the first 3 of the test pool's seeded order/);
  });

  it('names the install command when the files are missing', async () => {
    await expect(loadFashionMnist({ directory: '/nonexistent/fashion', trainSamples: 5 })).rejects.toThrow(
      'install the data with: apt-get install -y dataset-fashion-mnist',
    );
  });

  it('rejects labels outside the classes and more samples than the files hold', async () => {
    const dir = miniature();
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), idxFile([6], [0, 1, 2, 0, 1, 12]));
    await expect(loadFashionMnist({ directory: dir, trainSamples: 2 })).rejects.toThrow('label 5 is 12, outside 0 … 9');
    await expect(loadFashionMnist({ directory: miniature(), trainSamples: 7 })).rejects.toThrow('have 6 images; asked for 7 train + 0 test');
  });
});
