import { InvalidArgumentError } from '@intrinsic/spectra';

/** Losses of the float64 engine. */
export const LOSSES = ['mse', 'cross-entropy'] as const;
export type Loss = (typeof LOSSES)[number];

/**
 * Parses a loss name; `ce` is accepted for cross-entropy.
 * @throws InvalidArgumentError for an unknown name.
 */
export function parseLoss(text: string): Loss {
  const t = text.trim().toLowerCase();
  if (t === 'mse') return 'mse';
  if (t === 'ce' || t === 'cross-entropy' || t === 'crossentropy') return 'cross-entropy';
  throw new InvalidArgumentError(`unknown loss '${text}'; supported: mse, cross-entropy (ce)`);
}

/**
 * Per-sample loss ℓ(f, y), its gradient g = ∂ℓ/∂f and its Hessian Λ = ∂²ℓ/∂f² for one output row.
 *
 * - MSE: ℓ = ½‖f − y‖², g = f − y, Λ = I.
 * - Softmax cross-entropy (y a probability vector, usually one-hot): ℓ = −Σ_k y_k log softmax(f)_k,
 *   g = (Σy) p − y, Λ = (Σy)(diag(p) − ppᵀ) with p = softmax(f). (SCIENCE.md §1.)
 *
 * `f`, `y` are read at `offset` with length K; `grad` (length K) and `hess` (K × K, row-major) are written
 * when given. Returns ℓ.
 */
export function lossTerms(
  loss: Loss,
  f: Float64Array,
  y: Float64Array,
  offset: number,
  K: number,
  grad?: Float64Array,
  hess?: Float64Array,
  work?: Float64Array,
): number {
  if (loss === 'mse') {
    let value = 0;
    for (let k = 0; k < K; k++) {
      const r = f[offset + k] - y[offset + k];
      value += 0.5 * r * r;
      if (grad) grad[k] = r;
    }
    if (hess) {
      hess.fill(0, 0, K * K);
      for (let k = 0; k < K; k++) hess[k * K + k] = 1;
    }
    return value;
  }
  const p = work ?? new Float64Array(K);
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, f[offset + k]);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    p[k] = Math.exp(f[offset + k] - max);
    sum += p[k];
  }
  const logSum = Math.log(sum) + max;
  let mass = 0;
  let value = 0;
  for (let k = 0; k < K; k++) {
    p[k] /= sum;
    const yk = y[offset + k];
    mass += yk;
    if (yk !== 0) value -= yk * (f[offset + k] - logSum);
  }
  if (grad) for (let k = 0; k < K; k++) grad[k] = mass * p[k] - y[offset + k];
  if (hess) {
    for (let a = 0; a < K; a++) {
      for (let b = 0; b < K; b++) hess[a * K + b] = mass * ((a === b ? p[a] : 0) - p[a] * p[b]);
    }
  }
  return value;
}

/** Validates a loss name at an API boundary. */
export function assertLoss(loss: string): asserts loss is Loss {
  if (!(LOSSES as readonly string[]).includes(loss)) {
    throw new InvalidArgumentError(`unknown loss '${loss}'; supported: ${LOSSES.join(', ')}`);
  }
}
