// Runs the example of a package README as a test: the first ```js block after the marker
// `<!-- example -->` is written next to the package (so `@intrinsic/*` imports resolve as they would for
// a user) and run with node; its standard output must equal the ```text block that follows it.
// The packaging test (tests/packaging/) runs the same block from the README inside an installed tarball,
// in a project where `@intrinsic/*` resolves to that tarball instead of the workspace.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Finds the tested example of a README: the first ```js block after `<!-- example -->` and the ```text
 * block after it (the expected standard output).
 * @param {string} readme - the README text.
 * @param {string} label - names the README in error messages.
 * @returns {{ code: string, expected: string }}
 */
export function extractReadmeExample(readme, label) {
  const marker = readme.indexOf('<!-- example -->');
  if (marker < 0) throw new Error(`${label} has no <!-- example --> marker`);
  const rest = readme.slice(marker);
  const code = /```js\n([\s\S]*?)```/.exec(rest);
  const output = /```text\n([\s\S]*?)```/.exec(rest);
  if (!code || !output) throw new Error(`${label}: the example needs a \`\`\`js block followed by a \`\`\`text block`);
  return { code: code[1], expected: output[1].trim() };
}

/**
 * Runs the README example of a package folder with node and returns its output beside the expected one.
 * @param {string} packageDir - folder holding README.md (and package.json).
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options] - `cwd`: folder the example is written to and
 *   run from (default `packageDir`), i.e. the folder whose `node_modules` resolve the example's imports;
 *   `env`: environment of the node process (default this process's).
 * @returns {{ expected: string, actual: string }}
 */
export function runReadmeExample(packageDir, options = {}) {
  const readmePath = join(packageDir, 'README.md');
  const { code, expected } = extractReadmeExample(readFileSync(readmePath, 'utf8'), readmePath);
  const cwd = options.cwd ?? packageDir;
  const file = join(cwd, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const actual = execFileSync(process.execPath, [file], { cwd, env: options.env ?? process.env, encoding: 'utf8' });
    return { expected, actual: actual.trim() };
  } finally {
    rmSync(file, { force: true });
  }
}
