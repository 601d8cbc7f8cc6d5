import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import type { MlpSpec } from '@intrinsic/models';
import { assertInteger } from '../internal/guards.js';
import { inputJacobian } from './input-jacobian.js';
import { matrixSpectralNorm } from '../measures/matrix-spectral-norm.js';

/** Options of {@link lipschitzLowerBound}. */
export interface LipschitzLowerBoundOptions {
  spec: MlpSpec;
  params: Float64Array;
  /** Data points, row-major N × d. */
  inputs: Float64Array;
  /** Number of seeded random pairs (x₁, x₂) for the convex combinations (default 0: data points only). */
  pairs?: number;
  /** λ values in [0, 1] for λx₁ + (1 − λ)x₂ (default 0.1, 0.2, …, 0.9; the ends are data points). */
  lambdaGrid?: readonly number[];
  /** Seed of the pair sampling (default 0). */
  seed?: number;
}

/** Statistics of ‖∂f/∂x‖₂ over a set of points. */
export interface JacobianNormStatistics {
  /** Number of points. */
  count: number;
  /** max ‖J(x)‖₂: a lower bound on Lip(f). */
  max: number;
  mean: number;
  /** √(mean ‖J(x)‖₂²). */
  rms: number;
}

/** Result of {@link lipschitzLowerBound}. */
export interface LipschitzLowerBoundResult {
  /** max over data and combinations: the lower bound on Lip(f). */
  bound: number;
  /** Over the data points. */
  data: JacobianNormStatistics;
  /** Over the convex combinations (count 0 and NaN statistics when `pairs` is 0). */
  interpolation: JacobianNormStatistics;
  /** ‖J(x_i)‖₂ per data point. */
  dataNorms: Float64Array;
}

function statistics(values: number[]): JacobianNormStatistics {
  if (values.length === 0) return { count: 0, max: NaN, mean: NaN, rms: NaN };
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    max = Math.max(max, v);
    sum += v;
    squares += v * v;
  }
  return { count: values.length, max, mean: sum / values.length, rms: Math.sqrt(squares / values.length) };
}

/**
 * Lower bound on the Lipschitz constant of an MLP: Lip(f) ≥ sup_x ‖∂f/∂x(x)‖₂ ≥ the maximum of the exact
 * input-Jacobian spectral norm over the data points and over convex combinations λx₁ + (1 − λ)x₂ of seeded
 * random data pairs on a λ grid (Khromov & Singh, ICLR 2024, §3; SCIENCE.md §5). J(x) is computed exactly by
 * forward or reverse mode, whichever is cheaper ({@link inputJacobian}), ‖J‖₂ by the dense eigensolver on the
 * min(K, d)-sized Gram matrix ({@link matrixSpectralNorm}). Also reports mean and RMS. Every ‖J(x)‖₂ is a
 * directional slope of f at x, so the maximum is ≤ Lip(f). Cost per point O(min(d, K) Σ M_l M_{l−1} + min(K, d)³).
 *
 * @throws InvalidArgumentError on bad pairs/λ/seed or a non-finite input; ShapeMismatchError when
 * `inputs.length` is not a multiple of d.
 */
export function lipschitzLowerBound(options: LipschitzLowerBoundOptions): LipschitzLowerBoundResult {
  const fn = 'lipschitzLowerBound';
  const { spec, params, inputs } = options;
  const d = spec.widths[0];
  const K = spec.widths[spec.widths.length - 1];
  if (inputs.length === 0 || inputs.length % d !== 0) {
    throw new ShapeMismatchError(`${fn}: inputs have length ${inputs.length}, not a positive multiple of d = ${d}`);
  }
  const N = inputs.length / d;
  const pairs = options.pairs ?? 0;
  assertInteger(fn, 'pairs', pairs, 0);
  const grid = options.lambdaGrid ?? [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  grid.forEach((lambda, i) => {
    if (!(lambda >= 0 && lambda <= 1)) throw new InvalidArgumentError(`${fn}: lambdaGrid[${i}] must be in [0, 1], got ${lambda}`);
  });
  if (pairs > 0 && N < 2) throw new InvalidArgumentError(`${fn}: convex combinations need at least 2 data points, got ${N}`);
  const norm = (x: Float64Array) => matrixSpectralNorm(inputJacobian(spec, params, x), K, d);
  const dataNorms = new Float64Array(N);
  for (let i = 0; i < N; i++) dataNorms[i] = norm(inputs.subarray(i * d, (i + 1) * d));
  const rng = new Random(options.seed ?? 0);
  const mixed: number[] = [];
  const x = new Float64Array(d);
  for (let s = 0; s < pairs; s++) {
    const i = rng.integer(N);
    let j = rng.integer(N - 1);
    if (j >= i) j++;
    for (const lambda of grid) {
      for (let c = 0; c < d; c++) x[c] = lambda * inputs[i * d + c] + (1 - lambda) * inputs[j * d + c];
      mixed.push(norm(x));
    }
  }
  const data = statistics(Array.from(dataNorms));
  const interpolation = statistics(mixed);
  return { bound: Math.max(data.max, interpolation.count > 0 ? interpolation.max : -Infinity), data, interpolation, dataNorms };
}
