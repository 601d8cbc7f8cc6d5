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
