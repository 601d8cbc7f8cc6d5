import { InvalidArgumentError } from '@intrinsic/spectra';
import { inferNetworkShapes, networkParameterCount, validateNetworkSpec, type Dataset, type Loss, type NetworkSpec } from '@intrinsic/models';
import { linearNetworkRankPrediction, type HessianRanks } from '../linear-rank-theory.js';
import { linearCnnStructure, type CnnStage, type LinearCnnStructure } from './cnn-structure.js';
import { oneHiddenLayerHessianRankClaim } from './cnn-hessian-rank.js';
import { cutWindowOuterRank, tangentOuterRank } from './cnn-outer-rank-exact.js';
import { coveredDataRank, hiddenRepresentationRank, kernelSyzygiesPossible, patchDataRanks, patchesOverlapOrAreFull, residualPatchRank } from './cnn-structural-ranks.js';

export { coveredDataRank };
import { claimValues, weakestClaimKind, type PartRankClaim, type PartRankClaims, type RankClaimKind } from './rank-claim.js';
import { layerResidualPatchRanks, residualPatchFunctionalBound } from './cnn-functional-bound.js';
import { layerPatchDataRanks, patchOuterRankBound } from './cnn-outer-bound.js';

export { layerResidualPatchRanks, residualPatchFunctionalBound, type LayerResidualPatchRank } from './cnn-functional-bound.js';
export { layerPatchDataRanks, patchOuterRankBound, type LayerPatchDataRank } from './cnn-outer-bound.js';

/** Result of {@link predictNetworkRank}, shaped as `predictRank`'s. */
export interface NetworkRankPrediction {
  kind: RankClaimKind;
  ranks?: HessianRanks;
  parts: PartRankClaims;
  reason: string;
  source: string;
  /** The quantities of the formulas. */
  terms?: Record<string, number>;
}

const SOURCE_ONE = 'one hidden convolution layer: docs/theory.md §7.2 (derived here from the Toeplitz structure, the approach of Singh, Hofmann & Schölkopf ICML 2023; checked in cnn-rank-theory.test.ts)';
const SOURCE_ONE_H = 'one hidden convolution layer, ρ = b: rank(H) = min(p′, 2Mb + K′z − I), docs/theory.md §7.2 (derived from ker H = ker H_O ∩ ker H_F, observed; checked in cnn-rank-theory.test.ts)';
const SOURCE_TANGENT = 'one hidden convolution layer: rank(H_O) = rank of the predictor tangent seen through the data span, (I ⊗ Q)·dβ (derived, exact for these data at generic weights; docs/theory.md §7.2, cnn-outer-rank-exact.ts, checked in cnn-outer-rank-exact.test.ts)';
const SOURCE_ONE_H_SPLIT = 'rank(H) = 2Mρ + K′z − I + B, I and B generic ranks (ρ < b, windows cut by padding; docs/theory.md §7.2)';
const SOURCE_ONE_H_ROW = 'one hidden convolution layer, ρ = s·a < b, full patches: rank(H) = 2Mρ + (K′ − s)z + B, docs/theory.md §7.2 (cnn-hessian-rank.ts, checked in cnn-hessian-rank.test.ts and cnn-rank-theory.test.ts)';
const SOURCE_DEEP = 'linear CNN: docs/theory.md §7.3 upper bounds (fully connected embedding, channel symmetries, zero diagonal blocks, residual patch ranks; derived here, checked in cnn-rank-theory.test.ts)';


/**
 * A lower bound on the dimension of the channel symmetries, directions in the kernel of the Jacobian.
 * For hidden layer l with M_l filters, (W_l, W_{l+1}) ↦ (G W_l, W_{l+1} G⁻¹), G ∈ GL(M_l) (one G per
 * position for a locally connected layer), leaves f unchanged; its tangent map
 * (C_l)_l ↦ (C_1 W_1, C_2 W_2 − W_2∘C_1, …, −V∘C_{L−1}) is injective on the leading layers whose W_l
 * (M_l × b_l per position) has full row rank (M_l ≤ b_l: C_1 W_1 = 0 forces C_1 = 0, then C_2, …), and
 * on the trailing layers whose next weight (as a map of the M_l input channels) has full column rank
 * (V: M_{L−1} ≤ K·a_{L−1}; a conv W_{l+1}: M_l ≤ M_{l+1}·k_{l+1}). The larger of the two sums of M_l²
 * (a_l·M_l² locally connected) is a valid count.
 */
