import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the TensorFlow.js packages the page trains with live. The app does not list them as its own dependencies:
 * tfjs-core, -layers, -backend-cpu and -backend-wasm are dependencies of @intrinsic/models (its `./tfjs` engine), and
 * -backend-webgl comes with @tensorflow/tfjs (through the CLI's tfjs-node). They are resolved through those
 * packages, so the page bundles the very copies the libraries use (one tfjs-core instance).
 * A package that cannot be found maps to null (the page then reports that backend as unavailable).
 */
export function tfjsPackageFolders(): Record<string, string | null> {
  const app = join(dirname(fileURLToPath(import.meta.url)), '..');
  const fromApp = createRequire(join(app, 'package.json'));
  const models = dirname(fromApp.resolve('@intrinsic/models/package.json'));
  const fromModels = createRequire(join(models, 'package.json'));
  const folder = (resolveFrom: NodeRequire | null, name: string): string | null => {
    try {
      return resolveFrom ? dirname(resolveFrom.resolve(`${name}/package.json`)) : null;
    } catch {
      return null;
    }
  };
  let fromTfjs: NodeRequire | null = null;
  const cli = join(app, '..', 'cli', 'package.json');
  if (existsSync(cli)) {
    const tfjsNode = folder(createRequire(cli), '@tensorflow/tfjs-node');
    const tfjs = tfjsNode ? folder(createRequire(join(tfjsNode, 'package.json')), '@tensorflow/tfjs') : null;
    if (tfjs) fromTfjs = createRequire(join(tfjs, 'package.json'));
  }
  return {
    '@tensorflow/tfjs-core': folder(fromModels, '@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-layers': folder(fromModels, '@tensorflow/tfjs-layers'),
    '@tensorflow/tfjs-backend-cpu': folder(fromModels, '@tensorflow/tfjs-backend-cpu'),
    '@tensorflow/tfjs-backend-wasm': folder(fromModels, '@tensorflow/tfjs-backend-wasm'),
    '@tensorflow/tfjs-backend-webgl': folder(fromTfjs, '@tensorflow/tfjs-backend-webgl'),
  };
}
