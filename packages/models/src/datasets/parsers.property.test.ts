import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntrinsicError } from '@intrinsic/spectra';
import { gunzipIfNeeded, parseIdx } from './idx.js';
import { parseCsvDataset, parseJsonDataset } from './tabular-dataset.js';

/**
 * Issue #10, adversarial input: IDX (raw and gzipped, truncated, huge declared sizes), CSV and JSON data
 * sets, all in memory. Each input is either parsed into a consistent data set or rejected with a
 * one-line IntrinsicError; nothing else escapes (no RangeError from a huge allocation, no TypeError).
 */
const RUNS = { numRuns: 1000 };

function cleanError(error: unknown): 'rejected' {
  if (!IntrinsicError.isInstance(error)) throw new Error(`not an IntrinsicError: ${(error as Error)?.stack ?? String(error)}`);
  expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(error.message.length).toBeLessThan(400);
  return 'rejected';
}

function outcome<T>(f: () => T): T | 'rejected' {
  try {
    return f();
  } catch (error) {
    return cleanError(error);
  }
}

async function outcomeAsync<T>(f: () => Promise<T>): Promise<T | 'rejected'> {
  try {
    return await f();
  } catch (error) {
    return cleanError(error);
  }
}

const TYPE_BYTES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

/** An IDX file written independently of the parser: magic, type, rank, big-endian sizes, body bytes. */
function idxBytes(type: number, shape: number[], body: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  header[2] = type;
  header[3] = shape.length;
  const view = new DataView(header.buffer);
  shape.forEach((n, i) => view.setUint32(4 + 4 * i, n >>> 0, false));
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** A well-formed IDX file with a small random shape and body, sometimes cut or extended. */
const idxFile = fc
  .record({
    type: fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
    seed: fc.uint8Array({ minLength: 0, maxLength: 600 }),
    edit: fc.oneof(fc.constant({ kind: 'none' as const }), fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 5 }) })),
  })
  .map(({ type, shape, seed, edit }) => {
    const size = shape.reduce((a, b) => a * b, 1) * TYPE_BYTES[type];
    const body = Uint8Array.from({ length: size }, (_, i) => seed[i % Math.max(seed.length, 1)] ?? i);
    let bytes = idxBytes(type, shape, body);
    if (edit.kind === 'truncate') bytes = bytes.slice(0, edit.at % (bytes.length + 1));
    if (edit.kind === 'extend') bytes = Uint8Array.from([...bytes, ...edit.extra]);
    return { type, shape, bytes, intact: edit.kind === 'none' };
  });

/** Headers declaring huge sizes (up to 2^32 − 1 per axis) over a few bytes of body. */
const hugeIdx = fc
  .record({ type: fc.integer({ min: 0, max: 255 }), shape: fc.array(fc.oneof(fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1, 60000, 28), fc.nat()), { minLength: 0, maxLength: 6 }), body: fc.uint8Array({ maxLength: 64 }) })
  .map(({ type, shape, body }) => idxBytes(type, shape, body));

describe('IDX parser on adversarial bytes (1,000 inputs each)', () => {
  it('random bytes are rejected cleanly (or parse into a consistent array)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const result = outcome(() => parseIdx(bytes, 'random.idx'));
      if (result !== 'rejected') expect(result.data.length).toBe(result.shape.reduce((a, b) => a * b, 1));
    }), RUNS);
  });

  it('well-formed files parse to the shape and values written; truncated or extended ones are rejected', () => {
    fc.assert(fc.property(idxFile, ({ type, shape, bytes, intact }) => {
      const result = outcome(() => parseIdx(bytes, 'file.idx'));
      if (!intact) {
        // A cut at the full length or an extension is the only way a modified file can still be "intact".
        const expected = 4 + 4 * shape.length + shape.reduce((a, b) => a * b, 1) * TYPE_BYTES[type];
        expect(result === 'rejected').toBe(bytes.length !== expected);
        return;
      }
      if (result === 'rejected') throw new Error('an intact file was rejected');
      expect(result.shape).toEqual(shape);
      // Reference: the first value decoded by DataView here, independently of the parser's switch.
      if (result.data.length > 0) {
        const view = new DataView(bytes.buffer, bytes.byteOffset + 4 + 4 * shape.length);
        const read = { 0x08: () => view.getUint8(0), 0x09: () => view.getInt8(0), 0x0b: () => view.getInt16(0), 0x0c: () => view.getInt32(0), 0x0d: () => view.getFloat32(0), 0x0e: () => view.getFloat64(0) }[type]!;
        const first = read();
        expect(Object.is(result.data[0], first) || (Number.isNaN(result.data[0]) && Number.isNaN(first))).toBe(true);
      }
    }), RUNS);
  });

  it('huge declared dimensions over a short body: rejected without allocating', () => {
    fc.assert(fc.property(hugeIdx, (bytes) => {
      outcome(() => parseIdx(bytes, 'huge.idx'));
    }), RUNS);
  });

  it('gzipped files (intact, truncated, bit-flipped) through gunzipIfNeeded then parseIdx', async () => {
    await fc.assert(
      fc.asyncProperty(idxFile, fc.oneof(fc.constant(-1), fc.nat()), fc.nat(), async ({ bytes, intact }, cut, flip) => {
        let gz = new Uint8Array(gzipSync(bytes));
        const whole = cut < 0;
        if (!whole) gz = gz.slice(0, cut % gz.length);
        else if (flip % 3 === 0 && gz.length > 12) gz[10 + (flip % (gz.length - 10))] ^= 0x40;
        const result = await outcomeAsync(async () => parseIdx(await gunzipIfNeeded(gz, 'file.idx.gz'), 'file.idx.gz'));
        if (whole && flip % 3 !== 0 && intact) expect(result).not.toBe('rejected');
      }),
      RUNS,
    );
  });

  it('a gzip bomb beyond the output limit is refused with a clear error', async () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(4_000_000)));
    await expect(gunzipIfNeeded(bomb, 'bomb.gz', 1_000_000)).rejects.toThrow('bomb.gz: gzip data expands to more than 1000000 bytes');
    expect((await gunzipIfNeeded(bomb, 'bomb.gz', 8_000_000)).length).toBe(4_000_000);
  });
});

