import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const sweepModule = resolve(__dirname, '../../dist/commands/sweep.js');

/** Runs the built `sweep` command module (as main.ts would) in a fresh Node process. */
async function sweep(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // As main.ts does: user errors (UsageError, IntrinsicError) as one line, anything else with its stack.
  const script = `import { run } from ${JSON.stringify(sweepModule)};
import { IntrinsicError } from '@intrinsic/spectra';
try { process.exitCode = await run(${JSON.stringify(args)}); } catch (error) {
  const user = error.name === 'UsageError' || IntrinsicError.isInstance(error);
  process.stderr.write((user ? error.message : String(error.stack)) + '\\n'); process.exitCode = 2; }`;
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 64 * 1024 * 1024, cwd: resolve(__dirname, '../..') });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('intrinsic sweep (built command)', () => {
  it('--jobs 2 on worker threads gives the same points as --jobs 1, and writes CSV, JSON, SVG and per-point files', async () => {
    expect(existsSync(sweepModule), 'build the CLI first (pnpm --filter @intrinsic/cli build)').toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'intrinsic-sweep-cli-'));
    try {
      const args = ['--vary', 'width', '--values', '2:10:2', '--widths', '8,4,4,3', '--samples', '20', '--loss', 'mse,ce'];
      const parallel = await sweep([...args, '--jobs', '2', '--out', out, '--json']);
      expect(parallel.stderr, parallel.stderr).not.toMatch(/Error/);
      expect(parallel.code).toBe(0);
      const serial = await sweep([...args, '--json']);
      const a = JSON.parse(parallel.stdout);
      const b = JSON.parse(serial.stdout);
      expect(a.points.map((r: { rank: unknown }) => r.rank)).toEqual(b.points.map((r: { rank: unknown }) => r.rank));
      // 8-w-w-3, N = 20 > d, MSE: q = min(8, w, 3); for w = 4: 2·3·8 − 3·9 + 3·(8 + 3) = 54 (Singh et al. 2021).
      expect(a.points[1].rank.hessian).toBe(54);
      expect(a.agreement).toEqual({ exact: 30, exactEqual: 30, bounded: 0, boundHeld: 0 });
      expect(a.fits.mse.alpha).toBeGreaterThan(0);
      for (const name of ['sweep.csv', 'sweep.json', 'rank-vs-width-mse.svg', 'rank-over-p-ce.svg', 'points/width-10-ce.json']) expect(existsSync(join(out, name)), name).toBe(true);
      expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')).points).toHaveLength(10);
      // --resume: nothing left to compute.
      const resumed = await sweep([...args, '--out', out, '--resume']);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr.match(/reused from --out/g)).toHaveLength(10);
      expect(resumed.stdout).toMatch(/30\/30 exact predictions equal the measured rank/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails with one line for a bad MNIST size, a missing --out with --resume, and a too-large sweep', async () => {
    const mnist = await sweep(['--preset', 'width', '--input-size', '7x9']);
    expect(mnist.code).toBe(2);
    expect(mnist.stderr.trim().split('\n')).toHaveLength(1);
    expect(mnist.stderr).toMatch(/--data mnist: the input size must be a square image/);
    const resume = await sweep(['--vary', 'samples', '--values', '5', '--resume']);
    expect(resume.stderr).toMatch(/--resume needs --out DIR/);
    const huge = await sweep(['--vary', 'width', '--values', '3000', '--widths', '100,10,10']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/over the budget/);
  });
});
