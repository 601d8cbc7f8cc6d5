import { InvalidArgumentError } from '../errors.js';
import { assertMemoryBudget } from '../memory.js';
import { Random } from '../random.js';
import { startDeadline } from './deadline.js';
import { assertLinearOperator, assertSymmetricOperator, type LinearOperator } from './linear-operator.js';
import { assertFiniteProduct, dot, norm2 } from './vector-kernels.js';

/** Options of {@link powerIterationEigenpairs}. */
export interface PowerIterationOptions {
  /** Number of eigenpairs, 1 ≤ k ≤ n. */
  k: number;
  /**
   * A pair converges when ‖P (A v − λ v)‖ ≤ tolerance · |λ| (or P A v = 0), P the projection off the pairs
   * already found (the residual of the deflated operator); default 1e-10.
   */
  tolerance?: number;
  /** Maximum products per eigenpair; default 1000. */
  maxIterations?: number;
  /** Seed of the random start vectors; default 0. */
  seed?: number;
  /** Return the eigenvectors (k × n, vector j at `j·n`); default false. */
  returnVectors?: boolean;
  /**
   * Wall-clock limit in milliseconds; default none. When it passes, the current pair stops unconverged,
   * later pairs are not computed (the result holds fewer than k pairs) and `timedOut` is true.
   */
  timeLimitMs?: number;
}

/** Result of {@link powerIterationEigenpairs}, in the order found (by decreasing |λ| when all converged). */
export interface PowerIterationResult {
  /** Rayleigh quotients λ_j = v_jᵀ A v_j. */
  values: Float64Array;
  /** Unit vectors when asked: k × n, vector j at `[j·n, (j+1)·n)`. */
  vectors?: Float64Array;
  /**
   * The true ‖A v_j − λ_j v_j‖ from the last product. For j > 1 it also contains the error of the earlier
   * vectors (about their residual times |λ_i − λ_j| / gap), so it can exceed tolerance · |λ_j| slightly.
   */
  residualNorms: Float64Array;
  /** Per pair: the deflated residual met the tolerance. */
  converged: boolean[];
  /** True when every pair converged. */
  allConverged: boolean;
  /** Products spent on each pair. */
  iterations: number[];
  /** Total products with A. */
  matvecs: number;
  /** True when `timeLimitMs` ended the run: a partial result with `values.length` ≤ k pairs. */
  timedOut: boolean;
}

/**
 * The k eigenpairs of largest magnitude by power iteration with deflation, the method of PyHessian
 * (Yao, Gholami, Keutzer, Mahoney, "PyHessian: Neural Networks Through the Lens of the Hessian", 2020),
 * provided to compare with {@link lanczosEigenpairs}.
 *
 * For each j = 1 … k: start from a random unit vector; repeat v ← P v, w = A v, λ = vᵀ w, v ← P w / ‖P w‖,
 * where P = I − Σ_{i<j} v_i v_iᵀ projects out the pairs already found. PyHessian stops on the relative
 * change of λ; here a pair stops when the deflated residual ‖P (A v − λ v)‖ ≤ tolerance · |λ|, a stricter
 * test read off the same product. Convergence is linear with rate |λ_{j+1} / λ_j| (eigenvalues by magnitude), so clustered
 * eigenvalues converge slowly; Lanczos needs far fewer matvecs on the same problem.
 *
 * Cost: up to k · maxIterations matvecs, O(k n) flops per product for the deflation; memory (k + 2) · n.
 *
 * @param op - a symmetric operator of order n.
 * @param options - k, tolerance, iteration limit, seed.
 * @returns values, optional vectors, residual norms, flags, products per pair and in total.
 * @throws InvalidArgumentError when k ∉ [1, n], the operator is not symmetric or an option is out of range;
 *   NonFiniteError naming the entry when a product contains NaN or ±Infinity.
 * @example powerIterationEigenpairs(denseOperator(new Float64Array([2, 0, 0, -5]), 2), { k: 2 }).values // → [-5, 2]
 */
export function powerIterationEigenpairs(op: LinearOperator, options: PowerIterationOptions): PowerIterationResult {
  const fn = 'powerIterationEigenpairs';
  assertLinearOperator(op, fn);
  assertSymmetricOperator(op, fn);
  const n = op.size;
  const { k } = options;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new InvalidArgumentError(`${fn}: k must be an integer in [1, n = ${n}], got ${k}`);
  const tolerance = options.tolerance ?? 1e-10;
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) {
    throw new InvalidArgumentError(`${fn}: tolerance must be a positive finite number, got ${tolerance}`);
  }
  const maxIterations = options.maxIterations ?? 1000;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InvalidArgumentError(`${fn}: maxIterations must be a positive integer, got ${maxIterations}`);
  }
  const deadline = startDeadline(options.timeLimitMs, fn);
  let timedOut = false;
  assertMemoryBudget((k + 2) * n, `${fn}: ${k} eigenvectors and 2 work vectors of length ${n}`, undefined, 'ask for fewer pairs k');
  const random = new Random(options.seed ?? 0);
  const found = new Float64Array(k * n);
  const values = new Float64Array(k);
  const residualNorms = new Float64Array(k);
  const converged: boolean[] = [];
  const iterations: number[] = [];
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  let matvecs = 0;

  const deflate = (x: Float64Array, count: number): void => {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < count; i++) {
        const h = dot(found, i * n, x, 0, n);
        for (let r = 0; r < n; r++) x[r] -= h * found[i * n + r];
      }
    }
  };

  let computed = k;
  for (let j = 0; j < k; j++) {
    if (timedOut) {
      computed = j;
      break;
    }
    random.fillGaussian(v);
    deflate(v, j);
    let nv = norm2(v, 0, n);
    for (let r = 0; r < n; r++) v[r] /= nv;
    let lambda = 0;
    let residual = Number.POSITIVE_INFINITY;
    let done = false;
    let count = 0;
    while (count < maxIterations) {
      op.apply(v, w);
      count++;
      matvecs++;
      assertFiniteProduct(w, 0, n, `${fn}: matvec ${matvecs}`);
      // True residual of (λ, v) from the raw product, then deflate: the next iterate is P A P v (v = P v).
      lambda = dot(v, 0, w, 0, n);
      let s = 0;
      for (let r = 0; r < n; r++) s += (w[r] - lambda * v[r]) ** 2;
      residual = Math.sqrt(s);
      deflate(w, j);
      let sd = 0;
      for (let r = 0; r < n; r++) sd += (w[r] - lambda * v[r]) ** 2;
      const deflatedResidual = Math.sqrt(sd);
      const nw = norm2(w, 0, n);
      if (deflatedResidual <= tolerance * Math.abs(lambda) || nw === 0) {
        done = true;
        break;
      }
      if (deadline.passed()) {
        timedOut = true;
        break;
      }
      for (let r = 0; r < n; r++) v[r] = w[r] / nw;
      deflate(v, j);
      nv = norm2(v, 0, n);
      for (let r = 0; r < n; r++) v[r] /= nv;
    }
    found.set(v, j * n);
    values[j] = lambda;
    residualNorms[j] = residual;
    converged.push(done);
    iterations.push(count);
  }
  const result: PowerIterationResult = {
    values: computed < k ? values.slice(0, computed) : values,
    residualNorms: computed < k ? residualNorms.slice(0, computed) : residualNorms,
    converged,
    allConverged: converged.every(Boolean) && computed === k,
    iterations,
    matvecs,
    timedOut,
  };
  if (options.returnVectors) result.vectors = computed < k ? found.slice(0, computed * n) : found;
  return result;
}
