import { InvalidArgumentError } from '@intrinsic/spectra';

/** Element-wise activations of the float64 engine. */
export const ACTIVATIONS = ['linear', 'relu', 'leaky-relu', 'tanh', 'sigmoid', 'softplus', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** An activation with its first and second derivatives, σ, σ′, σ″. */
export interface ActivationFunctions {
  value(x: number): number;
  first(x: number): number;
  second(x: number): number;
  /** True when σ″ ≡ 0 almost everywhere (piecewise linear), so H_F has no activation-curvature terms. */
  piecewiseLinear: boolean;
}

const SQRT1_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * erf(x) to ~1e-15 relative for |x| ≤ 6 by the positive series
 * erf(x) = (2/√π) e^{−x²} Σ_{n≥0} 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6), which has
 * no cancellation; |erf(x)| = 1 to double precision beyond 6.
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a > 6) return Math.sign(x);
  let term = a;
  let sum = a;
  for (let n = 1; n < 200; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const result = (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
  return x < 0 ? -result : result;
}

/** Standard normal cumulative distribution Φ(x) = (1 + erf(x/√2)) / 2. */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

function softplus(x: number): number {
  return x > 30 ? x : x < -30 ? Math.exp(x) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The functions of an activation.
 * gelu is the exact form x·Φ(x) (σ′ = Φ + xφ, σ″ = φ(2 − x²)); leaky-relu uses `leakySlope` (default 0.01).
 * @throws InvalidArgumentError for an unknown name, listing the supported ones.
 */
export function activationFunctions(name: Activation, leakySlope = 0.01): ActivationFunctions {
  switch (name) {
    case 'linear':
      return { value: (x) => x, first: () => 1, second: () => 0, piecewiseLinear: true };
    case 'relu':
      return { value: (x) => (x > 0 ? x : 0), first: (x) => (x > 0 ? 1 : 0), second: () => 0, piecewiseLinear: true };
    case 'leaky-relu':
      return {
        value: (x) => (x > 0 ? x : leakySlope * x),
        first: (x) => (x > 0 ? 1 : leakySlope),
        second: () => 0,
        piecewiseLinear: true,
      };
    case 'tanh':
      return {
        value: Math.tanh,
        first: (x) => {
          const t = Math.tanh(x);
          return 1 - t * t;
        },
        second: (x) => {
          const t = Math.tanh(x);
          return -2 * t * (1 - t * t);
        },
        piecewiseLinear: false,
      };
    case 'sigmoid':
      return {
        value: sigmoid,
        first: (x) => {
          const s = sigmoid(x);
          return s * (1 - s);
        },
        second: (x) => {
          const s = sigmoid(x);
          return s * (1 - s) * (1 - 2 * s);
        },
        piecewiseLinear: false,
      };
    case 'softplus':
      return {
        value: softplus,
        first: sigmoid,
        second: (x) => {
          const s = sigmoid(x);
          return s * (1 - s);
        },
        piecewiseLinear: false,
      };
    case 'gelu':
      return {
        value: (x) => x * normalCdf(x),
        first: (x) => normalCdf(x) + x * SQRT1_2PI * Math.exp(-0.5 * x * x),
        second: (x) => SQRT1_2PI * Math.exp(-0.5 * x * x) * (2 - x * x),
        piecewiseLinear: false,
      };
    default:
      throw new InvalidArgumentError(`unknown activation '${String(name)}'; supported: ${ACTIVATIONS.join(', ')}`);
  }
}
