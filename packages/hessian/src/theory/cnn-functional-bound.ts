import { Random } from '@intrinsic/spectra';
import type { Dataset, Loss, NetworkSpec } from '@intrinsic/models';
import type { LinearCnnStructure } from './cnn-structure.js';
import { applyRandomLayer, layerPatchIndex, randomDataCombinations, stackedPatchRanks } from './cnn-structural-ranks.js';

/** Per hidden layer l: its parameters p_l, filters M_l and the residual patch rank ρ_l. */
export interface LayerResidualPatchRank {
  /** Index in `spec.layers`. */
  index: number;
  parameters: number;
  filters: number;
  /** ρ_l (summed over positions for a locally connected layer). */
  rho: number;
}

/**
 * ρ_l for every hidden layer of a linear CNN: the rank of the stacked patch matrices [P_l(q_1); …; P_l(q_K′)]
 * of the layer-(l−1) representations q_κ = T_{l−1} ⋯ T_1 u_κ of K′ generic combinations u_κ of the data
 * rows (per position t and summed over t for a locally connected layer; for l = 1 it is
 * {@link residualPatchRank}). Computed at seeded Gaussian weights and coefficients: that is the generic
 * value, which bounds the value at any particular point from above (rank is lower semicontinuous), so
 * everything built on it is an upper bound at every point.
 * Cost: K′ sparse forward passes ({@link applyRandomLayer}), one rank of a (K′·a_l × b_l) matrix per layer.
 */
export function layerResidualPatchRanks(spec: NetworkSpec, structure: LinearCnnStructure, data: Dataset, loss: Loss, seed = 3): LayerResidualPatchRank[] {
  const Kp = structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
  const rng = new Random(seed);
  let vectors = randomDataCombinations(data, Math.max(Kp, 0), seed + 1);
  const out: LayerResidualPatchRank[] = [];
  for (const stage of structure.stages) {
    const patches = layerPatchIndex(spec, stage.index);
    const rho = vectors.length === 0 ? 0 : stackedPatchRanks(patches, vectors).reduce((x, y) => x + y, 0);
    out.push({ index: stage.index, parameters: stage.parameters, filters: stage.filters, rho });
    vectors = applyRandomLayer(patches, stage.filters, vectors, rng);
  }
  return out;
}

/**
 * rank(H_F) ≤ 2 Σ_{l=1}^{L−1} min(p_l, M_l·ρ_l, Σ_{l′>l} p_{l′}) − (number of layers 2 … L−1 with ρ_l > 0) for a
 * bias-free linear CNN f = V T_{L−1}(W_{L−1}) ⋯ T_1(W_1) x (derived here; docs/theory.md §7.3). Derivation:
 * f is linear in each layer, so the diagonal blocks of H_F vanish and H_F = B + Bᵀ with B its blocks (l, l′),
 * l′ > l; rank(H_F) ≤ dim(range B + range Bᵀ) = 2 rank(B) − dim(range B ∩ range Bᵀ), and
 * rank(B) ≤ Σ_l rank(B_l), B_l the block row of layer l. With g = ⟨R, V T_{L−1} ⋯ T_1 X⟩ (R the K × N
 * residuals), ∇_{W_l} g = T_l*(U_lᵀ R Z_{l−1}ᵀ), U_l = V T_{L−1} ⋯ T_{l+1}, Z_{l−1} = T_{l−1} ⋯ T_1 X, and T_l*
 * the adjoint of W ↦ T_l(W); the later layers move only U_l, so the range of B_l is {T_l*(Aᵀ Q) :
 * A ∈ ℝ^{K×n_l}}, Q = R Z_{l−1}ᵀ, whose κ-th row is the layer-(l−1) representation q_κ of
 * u_κ = Σ_i r_iκ x_i. T_l*(Aᵀ Q)[m, j] = Σ_{κ,t} A[κ, (m, t)] P_l(q_κ)[t, j], so for each filter m the row
 * lies in the row space of the stacked patch matrix: dimension ≤ M_l·ρ_l (per position for a locally
 * connected layer). The u_κ span at most K′ directions (CE residuals sum to 0 over the classes). B_l also
 * has only p_l rows and Σ_{l′>l} p_{l′} columns. The intersection: g is linear in each θ_j, so
 * ∂_l g = (∂_l ∂_j g) θ_j for l ≠ j, i.e. H_F (θ_j in slot j) = (a_l)_{l≠j} with a_l = ∇_{W_l} g; hence
 * B(θ_j) = (a_1, …, a_{j−1}, 0, …) and Bᵀ(θ_j) = (…, 0, a_{j+1}, …, a_L), and a_j in slot j equals
 * B(θ_{j+1} − θ_j) and Bᵀ(θ_{j−1} − θ_j) for every middle layer 2 ≤ j ≤ L − 1: L − 2 independent
 * directions of range B ∩ range Bᵀ wherever those layer gradients are non-zero — at generic points, for
 * layers with ρ_j > 0 (a_j[m] = Σ_{κ,t} U_j[κ, (m, t)] P_j(q_κ)[t, ·]); not at critical points of the loss,
 * where ∇L = 0. For one hidden layer the value is 2Mρ, the exact rank(H_F) of §7.2. It is linear in the
 * channels where p = Σ M_{l−1}M_l k_l is quadratic: ρ_l ≤ b_l and, for l ≥ 2, ρ_l is at most the number of
 * covered inputs that one layer-l patch reads.
 * @example
 * // [1, 7, 7], two 3 × 3 conv2d layers of 4 channels, K = 4, N = 60 (cnn-rank-theory.test.ts): ρ = [9, 25],
 * // 2·(4·9 + 4·25) − 1 = 271 = the measured rank(H_F); the older bounds give p = 324.
 * residualPatchFunctionalBound(layerResidualPatchRanks(spec, structure, data, 'mse'), 4 * 9 * 4); // 271
 */
export function residualPatchFunctionalBound(layers: LayerResidualPatchRank[], readoutParameters: number): number {
  let total = 0;
  for (let l = 0; l < layers.length; l++) {
    const later = layers.slice(l + 1).reduce((s, x) => s + x.parameters, 0) + readoutParameters;
    total += Math.min(layers[l].parameters, layers[l].filters * layers[l].rho, later);
  }
  const shared = layers.slice(1).filter((x) => x.rho > 0).length;
  return Math.max(0, 2 * total - shared);
}
