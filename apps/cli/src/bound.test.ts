import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initializeParameters, parameterCount, validateMlpSpec } from '@intrinsic/models';
import { intrinsic } from './run-cli.test-helper.js';

let run: string;

beforeAll(async () => {
  // A small trained classifier: 5-8-3 ReLU on a seeded Gaussian mixture, cpu backend.
  run = join(mkdtempSync(join(tmpdir(), 'intrinsic-bound-')), 'run');
  const trained = await intrinsic(['train', '--data', 'mixture', '--widths', '5,8,3', '--train-samples', '60', '--test-samples', '0', '--epochs', '30', '--batch-size', 'full', '--lr', '0.05', '--backend', 'cpu', '--out', run, '--json']);
  expect(trained.code, trained.stderr).toBe(0);
});

describe('intrinsic bound', () => {
  it('--measures --lipschitz --json: every row has a value and assumptions; the numbers match the run folder', async () => {
    const { code, stdout, stderr } = await intrinsic(['bound', '--model', run, '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    const spec = JSON.parse(readFileSync(join(run, 'spec.json'), 'utf8')).model;
    validateMlpSpec(spec);
    const flat = Float64Array.from(JSON.parse(readFileSync(join(run, 'params.json'), 'utf8')).flat as number[]);
    const byName = Object.fromEntries(result.rows.map((r: { name: string; value: number }) => [r.name, r]));
    expect(byName['parameter count p'].value).toBe(parameterCount(spec)); // 5·8 + 8·3 = 64 without bias
    expect(byName['parameter count p'].value).toBe(64);
    // ‖θ − θ₀‖₂ recomputed from params.json and the seeded initialisation.
    const w0 = initializeParameters(spec);
    let distance = 0;
    for (let i = 0; i < flat.length; i++) distance += (flat[i] - w0[i]) ** 2;
    expect(byName['‖θ − θ₀‖₂'].value).toBeCloseTo(Math.sqrt(distance), 10);
    expect(distance).toBeGreaterThan(0);
    // Σ ‖W_l‖_F from the arrays.
    const W1 = flat.subarray(0, 40);
    const W2 = flat.subarray(40, 64);
    const frobenius = (w: Float64Array) => Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    expect(byName['Σ ‖W_l‖_F'].value).toBeCloseTo(frobenius(W1) + frobenius(W2), 10);
    expect(byName['Lipschitz upper bound'].value).toBeGreaterThanOrEqual(byName['Lipschitz lower bound'].value);
    for (const row of result.rows) {
      expect(Number.isFinite(row.value), row.name).toBe(true);
      expect(row.vacuous).toBeNull();
      expect(['measures', 'lipschitz']).toContain(row.section);
    }
    expect(result.pacBayes).toBeNull();
    // Issue #10: no wall-clock time in the JSON, and the same command gives the same bytes.
    expect(stdout).not.toMatch(/seconds/i);
    const again = await intrinsic(['bound', '--model', run, '--json']);
    expect(again.stdout).toBe(stdout);
  });

  it('--pac-bayes runs Dziugaite–Roy on cpu: the certified bound is ≥ the sampled error and flagged against 1 − 1/K', async () => {
    const { code, stdout, stderr } = await intrinsic(['bound', '--model', run, '--pac-bayes', '--iterations', '200', '--lr', '0.01', '--mc-samples', '5000', '--backend', 'cpu', '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.pacBayes.backend).toBe('cpu');
    const rows = result.rows;
    expect(rows.every((r: { section: string }) => r.section === 'pac-bayes')).toBe(true);
    const bound = rows.find((r: { name: string }) => r.name === 'Dziugaite–Roy bound on e(Q)');
    expect(bound.value).toBeGreaterThanOrEqual(result.pacBayes.empiricalErrorUpper);
    expect(result.pacBayes.empiricalErrorUpper).toBeGreaterThanOrEqual(result.pacBayes.sampledError);
    expect(bound.value).toBeLessThanOrEqual(1);
    expect(bound.vacuous).toBe(bound.value >= 2 / 3);
    // With m = 60 samples, McAllester's relaxation is looser than the kl form at the same KL.
    const mcAllester = rows.find((r: { name: string }) => r.name === 'McAllester bound on e(Q)');
    expect(mcAllester.value).toBeGreaterThanOrEqual(bound.value);
    expect(result.pacBayes.kl).toBeGreaterThan(0);
    expect(stdout).not.toMatch(/seconds/i); // issue #10: wall-clock times stay out of the JSON
    const again = await intrinsic(['bound', '--model', run, '--pac-bayes', '--iterations', '200', '--lr', '0.01', '--mc-samples', '5000', '--backend', 'cpu', '--json']);
    expect(again.stdout).toBe(stdout); // same seed, same bytes
  });

  it('prints a table with a vacuous column', async () => {
    const { code, stdout } = await intrinsic(['bound', '--model', run, '--lipschitz']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/vacuous/);
    expect(stdout).toMatch(/Lipschitz upper bound/);
    expect(stdout).not.toMatch(/path-norm/);
  });

  it('bad input: one line on stderr and exit code 2', async () => {
    for (const args of [['bound'], ['bound', '--model', run, '--iterations', 'many'], ['bound', '--model', join(run, 'missing')], ['bound', '--model', run, '--backend', 'gpu'], ['bound', '--model', run, '--initial-prior-variance', '0.5']]) {
      const { code, stderr } = await intrinsic(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
