import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the TensorFlow.js packages the page trains with live. They are devDependencies of this app at the
 * same versions @intrinsic/models uses, so pnpm resolves them to the very copies the libraries use (one
 * tfjs-core instance, which the backends and the custom layers register with). The aliases pin every import
 * of a tfjs package — from the page or from @intrinsic/models — to those folders.
 * A package that cannot be found maps to null (the page then reports that backend as unavailable).
 */
export function tfjsPackageFolders(): Record<string, string | null> {
  const app = join(dirname(fileURLToPath(import.meta.url)), '..');
  const fromApp = createRequire(join(app, 'package.json'));
  const folder = (name: string): string | null => {
    try {
      return dirname(fromApp.resolve(`${name}/package.json`));
    } catch {
      return null;
    }
  };
  const names = ['tfjs-core', 'tfjs-layers', 'tfjs-backend-cpu', 'tfjs-backend-wasm', 'tfjs-backend-webgl'];
  return Object.fromEntries(names.map((name) => [`@tensorflow/${name}`, folder(`@tensorflow/${name}`)]));
}
