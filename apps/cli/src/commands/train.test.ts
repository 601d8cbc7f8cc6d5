import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MlpEvaluation, parameterCount, validateMlpSpec } from '@intrinsic/models';
import { loadMlpFromTfjsFiles } from '@intrinsic/models/tfjs';
import { resetInterrupt } from '../interrupt.js';
import { run, trainSettings } from './train.js';
import { runCaptured } from '../run-cli.test-helper.js';

/** Runs the command in-process, capturing stdout and stderr (each stderr chunk also goes to `onStderr`). */
async function train(argv: string[], onStderr?: (text: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCaptured(() => run(argv), onStderr);
}

afterEach(() => {
  vi.restoreAllMocks();
  resetInterrupt();
});

describe('intrinsic train', () => {
  it('trains 0-vs-1 MNIST at 8 × 8 on cpu, writes a run folder and a tfjs checkpoint, resumes', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'intrinsic-train-')), 'run');
    const args = ['--classes', '0,1', '--input-size', '8x8', '--train-samples', '300', '--test-samples', '200', '--widths', '64,16,2', '--backend', 'cpu', '--out', out, '--json'];
    const first = await train([...args, '--epochs', '3', '--lr', '0.01']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^backend cpu\n/);
    expect(first.stderr).toMatch(/epoch 3\/3 {2}loss \d\.\d{4} acc \d+\.\d\d % {2}‖∇L‖ /);
    const result = JSON.parse(first.stdout);
    expect(result.backend).toBe('cpu');
    expect(result.network.params).toBe(64 * 16 + 16 * 2);
    // Zeros and ones are separable: a held-out accuracy this low would mean the pipeline is broken.
    expect(result.test.accuracy).toBeGreaterThan(0.95);
    // The run folder: the spec, the documented parameter layout and the final loss recomputed in float64.
    const spec = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')).model;
    validateMlpSpec(spec);
    const params = Float64Array.from(JSON.parse(readFileSync(join(out, 'params.json'), 'utf8')).flat as number[]);
    expect(params.length).toBe(parameterCount(spec));
    expect(JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')).train.description).toMatch(/mnist .* train N=300 .*classes 0,1 \(relabelled 0…1\), 28×28 area-averaged to 8×8 \(d=64\)/);
    // The tfjs checkpoint holds the same parameters.
    expect(existsSync(join(out, 'checkpoint', 'weights.bin'))).toBe(true);
    const imported = await loadMlpFromTfjsFiles(join(out, 'checkpoint'));
    expect(Array.from(imported.params)).toEqual(Array.from(params));
    const { loadMnist } = await import('@intrinsic/models');
    const { train: data } = await loadMnist({ classes: [0, 1], trainSamples: 300, size: 8, seed: 0 });
    expect(Math.abs(new MlpEvaluation(spec, params, data, 'cross-entropy').value - result.train.loss) / result.train.loss).toBeLessThan(1e-4);
    // Resume to 5 epochs in total.
    const second = await train([...args, '--epochs', '5', '--lr', '0.01', '--resume']);
    expect(second.code).toBe(0);
    const resumed = JSON.parse(second.stdout);
    expect(resumed.training.resumedFrom).toBe(3);
    expect(resumed.training.epochs).toBe(5);
    expect(resumed.history.map((h: { epoch: number }) => h.epoch)).toEqual([4, 5]);
  });

  it('trains on synthetic mixture data to a target gradient norm, full batch, sgd', async () => {
    const { code, stdout } = await train(['--data', 'mixture', '--widths', '4,6,3', '--train-samples', '60', '--test-samples', '20', '--optimizer', 'sgd', '--lr', '0.1', '--batch-size', 'full', '--epochs', '2000', '--target-grad-norm', '0.05', '--backend', 'cpu', '--json', '--activation', 'tanh', '--bias']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.training.converged).toBe(true);
    expect(result.train.gradientNorm).toBeLessThanOrEqual(0.05);
    expect(result.training.batchSize).toBe('full');
  });

  it('Ctrl-C after epoch 2 saves that epoch (run folder + checkpoint), exits 130; --resume reaches the uninterrupted parameters', async () => {
    const root = mkdtempSync(join(tmpdir(), 'intrinsic-train-interrupt-'));
    const args = ['--data', 'mixture', '--widths', '4,6,3', '--train-samples', '60', '--test-samples', '0', '--batch-size', '16', '--lr', '0.01', '--epochs', '5', '--backend', 'cpu', '--json'];
    const reference = await train([...args, '--out', join(root, 'reference')]);
    expect(reference.code).toBe(0);
    const out = join(root, 'interrupted');
    let sent = false;
    const stopped = await train([...args, '--out', out], (text) => {
      // A SIGINT as the terminal sends it, delivered while epoch 2 is reported.
      if (!sent && /^epoch 2\/5/.test(text)) {
        sent = true;
        process.emit('SIGINT', 'SIGINT');
      }
    });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted after epoch 2; saved .* Continue with the same command and --resume/);
    const partial = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(partial.training).toMatchObject({ epochs: 2, interrupted: true });
    expect(partial.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2]);
    // The checkpoint and params.json hold the same epoch-2 parameters.
    const params2 = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8')).flat as number[];
    expect(Array.from((await loadMlpFromTfjsFiles(join(out, 'checkpoint'))).params)).toEqual(params2);
    resetInterrupt();
    const resumed = await train([...args, '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).history.map((h: { epoch: number }) => h.epoch)).toEqual([3, 4, 5]);
    // Interrupt + resume = one uninterrupted run (seeded batches per epoch, optimizer state restored).
    const final = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8')).flat;
    expect(final).toEqual(JSON.parse(readFileSync(join(root, 'reference', 'params.json'), 'utf8')).flat);
    // No wall-clock time in the JSON output or result files (issue #10); it goes to timings.json.
    expect(resumed.stdout).not.toMatch(/seconds/);
    expect(readFileSync(join(out, 'result.json'), 'utf8')).not.toMatch(/seconds/);
    expect(JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')).seconds).toBeGreaterThan(0);
  });

  it('rejects bad flags with one-line usage errors', async () => {
    expect(() => trainSettings({ data: 'mnist', 'input-size': '7x8', loss: 'ce', normalization: 'none', 'label-noise': '0', activation: 'relu', init: 'he-normal', optimizer: 'adam', momentum: '0.9', epochs: '1', 'batch-size': '64', seed: '0', 'checkpoint-every': '1' })).toThrow(
      "--input-size: '7x8' must be square, like 28x28 or 8x8",
    );
    await expect(train(['--optimizer', 'rmsprop'])).rejects.toThrow("--optimizer: unknown value 'rmsprop'; choose one of adam, sgd");
    await expect(train(['--lr=-1'])).rejects.toThrow("--lr: '-1' must be a positive number");
    await expect(train(['--resume'])).rejects.toThrow('--resume needs --out DIR');
    await expect(train(['--data', 'gaussian', '--backend', 'cpu'])).rejects.toThrow('--data gaussian needs --widths');
    await expect(train(['--widths', '10,3', '--backend', 'cpu', '--train-samples', '20', '--test-samples', '0'])).rejects.toThrow('the input width 10 does not match the data (d = 784)');
  });
});
