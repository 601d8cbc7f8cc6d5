import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './cli-error.js';
import { parseRunJson, readRunJson } from './run-folder.js';
import { parseFinishedPoint } from './sweep/run-sweep.js';
import { computeSweepPoint, type SweepPoint } from './sweep/sweep-point.js';

/**
 * Issue #10, adversarial input: the files of run folders — any run-folder JSON through parseRunJson /
 * readRunJson, and the per-point files a resumed sweep reuses (parseFinishedPoint). Damaged, truncated,
 * foreign or type-confused files give a one-line UsageError (run-folder JSON) or are recomputed (sweep
 * points); never a TypeError, never a garbage record in the CSV.
 */
const RUNS = { numRuns: 1000 };

const root = mkdtempSync(join(tmpdir(), 'intrinsic-run-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Valid JSON text of any value, truncated or with a suffix, or random text. */
function damaged(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc.tuple(fc.nat({ max: valid.length }), fc.string({ maxLength: 3 })).map(([n, s]) => valid.slice(0, n) + s + valid.slice(n)),
    fc.json(),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('', 'null', '[]', '0', '"x"', 'true', '{', '\u0000', '\ufeff{}', '{"a":1}{'),
  );
}

describe('run-folder JSON (1,000 inputs)', () => {
  it('parseRunJson: an object iff JSON.parse gives one; otherwise a one-line UsageError naming the file', () => {
    const valid = JSON.stringify({ model: { kind: 'mlp', widths: [2, 3, 1] }, loss: 'mse' });
    fc.assert(fc.property(damaged(valid), (text) => {
      let reference: unknown;
      let parses = true;
      try {
        reference = JSON.parse(text);
      } catch {
        parses = false;
      }
      const isObject = parses && typeof reference === 'object' && reference !== null && !Array.isArray(reference);
      try {
        expect(parseRunJson(text, 'run/spec.json')).toEqual(reference);
        expect(isObject).toBe(true);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        expect(isObject).toBe(false);
        expect(error.message).toMatch(/^run\/spec\.json: (not valid JSON|must hold a JSON object)/);
        expect(error.message).not.toMatch(/[\r\n]/);
      }
    }), RUNS);
  });

  it('readRunJson: missing files, folders and damaged files on disk', () => {
    expect(() => readRunJson(root, 'missing.json')).toThrow(/missing\.json: cannot be read \(ENOENT\)$/);
    expect(() => readRunJson(join(root, '..'), '.')).toThrow(/cannot be read \(EISDIR\)$/);
    writeFileSync(join(root, 'spec.json'), '{"model": ');
    expect(() => readRunJson(root, 'spec.json')).toThrow(/spec\.json: not valid JSON \(.*\); the run folder is damaged/);
    writeFileSync(join(root, 'spec.json'), 'null');
    expect(() => readRunJson(root, 'spec.json')).toThrow(/spec\.json: must hold a JSON object, found null$/);
    writeFileSync(join(root, 'spec.json'), '{"loss":"mse"}');
    expect(readRunJson(root, 'spec.json')).toEqual({ loss: 'mse' });
  });
});

describe('sweep point files reused by --resume (1,000 inputs)', () => {
  const point: SweepPoint = { id: 'width-3-mse', vary: 'width', value: 3, loss: 'mse', widths: [4, 3, 2], samples: 6, activation: 'linear', bias: false, init: 'glorot-normal', seed: 0, data: 'gaussian', tolerance: 'numpy' } as SweepPoint;

  it('damaged or type-confused files are recomputed; intact ones are reused unchanged', async () => {
    const record = await computeSweepPoint(point);
    const text = `${JSON.stringify(record, null, 1)}\n`;
    const { seconds: _seconds, ...stored } = record;
    expect(parseFinishedPoint(text, point)).toEqual(stored);
    // Another point's file is not reused.
    expect(parseFinishedPoint(text, { ...point, seed: 1 })).toBeUndefined();

    /** Replaces one leaf of the record (by its path) with a value of the wrong type. */
    const leaves: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      else leaves.push(path);
    };
    walk(stored, []);
    const confused = fc.tuple(fc.constantFrom(...leaves), fc.constantFrom<unknown>('7', null, -1, 1.5, Number.NaN, [], {}, true)).map(([path, bad]) => {
      const copy = JSON.parse(JSON.stringify(stored));
      let target = copy;
      for (const key of path.slice(0, -1)) target = target[key];
      target[path[path.length - 1]] = bad;
      return { text: JSON.stringify(copy), path: path.join('.') };
    });
    fc.assert(fc.property(fc.oneof(damaged(text).map((t) => ({ text: t, path: '' })), confused), ({ text: candidate }) => {
      const reused = parseFinishedPoint(candidate, point);
      if (reused === undefined) return;
      // Reused only when what the CSV reads is intact: the same point and counts of the right type.
      expect(reused.point).toEqual(point);
      for (const part of ['hessian', 'outer', 'functional'] as const) expect(Number.isSafeInteger(reused.rank[part])).toBe(true);
      expect(Number.isSafeInteger(reused.params)).toBe(true);
    }), RUNS);
  });
});
