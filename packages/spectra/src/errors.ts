/**
 * The Intrinsic error family.
 *
 * Every error thrown on purpose by an Intrinsic package is an {@link IntrinsicError} with a `code`.
 * `IntrinsicError.isInstance(e)` recognises them through a global symbol marker, so it works even when
 * two copies of a package are installed (the pattern of vercel/ai's error classes).
 */

const marker = Symbol.for('intrinsic.error');

/** Machine-readable kinds of error, shared by every package. */
export type IntrinsicErrorCode =
  | 'shape-mismatch'
  | 'invalid-argument'
  | 'not-positive-definite'
  | 'not-converged'
  | 'unsupported'
  | 'memory-budget'
  | 'non-finite';

/** Base class of all deliberate errors: a one-line message naming the function and the values. */
export class IntrinsicError extends Error {
  readonly [marker] = true;
  readonly code: IntrinsicErrorCode;

  constructor(code: IntrinsicErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'IntrinsicError';
  }

  /** True for any Intrinsic error, from any copy of any Intrinsic package. */
  static isInstance(error: unknown): error is IntrinsicError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Thrown when array sizes disagree with the declared dimensions. */
export class ShapeMismatchError extends IntrinsicError {
  constructor(message: string) {
    super('shape-mismatch', message);
    this.name = 'ShapeMismatchError';
  }
}

/** Thrown for an argument outside its domain (a width of 0, an unknown activation, …). */
export class InvalidArgumentError extends IntrinsicError {
  constructor(message: string) {
    super('invalid-argument', message);
    this.name = 'InvalidArgumentError';
  }
}

/** Thrown when a dense allocation would exceed the memory budget; the message names the size. */
export class MemoryBudgetError extends IntrinsicError {
  readonly requiredBytes: number;
  readonly budgetBytes: number;

  constructor(message: string, requiredBytes: number, budgetBytes: number) {
    super('memory-budget', message);
    this.name = 'MemoryBudgetError';
    this.requiredBytes = requiredBytes;
    this.budgetBytes = budgetBytes;
  }
}

/** Thrown when a computation produced NaN or Infinity where a finite number was required. */
export class NonFiniteError extends IntrinsicError {
  constructor(message: string) {
    super('non-finite', message);
    this.name = 'NonFiniteError';
  }
}

/** Thrown when an operation is not supported for the given input (e.g. a closed form that does not apply). */
export class UnsupportedError extends IntrinsicError {
  constructor(message: string) {
    super('unsupported', message);
    this.name = 'UnsupportedError';
  }
}

/** Thrown by iterative methods only when the caller asked for it; otherwise they return `converged: false`. */
export class NotConvergedError extends IntrinsicError {
  constructor(message: string) {
    super('not-converged', message);
    this.name = 'NotConvergedError';
  }
}

/** Thrown by factorizations that need a symmetric positive definite matrix. */
export class NotPositiveDefiniteError extends IntrinsicError {
  constructor(message: string) {
    super('not-positive-definite', message);
    this.name = 'NotPositiveDefiniteError';
  }
}
