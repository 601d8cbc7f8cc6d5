import * as tf from '@tensorflow/tfjs-core';
import { klInverseUpperGradient } from '../pac-bayes/kl-inverse-upper-gradient.js';

/** The differentiable stand-in for q = kl⁻¹(ŝ, B) built by {@link klInverseObjective}. */
export interface KlInverseObjective {
  /** (∂q/∂ŝ)·ŝ + (∂q/∂B)·B with both coefficients constants: its gradient is ∇q. Undefined when q rounds to 1. */
  linearised: tf.Scalar | undefined;
  /** q = kl⁻¹(min(max(ŝ, 0), 1), max(B, 0)) in float64. */
  value: number;
}

/**
 * The PAC-Bayes-kl bound q = kl⁻¹(ŝ, B) as a tfjs objective. q itself is computed in float64 by the robust
 * inversion (no gradient through its Newton/bisection steps); the gradient comes from the implicit-function
 * theorem ({@link klInverseUpperGradient}): ∇q = (∂q/∂ŝ)∇ŝ + (∂q/∂B)∇B, with
 * ∂q/∂B = q(1 − q)/(q − ŝ) and ∂q/∂ŝ = ln(q(1 − ŝ)/(ŝ(1 − q)))·q(1 − q)/(q − ŝ). So the returned scalar
 * (∂q/∂ŝ)·ŝ + (∂q/∂B)·B, with the coefficients held constant, has exactly q's gradient (its value is not q).
 * Reads ŝ and B from the backend (one synchronous download each). `linearised` is undefined when q rounds to
 * 1 (ŝ ≥ 1 or B huge), where q has no usable gradient.
 */
export function klInverseObjective(empirical: tf.Scalar, complexity: tf.Scalar): KlInverseObjective {
  const e = Math.min(Math.max(empirical.dataSync()[0], 0), 1);
  const c = Math.max(complexity.dataSync()[0], 0);
  const g = klInverseUpperGradient(e, c);
  if (g.dEmpirical === 0 && g.dComplexity === 0) return { linearised: undefined, value: g.value };
  return { linearised: tf.add(tf.mul(g.dEmpirical, empirical), tf.mul(g.dComplexity, complexity)) as tf.Scalar, value: g.value };
}
