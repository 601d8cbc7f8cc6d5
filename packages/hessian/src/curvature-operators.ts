import { InvalidArgumentError, linearOperator, NonFiniteError, type LinearOperator } from '@intrinsic/spectra';
import { MlpEvaluation, parameterCount, type Dataset, type HessianPart, type Loss, type MlpSpec } from '@intrinsic/models';
import { selectParameters, type ParameterSelector } from './parameter-selection.js';

/** Options of the curvature operators. */
export interface CurvatureOperatorOptions {
  /**
   * Samples per batch. Products are exact sums over all batches, weighted by batch size / N, so the
   * result is the product with the full-data matrix whatever the batch size. Default: all at once.
   */
  batchSize?: number;
  /** Restrict to a parameter subset: the operator is P A Pᵀ on the selected indices (a layer, a pair, …). */
  parameters?: ParameterSelector;
  /** Called after each product with the running count (for progress). */
  onProduct?: (count: number) => void;
}

/** A curvature operator with the parameter indices it acts on. */
export interface CurvatureOperator extends LinearOperator {
  /** Which matrix: H, H_O, H_F or the empirical Fisher. */
  readonly part: HessianPart;
  /** Flat parameter indices of the rows/columns, ascending (all of 0 … p−1 without a restriction). */
  readonly parameterIndices: Int32Array;
  /** Number of products computed so far. */
  readonly products: number;
}

function splitBatches(data: Dataset, batchSize: number): Dataset[] {
  if (batchSize >= data.count) return [data];
  const batches: Dataset[] = [];
  const { inputSize: d, outputSize: K } = data;
  for (let start = 0; start < data.count; start += batchSize) {
    const end = Math.min(data.count, start + batchSize);
    batches.push({
      inputs: data.inputs.subarray(start * d, end * d),
      targets: data.targets.subarray(start * K, end * K),
      labels: data.labels?.subarray(start, end),
      count: end - start,
      inputSize: d,
      outputSize: K,
      description: `${data.description} [${start}, ${end})`,
    });
  }
  return batches;
}

/**
 * The curvature matrix `part` of an MLP's mean loss as a matrix-free {@link LinearOperator}: each
 * product is exact in float64 (Pearlmutter's R-operator, see `MlpEvaluation.curvatureProduct`), summed
 * over data batches. Forward passes are computed once per batch and cached.
 *
 * Cost per product: about three forward passes over the data, O(N p); memory: the cached activations.
 * @throws InvalidArgumentError for a bad batch size or an empty parameter filter; the products throw
 * NonFiniteError when a result is NaN or infinite.
 */
export function curvatureOperator(
  spec: MlpSpec,
  params: Float64Array,
  data: Dataset,
  loss: Loss,
  part: HessianPart,
  options: CurvatureOperatorOptions = {},
): CurvatureOperator {
  const batchSize = options.batchSize ?? data.count;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`batch size must be a positive integer, got ${batchSize}`);
  const p = parameterCount(spec);
  const evaluations = splitBatches(data, batchSize).map((batch) => new MlpEvaluation(spec, params, batch, loss));
  const indices = options.parameters === undefined ? null : selectParameters(spec, options.parameters);
  const size = indices ? indices.length : p;
  const full = new Float64Array(p);
  const partial = new Float64Array(p);
  const embedded = new Float64Array(p);
  let products = 0;
  const fullProduct = (v: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (const evaluation of evaluations) {
      evaluation.curvatureProduct(v, part, partial);
      const weight = evaluation.count / data.count;
      for (let i = 0; i < p; i++) out[i] += weight * partial[i];
    }
  };
  const operator = linearOperator({
    size,
    symmetric: true,
    apply: (x, y) => {
      if (indices) {
        embedded.fill(0);
        for (let j = 0; j < indices.length; j++) embedded[indices[j]] = x[j];
        fullProduct(embedded, full);
        for (let j = 0; j < indices.length; j++) y[j] = full[indices[j]];
      } else {
        fullProduct(x, y);
      }
      for (let i = 0; i < size; i++) {
        if (!Number.isFinite(y[i])) throw new NonFiniteError(`${part} product: entry ${i} is ${y[i]} (non-finite input vector or parameters?)`);
      }
      products++;
      options.onProduct?.(products);
    },
  });
  const result = Object.assign(operator, { part, parameterIndices: indices ?? Int32Array.from({ length: p }, (_, i) => i) });
  // A getter (Object.assign would copy the value once).
  Object.defineProperty(result, 'products', { get: () => products, enumerable: true });
  return result as CurvatureOperator;
}

/** The loss Hessian H as an operator; see {@link curvatureOperator}. */
export function hessianOperator(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options?: CurvatureOperatorOptions): CurvatureOperator {
  return curvatureOperator(spec, params, data, loss, 'full', options);
}

/** The Gauss–Newton / outer-product part H_O = (1/N) Σ J_iᵀ Λ_i J_i as an operator. */
export function ggnOperator(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options?: CurvatureOperatorOptions): CurvatureOperator {
  return curvatureOperator(spec, params, data, loss, 'outer', options);
}

/** The functional part H_F = (1/N) Σ_i Σ_k (∂ℓ_i/∂f_k) ∇²f_k as an operator. */
export function functionalHessianOperator(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options?: CurvatureOperatorOptions): CurvatureOperator {
  return curvatureOperator(spec, params, data, loss, 'functional', options);
}

/** The empirical Fisher F = (1/N) Σ_i ∇ℓ_i ∇ℓ_iᵀ as an operator. */
export function empiricalFisherOperator(spec: MlpSpec, params: Float64Array, data: Dataset, loss: Loss, options?: CurvatureOperatorOptions): CurvatureOperator {
  return curvatureOperator(spec, params, data, loss, 'fisher', options);
}
