import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import { xMinusLog1p } from '../internal/guards.js';

/** Options of {@link gaussianKl}: Q = N(μ_q, diag σ_q²), P = N(μ_p, diag v) or N(μ_p, λ I). */
export interface GaussianKlOptions {
  /** μ_q (length p). */
  posteriorMean: Float64Array;
  /** σ_q, the posterior standard deviations (length p, each > 0). */
  posteriorStd: Float64Array;
  /** μ_p (length p), e.g. the initial weights w₀. */
  priorMean: Float64Array;
  /** Prior variance: a scalar λ > 0 (P = N(μ_p, λ I)) or per-coordinate variances v (length p, each > 0). */
  priorVariance: number | Float64Array;
}

/**
 * KL(Q‖P) between diagonal Gaussians Q = N(μ_q, diag σ_q²) and P = N(μ_p, diag v):
 * KL = ½ Σ_i [ σ_i²/v_i + (μ_{q,i} − μ_{p,i})²/v_i − 1 + ln(v_i/σ_i²) ].
 *
 * The term σ²/v − 1 − ln(σ²/v) is evaluated as g(σ²/v − 1), g(x) = x − ln(1 + x), without cancellation,
 * so KL is accurate to relative rounding even when Q ≈ P. Used by the Dziugaite–Roy bound with v = λ
 * (Dziugaite & Roy, UAI 2017, eq. for KL(Q‖P)). Cost O(p).
 *
 * @returns KL(Q‖P) ≥ 0 in nats.
 * @throws ShapeMismatchError when the arrays differ in length; InvalidArgumentError on a non-finite mean,
 * a standard deviation or variance that is not finite and > 0.
 * @example gaussianKl({ posteriorMean: [1], posteriorStd: [1], priorMean: [0], priorVariance: 1 }) // → 0.5
 */
export function gaussianKl(options: GaussianKlOptions): number {
  const fn = 'gaussianKl';
  const { posteriorMean: mq, posteriorStd: sq, priorMean: mp, priorVariance } = options;
  const p = mq.length;
  if (sq.length !== p || mp.length !== p) {
    throw new ShapeMismatchError(`${fn}: posteriorMean has length ${p}, posteriorStd ${sq.length}, priorMean ${mp.length}`);
  }
  const scalar = typeof priorVariance === 'number';
  if (!scalar && priorVariance.length !== p) {
    throw new ShapeMismatchError(`${fn}: priorVariance has length ${priorVariance.length}, expected ${p}`);
  }
  let sum = 0;
  for (let i = 0; i < p; i++) {
    const v = scalar ? priorVariance : priorVariance[i];
    if (!(v > 0) || !Number.isFinite(v)) throw new InvalidArgumentError(`${fn}: prior variance ${scalar ? '' : `[${i}] `}must be finite and > 0, got ${v}`);
    const s = sq[i];
    if (!(s > 0) || !Number.isFinite(s)) throw new InvalidArgumentError(`${fn}: posteriorStd[${i}] must be finite and > 0, got ${s}`);
    const d = mq[i] - mp[i];
    if (!Number.isFinite(d)) throw new InvalidArgumentError(`${fn}: mean difference at ${i} is ${d}`);
    sum += xMinusLog1p((s * s) / v - 1) + (d * d) / v;
  }
  return 0.5 * sum;
}
