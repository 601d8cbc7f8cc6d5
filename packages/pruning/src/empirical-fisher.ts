import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';

/** Sizes of a per-sample gradient matrix G (n × p, row-major, row j = ∇ℓ_j) and the dampening λ. */
export interface GradientMatrixOptions {
  /** Number of gradients n (rows of G). */
  count: number;
  /** Parameter count p (columns of G). */
  size: number;
  /** Dampening λ ≥ 0 added to the diagonal: F = λI + (1/n) GᵀG. */
  damping: number;
  /** Memory budget in bytes for dense allocations (default 4 GiB). */
  memoryBudgetBytes?: number;
}

/** Checks G against n × p and λ; shared by the Fisher builders. @internal */
export function checkGradientMatrix(gradients: Float64Array, options: GradientMatrixOptions, fn: string, positiveDamping: boolean): void {
  const { count, size, damping } = options;
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`${fn}: gradient count must be a positive integer, got ${count}`);
  if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`${fn}: parameter count must be a positive integer, got ${size}`);
  if (gradients.length !== count * size) {
    throw new ShapeMismatchError(`${fn}: gradients have ${gradients.length} entries, expected n × p = ${count} × ${size} = ${count * size}`);
  }
  if (!Number.isFinite(damping) || damping < 0 || (positiveDamping && damping === 0)) {
    throw new InvalidArgumentError(`${fn}: damping must be a ${positiveDamping ? 'positive' : 'non-negative'} finite number, got ${damping}`);
  }
  for (let i = 0; i < gradients.length; i++) {
    if (!Number.isFinite(gradients[i])) {
      throw new InvalidArgumentError(`${fn}: gradient ${Math.floor(i / size)} entry ${i % size} is ${gradients[i]}`);
    }
  }
}

/**
 * The dense dampened empirical Fisher F = λI + (1/n) Σ_j g_j g_jᵀ = λI + (1/n) GᵀG from per-sample
 * gradients g_j (the rows of G, e.g. `MlpEvaluation.perSampleGradients()`), as used by WoodFisher
 * (Singh & Alistarh, NeurIPS 2020, eq. 3). O(n p²) time, p² memory (checked against the budget).
 *
 * @param gradients - G, row-major n × p.
 * @param options - n, p, λ and the memory budget.
 * @returns F, row-major p × p, exactly symmetric.
 * @throws ShapeMismatchError, InvalidArgumentError on bad sizes or non-finite entries; MemoryBudgetError
 * when p² doubles exceed the budget.
 */
export function empiricalFisher(gradients: Float64Array, options: GradientMatrixOptions): Float64Array {
  checkGradientMatrix(gradients, options, 'empiricalFisher', false);
  const { count: n, size: p, damping } = options;
  assertMemoryBudget(p * p, `the dense empirical Fisher ${p} × ${p}`, options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
    'use woodFisherInverse with a block size or the low-rank closed form');
  const F = new Float64Array(p * p);
  for (let j = 0; j < n; j++) {
    const row = j * p;
    for (let a = 0; a < p; a++) {
      const ga = gradients[row + a] / n;
      if (ga === 0) continue;
      const base = a * p;
      for (let b = a; b < p; b++) F[base + b] += ga * gradients[row + b];
    }
  }
  for (let a = 0; a < p; a++) {
    F[a * p + a] += damping;
    for (let b = 0; b < a; b++) F[a * p + b] = F[b * p + a];
  }
  return F;
}

/**
 * Diagonal of the dampened empirical Fisher, F_qq = λ + (1/n) Σ_j g_jq², without forming F. O(n p)
 * time, p memory.
 * @param gradients - G, row-major n × p.
 * @param options - n, p and λ (λ = 0 for the plain empirical Fisher).
 * @throws as {@link empiricalFisher} for bad sizes.
 */
export function empiricalFisherDiagonal(gradients: Float64Array, options: GradientMatrixOptions): Float64Array {
  checkGradientMatrix(gradients, options, 'empiricalFisherDiagonal', false);
  const { count: n, size: p, damping } = options;
  const d = new Float64Array(p);
  for (let j = 0; j < n; j++) {
    const row = j * p;
    for (let q = 0; q < p; q++) d[q] += gradients[row + q] * gradients[row + q];
  }
  for (let q = 0; q < p; q++) d[q] = d[q] / n + damping;
  return d;
}
