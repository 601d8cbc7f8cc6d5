import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intrinsic } from './run-cli.test-helper.js';

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
});
