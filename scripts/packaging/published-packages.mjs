// The published packages of the workspace (every non-private package under packages/) and, for each,
// the sibling packages it needs at run time (the transitive closure of its `@intrinsic/*` dependencies).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/**
 * @typedef {{ name: string, dir: string, manifest: Record<string, any> }} PublishedPackage
 */

/** @returns {PublishedPackage[]} the non-private packages under packages/, sorted by folder name. */
export function publishedPackages() {
  const root = join(REPO_ROOT, 'packages');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(root, entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name, dir, manifest };
    })
    .filter((pkg) => !pkg.manifest.private)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * The package and every workspace package it depends on, directly or not (`dependencies` only: what a
 * user's install pulls in).
 * @param {string} name - package name.
 * @param {PublishedPackage[]} packages - the workspace's published packages.
 * @returns {string[]} names, the package itself first.
 */
export function siblingClosure(name, packages) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  if (!byName.has(name)) throw new Error(`siblingClosure: ${name} is not a published workspace package`);
  const seen = [name];
  for (let i = 0; i < seen.length; i++) {
    for (const dep of Object.keys(byName.get(seen[i]).manifest.dependencies ?? {})) {
      if (byName.has(dep) && !seen.includes(dep)) seen.push(dep);
    }
  }
  return seen;
}

/**
 * The subpath exports of a package other than "." and "./package.json" (e.g. "./tfjs").
 * @param {Record<string, any>} manifest
 * @returns {string[]}
 */
export function extraSubpaths(manifest) {
  return Object.keys(manifest.exports ?? {}).filter((key) => key !== '.' && key !== './package.json');
}
