import { inferNetworkShapes, type NetworkSpec } from '@intrinsic/models';
import { firstLayerPatchIndex } from './cnn-structural-ranks.js';

/** Output positions of the first hidden layer whose window lies entirely in the padding (their hidden units are 0 for every input). */
export function emptyPositionCount(spec: NetworkSpec): number {
  const { positions, kernelVolume, index } = firstLayerPatchIndex(spec);
  let empty = 0;
  for (let t = 0; t < positions; t++) {
    let none = true;
    for (let j = 0; j < kernelVolume && none; j++) if (index[t * kernelVolume + j] >= 0) none = false;
    if (none) empty++;
  }
  return empty;
}

/**
 * The split of a patch used by {@link patchMixingDimension}: `mixable` = c_eff = C times the kernel
 * entries along the axes whose windows do not overlap (stride ≥ kernel, or a single output position),
 * `overlapping` = k_eff = the kernel entries along the other axes.
 */
export function patchMixingGeometry(spec: NetworkSpec): { mixable: number; overlapping: number; filters: number } {
  const shape = inferNetworkShapes(spec).find((sh) => sh.weightShape !== null)!;
  let mixable = shape.inputShape[0];
  let overlapping = 1;
  const spatial = shape.outputShape.slice(1);
  shape.kernel.forEach((k, axis) => {
    if (shape.stride[axis] >= k || spatial[axis] === 1) mixable *= k;
    else overlapping *= k;
  });
  return { mixable, overlapping, filters: shape.outputShape[0] };
}

/**
 * Where {@link oneHiddenLayerHessianRank} is claimed exact (besides ρ = b and H_O exact): fewer filters
 * than kernel entries (M < b), or windows that overlap on no axis (then every coincidence is a patch
 * mixing). With M ≥ b and overlapping windows the filters span the whole kernel space and shifts of the
 * windows can add coincidences the count misses (observed: single-channel 1-D nets, [1, 6], 4 filters of
 * 3, K′ = 1, N = 6: formula 28, measured 27); the formula is then an upper bound.
 */
export function hessianRankFormulaExact(spec: NetworkSpec): boolean {
  const { mixable, overlapping, filters } = patchMixingGeometry(spec);
  return filters < mixable * overlapping || overlapping === 1;
}

/**
 * I, the dimension of the intersection of the two subspaces whose sum gives rank(H) of a one-hidden-layer
 * linear CNN (docs/theory.md §7.2): the patch-mixing maps. A linear map A of the c_eff "mixable" input
 * coordinates of a patch — the C channels times the kernel offsets along the axes whose windows do not
 * overlap (stride ≥ kernel) — commutes with patch extraction: P(A·u) w = P(u) (Aᵀ w). So every A with
 * A·u_κ in the data span (u_κ the residual-weighted inputs, κ = 1…s) gives a direction
 * (P(u_κ) Aᵀ w_m)_{κ,m} lying both in the readout part of range(J) and in range(H_F). Their count:
 * - the A with A·u_κ in the covered data span: all c_eff² of them when r_e = d_c (the covered inputs),
 *   else the generic max(1, c_eff² − s·(d_c − r_e)) (A = identity always qualifies);
 * - mapped through A ↦ (Aᵀ W_m)_m, of rank c_eff · min(c_eff, M·k_eff), k_eff = the kernel entries
 *   along the overlapping axes.
 * I = min of the two. An axis with a single output position counts as non-overlapping.
 */
export function patchMixingDimension(spec: NetworkSpec, coveredInputs: number, coveredDataRank: number, s: number): number {
  const { mixable, overlapping, filters } = patchMixingGeometry(spec);
  const mapped = mixable * Math.min(mixable, filters * overlapping);
  const admissible = coveredDataRank >= coveredInputs ? mixable * mixable : Math.max(1, mixable * mixable - s * (coveredInputs - coveredDataRank));
  return Math.min(mapped, admissible);
}

/**
 * rank(H) of a one-hidden-layer linear CNN with a shared kernel whose residual patch matrix G has full
 * column rank (ρ = b), docs/theory.md §7.2:
 *   rank(H) = min(p′, 2M·b + K′·z − I),   p′ = M·b + (K′ − s)·z + s·M·(a − a₀),
 * with s = min(K′, r_e), z = rank of the hidden representation, I = {@link patchMixingDimension}, a₀ = positions whose
 * window is all padding ({@link emptyPositionCount}). Derivation: ker H = ker H_O ∩ ker H_F (observed,
 * see the doc), so rank(H) = rank(H_F) + rank(J on ker H_F); with ρ = b, ker H_F has δw = 0 and
 * δV_m ⊥ range(G), and J acts there as δV ↦ δV·Z, of rank K′z − I. p′ caps the sum of the two
 * ranges: the readout directions of the s independent residual rows fill all M·(a − a₀) live hidden
 * units, the other K′ − s rows (when r_e < K′) only the z of the data.
 */
export function oneHiddenLayerHessianRank(terms: { M: number; b: number; a: number; emptyPositions: number; Kp: number; s: number; z: number; mixing: number }): number {
  const { M, b, a, emptyPositions, Kp, s, z, mixing } = terms;
  const effectiveParameters = M * b + (Kp - s) * z + s * M * (a - emptyPositions);
  return Math.min(effectiveParameters, 2 * M * b + Kp * z - mixing);
}
