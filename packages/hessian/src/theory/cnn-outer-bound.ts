import { Random } from '@intrinsic/spectra';
import type { Dataset, Loss, NetworkSpec } from '@intrinsic/models';
import type { LinearCnnStructure } from './cnn-structure.js';
import { applyRandomLayer, layerPatchIndex, matrixRank, stackedPatchRanks } from './cnn-structural-ranks.js';

/** Per hidden layer l: the patch data ranks of its inputs and how the channel symmetry acts on it. */
export interface LayerPatchDataRank {
  /** Index in `spec.layers`. */
  index: number;
  filters: number;
  /** ρ_P,l: [rank of all N·a_l patches] (shared kernel) or the rank of the N patches at each position (locally connected). */
  ranks: number[];
  /** True when a G ∈ GL(M_l) per position is a symmetry (a locally connected layer followed by one, or by the readout). */
  perPosition: boolean;
}

/**
 * The data the bound {@link patchOuterRankBound} needs, at seeded Gaussian weights (generic values, which
 * bound those at any point from above): per hidden layer l the ranks ρ_P,l of the patches that layer reads
 * from the representations Z_{l−1} = T_{l−1} ⋯ T_1 X of all N samples, and z = rank(Z_{L−1}), the rank of the
 * last hidden representation.
 * Cost: N sparse forward passes ({@link applyRandomLayer}), one rank per layer (per position when locally connected).
 */
export function layerPatchDataRanks(spec: NetworkSpec, structure: LinearCnnStructure, data: Dataset, seed = 5): { layers: LayerPatchDataRank[]; lastRepresentationRank: number } {
  const rng = new Random(seed);
  let vectors: Float64Array[] = [];
  for (let i = 0; i < data.count; i++) vectors.push(data.inputs.slice(i * data.inputSize, (i + 1) * data.inputSize));
  const layers: LayerPatchDataRank[] = [];
  structure.stages.forEach((stage, l) => {
    const next = structure.stages[l + 1];
    const patches = layerPatchIndex(spec, stage.index);
    layers.push({ index: stage.index, filters: stage.filters, ranks: stackedPatchRanks(patches, vectors), perPosition: !stage.shared && (!next || !next.shared) });
    vectors = applyRandomLayer(patches, stage.filters, vectors, rng);
  });
  const width = vectors.length > 0 ? vectors[0].length : 0;
  const Z = new Float64Array(vectors.length * width);
  vectors.forEach((v, i) => Z.set(v, i * width));
  return { layers, lastRepresentationRank: matrixRank(Z, vectors.length, width) };
}

/**
 * rank(H_O) ≤ K′·z + Σ_{l=1}^{L−1} (M_l·ρ_P,l − sym_l) for a bias-free linear CNN (derived here;
 * docs/theory.md §7.3), with z = rank of the last hidden representation, ρ_P,l the patch data rank of layer l
 * ({@link layerPatchDataRanks}) and sym_l = M_l·min(M_l, ρ_P,l) (shared kernel), Σ_t M_l·min(M_l, ρ_t) (locally
 * connected with a per-position symmetry), M_l·min(M_l, Σ_t ρ_t) (locally connected followed by a convolution).
 * Derivation: rank(H_O) = rank(J) (CE: of the Jacobian projected off the direction 1), J = [J_1 … J_L] by
 * layer. With S_l = range J_l + … + range J_L, dim S_l ≤ dim S_{l+1} + rank J_l − dim(range J_l ∩ range J_{l+1}),
 * so rank J ≤ rank J_L + Σ_{l<L} (rank J_l − ω_l), ω_l = dim(range J_l ∩ range J_{l+1}). J_L(δV) = δV Z_{L−1}:
 * rank ≤ K′z. J_l(δW) = U_l T_l(δW) Z_{l−1} depends on each filter only through its projection on the span of the
 * patches of Z_{l−1} (dimension ρ_P,l): an effective space E_l of dimension M_l ρ_P,l. The channel symmetry
 * (W_l, W_{l+1}) ↦ (G W_l, W_{l+1} G⁻¹) gives J_l(C W_l) = J_{l+1}(W_{l+1} C), so ω_l ≥ dim J_l(S_l),
 * S_l = {C W_l} in E_l, of dimension sym_l at generic W_l; and rank J_l − dim J_l(S_l) ≤ dim E_l − dim S_l.
 * For one hidden layer this is the §7.2 value K′z + M(ρ_P − M)₊. Holds at generic points (the symmetry
 * count needs W_l generic); each term is monotone in the ranks, so generic ranks keep it an upper bound.
 * @example
 * // [2, 3, 6] → two 1 × 1 conv2d layers of one filter → dense 4, CE, N = 38 (cnn-rank-theory.test.ts):
 * // ρ_P = [2], [1], z = 18: 3·18 + 1·(2 − 1) = 55 = the measured rank(H_O); K′r_e = 108.
 * patchOuterRankBound(layerPatchDataRanks(spec, structure, data), 3); // 55
 */
export function patchOuterRankBound(ranks: { layers: LayerPatchDataRank[]; lastRepresentationRank: number }, effectiveOutputs: number): number {
  let total = effectiveOutputs * ranks.lastRepresentationRank;
  for (const { filters: M, ranks: rho, perPosition } of ranks.layers) {
    const effective = M * rho.reduce((s, x) => s + x, 0);
    const sym = rho.length === 1 || !perPosition ? M * Math.min(M, rho.reduce((s, x) => s + x, 0)) : rho.reduce((s, x) => s + M * Math.min(M, x), 0);
    total += effective - sym;
  }
  return total;
}
