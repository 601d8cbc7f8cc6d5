import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';

/** The built command (tests run after `pnpm build`). */
export const bin = resolve(__dirname, '../dist/bin.js');
const exec = promisify(execFile);

/** Runs `intrinsic <args>` in a child process and returns its exit code and output. */
export async function intrinsic(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Runs a command in-process (`main`, or a command's `run`), capturing what it writes to stdout and stderr
 * (each stderr chunk also goes to `onStderr`), and returns its exit code with the output.
 */
export async function runCaptured(
  command: () => Promise<number>,
  onStderr?: (text: string) => void,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    onStderr?.(String(chunk));
    return true;
  });
  try {
    const code = await command();
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
