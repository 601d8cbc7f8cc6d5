import { InvalidArgumentError } from '../errors.js';
import { assertMemoryBudget } from '../memory.js';
import { Random } from '../random.js';
import { symmetricEigen } from '../symmetric-eigen.js';
import { startDeadline } from './deadline.js';
import { assertLinearOperator, assertSymmetricOperator, type LinearOperator } from './linear-operator.js';
import { assertFiniteProduct, dot, fillProbe, norm2, type ProbeDistribution } from './vector-kernels.js';

/** Options of {@link slqSpectralDensity}. */
export interface SlqOptions {
  /** Number of random probe vectors; default 10. */
  probes?: number;
  /** Lanczos steps per probe (quadrature nodes); default min(n, 80). */
  steps?: number;
  /** Seed of the probes; default 0. */
  seed?: number;
  /** Probe distribution; default `rademacher`. */
  distribution?: ProbeDistribution;
  /** Number of grid points; default 1000. */
  gridPoints?: number;
  /**
   * Standard deviation σ of the Gaussian smoothing kernel, in units of the axis: of λ for `linear`, in
   * decades of |λ| for `log`. Default: 1 % of the range of the (transformed) nodes, or 0.01 when they coincide.
   */
  width?: number;
  /** `linear`: density of λ. `log`: density of log10 |λ| (per decade) above `logFloor`. Default `linear`. */
  scale?: 'linear' | 'log';
  /** `log` only: nodes with |θ| ≤ logFloor are not placed on the axis (see `massBelowFloor`); default 1e-12 · max |θ|. */
  logFloor?: number;
  /**
   * Wall-clock limit in milliseconds; default none. Checked after each probe: when it has passed, the
   * density is built from the probes finished so far (at least one), and `timedOut` is true.
   */
  timeLimitMs?: number;
}

