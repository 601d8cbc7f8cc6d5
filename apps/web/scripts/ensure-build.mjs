// Builds dist/ when it is missing or older than its inputs, so `pnpm --filter @intrinsic/web test`
// always drives the current page. The packages' own dist/ must exist (build them with
// `pnpm --filter @intrinsic/web... build`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(app, 'dist', 'index.html');
const packages = ['spectra', 'models', 'hessian', 'pruning', 'bounds'].map((name) => join(app, '..', '..', 'packages', name, 'dist', 'index.js'));

const missing = packages.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`ensure-build: missing ${missing.join(', ')}; run \`pnpm --filter @intrinsic/web... build\` first`);
  process.exit(1);
}

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path)
    .filter((name) => !name.endsWith('.test.ts'))
    .reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs);
}

// The MNIST 8×8 asset in public/ (written unless up to date), then the page.
const { writeMnistAsset } = await import('./build-mnist-asset.mjs');
writeMnistAsset(join(app, 'public'));

const inputs = [join(app, 'src'), join(app, 'public'), join(app, 'scripts'), join(app, 'index.html'), join(app, 'vite.config.ts'), join(app, 'package.json'), ...packages];
const inputTime = Math.max(...inputs.map(newest));
if (existsSync(output) && statSync(output).mtimeMs >= inputTime) {
  console.log('ensure-build: dist/ is up to date');
} else {
  console.log('ensure-build: building dist/ with vite');
  const { build } = await import('vite');
  await build({ root: app, logLevel: 'warn' });
}
