// Runs the example of a package README as a test: the first ```js block after the marker
// `<!-- example -->` is written next to the package (so `@intrinsic/*` imports resolve as they would for
// a user) and run with node; its standard output must equal the ```text block that follows it.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} packageDir - folder holding README.md and package.json.
 * @returns {{ expected: string, actual: string }}
 */
export function runReadmeExample(packageDir) {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- example -->');
  if (marker < 0) throw new Error(`${packageDir}/README.md has no <!-- example --> marker`);
  const rest = readme.slice(marker);
  const code = /```js\n([\s\S]*?)```/.exec(rest);
  const output = /```text\n([\s\S]*?)```/.exec(rest);
  if (!code || !output) throw new Error(`${packageDir}/README.md: the example needs a \`\`\`js block followed by a \`\`\`text block`);
  const file = join(packageDir, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code[1]);
  try {
    const actual = execFileSync(process.execPath, [file], { cwd: packageDir, encoding: 'utf8' });
    return { expected: output[1].trim(), actual: actual.trim() };
  } finally {
    rmSync(file, { force: true });
  }
}
