// An empty npm project in a temporary folder, the way a user starts one, and `npm install` into it.
// All projects of one test run share one npm cache folder inside the temporary area, so third-party
// packages (ml-matrix, TensorFlow.js) are downloaded from the registry once per run.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** npm settings passed through to the user-like environment (the registry and proxies CI may set). */
const KEPT_NPM_CONFIG = /^npm_config_(registry|.*proxy|cafile|strict_ssl)$/i;

/**
 * The environment of a user's shell: this process's, without what package-manager scripts add. `pnpm run`
 * sets NODE_PATH (to the workspace's .pnpm/node_modules, which would let require.resolve find TensorFlow.js)
 * and npm_config_* variables (which npm would obey); neither exists for a user.
 * @returns {NodeJS.ProcessEnv}
 */
export function userEnvironment() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_PATH' && key !== 'NODE_OPTIONS' && !/^npm_(package|lifecycle)_/i.test(key) && (!/^npm_config_/i.test(key) || KEPT_NPM_CONFIG.test(key))),
  );
}

/**
 * Creates `<parent>/<name>/package.json` ({ private, type: module }) and returns the folder.
 * @param {string} parent
 * @param {string} name
 */
export function createNpmProject(parent, name) {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`);
  return dir;
}

/**
 * `npm install <specs>` in `dir` with a shared cache, no audit, no funding messages, cached packages first.
 * @param {string} dir - the project folder.
 * @param {string[]} specs - tarball paths or registry specs (`@tensorflow/tfjs-core@^4.22.0`).
 * @param {string} cacheDir - npm cache folder shared by the projects of one run.
 * @returns {Promise<string>} npm's output (for error messages).
 */
export async function npmInstall(dir, specs, cacheDir) {
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--cache', cacheDir, ...specs];
  try {
    const { stdout, stderr } = await execFileAsync('npm', args, { cwd: dir, env: userEnvironment(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    return stdout + stderr;
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed in ${dir}:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
  }
}

/**
 * Runs a snippet of JavaScript with node in `dir` (module kind from the file extension).
 * @param {string} dir
 * @param {string} fileName - e.g. `check.mjs` or `check.cjs`.
 * @param {string} source
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export async function runNodeSnippet(dir, fileName, source) {
  const file = join(dir, fileName);
  writeFileSync(file, source);
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [file], { cwd: dir, env: userEnvironment(), encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: typeof error.code === 'number' ? error.code : 1, stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) };
  }
}
