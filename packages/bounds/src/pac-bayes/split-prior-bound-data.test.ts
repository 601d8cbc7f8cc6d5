import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '@intrinsic/models';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { splitPriorBoundData } from './split-prior-bound-data.js';

describe('splitPriorBoundData', () => {
  const data = syntheticDataset({ kind: 'mixture', count: 101, inputSize: 3, outputSize: 2, seed: 4 });

  it('gives disjoint parts of round(α m) and m − round(α m) rows covering S, copied row for row', () => {
    const split = splitPriorBoundData(data, { priorFraction: 0.3, seed: 7 });
    expect(split.prior.count).toBe(30); // round(0.3 · 101) = round(30.3)
    expect(split.bound.count).toBe(71);
    const all = [...split.priorRows, ...split.boundRows].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
    for (const [part, rows] of [[split.prior, split.priorRows], [split.bound, split.boundRows]] as const) {
      for (let k = 1; k < rows.length; k++) expect(rows[k]).toBeGreaterThan(rows[k - 1]);
      rows.forEach((r, i) => {
        expect(Array.from(part.inputs.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(data.inputs.subarray(3 * r, 3 * r + 3)));
        expect(Array.from(part.targets.subarray(2 * i, 2 * i + 2))).toEqual(Array.from(data.targets.subarray(2 * r, 2 * r + 2)));
        expect(part.labels![i]).toBe(data.labels![r]);
      });
      expect(part.inputSize).toBe(3);
      expect(part.outputSize).toBe(2);
    }
    expect(split.bound.description).toMatch(/bound part \(71 of 101 rows\)/);
  });

  it('gives the doc example: 10 rows at α = 0.3 leave 7 bound rows', () => {
    const tenRows = syntheticDataset({ kind: 'mixture', count: 10, inputSize: 2, outputSize: 2, seed: 1 });
    expect(splitPriorBoundData(tenRows, { priorFraction: 0.3, seed: 1 }).bound.count).toBe(7);
  });

  it('is a function of the seed: the same seed gives the same rows, another seed other rows', () => {
    const a = splitPriorBoundData(data, { priorFraction: 0.5, seed: 3 });
    const b = splitPriorBoundData(data, { priorFraction: 0.5, seed: 3 });
    const c = splitPriorBoundData(data, { priorFraction: 0.5, seed: 4 });
    expect(Array.from(a.boundRows)).toEqual(Array.from(b.boundRows));
    expect(Array.from(a.boundRows)).not.toEqual(Array.from(c.boundRows));
    expect(a.seed).toBe(3);
    expect(a.priorFraction).toBe(0.5);
  });

  it('does not read the labels to choose the rows (relabelled data, same rows)', () => {
    const relabelled = { ...data, labels: Int32Array.from(data.labels!, (y) => 1 - y) };
    expect(Array.from(splitPriorBoundData(relabelled, { priorFraction: 0.5, seed: 9 }).priorRows)).toEqual(
      Array.from(splitPriorBoundData(data, { priorFraction: 0.5, seed: 9 }).priorRows),
    );
  });

  it('rejects α outside (0, 1), a negative seed, or an empty part with one line', () => {
    expect(() => splitPriorBoundData(data, { priorFraction: 1 })).toThrow(/priorFraction must be in \(0, 1\), got 1/);
    expect(() => splitPriorBoundData(data, { priorFraction: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => splitPriorBoundData(data, { priorFraction: 0.5, seed: -1 })).toThrow(/seed must be an integer ≥ 0/);
    expect(() => splitPriorBoundData(data, { priorFraction: 0.001 })).toThrow(/leaves an empty part \(0 prior rows\)/);
  });
});
