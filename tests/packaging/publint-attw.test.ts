// publint (package.json fields against the files actually packed) and Are the Types Wrong (type
// resolution of every export for each TypeScript module-resolution mode) on the tarballs the packaging
// setup packed. Profile `esm-only`: the packages ship ESM only (one copy of each module, no dual-package
// hazard for the error classes or for tfjs-core), so the node10 and node16-from-CJS resolutions are not
// targets; on Node ≥ 20.19 require() still loads them (require(esm), checked in pack-install.test.ts).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain ESM helpers without types
import { REPO_ROOT, publishedPackages } from '../../scripts/packaging/published-packages.mjs';

const execFileAsync = promisify(execFile);
const packages: { name: string }[] = publishedPackages();

/** Runs a root devDependency binary; returns its exit code and combined output. */
async function runBinary(binary: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(join(REPO_ROOT, 'node_modules', '.bin', binary), args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    return { code: 0, output: stdout + stderr };
  } catch (error: any) {
    return { code: typeof error.code === 'number' ? error.code : 1, output: `${error.stdout ?? ''}${error.stderr ?? error.message}` };
  }
}

describe.each(packages.map((pkg) => pkg.name))('%s tarball', (name) => {
  it('is clean under publint --strict (warnings count as errors)', async () => {
    const { code, output } = await runBinary('publint', ['run', inject('tarballs')[name], '--strict']);
    expect(output).toContain('All good!');
    expect(code, output).toBe(0);
  });

  it('is clean under attw --profile esm-only, with every subpath export resolving to types in node16 and bundler modes', async () => {
    const { code, output } = await runBinary('attw', [inject('tarballs')[name], '--profile', 'esm-only', '--format', 'json']);
    expect(code, output).toBe(0);
    const report = JSON.parse(output);
    // Same verdict as the exit code, spelled out: no problem outside the two resolutions esm-only skips.
    const problems = (report.analysis.problems as { kind: string; resolutionKind?: string }[]).filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(problems).toEqual([]);
    const entrypoints = report.analysis.entrypoints as Record<string, { resolutions: Record<string, { resolution?: { fileName: string; isTypeScript: boolean } }> }>;
    for (const [subpath, entry] of Object.entries(entrypoints)) {
      if (subpath === './package.json') continue;
      for (const mode of ['node16-esm', 'bundler']) {
        expect(entry.resolutions[mode]?.resolution?.isTypeScript, `${name} ${subpath} in ${mode}`).toBe(true);
      }
    }
  });
});
