import { IntrinsicError } from '@intrinsic/spectra';

/** A usage error of the command line (unknown flag, malformed value): one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** True for errors that are the user's input, reported as one line with exit code 2. */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || IntrinsicError.isInstance(error);
}

/**
 * True for a Node system error from the file system or the OS (a path that cannot be created, read or
 * written: ENOENT, EACCES, ENOTDIR, ENOSPC, …): the user's paths or disk, reported as one line with exit
 * code 2 like other input errors, not as a stack trace.
 */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | null;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string';
}
