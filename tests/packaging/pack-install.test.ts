// Each published package installed the way a user installs it: its tarball (from `pnpm pack`, with
// `workspace:^` rewritten to `^<version>`) into an empty npm project, third-party dependencies from the
// npm registry. Our own packages are not on the registry, so the tarballs of the sibling packages it
// depends on (and only those) are installed alongside it — exactly what npm would fetch from the registry
// once they are published. Then: ESM import, CommonJS require (through Node's require(esm), Node ≥ 20.19),
// the README example, and the tfjs subpaths with and without their peer dependencies.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
// @ts-expect-error plain ESM helpers without types
import { createNpmProject, npmInstall, runNodeSnippet, userEnvironment } from '../../scripts/packaging/npm-project.mjs';
// @ts-expect-error plain ESM helpers without types
import { extraSubpaths, publishedPackages, siblingClosure } from '../../scripts/packaging/published-packages.mjs';
// @ts-expect-error plain ESM helper without types
import { runReadmeExample } from '../../scripts/readme-example.mjs';

type Manifest = { name: string; version: string; exports?: Record<string, unknown>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> };
const packages: { name: string; dir: string; manifest: Manifest }[] = publishedPackages();

/** Names of the installed packages under node_modules (scoped ones as `@scope/name`). */
function installedPackageNames(project: string): string[] {
  const root = join(project, 'node_modules');
  const names: string[] = [];
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const inner of readdirSync(join(root, entry))) names.push(`${entry}/${inner}`);
    else names.push(entry);
  }
  return names;
}

/** The peer dependencies a subpath of the package needs: its tfjs peers (every `@tensorflow/*` peer). */
function tfjsPeers(manifest: Manifest): string[] {
  return Object.keys(manifest.peerDependencies ?? {}).filter((name) => name.startsWith('@tensorflow/'));
}

it('finds the five published packages', () => {
  expect(packages.map((pkg) => pkg.name).sort()).toEqual(['@intrinsic/bounds', '@intrinsic/hessian', '@intrinsic/models', '@intrinsic/pruning', '@intrinsic/spectra']);
});

describe.each(packages.map((pkg) => [pkg.name, pkg] as const))('%s from its tarball, installed with npm into an empty project', (name, pkg) => {
  const siblings: string[] = siblingClosure(name, packages);
  let project = '';

  beforeAll(async () => {
    const tarballs = inject('tarballs');
    const dir = inject('packagingDir');
    project = createNpmProject(dir, `project-${name.replace('@intrinsic/', '')}`);
    await npmInstall(project, siblings.map((sibling) => tarballs[sibling]), join(dir, 'npm-cache'));
  });

  it('installs exactly the package, its sibling dependencies and their registry dependencies: no TensorFlow.js', () => {
    const installed = installedPackageNames(project);
    expect(installed.filter((dep) => dep.startsWith('@intrinsic/')).sort()).toEqual([...siblings].sort());
    expect(installed.filter((dep) => dep.startsWith('@tensorflow/'))).toEqual([]);
    expect(existsSync(join(project, 'node_modules', '@tensorflow'))).toBe(false);
    // One copy of each sibling: npm used the tarball for the `^<version>` range instead of nesting another.
    for (const sibling of siblings) {
      expect(existsSync(join(project, 'node_modules', sibling, 'node_modules', '@intrinsic'))).toBe(false);
    }
    const installedManifest = JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8'));
    expect(installedManifest.version).toBe(pkg.manifest.version);
    expect(JSON.stringify(installedManifest)).not.toContain('workspace:');
  });

  it('imports from ESM with the same exports as the workspace build', async () => {
    const workspaceExports = Object.keys(await import(join(pkg.dir, 'dist', 'index.js'))).sort();
    const { code, stdout, stderr } = await runNodeSnippet(project, 'check-esm.mjs', `import * as m from '${name}';\nconsole.log(JSON.stringify(Object.keys(m).sort()));\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(workspaceExports);
    expect(workspaceExports.length).toBeGreaterThan(5);
  });

  it('loads from CommonJS with require() (ESM only; Node ≥ 20.19 loads it through require(esm))', async () => {
    const { code, stdout, stderr } = await runNodeSnippet(project, 'check-cjs.cjs', `const m = require('${name}');\nconsole.log(Object.keys(m).length);\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Number(stdout)).toBe(Object.keys(await import(join(pkg.dir, 'dist', 'index.js'))).length);
  });

  it('runs the example of the README shipped in the tarball and prints what that README says', () => {
    const { expected, actual } = runReadmeExample(join(project, 'node_modules', name), { cwd: project, env: userEnvironment() });
    expect(actual).toBe(expected);
  });

  const subpaths: string[] = extraSubpaths(pkg.manifest);
  it.runIf(subpaths.length > 0).each(subpaths)('without TensorFlow.js, importing %s fails with an error naming the peer to install', async (subpath) => {
    const specifier = `${name}/${subpath.slice(2)}`;
    const { code, stderr } = await runNodeSnippet(project, 'check-peer.mjs', `await import('${specifier}');\n`);
    expect(code).not.toBe(0);
    const peers = tfjsPeers(pkg.manifest);
    expect(peers.length).toBeGreaterThan(0);
    // The message of requirePeers (src/tfjs/require-peer.ts): every peer, and the command that installs them.
    expect(stderr).toContain(`UnsupportedError: ${specifier} needs the TensorFlow.js peer dependencies`);
    expect(stderr).toContain(`missing: ${peers.join(', ')}`);
    expect(stderr).toContain(`npm install ${peers.map((peer) => `${peer}@${pkg.manifest.peerDependencies?.[peer]}`).join(' ')}`);
    for (const peer of peers) expect(pkg.manifest.peerDependenciesMeta?.[peer]?.optional).toBe(true);
  });
});

