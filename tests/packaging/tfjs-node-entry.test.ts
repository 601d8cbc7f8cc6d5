// The generated Node entry of each tfjs subpath (dist/tfjs/node.js, scripts/packaging/tfjs-node-entry.mjs)
// re-exports by name what dist/tfjs/index.js exports. The names are read from esbuild's closing
// `export { … }` statement at build time; the reference here is the module namespace Node builds itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without types
import { extraSubpaths, publishedPackages } from '../../scripts/packaging/published-packages.mjs';
// @ts-expect-error plain ESM helpers without types
import { esbuildExportNames } from '../../scripts/packaging/tfjs-node-entry.mjs';

const withTfjs: { name: string; dir: string }[] = publishedPackages().filter((pkg: { manifest: Record<string, unknown> }) => extraSubpaths(pkg.manifest).includes('./tfjs'));

it('finds the two packages with a tfjs subpath', () => {
  expect(withTfjs.map((pkg) => pkg.name).sort()).toEqual(['@intrinsic/bounds', '@intrinsic/models']);
});

it('reads the names of an esbuild export statement, renamed ones by their exported name', () => {
  expect(esbuildExportNames('const a = 1;\nfunction b2() {}\nexport {\n  a,\n  b2 as b\n};\n//# sourceMappingURL=index.js.map\n')).toEqual(['a', 'b']);
  expect(() => esbuildExportNames('export default 1;\n')).toThrow(/no closing `export \{ … \}`/);
});

describe.each(withTfjs.map((pkg) => [pkg.name, pkg] as const))('%s/tfjs on Node', (_name, pkg) => {
  it('dist/tfjs/node.js exports exactly the names of dist/tfjs/index.js', async () => {
    const index = await import(join(pkg.dir, 'dist', 'tfjs', 'index.js'));
    const node = await import(join(pkg.dir, 'dist', 'tfjs', 'node.js'));
    expect(esbuildExportNames(readFileSync(join(pkg.dir, 'dist', 'tfjs', 'index.js'), 'utf8')).sort()).toEqual(Object.keys(index).sort());
    expect(Object.keys(node).sort()).toEqual(Object.keys(index).sort());
    for (const key of Object.keys(index)) expect(node[key], key).toBe(index[key]);
  });

  it('is what the `./tfjs` export gives under the node + import conditions, and dist/tfjs/index.js otherwise', () => {
    const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
    expect(manifest.exports['./tfjs']).toEqual({ types: './dist/tfjs/index.d.ts', node: { import: './dist/tfjs/node.js' }, default: './dist/tfjs/index.js' });
  });
});
