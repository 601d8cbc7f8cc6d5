import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, intrinsic } from '../run-cli.test-helper.js';

/**
 * Issue #10 acceptance: "A killed sweep resumed with --resume produces the same final CSV as an
 * uninterrupted run". 7 points of a linear 12-w-4 network (w = 20 … 50), about 0.1–0.3 s each, so a
 * signal sent when the first point file appears lands well before the end.
 */
const sweepArgs = ['sweep', '--vary', 'width', '--values', '20:50:5', '--widths', '12,4,4', '--samples', '40', '--seed', '3'];
const POINTS = 7;

let root: string;
let reference: { csv: string; points: Map<string, string> };

function readPoints(out: string): Map<string, string> {
  const folder = join(out, 'points');
  return new Map(readdirSync(folder).filter((f) => f.endsWith('.json')).sort().map((f) => [f, readFileSync(join(folder, f), 'utf8')]));
}

/**
 * Starts a sweep into `out`, sends `signal` as soon as the first point file exists (`times` times, 1 ms
 * apart), and resolves with the exit.
 */
function runAndSignal(out: string, signal: NodeJS.Signals, times = 1): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...sweepArgs, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const folder = join(out, 'points');
    const poll = setInterval(() => {
      if (existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('.json'))) {
        clearInterval(poll);
        child.kill(signal);
        for (let i = 1; i < times; i++) setTimeout(() => child.kill(signal), i);
      }
    }, 5);
    child.on('error', reject);
    child.on('exit', (code, exitSignal) => {
      clearInterval(poll);
      resolve({ code, signal: exitSignal, stderr });
    });
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'intrinsic-sweep-interrupt-'));
  const out = join(root, 'uninterrupted');
  const result = await intrinsic([...sweepArgs, '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  reference = { csv: readFileSync(join(out, 'sweep.csv'), 'utf8'), points: readPoints(out) };
  expect(reference.csv.trim().split('\n')).toHaveLength(POINTS + 1);
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('intrinsic sweep: Ctrl-C and kill -9, then --resume', () => {
  it('SIGINT: saves the finished points and a summary of them, exits 130, and --resume gives the identical CSV', async () => {
    const out = join(root, 'sigint');
    const stopped = await runAndSignal(out, 'SIGINT');
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/SIGINT received/);
    expect(stopped.stderr).toMatch(/Continue with the same command and --resume/);
    expect(stopped.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const partialPoints = readPoints(out);
    expect(partialPoints.size).toBeGreaterThanOrEqual(1);
    expect(partialPoints.size).toBeLessThan(POINTS);
    // The summary of what is done: one CSV row per finished point, each equal to the uninterrupted row.
    const partialRows = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(partialRows).toHaveLength(partialPoints.size + 1);
    const referenceRows = new Set(reference.csv.trim().split('\n'));
    for (const row of partialRows) expect(referenceRows.has(row), row).toBe(true);
    for (const [name, text] of partialPoints) expect(text, name).toBe(reference.points.get(name));

    const resumed = await intrinsic([...sweepArgs, '--out', out, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr.match(/reused from --out/g)?.length).toBe(partialPoints.size);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).toBe(reference.csv);
    expect(readPoints(out)).toEqual(reference.points);
  });

  it('a second Ctrl-C exits at once with 130; the points saved are intact and --resume completes them', async () => {
    const out = join(root, 'double-sigint');
    const stopped = await runAndSignal(out, 'SIGINT', 2);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).not.toMatch(/\n\s+at /);
    const points = readPoints(out);
    expect(points.size).toBeLessThan(POINTS);
    for (const [name, text] of points) expect(text, name).toBe(reference.points.get(name));
    const resumed = await intrinsic([...sweepArgs, '--out', out, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).toBe(reference.csv);
  });

  it('SIGKILL (kill -9): no summary, no half-written point; --resume gives the identical CSV', async () => {
    const out = join(root, 'sigkill');
    const killed = await runAndSignal(out, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(out, 'sweep.csv'))).toBe(false);
    const points = readPoints(out);
    expect(points.size).toBeLessThan(POINTS);
    // Atomic writes: every point file present is complete and equal to the uninterrupted one.
    for (const [name, text] of points) expect(text, name).toBe(reference.points.get(name));

    const resumed = await intrinsic([...sweepArgs, '--out', out, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).toBe(reference.csv);
    expect(readPoints(out)).toEqual(reference.points);
  });
});
