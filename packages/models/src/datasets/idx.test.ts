import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipIfNeeded, parseIdx } from './idx.js';

/** An IDX file built by hand: magic 0x0000, type, rank, big-endian sizes, big-endian body. */
function idx(type: number, shape: number[], body: number[], bytesPer = 1): Uint8Array {
  const header = [0, 0, type, shape.length];
  for (const s of shape) header.push((s >>> 24) & 255, (s >>> 16) & 255, (s >>> 8) & 255, s & 255);
  const out = new Uint8Array(header.length + body.length * bytesPer);
  out.set(header);
  const view = new DataView(out.buffer);
  body.forEach((v, i) => {
    if (type === 0x08) out[header.length + i] = v;
    else if (type === 0x0c) view.setInt32(header.length + 4 * i, v, false);
    else view.setFloat32(header.length + 4 * i, v, false);
  });
  return out;
}

describe('parseIdx', () => {
  it('reads uint8 images, big-endian int32 and float32', () => {
    const images = parseIdx(idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
    expect(images.shape).toEqual([2, 2, 3]);
    expect(images.type).toBe('uint8');
    expect(Array.from(images.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const ints = parseIdx(idx(0x0c, [3], [-2, 70000, 5], 4));
    expect(Array.from(ints.data)).toEqual([-2, 70000, 5]);
    const floats = parseIdx(idx(0x0d, [2], [0.5, -1.25], 4));
    expect(Array.from(floats.data)).toEqual([0.5, -1.25]);
  });

  it('gunzips gzip data and passes raw data through', async () => {
    const raw = idx(0x08, [3], [7, 8, 9]);
    expect(Array.from(parseIdx(await gunzipIfNeeded(new Uint8Array(gzipSync(raw)))).data)).toEqual([7, 8, 9]);
    expect(await gunzipIfNeeded(raw)).toBe(raw);
    const corrupt = new Uint8Array(gzipSync(raw)).slice(0, 12);
    await expect(gunzipIfNeeded(corrupt, 'x.gz')).rejects.toThrow(/x\.gz: corrupt gzip data/);
  });

  it('rejects malformed files with one-line messages', () => {
    const good = idx(0x08, [2, 2], [1, 2, 3, 4]);
    const wrongMagic = good.slice();
    wrongMagic[0] = 0x1f;
    expect(() => parseIdx(wrongMagic, 'f')).toThrow(/^f: wrong magic number 0x1f000802/);
    const badType = good.slice();
    badType[2] = 0x07;
    expect(() => parseIdx(badType, 'f')).toThrow('f: unknown IDX type code 0x07');
    expect(() => parseIdx(good.slice(0, 6), 'f')).toThrow('f: truncated IDX header (6 bytes, needs 12)');
    expect(() => parseIdx(good.slice(0, 14), 'f')).toThrow('f: truncated IDX body: 14 bytes, shape [2, 2] needs 16');
    expect(() => parseIdx(new Uint8Array([...good, 0]), 'f')).toThrow('f: 1 trailing bytes');
    expect(() => parseIdx(new Uint8Array([0, 0]), 'f')).toThrow('too short');
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'f')).toThrow('rank is 0');
  });
});
