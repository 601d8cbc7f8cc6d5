import { lossTerms, type MlpEvaluation } from '@intrinsic/models';

/**
 * Per-sample losses ℓ_i = ℓ(f(x_i), y_i) at an evaluation's parameters (their mean is `evaluation.value`),
 * for {@link influencePopulationLoss}. Cost O(N K).
 *
 * @returns Float64Array of length N.
 */
export function perSampleLosses(evaluation: MlpEvaluation): Float64Array {
  const N = evaluation.count;
  const K = evaluation.outputSize;
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) out[i] = lossTerms(evaluation.loss, evaluation.outputs, evaluation.data.targets, i * K, K);
  return out;
}