describe('the tfjs subpaths once their peer dependencies are installed from the registry', () => {
  const bounds = packages.find((pkg) => pkg.name === '@intrinsic/bounds')!;
  const models = packages.find((pkg) => pkg.name === '@intrinsic/models')!;
  const range = (peer: string): string => (bounds.manifest.peerDependencies?.[peer] ?? models.manifest.peerDependencies?.[peer])!;
  let project = '';

  it('@intrinsic/bounds/tfjs with tfjs-core alone names tfjs-layers, its optional peer (needed through @intrinsic/models/tfjs)', async () => {
    const tarballs = inject('tarballs');
    const dir = inject('packagingDir');
    project = createNpmProject(dir, 'project-tfjs');
    await npmInstall(project, [...siblingClosure(bounds.name, packages).map((sibling: string) => tarballs[sibling]), `@tensorflow/tfjs-core@${range('@tensorflow/tfjs-core')}`], join(dir, 'npm-cache'));
    const { code, stderr } = await runNodeSnippet(project, 'check-bounds-tfjs.mjs', "await import('@intrinsic/bounds/tfjs');\n");
    expect(code).not.toBe(0);
    expect(stderr).toContain('UnsupportedError: @intrinsic/bounds/tfjs needs the TensorFlow.js peer dependencies @tensorflow/tfjs-core, @tensorflow/tfjs-layers');
    expect(stderr).toContain('missing: @tensorflow/tfjs-layers.');
  });

  it('imports @intrinsic/models/tfjs and @intrinsic/bounds/tfjs once tfjs-layers and a backend are added', async () => {
    const peers = [...new Set([...tfjsPeers(models.manifest), ...tfjsPeers(bounds.manifest)])];
    await npmInstall(project, [...peers.map((peer) => `${peer}@${range(peer)}`), '@tensorflow/tfjs-backend-cpu@^4.22.0'], join(inject('packagingDir'), 'npm-cache'));
    const expected = {
      models: Object.keys(await import(join(models.dir, 'dist', 'tfjs', 'index.js'))).sort(),
      bounds: Object.keys(await import(join(bounds.dir, 'dist', 'tfjs', 'index.js'))).sort(),
    };
    const { code, stdout, stderr } = await runNodeSnippet(
      project,
      'check-tfjs.mjs',
      [
        "import '@tensorflow/tfjs-backend-cpu';",
        "import * as tf from '@tensorflow/tfjs-core';",
        "import * as models from '@intrinsic/models/tfjs';",
        "import * as bounds from '@intrinsic/bounds/tfjs';",
        "await tf.setBackend('cpu');",
        // KL(N(1, I₄) ‖ N(0, I₄)) = ½‖w − w₀‖²/λ = ½ · 4 = 2 (closed form; unit variances cancel the other terms).
        'const kl = bounds.gaussianKlTensor(tf.ones([4]), tf.zeros([4]), tf.zeros([4]), tf.scalar(0)).dataSync()[0];',
        'console.log(JSON.stringify({ models: Object.keys(models).sort(), bounds: Object.keys(bounds).sort(), kl }));',
      ].join('\n'),
    );
    // tfjs-core prints a hint to install tfjs-node on stderr; only the exit code and the output matter here.
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.models).toEqual(expected.models);
    expect(result.bounds).toEqual(expected.bounds);
    expect(result.kl).toBeCloseTo(2, 6);
  });
});
