// Packs every published package once per run (pnpm pack, so `workspace:^` becomes `^<version>`) into a
// temporary folder shared by the packaging tests, with one npm cache folder beside the tarballs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error plain ESM helpers without types
import { packPackages } from '../../scripts/packaging/pack-packages.mjs';
// @ts-expect-error plain ESM helpers without types
import { publishedPackages } from '../../scripts/packaging/published-packages.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    packagingDir: string;
    tarballs: Record<string, string>;
  }
}

export default function setup(project: TestProject) {
  const packages: { name: string; dir: string }[] = publishedPackages();
  for (const pkg of packages) {
    if (!existsSync(join(pkg.dir, 'dist', 'index.js'))) throw new Error(`${pkg.name} is not built (no dist/index.js): run \`pnpm run build\` first`);
  }
  const packagingDir = mkdtempSync(join(tmpdir(), 'intrinsic-packaging-'));
  const tarballs: Map<string, string> = packPackages(packages, packagingDir);
  project.provide('packagingDir', packagingDir);
  project.provide('tarballs', Object.fromEntries(tarballs));
  return () => rmSync(packagingDir, { recursive: true, force: true });
}
