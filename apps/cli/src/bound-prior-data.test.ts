import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dziugaiteRoyBound } from '@intrinsic/bounds';
import { intrinsic } from './run-cli.test-helper.js';

let run: string;

beforeAll(async () => {
  // A small trained classifier: 5-8-3 ReLU on a seeded Gaussian mixture of 200 samples, cpu backend.
  run = join(mkdtempSync(join(tmpdir(), 'intrinsic-bound-prior-')), 'run');
  const trained = await intrinsic(['train', '--data', 'mixture', '--widths', '5,8,3', '--train-samples', '200', '--test-samples', '0', '--epochs', '30', '--batch-size', 'full', '--lr', '0.05', '--backend', 'cpu', '--out', run, '--json']);
  expect(trained.code, trained.stderr).toBe(0);
});

describe('intrinsic bound --pac-bayes --prior-data', () => {
  it('certifies on S_bound with m = |S_bound| against the prior learnt on S_prior', async () => {
    const args = ['bound', '--model', run, '--pac-bayes', '--prior-data', '0.4', '--prior-epochs', '5', '--iterations', '100', '--mc-samples', '5000', '--backend', 'cpu', '--json'];
    const { code, stdout, stderr } = await intrinsic(args);
    expect(code, stderr).toBe(0);
    const details = JSON.parse(stdout).pacBayes;
    // round(0.4 · 200) = 80 prior rows, 120 bound rows.
    expect(details.prior).toMatchObject({ kind: 'data-dependent', fraction: 0.4, splitSeed: 0, priorRows: 80, boundRows: 120, epochs: 5, posteriorStart: 'prior' });
    expect(details.trainingSetSize).toBe(120);
    const rows = JSON.parse(stdout).rows as { name: string; value: number; assumptions: string; vacuous: boolean | null }[];
    const bound = rows.find((r) => r.name === 'Dziugaite–Roy bound on e(Q)')!;
    expect(bound.assumptions).toMatch(/m = 120 = \|S_bound\|/);
    expect(rows.find((r) => r.name === 'KL(Q‖P) (nats)')!.assumptions).toMatch(/w_P = SGD from θ₀ on S_prior \(80 of 200 rows/);
    // The certified number is the float64 certificate at m = 120 (not at the 200 rows of the whole set).
    const recompute = (m: number) =>
      dziugaiteRoyBound({ sampledError: details.sampledError, monteCarloSamples: 5000, kl: details.kl, trainingSetSize: m, priorGridIndex: details.priorGridIndex, delta: 0.025, deltaMonteCarlo: 0.01 }).bound;
    expect(Math.abs(bound.value - recompute(120))).toBeLessThan(1e-12);
    expect(Math.abs(bound.value - recompute(200))).toBeGreaterThan(1e-3);
    expect(bound.value).toBeGreaterThanOrEqual(details.empiricalErrorUpper);
    expect(details.empiricalErrorUpper).toBeGreaterThanOrEqual(details.sampledError);
    expect(bound.vacuous).toBe(bound.value >= 2 / 3);
    const again = await intrinsic(args);
    expect(again.stdout).toBe(stdout); // same seed, same bytes
  });

  it('without --prior-data the prior is at θ₀ and m is the whole training set', async () => {
    const { code, stdout, stderr } = await intrinsic(['bound', '--model', run, '--pac-bayes', '--iterations', '20', '--mc-samples', '2000', '--backend', 'cpu', '--json']);
    expect(code, stderr).toBe(0);
    const details = JSON.parse(stdout).pacBayes;
    expect(details.prior).toEqual({ kind: 'initial-weights' });
    expect(details.trainingSetSize).toBe(200);
  });

  it('help names the option; bad input: one line on stderr and exit code 2', async () => {
    const help = await intrinsic(['bound', '--help']);
    expect(help.stdout).toMatch(/--prior-data F/);
    for (const args of [
      ['bound', '--model', run, '--pac-bayes', '--prior-data', '1.5'],
      ['bound', '--model', run, '--pac-bayes', '--prior-data', 'half'],
      ['bound', '--model', run, '--prior-data', '0.5'],
      ['bound', '--model', run, '--pac-bayes', '--prior-data', '0.5', '--posterior-start', 'middle'],
      ['bound', '--model', run, '--pac-bayes', '--prior-data', '0.5', '--prior-epochs', '0'],
      ['bound', '--model', run, '--pac-bayes', '--prior-data', '0.001', '--backend', 'cpu'],
    ]) {
      const { code, stderr } = await intrinsic(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
