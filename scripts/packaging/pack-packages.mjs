// Packs workspace packages with `pnpm pack`, which rewrites `workspace:` ranges to the real versions, as
// `pnpm publish` would. The tarballs are what the packaging test installs with npm.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/**
 * @param {{ name: string, dir: string }[]} packages - packages to pack (their dist/ must be built).
 * @param {string} destination - folder for the tarballs.
 * @returns {Map<string, string>} package name → absolute tarball path.
 */
export function packPackages(packages, destination) {
  const tarballs = new Map();
  for (const pkg of packages) {
    const before = new Set(readdirSync(destination));
    execFileSync('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const created = readdirSync(destination).filter((file) => file.endsWith('.tgz') && !before.has(file));
    if (created.length !== 1) throw new Error(`pnpm pack in ${pkg.dir} created ${created.length} tarballs, expected 1`);
    tarballs.set(pkg.name, `${destination}/${created[0]}`);
  }
  return tarballs;
}