/** Result of {@link slqSpectralDensity}. */
export interface SlqResult {
  /** Grid points: values of λ (`linear`) or of log10 |λ| (`log`), increasing, equally spaced. */
  grid: Float64Array;
  /**
   * Smoothed density at the grid points. `linear`: integrates to 1 by the trapezoid rule on the grid.
   * `log`: integrates to 1 − massBelowFloor.
   */
  density: Float64Array;
  /** Quadrature nodes θ (Ritz values), probe after probe (probe p's nodes at `nodeOffsets[p] … nodeOffsets[p+1]`). */
  nodes: Float64Array;
  /** Quadrature weights τ = (first eigenvector component)² / probes: they sum to 1 over all probes. */
  weights: Float64Array;
  /** Start of each probe's nodes in `nodes`, length probes + 1. */
  nodeOffsets: Int32Array;
  /** The smoothing width σ used (in axis units). */
  width: number;
  /** The axis: `linear` (λ) or `log` (log10 |λ|). */
  scale: 'linear' | 'log';
  /** Trapezoid integral of the smoothed density before renormalisation (≈ 1, or ≈ 1 − massBelowFloor for `log`). */
  rawIntegral: number;
  /** `log`: the floor used, and the weight of the nodes with |θ| ≤ floor (0 for `linear`). */
  logFloor: number;
  massBelowFloor: number;
  /** `log`: weight of nodes θ < −floor, folded onto log10 |θ| (0 for `linear`). */
  negativeMass: number;
  /** Products with A: probes × steps at most (fewer when a probe's Krylov space is invariant). */
  matvecs: number;
  /** Probes used: `probes`, or fewer when `timeLimitMs` ended the run. */
  probes: number;
  /** True when `timeLimitMs` ended the run before all probes (a partial, noisier estimate). */
  timedOut: boolean;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Spectral density of a symmetric operator by stochastic Lanczos quadrature (Lin, Saad, Yang, "Approximating
 * spectral densities of large matrices", SIAM Review 58, 2016; Ghorbani, Krishnan, Xiao, ICML 2019 for
 * Hessians; PyHessian's `density`).
 *
 * For each probe v (Rademacher or Gaussian, normalised), `steps` Lanczos steps with full re-orthogonalisation
 * give T = Y Θ Yᵀ; the nodes θ_i and weights τ_i = Y_{1i}² are the Gauss quadrature of the measure
 * μ_v = Σ_j (u_jᵀ v)² δ_{λ_j}, whose mean over probes is the spectral measure (1/n) Σ_j δ_{λ_j}.
 * The density is φ(t) = (1/probes) Σ_p Σ_i τ_i g_σ(t − θ_i), g_σ the Gaussian of standard deviation σ, on
 * `gridPoints` equally spaced points over [min θ − 5σ, max θ + 5σ], rescaled so that the trapezoid rule gives 1.
 * With `scale: 'log'` the same is done for u = log10 |θ| over the nodes with |θ| > logFloor: the result is the
 * density of log10 |λ| per decade; the weight of the nodes below the floor is returned as `massBelowFloor`
 * (the density then integrates to 1 − massBelowFloor) and the weight of negative nodes, folded onto |λ|, as
 * `negativeMass`.
 *
 * Cost: probes × steps matvecs, O(steps · n) flops per matvec for the re-orthogonalisation; memory
 * (steps + 1) · n. The error has a Monte Carlo part O(1/√(probes · n)) and a quadrature part that vanishes
 * once steps ≳ range/σ. Resolution: the nodes resolve details of size ≈ (λ_max − λ_min)/steps on the linear
 * axis, so on the log axis eigenvalues much smaller than that (e.g. a null space next to eigenvalues 1e-6 when
 * λ_max = 10) are smeared over the first nodes rather than falling below the floor, unless steps reaches the
 * number of distinct eigenvalues (then the quadrature is exact).
 *
 * @param op - a symmetric operator of order n.
 * @param options - probes, steps, seed, grid, width, scale.
 * @returns grid, density, the raw nodes and weights, and diagnostics.
 * @throws InvalidArgumentError for a non-symmetric operator or an option out of range; NonFiniteError naming
 *   the entry when a product contains NaN or ±Infinity; MemoryBudgetError when (steps + 1) · n doubles exceed
 *   the default budget.
 * @example slqSpectralDensity(op, { probes: 20, steps: 60, width: 0.05 }) // → { grid, density, nodes, weights, … }
 */
export function slqSpectralDensity(op: LinearOperator, options: SlqOptions = {}): SlqResult {
  const fn = 'slqSpectralDensity';
  assertLinearOperator(op, fn);
  assertSymmetricOperator(op, fn);
  const n = op.size;
  const probes = options.probes ?? 10;
  const steps = options.steps ?? Math.min(n, 80);
  const gridPoints = options.gridPoints ?? 1000;
  const scale = options.scale ?? 'linear';
  const distribution = options.distribution ?? 'rademacher';
  if (!Number.isInteger(probes) || probes < 1) throw new InvalidArgumentError(`${fn}: probes must be a positive integer, got ${probes}`);
  if (!Number.isInteger(steps) || steps < 1 || steps > n) {
    throw new InvalidArgumentError(`${fn}: steps must be an integer in [1, n = ${n}], got ${steps}`);
  }
  if (!Number.isInteger(gridPoints) || gridPoints < 2) throw new InvalidArgumentError(`${fn}: gridPoints must be an integer ≥ 2, got ${gridPoints}`);
  if (scale !== 'linear' && scale !== 'log') throw new InvalidArgumentError(`${fn}: scale must be 'linear' or 'log', got '${String(scale)}'`);
  if (distribution !== 'rademacher' && distribution !== 'gaussian') {
    throw new InvalidArgumentError(`${fn}: distribution must be 'rademacher' or 'gaussian', got '${String(distribution)}'`);
  }
  if (options.width !== undefined && !(options.width > 0 && Number.isFinite(options.width))) {
    throw new InvalidArgumentError(`${fn}: width must be a positive finite number, got ${options.width}`);
  }
  if (options.logFloor !== undefined && !(options.logFloor > 0 && Number.isFinite(options.logFloor))) {
    throw new InvalidArgumentError(`${fn}: logFloor must be a positive finite number, got ${options.logFloor}`);
  }

  const deadline = startDeadline(options.timeLimitMs, fn);
  assertMemoryBudget((steps + 1) * n + 2 * gridPoints, `${fn}: Lanczos basis of ${steps + 1} vectors of length ${n} and a grid of ${gridPoints} points`, undefined, 'use fewer steps or grid points');
  const random = new Random(options.seed ?? 0);
  const V = new Float64Array((steps + 1) * n);
  const alpha = new Float64Array(steps);
  const beta = new Float64Array(steps);
  const coefficients = new Float64Array(steps);
  const allNodes: number[] = [];
  const allWeights: number[] = [];
  const allOffsets = new Int32Array(probes + 1);
  let matvecs = 0;
  let normEstimate = 0;

  let completed = 0;
  for (let p = 0; p < probes; p++) {
    if (p > 0 && deadline.passed()) break;
    const v0 = V.subarray(0, n);
    fillProbe(v0, 0, n, distribution, random);
    const nv = norm2(v0, 0, n);
    for (let r = 0; r < n; r++) v0[r] /= nv;
    let size = steps;
    for (let j = 0; j < steps; j++) {
      const w = V.subarray((j + 1) * n, (j + 2) * n);
      op.apply(V.subarray(j * n, (j + 1) * n), w);
      matvecs++;
      assertFiniteProduct(w, 0, n, `${fn}: matvec ${matvecs}`);
      let a = 0;
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i <= j; i++) coefficients[i] = dot(V, i * n, w, 0, n);
        for (let i = 0; i <= j; i++) {
          const h = coefficients[i];
          for (let r = 0; r < n; r++) w[r] -= h * V[i * n + r];
        }
        a += coefficients[j];
      }
      alpha[j] = a;
      const b = norm2(w, 0, n);
      normEstimate = Math.max(normEstimate, Math.abs(a), b);
      beta[j] = b;
      if (j + 1 < steps && b <= 16 * 2 ** -52 * Math.sqrt(n) * normEstimate) {
        // Invariant Krylov space: the j + 1 point quadrature is exact for this probe.
        size = j + 1;
        break;
      }
      if (j + 1 < steps) for (let r = 0; r < n; r++) w[r] /= b;
    }
    const T = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      T[i * size + i] = alpha[i];
      if (i + 1 < size) {
        T[i * size + i + 1] = beta[i];
        T[(i + 1) * size + i] = beta[i];
      }
    }
    const { values, vectors } = symmetricEigen(T, size);
    for (let i = 0; i < size; i++) {
      allNodes.push(values[i]);
      allWeights.push(vectors[i] * vectors[i]);
    }
    allOffsets[p + 1] = allNodes.length;
    completed++;
  }

  const nodeOffsets = completed < probes ? allOffsets.slice(0, completed + 1) : allOffsets;
  const nodes = Float64Array.from(allNodes);
  // Each probe's weights sum to 1; the average over the probes done sums to 1.
  const weights = Float64Array.from(allWeights, (w) => w / completed);
  // Positions on the axis and the weights that land there.
  let maxAbs = 0;
  for (const t of nodes) maxAbs = Math.max(maxAbs, Math.abs(t));
  const logFloor = scale === 'log' ? (options.logFloor ?? 1e-12 * maxAbs) : 0;
  const positions: number[] = [];
  const masses: number[] = [];
  let massBelowFloor = 0;
  let negativeMass = 0;
  for (let i = 0; i < nodes.length; i++) {
    if (scale === 'linear') {
      positions.push(nodes[i]);
      masses.push(weights[i]);
    } else if (Math.abs(nodes[i]) <= logFloor) {
      massBelowFloor += weights[i];
    } else {
      if (nodes[i] < 0) negativeMass += weights[i];
      positions.push(Math.log10(Math.abs(nodes[i])));
      masses.push(weights[i]);
    }
  }
  const target = 1 - massBelowFloor;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of positions) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (positions.length === 0) {
    // Every node is below the floor: an empty axis around log10(floor).
    lo = hi = logFloor > 0 ? Math.log10(logFloor) : 0;
  }
  const range = hi - lo;
  const width = options.width ?? (range > 0 ? 0.01 * range : 0.01 * Math.max(Math.abs(lo), 1));
  const start = lo - 5 * width;
  const step = (hi + 5 * width - start) / (gridPoints - 1);
  const grid = new Float64Array(gridPoints);
  const density = new Float64Array(gridPoints);
  for (let g = 0; g < gridPoints; g++) grid[g] = start + g * step;
  const norm = 1 / (width * SQRT_2PI);
  for (let i = 0; i < positions.length; i++) {
    const x = positions[i];
    const m = masses[i] * norm;
    // Only grid points within 8σ contribute above 1e-14 of the peak.
    const g0 = Math.max(0, Math.floor((x - 8 * width - start) / step));
    const g1 = Math.min(gridPoints - 1, Math.ceil((x + 8 * width - start) / step));
    for (let g = g0; g <= g1; g++) {
      const z = (grid[g] - x) / width;
      density[g] += m * Math.exp(-0.5 * z * z);
    }
  }
  let rawIntegral = 0;
  for (let g = 0; g + 1 < gridPoints; g++) rawIntegral += 0.5 * step * (density[g] + density[g + 1]);
  if (rawIntegral > 0) for (let g = 0; g < gridPoints; g++) density[g] *= target / rawIntegral;

  return {
    grid,
    density,
    nodes,
    weights,
    nodeOffsets,
    width,
    scale,
    rawIntegral,
    logFloor,
    massBelowFloor,
    negativeMass,
    matvecs,
    probes: completed,
    timedOut: completed < probes,
  };
}

/**
 * Trapezoid integral of a density sampled on an equally spaced grid (helper for checking SLQ output).
 * @param grid - increasing, equally spaced points.
 * @param density - values at the points.
 * @returns Σ_g (grid[g+1] − grid[g]) (density[g] + density[g+1]) / 2.
 */
export function trapezoidIntegral(grid: Float64Array, density: Float64Array): number {
  let s = 0;
  for (let g = 0; g + 1 < grid.length; g++) s += 0.5 * (grid[g + 1] - grid[g]) * (density[g] + density[g + 1]);
  return s;
}