const field = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 3 }).map(String), weight: 6 },
  { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }).map(String), weight: 3 },
  { arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity', '', ' ', '1e999', '0x1f', '1,5', '"3"', 'abc', '\r', '1e308', '9007199254740993', '4294967296'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 5 }), weight: 1 },
);
const csvText = fc
  .record({
    rows: fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 8 }),
    header: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ rows, header, eol }) => (header ? 'x1,x2,label' + eol : '') + rows.map((r) => r.join(',')).join(eol));

describe('CSV data sets on adversarial text (1,000 inputs each)', () => {
  it('random text is rejected cleanly or parsed into a consistent data set', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => {
      const data = outcome(() => parseCsvDataset(text));
      if (data !== 'rejected') expect(data.inputs.length).toBe(data.count * data.inputSize);
    }), RUNS);
  });

  it('number-like CSV with NaN, Infinity, empty fields, ragged rows, huge labels; both tasks', () => {
    fc.assert(
      fc.property(csvText, fc.constantFrom('classification', 'regression'), fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 4 }), fc.constant(Number.NaN), fc.constant(2.5)), (text, task, count) => {
        const options = task === 'classification' ? { task, classCount: count } : { task, targetCount: count };
        const data = outcome(() => parseCsvDataset(text, options as never));
        if (data === 'rejected') return;
        // Independent checks: every value finite, one-hot rows sum to 1 with the 1 at the label.
        expect(data.inputs.length).toBe(data.count * data.inputSize);
        expect(data.targets.length).toBe(data.count * data.outputSize);
        expect([...data.inputs, ...data.targets].every(Number.isFinite)).toBe(true);
        if (data.labels) data.labels.forEach((label, r) => expect(data.targets[r * data.outputSize + label]).toBe(1));
      }),
      RUNS,
    );
  });

  it('a stray huge label does not allocate N × K one-hot targets: a memory-budget error', () => {
    expect(() => parseCsvDataset('1,2,0\n3,4,500000000\n')).toThrow(/one-hot targets N × K = 2 × 500000001 .* needs 8\.0 GB .* over the budget/);
    expect(() => parseCsvDataset('1,2,0\n3,4,1e15\n')).toThrow('CSV data: line 2 has label 1000000000000000, not a non-negative integer below 2^31 − 1');
  });
});

const jsonValue = fc.oneof(
  fc.double(),
  fc.integer({ min: -2, max: 3 }),
  fc.constantFrom(null, true, 'NaN', '1', [], {}),
);
const jsonDoc = fc.record(
  {
    inputs: fc.oneof({ arbitrary: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 3 }), { maxLength: 5 }), weight: 4 }, { arbitrary: fc.array(fc.oneof(fc.array(jsonValue, { maxLength: 3 }), jsonValue), { maxLength: 4 }), weight: 1 }, { arbitrary: jsonValue, weight: 1 }),
    labels: fc.oneof(fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), jsonValue), { maxLength: 5 }), jsonValue),
    targets: fc.oneof(fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 1 }), jsonValue), { minLength: 0, maxLength: 3 }), { maxLength: 5 }), jsonValue),
    description: fc.oneof(fc.string({ maxLength: 5 }), jsonValue),
  },
  { requiredKeys: [] },
);

describe('JSON data sets on adversarial text (1,000 inputs each)', () => {
  it('random and truncated JSON text', () => {
    const valid = JSON.stringify({ inputs: [[1, 2], [3, 4]], labels: [0, 1] });
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.nat({ max: valid.length }).map((n) => valid.slice(0, n))), (text) => {
      outcome(() => parseJsonDataset(text));
    }), RUNS);
  });

  it('documents with wrong types, NaN-like values, ragged rows and mismatched counts', () => {
    fc.assert(fc.property(jsonDoc, (doc) => {
      const data = outcome(() => parseJsonDataset(JSON.stringify(doc)));
      if (data === 'rejected') return;
      expect(data.inputs.length).toBe(data.count * data.inputSize);
      expect(data.targets.length).toBe(data.count * data.outputSize);
      expect([...data.inputs, ...data.targets].every(Number.isFinite)).toBe(true);
      if (data.labels) data.labels.forEach((label) => expect(label >= 0 && label < data.outputSize).toBe(true));
    }), RUNS);
  });
});
