// `changeset version` (the root devDependency) with the repository's real .changeset/config.json on a
// fixture workspace shaped like ours: spectra ← hessian (workspace:^), an unrelated pruning, and the two
// private apps that the config ignores. Checks independent versions, who is bumped and the CHANGELOGs.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without types
import { REPO_ROOT } from '../../scripts/packaging/published-packages.mjs';

const execFileAsync = promisify(execFile);
const FIXTURE = join(import.meta.dirname, '__fixtures__', 'changeset-workspace');
const workspaces: string[] = [];

/** A copy of the fixture in a temporary folder, with the repository's changeset config. */
function fixtureCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'intrinsic-changeset-'));
  workspaces.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  cpSync(join(REPO_ROOT, '.changeset', 'config.json'), join(dir, '.changeset', 'config.json'));
  return dir;
}

async function changesetVersion(dir: string): Promise<void> {
  await execFileAsync(join(REPO_ROOT, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: dir, encoding: 'utf8' });
}

const version = (dir: string, path: string): string => JSON.parse(readFileSync(join(dir, path, 'package.json'), 'utf8')).version;
const changelog = (dir: string, path: string): string | undefined => (existsSync(join(dir, path, 'CHANGELOG.md')) ? readFileSync(join(dir, path, 'CHANGELOG.md'), 'utf8') : undefined);

afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('uses the repository config: independent versions, internal dependents updated, the private apps ignored', () => {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, '.changeset', 'config.json'), 'utf8'));
  expect(config.fixed).toEqual([]);
  expect(config.linked).toEqual([]);
  expect(config.updateInternalDependencies).toBe('patch');
  expect(config.ignore).toEqual(['@intrinsic/cli', '@intrinsic/web']);
});

it('a minor change of spectra (0.1.0 → 0.2.0, outside hessian\'s ^0.1.0) bumps hessian by a patch; pruning moves on its own', async () => {
  const dir = fixtureCopy();
  await changesetVersion(dir);
  // Semver: minor of 0.1.0 is 0.2.0, patch of 0.3.2 is 0.3.3; hessian depends on spectra through
  // workspace:^ (published as ^0.1.0, which 0.2.0 leaves), so it needs a release: a patch.
  expect(version(dir, 'packages/spectra')).toBe('0.2.0');
  expect(version(dir, 'packages/pruning')).toBe('0.3.3');
  expect(version(dir, 'packages/hessian')).toBe('0.1.1');
  expect(version(dir, 'apps/cli')).toBe('0.1.0');
  expect(version(dir, 'apps/web')).toBe('0.1.0');
  expect(JSON.parse(readFileSync(join(dir, 'packages/hessian/package.json'), 'utf8')).dependencies).toEqual({ '@intrinsic/spectra': 'workspace:^' });

  const summary = 'Numerical rank: the tolerance is stated in the result.';
  expect(changelog(dir, 'packages/spectra')).toBe(`# @intrinsic/spectra\n\n## 0.2.0\n\n### Minor Changes\n\n- ${summary}\n`);
  expect(changelog(dir, 'packages/pruning')).toBe(`# @intrinsic/pruning\n\n## 0.3.3\n\n### Patch Changes\n\n- ${summary}\n`);
  expect(changelog(dir, 'packages/hessian')).toBe('# @intrinsic/hessian\n\n## 0.1.1\n\n### Patch Changes\n\n- Updated dependencies\n  - @intrinsic/spectra@0.2.0\n');
  expect(changelog(dir, 'apps/cli')).toBeUndefined();
  expect(changelog(dir, 'apps/web')).toBeUndefined();
  // The changeset is consumed.
  expect(readdirSync(join(dir, '.changeset')).filter((file) => file.endsWith('.md'))).toEqual([]);
});

it('a patch of spectra stays inside ^0.1.0: only spectra is released', async () => {
  const dir = fixtureCopy();
  rmSync(join(dir, '.changeset', 'rank-tolerance.md'));
  writeFileSync(join(dir, '.changeset', 'eigen-fix.md'), '---\n"@intrinsic/spectra": patch\n---\n\nEigensolver: fewer sweeps.\n');
  await changesetVersion(dir);
  expect(version(dir, 'packages/spectra')).toBe('0.1.1');
  expect(version(dir, 'packages/hessian')).toBe('0.1.0');
  expect(version(dir, 'packages/pruning')).toBe('0.3.2');
  expect(changelog(dir, 'packages/spectra')).toBe('# @intrinsic/spectra\n\n## 0.1.1\n\n### Patch Changes\n\n- Eigensolver: fewer sweeps.\n');
  expect(changelog(dir, 'packages/hessian')).toBeUndefined();
  expect(changelog(dir, 'packages/pruning')).toBeUndefined();
});
