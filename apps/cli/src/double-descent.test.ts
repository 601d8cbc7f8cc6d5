import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denseHessian } from '@intrinsic/hessian';
import { initializeParameters, mlpLoss, MlpEvaluation, mlpSpec, teacherDataset, trainMlp } from '@intrinsic/models';
import { Random, symmetricEigenvalues } from '@intrinsic/spectra';
import { intrinsic } from './run-cli.test-helper.js';

const tiny = ['double-descent', '--widths', '1:5:2', '--samples', '12', '--test-samples', '20', '--input-size', '3', '--epochs', '300', '--label-noise', '0.1'];

describe('intrinsic double-descent', () => {
  it('--json: one point per width with the fields, and the numbers of an independent recomputation', async () => {
    const { code, stdout, stderr } = await intrinsic([...tiny, '--json']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.points.map((p: { width: number }) => p.width)).toEqual([1, 3, 5]);
    expect(result.interpolationThreshold).toEqual({ params: 12, width: 3 }); // N·K = 12, p = h(d + K) = 4h
    for (const point of result.points) {
      expect(point.params).toBe(4 * point.width);
      for (const key of ['trainLoss', 'testLoss', 'lambdaMax', 'influenceEstimate', 'influenceLowerBound', 'lipschitzUpper', 'lipschitzLower']) expect(Number.isFinite(point[key]), key).toBe(true);
      expect(point.influenceLowerBound).toBeLessThanOrEqual(point.influenceEstimate * (1 + 1e-12));
      expect(point.lipschitzUpper).toBeGreaterThanOrEqual(point.lipschitzLower * (1 - 1e-12));
    }
    // Width 3 recomputed here: same data recipe (seed 0), same training, dense Hessian, λ_min⁺ above numpy's tolerance.
    const teacher = mlpSpec({ widths: [3, 20, 1], activation: 'tanh', bias: false, init: 'glorot-normal', seed: 1000 });
    const random = new Random(17);
    const train = teacherDataset({ spec: teacher, params: initializeParameters(teacher), inputs: random.fillGaussian(new Float64Array(36)), count: 12, task: 'regression' });
    random.fillGaussian(new Float64Array(60)); // the test inputs
    const noisy = { ...train, targets: Float64Array.from(train.targets, (t) => t + 0.1 * random.gaussian()) };
    const spec = mlpSpec({ widths: [3, 3, 1], activation: 'tanh', bias: false, init: 'glorot-normal', seed: 0 });
    const params = trainMlp(spec, initializeParameters(spec), noisy, 'mse', { optimizer: 'adam', learningRate: 0.01, epochs: 300, targetGradientNorm: 1e-7, seed: 0 }).params;
    const eigenvalues = symmetricEigenvalues(denseHessian(spec, params, noisy, 'mse'), 12);
    const tolerance = Math.max(...eigenvalues.map(Math.abs)) * 12 * Number.EPSILON;
    const lambdaMinPositive = Math.min(...Array.from(eigenvalues).filter((v) => v > tolerance));
    const point = result.points[1];
    expect(point.trainLoss).toBeCloseTo(mlpLoss(spec, params, noisy, 'mse'), 12);
    expect(Math.abs(point.lambdaMinPositive - lambdaMinPositive) / lambdaMinPositive).toBeLessThan(1e-8);
    // λ_min⁺(H_O) for MSE: H_O = JᵀJ/N shares its non-zero eigenvalues with the N·K × N·K Gram matrix JJᵀ/N.
    const J = new MlpEvaluation(spec, params, noisy, 'mse').outputJacobian();
    const gram = new Float64Array(12 * 12);
    for (let a = 0; a < 12; a++) for (let b = 0; b < 12; b++) for (let k = 0; k < 12; k++) gram[a * 12 + b] += (J[a * 12 + k] * J[b * 12 + k]) / 12;
    const gramValues = symmetricEigenvalues(gram, 12);
    expect(gramValues[0]).toBeGreaterThan(1e-10); // p = N·K = 12: J is square and generic, H_O has full rank 12
    expect(point.outerRank).toBe(12);
    expect(Math.abs(point.lambdaMinPositiveOuter - gramValues[0]) / gramValues[0]).toBeLessThan(1e-7);
  });

  it('--out writes per-point files, CSV, JSON and SVG plots; --resume skips the points already done', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'intrinsic-dd-')), 'sweep');
    const first = await intrinsic([...tiny, '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(join(out, 'points')).sort()).toEqual(['w1-s0.json', 'w3-s0.json', 'w5-s0.json']);
    for (const name of ['results.json', 'results.csv', 'test-loss.svg', 'lambda-min.svg', 'lipschitz.svg']) expect(existsSync(join(out, name)), name).toBe(true);
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toMatch(/^width,seed,params,trainLoss,testLoss/);
    expect(readFileSync(join(out, 'test-loss.svg'), 'utf8')).toMatch(/p = N·K = 12/);
    // Issue #10: no wall-clock time in the files, and the same command writes the same bytes.
    expect(csv[0]).not.toMatch(/seconds/);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).not.toMatch(/seconds/);
    const repeat = join(mkdtempSync(join(tmpdir(), 'intrinsic-dd-')), 'sweep');
    expect((await intrinsic([...tiny, '--out', repeat])).code).toBe(0);
    for (const name of ['results.json', 'results.csv', 'points/w3-s0.json']) expect(readFileSync(join(repeat, name), 'utf8'), name).toBe(readFileSync(join(out, name), 'utf8'));
    // A point file of an older version with a `seconds` field: resumed without it.
    const legacy = join(out, 'points', 'w1-s0.json');
    writeFileSync(legacy, JSON.stringify({ ...JSON.parse(readFileSync(legacy, 'utf8')), seconds: 1.5 }));
    const before = statSync(join(out, 'points', 'w3-s0.json')).mtimeMs;
    const again = await intrinsic([...tiny.slice(0, 2), '1:7:2', ...tiny.slice(3), '--out', out, '--resume', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.match(/done before \(resume\)/g)).toHaveLength(3);
    expect(statSync(join(out, 'points', 'w3-s0.json')).mtimeMs).toBe(before);
    expect(JSON.parse(again.stdout).points.map((p: { width: number }) => p.width)).toEqual([1, 3, 5, 7]);
    expect(again.stdout).not.toMatch(/seconds/);
    expect(existsSync(join(out, 'points', 'w7-s0.json'))).toBe(true);
  });

  it('bad input: one line on stderr and exit code 2', async () => {
    for (const args of [
      ['double-descent', '--widths', '5:2'],
      ['double-descent', '--loss', 'hinge'],
      ['double-descent', '--data', 'cifar'],
      ['double-descent', '--resume'],
      ['double-descent', '--samples', 'x'],
      ['double-descent', '--widths', '3000', '--input-size', '784', '--samples', '10'],
    ]) {
      const { code, stderr } = await intrinsic(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('intrinsic double-descent: Ctrl-C, then --resume (issue #10)', () => {
  it('SIGINT after the first point: exit 130, results of the finished points, and --resume gives the uninterrupted CSV', async () => {
    const { spawn } = await import('node:child_process');
    const { bin } = await import('./run-cli.test-helper.js');
    const args = ['double-descent', '--widths', '1:29:2', '--samples', '12', '--test-samples', '20', '--input-size', '3', '--epochs', '3000', '--label-noise', '0.1'];
    const root = mkdtempSync(join(tmpdir(), 'intrinsic-dd-interrupt-'));
    const whole = await intrinsic([...args, '--out', join(root, 'whole')]);
    expect(whole.code, whole.stderr).toBe(0);
    const out = join(root, 'stopped');
    const stopped = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const points = join(out, 'points');
      const poll = setInterval(() => {
        if (existsSync(points) && readdirSync(points).length > 0) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 5);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearInterval(poll);
        resolve({ code, stderr });
      });
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted after \d+ of 15 points; the output covers those; run the same command with --resume to finish/);
    const partial = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(partial.interrupted.planned).toBe(15);
    expect(partial.interrupted.completed).toBeLessThan(15);
    expect(partial.points).toHaveLength(partial.interrupted.completed);
    const resumed = await intrinsic([...args, '--out', out, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toBe(readFileSync(join(root, 'whole', 'results.csv'), 'utf8'));
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(readFileSync(join(root, 'whole', 'results.json'), 'utf8'));
  }, 60_000);
});
