import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvDataset, parseJsonDataset, readDatasetFile } from './tabular-dataset.js';

describe('CSV and JSON data', () => {
  it('parses CSV with a header, label last, one-hot targets', () => {
    const data = parseCsvDataset('x1,x2,label\n0.5,1,2\n\n-1,2.5e-1,0\n');
    expect(data.count).toBe(2);
    expect(data.inputSize).toBe(2);
    expect(data.outputSize).toBe(3);
    expect(Array.from(data.inputs)).toEqual([0.5, 1, -1, 0.25]);
    expect(Array.from(data.labels!)).toEqual([2, 0]);
    expect(Array.from(data.targets)).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('parses regression CSV without a header and label-first classification', () => {
    const reg = parseCsvDataset('1;2;3\n4;5;6', { delimiter: ';', task: 'regression', targetCount: 2 });
    expect([reg.inputSize, reg.outputSize]).toEqual([1, 2]);
    expect(Array.from(reg.targets)).toEqual([2, 3, 5, 6]);
    const first = parseCsvDataset('1,9,8\n0,7,6', { labelColumn: 'first', classCount: 4 });
    expect(Array.from(first.inputs)).toEqual([9, 8, 7, 6]);
    expect(first.outputSize).toBe(4);
  });

  it('rejects NaN, empty fields, ragged rows, bad labels and empty input, naming the line', () => {
    expect(() => parseCsvDataset('1,2,0\n3,NaN,1')).toThrow("line 2, column 2: 'NaN' is not a finite number");
    expect(() => parseCsvDataset('1,2,0\n3,,1')).toThrow("line 2, column 2: '' is not a finite number");
    expect(() => parseCsvDataset('1,2,0\n3,1')).toThrow('line 2 has 2 fields, the first has 3 (ragged rows)');
    expect(() => parseCsvDataset('1,2,0.5')).toThrow('line 1 has label 0.5, not a non-negative integer');
    expect(() => parseCsvDataset('1,2,-1')).toThrow('label -1');
    expect(() => parseCsvDataset('\n\n')).toThrow('empty');
    expect(() => parseCsvDataset('a,b\n')).toThrow('no data rows');
    expect(() => parseCsvDataset('1,2,3', { classCount: 2 })).toThrow('label 3 is not below classCount 2');
  });

  it('parses JSON with labels or targets, and rejects malformed JSON data', () => {
    const data = parseJsonDataset('{"inputs": [[1, 2], [3, 4]], "labels": [1, 0]}');
    expect(Array.from(data.targets)).toEqual([0, 1, 1, 0]);
    const reg = parseJsonDataset('{"inputs": [[1], [2]], "targets": [[0.5, 1], [2, 3]]}');
    expect([reg.inputSize, reg.outputSize, reg.count]).toEqual([1, 2, 2]);
    expect(() => parseJsonDataset('{"inputs": [[1, 2], [3]], "labels": [0, 1]}')).toThrow('row 1 has 2 fields, the first has 3');
    expect(() => parseJsonDataset('{"inputs": [[1, null]], "labels": [0]}')).toThrow('inputs[0][1] is null, not a finite number');
    expect(() => parseJsonDataset('{"inputs": [[1]], "labels": [0, 1]}')).toThrow('1 input rows but 2 labels');
    expect(() => parseJsonDataset('{"inputs": [[1]]}')).toThrow("needs 'labels' or 'targets'");
    expect(() => parseJsonDataset('[1, 2')).toThrow('not valid JSON');
  });

  it('reads files by extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'intrinsic-data-'));
    writeFileSync(join(dir, 'a.csv'), '1,0\n2,1\n');
    expect((await readDatasetFile(join(dir, 'a.csv'))).count).toBe(2);
    writeFileSync(join(dir, 'a.txt'), '1,0\n');
    await expect(readDatasetFile(join(dir, 'a.txt'))).rejects.toThrow('unknown extension');
    await expect(readDatasetFile(join(dir, 'missing.csv'))).rejects.toThrow('cannot be read');
  });
});
