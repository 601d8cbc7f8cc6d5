import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intrinsic } from './run-cli.test-helper.js';
import { networkHessianDecomposition } from '@intrinsic/hessian';
import { defaultDataset, initializeNetworkParameters, networkSpec, type LayerSpec } from '@intrinsic/models';
import { symmetricEigenvalues } from '@intrinsic/spectra';

const model = ['--widths', '6,12,10,4', '--samples', '40', '--activation', 'tanh', '--bias', '--seed', '3'];

describe('intrinsic spectrum', () => {
  it('Lanczos top-5 and bottom-2 agree with the dense eigenvalues; Hutch++ trace is within 4 standard errors of the exact trace', async () => {
    const lanczos = JSON.parse((await intrinsic(['spectrum', ...model, '--top', '5', '--bottom', '2', '--trace', '--json'])).stdout);
    const dense = JSON.parse((await intrinsic(['spectrum', ...model, '--top', '5', '--bottom', '2', '--trace', '--method', 'dense', '--json'])).stdout);
    expect(lanczos.params).toBe(6 * 12 + 12 + 12 * 10 + 10 + 10 * 4 + 4);
    for (const which of [0, 1]) {
      const a: number[] = lanczos.eigenvalues[which].values;
      const b: number[] = dense.eigenvalues[which].values;
      expect(lanczos.eigenvalues[which].which).toBe(dense.eigenvalues[which].which);
      a.forEach((value, i) => expect(Math.abs(value - b[i]) / Math.abs(b[0])).toBeLessThan(1e-8));
      expect(lanczos.eigenvalues[which].converged.every(Boolean)).toBe(true);
    }
    expect(Math.abs(lanczos.trace.estimate - dense.trace.estimate)).toBeLessThan(4 * lanczos.trace.standardError + 1e-9);
    expect(lanczos.products).toBeGreaterThan(0);
  });

  it('--time-limit: a spent budget returns partial Ritz pairs marked timedOut and skips later stages; a generous one changes nothing else', async () => {
    const base = ['spectrum', '--widths', '12,16,16,4', '--samples', '40', '--activation', 'tanh', '--top', '6', '--trace', '--density', '--json'];
    const full = JSON.parse((await intrinsic(base)).stdout);
    const generous = JSON.parse((await intrinsic([...base, '--time-limit', '600'])).stdout);
    expect(generous.timedOut).toBe(false);
    const { timeLimitSeconds: _limit, timedOut: _flag, ...rest } = generous;
    expect(rest).toEqual(full);
    const spent = await intrinsic([...base, '--time-limit', '0.000001']);
    expect(spent.code).toBe(0);
    const partial = JSON.parse(spent.stdout);
    expect(partial.timedOut).toBe(true);
    expect(partial.eigenvalues[0].timedOut).toBe(true);
    expect(partial.eigenvalues[0].matvecs).toBeLessThan(full.eigenvalues[0].matvecs);
    expect(partial.eigenvalues[0].residualNorms.length).toBe(partial.eigenvalues[0].values.length);
    expect(partial.trace).toBeNull();
    expect(partial.density).toBeNull();
    const bad = await intrinsic([...base, '--time-limit=-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--time-limit: '-1' is not a positive number/);
  });

  it('--density gives a grid that integrates to 1, --plot writes an SVG, and the GGN of a restricted layer works', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'intrinsic-spectrum-'));
    const plot = join(folder, 'density.svg');
    const { code, stdout } = await intrinsic(['spectrum', ...model, '--operator', 'ggn', '--layers', '2', '--top', '3', '--density', '--plot', plot, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.size).toBe(12 * 10 + 10);
    const { grid, density } = result.density as { grid: number[]; density: number[] };
    let integral = 0;
    for (let i = 1; i < grid.length; i++) integral += 0.5 * (density[i] + density[i - 1]) * (grid[i] - grid[i - 1]);
    expect(integral).toBeCloseTo(1, 6);
    // The GGN is positive semi-definite: its eigenvalues are ≥ 0 up to rounding.
    expect(Math.min(...(result.eigenvalues[0].values as number[]))).toBeGreaterThan(0);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg[\s\S]*Spectral density of the ggn[\s\S]*<\/svg>\n$/);
  });

  it('--model analyses a saved run on its own data; --engine tfjs (float32) agrees with the float64 engine to 1e-3', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'intrinsic-model-')), 'run');
    expect((await intrinsic(['rank', ...model, '--save-run', folder, '--json'])).code).toBe(0);
    const fresh = JSON.parse((await intrinsic(['spectrum', ...model, '--top', '3', '--json'])).stdout);
    const saved = JSON.parse((await intrinsic(['spectrum', '--model', folder, '--top', '3', '--json'])).stdout);
    const tfjs = JSON.parse((await intrinsic(['spectrum', '--model', folder, '--top', '3', '--engine', 'tfjs', '--backend', 'cpu', '--json'])).stdout);
    // Same network and data (Lanczos starts differ: the saved run is analysed with the default seed).
    (saved.eigenvalues[0].values as number[]).forEach((value, i) => expect(Math.abs(value - fresh.eigenvalues[0].values[i]) / value).toBeLessThan(1e-10));
    expect(tfjs.engine).toBe('tfjs cpu (float32)');
    (tfjs.eigenvalues[0].values as number[]).forEach((value, i) => expect(Math.abs(value - saved.eigenvalues[0].values[i]) / saved.eigenvalues[0].values[0]).toBeLessThan(1e-3));
    const missing = await intrinsic(['spectrum', '--model', join(folder, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });

  it.each([
    [['--layers', 'b9'], /parameter filter 'b9' matches no parameters|layer/],
    [['--top', '100000'], /--top\/--bottom: 100000 eigenvalues asked of an operator of size 258/],
    [['--operator', 'jacobian'], /--operator: unknown value 'jacobian'/],
    [['--method', 'dense', '--widths', '200,200,10'], /above the dense limit/],
  ])('bad input %j: one line, exit code 2', async (args, message) => {
    const { code, stderr } = await intrinsic(['spectrum', ...model, ...args]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  describe('layered networks (--spec)', () => {
    const layers: LayerSpec[] = [
      { type: 'conv1d', filters: 3, kernel: 3, stride: 2, padding: 1 },
      { type: 'activation', activation: 'softplus' },
      { type: 'avgpool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ];
    const folder = mkdtempSync(join(tmpdir(), 'intrinsic-spectrum-spec-'));
    const specFile = join(folder, 'cnn1d.json');
    writeFileSync(specFile, JSON.stringify({ input: [2, 12], layers, bias: true, seed: 2 }));
    /** All eigenvalues of the dense Hessian / GGN of network-hessian, descending, computed here. */
    function dense(part: 'hessian' | 'outer'): number[] {
      const spec = networkSpec({ input: [2, 12], layers, bias: true, seed: 2 });
      const m = networkHessianDecomposition(spec, initializeNetworkParameters(spec), defaultDataset('gaussian', 'mse', 10, 24, 3, 0), 'mse');
      return Array.from(symmetricEigenvalues(m[part], m.size)).reverse();
    }

    it('--spec: Lanczos top-3 of the Hessian equal the dense eigendecomposition; --json is deterministic and has no wall-clock field', async () => {
      const args = ['spectrum', '--spec', specFile, '--samples', '10', '--top', '3', '--json'];
      const first = await intrinsic(args);
      expect(first.code).toBe(0);
      const result = JSON.parse(first.stdout);
      const expected = dense('hessian');
      expect(result.params).toBe(3 * 2 * 3 + 3 + 9 * 3 + 3);
      (result.eigenvalues[0].values as number[]).forEach((value, i) => expect(Math.abs(value - expected[i]) / expected[0]).toBeLessThan(1e-9));
      expect(result).not.toHaveProperty('seconds');
      expect((await intrinsic(args)).stdout).toBe(first.stdout);
    });

    it('--spec with --engine tfjs (float32, wasm and cpu): top-3 of the Hessian and the GGN within 1e-4 of the dense eigenvalues', async () => {
      for (const [operator, part] of [['hessian', 'hessian'], ['ggn', 'outer']] as const) {
        const expected = dense(part);
        for (const backend of ['wasm', 'cpu']) {
          const { code, stdout } = await intrinsic(['spectrum', '--spec', specFile, '--samples', '10', '--top', '3', '--operator', operator, '--engine', 'tfjs', '--backend', backend, '--json']);
          expect(code).toBe(0);
          const result = JSON.parse(stdout);
          expect(result.engine).toBe(`tfjs ${backend} (float32)`);
          (result.eigenvalues[0].values as number[]).forEach((value, i) => expect(Math.abs(value - expected[i]) / expected[0]).toBeLessThan(1e-4));
        }
      }
    });

    it('--method dense on a --spec network gives every eigenvalue of the dense matrix; --layers is refused with one line', async () => {
      const { stdout } = await intrinsic(['spectrum', '--spec', specFile, '--samples', '10', '--top', '2', '--bottom', '2', '--method', 'dense', '--json']);
      const result = JSON.parse(stdout);
      const expected = dense('hessian');
      expect(result.eigenvalues[0].values[0]).toBeCloseTo(expected[0], 12);
      expect(result.eigenvalues[1].values[0]).toBeCloseTo(expected[expected.length - 1], 12);
      const refused = await intrinsic(['spectrum', '--spec', specFile, '--layers', '1']);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/--layers applies to MLPs only/);
    });
  });
});
