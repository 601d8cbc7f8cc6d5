import { assertInRange, xMinusLog1p } from '../internal/guards.js';

/** a·g(b/a − 1) with g(x) = x − ln(1 + x) and diff = b − a, for a > 0, b ≥ 0, without cancellation or overflow. */
function scaledG(a: number, b: number, diff: number): number {
  const r = b / a;
  // Near r = 1 the series of g; elsewhere a·((r − 1) − ln r) = diff − a·(ln b − ln a) loses < 1 digit.
  if (r > 0.5 && r < 2) return a * xMinusLog1p(diff / a);
  return diff - a * (Math.log(b) - Math.log(a));
}

/**
 * kl(q‖p) without the range checks; q, p ∈ [0, 1].
 *
 * With d = p − q, kl(q‖p) = q·g(d/q) + (1 − q)·g(−d/(1 − q)) where g(x) = x − ln(1 + x) ≥ 0: both terms
 * are non-negative, so there is no cancellation even when p is within a few ulps of q, and no loss when
 * p is far below q (p/q is formed before any subtraction).
 * @internal
 */
export function klBernoulliUnchecked(q: number, p: number): number {
  if (q === p) return 0;
  if (q === 0) return p === 1 ? Infinity : -Math.log1p(-p);
  if (q === 1) return p === 0 ? Infinity : -Math.log(p);
  if (p === 0 || p === 1) return Infinity;
  return scaledG(q, p, p - q) + scaledG(1 - q, 1 - p, q - p);
}

/**
 * Kullback–Leibler divergence between Bernoulli distributions,
 * kl(q‖p) = q ln(q/p) + (1 − q) ln((1 − q)/(1 − p)), with 0 ln 0 = 0.
 *
 * The "small kl" of PAC-Bayes bounds (Seeger 2002; Maurer 2004; SCIENCE.md §7), evaluated without
 * cancellation near p = q (see the internal form q·g(d/q) + (1 − q)·g(−d/(1 − q)), g(x) = x − ln(1 + x)).
 * Cost O(1).
 *
 * @param q - the first mean (an empirical error), in [0, 1].
 * @param p - the second mean (a true error), in [0, 1].
 * @returns kl(q‖p) ≥ 0; +∞ when p ∈ {0, 1} and q ≠ p.
 * @throws InvalidArgumentError when q or p is NaN or outside [0, 1].
 * @example klDivergenceBernoulli(0, 0.5) // → ln 2 ≈ 0.6931471805599453
 */
export function klDivergenceBernoulli(q: number, p: number): number {
  assertInRange('klDivergenceBernoulli', 'q', q, 0, 1);
  assertInRange('klDivergenceBernoulli', 'p', p, 0, 1);
  return klBernoulliUnchecked(q, p);
}