export function channelSymmetryDimension(structure: LinearCnnStructure): number {
  const { stages, outputs } = structure;
  // A per-position G (locally connected) is absorbed only by a next layer without weight sharing.
  const size = (st: CnnStage, next: CnnStage | undefined) => (st.shared || (next && next.shared) ? 1 : st.positions) * st.filters * st.filters;
  let leading = 0;
  for (let l = 0; l < stages.length && stages[l].filters <= stages[l].kernelVolume; l++) leading += size(stages[l], stages[l + 1]);
  let trailing = 0;
  for (let l = stages.length - 1; l >= 0; l--) {
    const st = stages[l];
    const next = stages[l + 1];
    // Columns of the next weight as a map of this layer's channels: the readout per position has K
    // (all positions for a shared G: K·a); a convolution M_{l+1}·k; a locally connected next layer is
    // not followed further (its coverage of each position varies).
    const localG = !st.shared && (!next || !next.shared);
    let columns: number;
    if (!next) columns = localG ? outputs : outputs * st.positions;
    else if (next.shared) columns = (next.kernelVolume / st.filters) * next.filters;
    else break;
    if (st.filters > columns) break;
    trailing += size(st, next);
  }
  return Math.max(leading, trailing);
}

/** "H, H_O and H_F", "H_O and H_F", … : the parts claimed exact. */
function exactPartNames(parts: PartRankClaims): string {
  const names = (['hessian', 'outer', 'functional'] as const).filter((k) => parts[k].kind === 'exact').map((k) => ({ hessian: 'H', outer: 'H_O', functional: 'H_F' })[k]);
  return names.length <= 1 ? names.join('') || 'nothing' : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function exact(value: number, source: string): PartRankClaim {
  return { kind: 'exact', value, source };
}
function bound(value: number, source: string): PartRankClaim {
  return { kind: 'upper-bound', value, source };
}

/** Data-dependent bounds {@link linearCnnRankBounds} folds in when given. */
export interface CnnPatchBounds {
  /** rank(H_O) ≤ outer ({@link patchOuterRankBound}). */
  outer?: number;
  /** rank(H_F) ≤ functional ({@link residualPatchFunctionalBound}). */
  functional?: number;
}

/**
 * Upper bounds for any bias-free linear CNN (docs/theory.md §7.3):
 * - fully connected embedding: θ ↦ (T_1(θ_1), …, V) is linear, so H_CNN = Sᵀ H_FC S with H_FC the
 *   Hessian of the dense network of widths [d, M_1a_1, …, K] at a special point, whose rank is at most its
 *   generic rank, the NeurIPS 2021 formula at data rank r_e;
 * - rank(H_O) ≤ K′ r_e (the Jacobian's range lies in the K′ × N outputs spanned by the covered data) and
 *   ≤ p − Σ_l sym_l (channel symmetries, {@link symmetryDimension});
 * - rank(H_F) ≤ 2(p − p_max): f is linear in each layer's weights, so every diagonal block of H_F is 0;
 *   a symmetric matrix [[0, B], [Bᵀ, C]] with a zero block of size p_max has rank ≤ 2(p − p_max);
 * - rank(H_O) ≤ `patchBounds.outer` when given: K′z + Σ_l (M_l ρ_P,l − sym_l) ({@link patchOuterRankBound});
 * - rank(H_F) ≤ `patchBounds.functional` when given: 2 Σ_l min(p_l, M_l ρ_l, Σ_{l′>l} p_{l′}) − (L − 2)
 *   ({@link residualPatchFunctionalBound}, data-dependent, linear in the channels, generic points);
 * - rank(H) ≤ bound(H_O) + bound(H_F) − 1: f is homogeneous of degree L in θ, so Euler's identity gives
 *   H_F θ = (L − 1) Jᵀ r = (L − 1) ∇L, which also lies in the range of H_O (∇L ≠ 0 at generic points);
 * - every rank ≤ p.
 */
export function linearCnnRankBounds(structure: LinearCnnStructure, r: number, loss: Loss, patchBounds: CnnPatchBounds = {}): HessianRanks {
  const { outer: outerPatchBound = Infinity, functional: functionalPatchBound = Infinity } = patchBounds;
  const K = structure.outputs;
  const Kp = K - (loss === 'cross-entropy' ? 1 : 0);
  const p = structure.parameters;
  const fc = linearNetworkRankPrediction({ widths: structure.denseWidths, dataRank: r, loss });
  if (!fc.applies) throw new InvalidArgumentError(`predictNetworkRank: ${fc.reason}`);
  const { stages } = structure;
  const symmetry = channelSymmetryDimension(structure);
  const outer = Math.min(p, fc.ranks.outer, Kp * r, p - symmetry, outerPatchBound);
  // f is linear in each layer's weights, so H_F has zero diagonal blocks; with the largest block
  // (p_max parameters) zero, rank(H_F) ≤ 2(p − p_max).
  const readout = K * stages[stages.length - 1].outputSize;
  const largestBlock = Math.max(readout, ...stages.map((st) => st.parameters));
  const functional = Math.min(p, fc.ranks.functional, 2 * (p - largestBlock), functionalPatchBound);
  // The gradient lies in both ranges (H_F θ = (L − 1)∇L, ∇L = Jᵀr), so the sum overcounts by at least 1.
  const hessian = Math.min(p, fc.ranks.hessian, outer + functional - (outer > 0 && functional > 0 ? 1 : 0));
  return { hessian, outer, functional };
}

/**
 * One hidden convolution (or locally connected) layer, x ↦ V T(W) x, exact at generic data and weights
 * (docs/theory.md §7.2). With a = positions, b = kernel volume C·k, M filters, K′ = K (MSE) or K − 1 (CE),
 * r_e the covered data rank, s = min(K′, r_e), z = rank(T(W) X) ({@link hiddenRepresentationRank},
 * min(r_e, M·a) for full patches) and ρ = {@link residualPatchRank} (min(s·a, b) shared, a·min(s, b)
 * locally connected, for full patches):
 * - rank(H_O) = min(K′ r_e, K′ z + Σ_t M·max(ρ_t − M, 0)), ρ_t = {@link patchDataRanks} (one term for a
 *   shared kernel, one per position for a locally connected layer) — the kernel's Jacobian directions
 *   beyond the readout's, less the M² channel symmetry, as M(r − M) for a dense layer;
 * - rank(H_F) = 2Mρ;
 * - rank(H) ≤ rank(H_O) + rank(H_F) − 1 (the gradient lies in both ranges: H_F θ = ∇L = Jᵀ r for a
 *   network bilinear in (W, V), and ∇L ≠ 0 at generic points); rank(H) itself, where ρ = b, is
 *   {@link oneHiddenLayerHessianRank} (computed by {@link predictNetworkRank}).
 */
export function oneHiddenLayerCnnRanks(spec: NetworkSpec, structure: LinearCnnStructure, data: Dataset, r: number, loss: Loss): { outer: number; functional: number; z: number; rho: number } {
  const [stage] = structure.stages;
  const Kp = structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
  const M = stage.filters;
  const s = Math.min(Kp, r);
  const z = hiddenRepresentationRank(spec, data);
  const rho = residualPatchRank(spec, data, s);
  const extra = patchDataRanks(spec, data).reduce((sum, rt) => sum + M * Math.max(rt - M, 0), 0);
  return { outer: Math.min(Kp * r, Kp * z + extra), functional: 2 * M * rho, z, rho };
}

/**
 * What rank theory says about H, H_O, H_F of a layered network (conv1d/conv2d/locally connected layers and
 * a dense readout) on a data set: exact values, upper bounds, or `none` with the reason.
 * - not a bias-free linear CNN ({@link linearCnnStructure}): `none` with the reason, and only the bound
 *   rank(H_O) ≤ min(p, N·K′) that holds for every network;
 * - one hidden convolution layer: H_F exact; H_O exact ({@link oneHiddenLayerCnnRanks}, or
 *   {@link tangentOuterRank} with K′ = 1 kernel syzygies or disjoint windows cut by padding); H from
 *   {@link oneHiddenLayerHessianRankClaim} (ρ = b; ρ = s·a < b with full patches; any other ρ < b), exact in
 *   all three branches given the observed kernel identities of docs/theory.md §7.2; the bound
 *   min(p, H_O + H_F − 1) only where no branch applies (a locally connected layer, ρ = 0);
 * - deeper: upper bounds ({@link linearCnnRankBounds}).
 * Exact means at generic data and weights, as in docs/theory.md.
 * Cost: a few Gram eigendecompositions of order ≤ min(N, d) and, for one hidden layer, b Toeplitz matrices.
 * @throws InvalidArgumentError on an invalid spec or summary.
 */
export function predictNetworkRank(spec: NetworkSpec, data: Dataset, loss: Loss): NetworkRankPrediction {
  validateNetworkSpec(spec);
  const read = linearCnnStructure(spec);
  if (!read.applies) {
    const none = { kind: 'none' as const, value: null, source: read.reason };
    // Any network: H_O = (1/N) Σ JᵢᵀΛᵢJᵢ with rank(Λᵢ) ≤ K′, so rank(H_O) ≤ min(p, N·K′).
    const shapes = inferNetworkShapes(spec);
    const Kp = shapes[shapes.length - 1].outputSize - (loss === 'cross-entropy' ? 1 : 0);
    const outer = bound(Math.min(networkParameterCount(spec), data.count * Kp), `rank(H_O) ≤ min(p, N·K′): a sum of N terms JᵢᵀΛᵢJᵢ, rank(Λᵢ) ≤ K′ (any network)`);
    return { kind: 'none', parts: { hessian: none, outer, functional: none }, reason: read.reason, source: 'none for H and H_F; H_O bounded by its construction' };
  }
  const { structure } = read;
  if (data.inputSize !== structure.inputSize) throw new InvalidArgumentError(`predictNetworkRank: the data have ${data.inputSize} inputs, the network reads ${structure.inputSize}`);
  const r = coveredDataRank(data, structure.coveredInputs);
  const readoutParameters = structure.parameters - structure.stages.reduce((sum, st) => sum + st.parameters, 0);
  const Kp = structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
  const bounds = linearCnnRankBounds(structure, r, loss, {
    functional: residualPatchFunctionalBound(layerResidualPatchRanks(spec, structure, data, loss), readoutParameters),
    outer: patchOuterRankBound(layerPatchDataRanks(spec, structure, data), Kp),
  });
  const terms: Record<string, number> = { r, p: structure.parameters, K: structure.outputs, L: structure.stages.length + 1 };
  let parts: PartRankClaims;
  if (structure.stages.length === 1) {
    const one = oneHiddenLayerCnnRanks(spec, structure, data, r, loss);
    const st = structure.stages[0];
    Object.assign(terms, { M: st.filters, a: st.positions, b: st.kernelVolume, z: one.z, rho: one.rho });
    // H_O: the patch formula for a shared kernel with overlapping windows or full patches and no kernel
    // syzygies; otherwise (K′ = 1 kernel syzygies, disjoint windows cut by padding) the predictor-tangent rank
    // {@link tangentOuterRank}; a locally connected layer keeps the bound (docs/theory.md §7.2, §7.4).
    let outer = bound(one.outer, SOURCE_ONE);
    if (st.shared && patchesOverlapOrAreFull(spec) && !kernelSyzygiesPossible(spec, Kp)) {
      outer = exact(one.outer, SOURCE_ONE);
    } else if (st.shared) {
      const cut = cutWindowOuterRank(spec, data, loss, r);
      if (cut) Object.assign(terms, { zFull: cut.terms.zFull, kernelDimension: cut.terms.kernelDimension });
      const tangent = tangentOuterRank(spec, data, loss, r)!;
      Object.assign(terms, { tangent: tangent.terms.tangent, koszulCount: tangent.terms.koszulCount });
      outer = tangent.exact
        ? exact(tangent.value, SOURCE_TANGENT)
        : bound(Math.min(one.outer, cut ? cut.value : Infinity, tangent.value), SOURCE_TANGENT);
    }
    const outerValue = outer.value ?? one.outer;
    const hessianBound = Math.min(bounds.hessian, outerValue + one.functional - (outerValue > 0 && one.functional > 0 ? 1 : 0));
    let hessian = bound(hessianBound, SOURCE_ONE);
    // rank(H) where a closed form applies (§7.2), as {@link oneHiddenLayerHessianRankClaim} says, exact or a bound:
    // ρ = b: min(p′, 2Mb + K′z − I) with I its generic rank; ρ = s·a < b with full patches: 2Mρ + (K′ − s)z + B.
    const claim = oneHiddenLayerHessianRankClaim(spec, data, loss, { r, z: one.z, rho: one.rho });
    if (claim) {
      if (claim.branch === 'full-column') Object.assign(terms, { I: claim.terms.I, a0: claim.terms.a0 });
      else if (claim.branch === 'full-row') Object.assign(terms, { B: claim.terms.B, rhoP: claim.terms.rhoP });
      else Object.assign(terms, { I: claim.terms.I, B: claim.terms.B, rhoP: claim.terms.rhoP });
      const source = claim.branch === 'full-column' ? SOURCE_ONE_H : claim.branch === 'full-row' ? SOURCE_ONE_H_ROW : SOURCE_ONE_H_SPLIT;
      hessian = claim.exact ? exact(claim.value, source) : bound(Math.min(hessianBound, claim.value), source);
    }
    parts = { outer, functional: exact(one.functional, SOURCE_ONE), hessian };
  } else {
    parts = { outer: bound(bounds.outer, SOURCE_DEEP), functional: bound(bounds.functional, SOURCE_DEEP), hessian: bound(bounds.hessian, SOURCE_DEEP) };
  }
  const kind = weakestClaimKind(parts);
  return {
    kind,
    ranks: claimValues(parts),
    parts,
    reason: structure.stages.length === 1 ? `linear ${structure.stages[0].shared ? 'CNN' : 'locally connected network'} with one hidden layer: ${exactPartNames(parts)} exact${kind === 'exact' ? '' : ', the rest bounded'}` : `linear CNN with ${structure.stages.length} hidden layers: upper bounds`,
    source: structure.stages.length === 1 ? SOURCE_ONE : SOURCE_DEEP,
    terms,
  };
}
