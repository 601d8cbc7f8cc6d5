import { hessianOperator, networkCurvatureOperator } from '@intrinsic/hessian';
import { NetworkEvaluation, initializeNetworkParameters, initializeParameters, mlpSpec, networkParameterCount, parameterCount } from '@intrinsic/models';
import { assertMemoryBudget, lanczosEigenpairs, linearOperator, slqSpectralDensity, type LinearOperator } from '@intrinsic/spectra';
import { BROWSER_MEMORY_BUDGET_BYTES } from './compute-ranks.js';
import { convNetworkSpec } from './page-network.js';
import { pageDataset, type PageState } from './page-state.js';

/** Options of {@link computeMatrixFree}. */
export interface MatrixFreeOptions {
  /** Eigenvalues of largest magnitude by Lanczos (clamped to p). */
  topK: number;
  /** SLQ probe vectors; default 4. */
  probes?: number;
  /** SLQ Lanczos steps per probe; default min(p, 40), fewer when the budget holds fewer vectors of length p. */
  steps?: number;
  memoryBudgetBytes?: number;
  /** Called after every Hessian-vector product: the stage and, for SLQ, the products done of the total. */
  onProgress?: (done: number, total: number, stage: string) => void;
}

/** What the matrix-free view shows: Lanczos' top eigenvalues and the SLQ density of log10 |λ|, plain data. */
export interface MatrixFreeReport {
  params: number;
  lanczos: { values: Float64Array; residualNorms: Float64Array; converged: boolean[]; iterations: number; matvecs: number };
  slq: { grid: Float64Array; density: Float64Array; massBelowFloor: number; negativeMass: number; logFloor: number; matvecs: number; probes: number; steps: number };
  elapsedMs: number;
}

/**
 * The matrix-free view of the page's network: H as an operator of exact Hessian-vector products
 * ({@link hessianOperator}, Pearlmutter's R-operator, about three passes over the data per product, no
 * p × p matrix), its `topK` eigenvalues of largest magnitude by thick-restart Lanczos
 * ({@link lanczosEigenpairs}) and the density of log10 |λ| by stochastic Lanczos quadrature
 * ({@link slqSpectralDensity}; Ghorbani, Krishnan, Xiao, ICML 2019). For `arch: conv` the operator is
 * `networkCurvatureOperator` of the layered engine (the CNN's exact R-operator product, O(N·c) per product).
 *
 * Memory: the larger of the Lanczos basis ((max(2k + 1, 20) + k + 2) · p doubles) and the SLQ basis ((steps + 1) · p),
 * which are not alive at the same time; checked first against the budget.
 * @throws MemoryBudgetError when the bases exceed the budget; InvalidArgumentError for a bad option.
 */
export function computeMatrixFree(state: PageState, options: MatrixFreeOptions): MatrixFreeReport {
  const started = performance.now();
  const budget = options.memoryBudgetBytes ?? BROWSER_MEMORY_BUDGET_BYTES;
  const conv = state.arch === 'conv' ? convNetworkSpec(state) : null;
  const spec = conv ? null : mlpSpec({ widths: state.widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const p = conv ? networkParameterCount(conv) : parameterCount(spec!);
  const k = Math.min(options.topK, p);
  const basis = Math.min(p, Math.max(2 * k + 1, 20));
  const probes = options.probes ?? 4;
  const d = state.widths[0];
  const K = state.widths[state.widths.length - 1];
  // Vectors of length p the budget holds besides the data and four work vectors: SLQ takes at most that many steps.
  const vectors = Math.floor((budget / 8 - state.samples * (d + K)) / p) - 4;
  const steps = options.steps ?? Math.max(1, Math.min(p, 40, vectors - 1));
  assertMemoryBudget(
    Math.max(basis + k + 2, steps + 1) * p + state.samples * (d + K) + 4 * p,
    `the matrix-free view of p = ${p} parameters (Lanczos basis of ${basis} vectors and SLQ basis of ${steps + 1})`,
    budget,
    'choose fewer eigenvalues or a smaller network',
  );
  const data = pageDataset(state);
  let stage = 'Lanczos';
  let offset = 0;
  const onProduct = (count: number) => {
    if (stage === 'Lanczos') options.onProgress?.(count, 0, 'Lanczos: Hessian-vector products');
    else options.onProgress?.(count - offset, probes * steps, 'SLQ: Hessian-vector products');
  };
  let op: LinearOperator & { products: number };
  if (conv) {
    const inner = networkCurvatureOperator(new NetworkEvaluation(conv, initializeNetworkParameters(conv), data, state.loss), 'full');
    const counted = {
      products: 0,
      ...linearOperator({
        size: p,
        symmetric: true,
        apply: (x, out) => {
          inner.apply(x, out);
          counted.products += 1;
          onProduct(counted.products);
        },
      }),
    };
    op = counted;
  } else {
    op = hessianOperator(spec!, initializeParameters(spec!), data, state.loss, { onProduct });
  }
  const lanczos = lanczosEigenpairs(op, { k, which: 'largest-magnitude', basisSize: basis, tolerance: 1e-10, seed: state.seed });
  stage = 'SLQ';
  offset = op.products;
  const slq = slqSpectralDensity(op, { probes, steps, scale: 'log', seed: state.seed, gridPoints: 400 });
  return {
    params: p,
    lanczos: { values: lanczos.values, residualNorms: lanczos.residualNorms, converged: lanczos.converged, iterations: lanczos.iterations, matvecs: lanczos.matvecs },
    slq: {
      grid: slq.grid,
      density: slq.density,
      massBelowFloor: slq.massBelowFloor,
      negativeMass: slq.negativeMass,
      logFloor: slq.logFloor,
      matvecs: slq.matvecs,
      probes,
      steps,
    },
    elapsedMs: performance.now() - started,
  };
}
