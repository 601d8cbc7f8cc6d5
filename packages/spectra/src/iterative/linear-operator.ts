import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';

/**
 * A square linear map A: ℝⁿ → ℝⁿ known only through its products (a Hessian-vector product, a dense
 * matrix, a sum of operators, …). Every iterative method of `@intrinsic/spectra` accepts one.
 *
 * Block layout: a block of `count` vectors is a Float64Array of length `count · n` holding the vectors
 * one after another (row-major `count × n`): vector j occupies `[j·n, (j+1)·n)`. Each vector is contiguous,
 * so `X.subarray(j * n, (j + 1) * n)` is vector j without copying.
 *
 * Contract: `apply` and `applyBlock` write into `out` when it is given (it must not alias the input) and
 * return it; otherwise they allocate. A product costs one matvec per vector; the methods count matvecs
 * as the number of vectors multiplied. A product must be deterministic (see {@link checkOperatorDeterminism}).
 */
export interface LinearOperator {
  /** The order n. */
  readonly size: number;
  /** True when A = Aᵀ. Lanczos, SLQ, power iteration and XDiag require it. */
  readonly symmetric: boolean;
  /** y = A x for one vector of length n. */
  apply(x: Float64Array, out?: Float64Array): Float64Array;
  /** Y = A X for `count` vectors stored one after another (`count × n`, vector j at `j·n`). */
  applyBlock(X: Float64Array, count: number, out?: Float64Array): Float64Array;
}

/** What {@link linearOperator} needs: the order, the symmetry flag, a product, optionally a block product. */
export interface LinearOperatorDefinition {
  size: number;
  symmetric: boolean;
  /** Writes A x into `out` (length n, already allocated, zero-filled or not) — must not read `out`. */
  apply: (x: Float64Array, out: Float64Array) => void;
  /** Writes A X into `out` for `count` vectors (`count × n`); defaults to `count` calls of `apply`. */
  applyBlock?: (X: Float64Array, count: number, out: Float64Array) => void;
}

/**
 * Builds a {@link LinearOperator} from a product function, adding shape guards, output allocation and a
 * default block product (one `apply` per vector).
 *
 * @param definition - order, symmetry flag and product(s).
 * @returns the operator.
 * @throws InvalidArgumentError when `size` is not a positive integer.
 * @example
 * const diag = linearOperator({ size: 2, symmetric: true, apply: (x, y) => { y[0] = 2 * x[0]; y[1] = 3 * x[1]; } });
 * diag.apply(new Float64Array([1, 1])) // → [2, 3]
 */
export function linearOperator(definition: LinearOperatorDefinition): LinearOperator {
  const { size, symmetric, apply, applyBlock } = definition;
  assertOperatorSize(size, 'linearOperator');
  return {
    size,
    symmetric,
    apply(x: Float64Array, out?: Float64Array): Float64Array {
      const y = prepareOutput(x, 1, size, out, 'apply');
      apply(x, y);
      return y;
    },
    applyBlock(X: Float64Array, count: number, out?: Float64Array): Float64Array {
      assertBlockCount(count, 'applyBlock');
      const Y = prepareOutput(X, count, size, out, 'applyBlock');
      if (applyBlock) {
        applyBlock(X, count, Y);
      } else {
        for (let j = 0; j < count; j++) apply(X.subarray(j * size, (j + 1) * size), Y.subarray(j * size, (j + 1) * size));
      }
      return Y;
    },
  };
}

/** @internal Throws unless `size` is a positive integer. */
export function assertOperatorSize(size: number, fn: string): void {
  if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`${fn}: size must be a positive integer, got ${size}`);
}

/** @internal Throws unless `count` is a non-negative integer. */
export function assertBlockCount(count: number, fn: string): void {
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError(`${fn}: count must be a non-negative integer, got ${count}`);
}

/** @internal Checks input/output lengths and allocates the output when absent. */
export function prepareOutput(x: Float64Array, count: number, n: number, out: Float64Array | undefined, fn: string): Float64Array {
  if (x.length !== count * n) {
    throw new ShapeMismatchError(`${fn}: input has ${x.length} entries, expected ${count} × ${n} = ${count * n}`);
  }
  if (out === undefined) return new Float64Array(count * n);
  if (out.length !== count * n) {
    throw new ShapeMismatchError(`${fn}: output has ${out.length} entries, expected ${count} × ${n} = ${count * n}`);
  }
  if (out === x || (out.buffer === x.buffer && out.byteOffset < x.byteOffset + x.byteLength && x.byteOffset < out.byteOffset + out.byteLength)) {
    throw new InvalidArgumentError(`${fn}: output must not overlap the input`);
  }
  return out;
}

/** @internal Throws InvalidArgumentError unless `op` looks like a LinearOperator. */
export function assertLinearOperator(op: unknown, fn: string): asserts op is LinearOperator {
  const candidate = op as Partial<LinearOperator> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.apply !== 'function' ||
    typeof candidate.applyBlock !== 'function' ||
    !Number.isInteger(candidate.size) ||
    (candidate.size as number) < 1
  ) {
    throw new InvalidArgumentError(`${fn}: expected a LinearOperator with a positive integer size, apply and applyBlock`);
  }
}

/** @internal Throws InvalidArgumentError when the operator is not flagged symmetric. */
export function assertSymmetricOperator(op: LinearOperator, fn: string): void {
  if (!op.symmetric) {
    throw new InvalidArgumentError(`${fn}: the operator (size ${op.size}) is not symmetric; this method needs A = Aᵀ`);
  }
}
