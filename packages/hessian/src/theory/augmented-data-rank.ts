import type { Dataset } from '@intrinsic/models';
import { dataRank } from '../rank-analysis.js';

/**
 * r′ = rank([X; 1ᵀ]), the rank of the inputs with a constant 1 appended to every sample (numpy
 * tolerance): the data rank a first-layer bias sees, since W_1 x + b_1 = [W_1 b_1] [x; 1].
 *
 * r′ = rank(X_c) + 1 for the centred data X_c = X − x̄1ᵀ, so r′ = min(d + 1, N) for generic data. The
 * rank-with-bias formulas of {@link biasedLinearNetworkRankPrediction} use r′ and r₀ = r′ − 1.
 *
 * Cost: one min(N, d + 1)² Gram matrix and its eigenvalues ({@link dataRank} on the augmented data).
 *
 * @param data - the data set (only the inputs are used).
 * @returns r′ in [1, min(d + 1, N)] (0 only for an empty data set).
 * @example augmentedDataRank(syntheticDataset({ kind: 'gaussian', count: 10, inputSize: 4, outputSize: 1, seed: 0 })) // → 5
 */
export function augmentedDataRank(data: Dataset): number {
  const { inputs, count: N, inputSize: d } = data;
  const augmented = new Float64Array(N * (d + 1));
  for (let i = 0; i < N; i++) {
    augmented.set(inputs.subarray(i * d, (i + 1) * d), i * (d + 1));
    augmented[i * (d + 1) + d] = 1;
  }
  return dataRank({ ...data, inputs: augmented, inputSize: d + 1 });
}
