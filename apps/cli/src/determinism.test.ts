import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin } from './run-cli.test-helper.js';

/**
 * Issue #10, determinism: the same command with the same seed gives byte-identical `--json` stdout and
 * byte-identical output files, on the float64 engine. Each command runs twice, in two fresh working
 * folders with the same relative paths (so the recorded command line is the same), at a size that takes
 * well under 2 s. `timings.json` is the one file documented as wall-clock (non-deterministic) and is not
 * compared; every other file in the output folder is.
 *
 * Not here: `train`, which has no float64 engine (TensorFlow.js only); its result files keep wall-clock
 * times out of result.json and --json (train.test.ts checks that) and put them in timings.json.
 */
const exec = promisify(execFile);

interface Case {
  name: string;
  args: string[];
  /** Output folder written by the command (relative to the working folder), compared file by file. */
  out?: string;
}

let root: string;
const model = () => join(root, 'model');

const cases: Case[] = [
  {
    name: 'rank (tanh, cross-entropy, with a saved run folder)',
    args: ['rank', '--widths', '5,3,2', '--samples', '10', '--activation', 'tanh', '--loss', 'ce', '--seed', '4', '--json', '--save-run', 'out'],
    out: 'out',
  },
  {
    name: 'spectrum (top 3 by Lanczos, Hutch++ trace, SLQ density)',
    args: ['spectrum', '--widths', '5,3,2', '--samples', '10', '--top', '3', '--trace', '--density', '--seed', '4', '--json', '--save-run', 'out'],
    out: 'out',
  },
  {
    name: 'sweep (three widths: CSV, JSON, SVG plots and point files)',
    args: ['sweep', '--vary', 'width', '--values', '2:4', '--widths', '5,3,2', '--samples', '10', '--seed', '4', '--json', '--out', 'out'],
    out: 'out',
  },
  {
    name: 'prune (magnitude and OBD, two sparsities)',
    args: ['prune', '--model', '@MODEL', '--method', 'magnitude,obd', '--gradients', '5', '--sweep', '0.2,0.5', '--json', '--out', 'out'],
    out: 'out',
  },
  { name: 'bound (measures and Lipschitz)', args: ['bound', '--model', '@MODEL', '--measures', '--lipschitz', '--json'] },
  {
    name: 'double-descent (widths 1, 2; float64 Adam)',
    args: ['double-descent', '--widths', '1,2', '--samples', '10', '--test-samples', '10', '--epochs', '50', '--json', '--out', 'out'],
    out: 'out',
  },
];

async function runIn(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const resolved = args.map((a) => (a === '@MODEL' ? model() : a));
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...resolved], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file under `folder` except timings.json, by relative path, with its bytes as text. */
function filesOf(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== 'timings.json') files[relative(folder, path)] = readFileSync(path, 'latin1');
    }
  };
  walk(folder);
  return files;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'intrinsic-determinism-'));
  // A small trained-free model run folder for the commands that take --model.
  const saved = await runIn(root, ['rank', '--widths', '5,3,2', '--samples', '10', '--activation', 'tanh', '--loss', 'ce', '--seed', '1', '--save-run', 'model']);
  expect(saved.code, saved.stderr).toBe(0);
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('determinism: the same command and seed, twice, gives the same bytes', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const folders = ['first', 'second'].map((name) => join(root, `${testCase.args[0]}-${name}-${cases.indexOf(testCase)}`));
      const runs = [];
      for (const folder of folders) {
        mkdirSync(folder);
        runs.push(await runIn(folder, testCase.args));
      }
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      expect(runs[0].stdout.length).toBeGreaterThan(0);
      JSON.parse(runs[0].stdout);
      expect(runs[1].stdout).toBe(runs[0].stdout);
      if (testCase.out) {
        const [a, b] = folders.map((folder) => filesOf(join(folder, testCase.out!)));
        expect(Object.keys(a).length).toBeGreaterThan(0);
        expect(b).toEqual(a);
      }
    }, 60_000);
  }
});
