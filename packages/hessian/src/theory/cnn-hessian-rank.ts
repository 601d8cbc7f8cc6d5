import { Random } from '@intrinsic/spectra';
import { inferNetworkShapes, type Dataset, type Loss, type NetworkSpec } from '@intrinsic/models';
import { linearCnnStructure } from './cnn-structure.js';
import { coveredDataRank, firstLayerPatchIndex, hiddenRepresentationRank, kernelSyzygiesPossible, matrixRank, patchDataRanks, patchesOverlapOrAreFull, patchMatrix, randomDataCombination, residualPatchRank } from './cnn-structural-ranks.js';

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
 * I = dim(S_G ∩ S_Z) computed as a generic rank (docs/theory.md §7.2, "M ≥ b"): with ρ = b,
 *   S_G ∩ S_Z ≅ {C ∈ ℝ^{b×M} : for every κ some x_κ in the covered data span has P(u_κ) C = P(x_κ) Wᵀ},
 * u_κ (κ = 1…s) the residual-weighted inputs and W the M × b filters (C ↦ (P(u_κ)C)_κ is injective
 * when ρ = b). This is the null space of the linear map (C, ξ_1…ξ_s) ↦ (P(u_κ)C − P(Σ_e ξ_κe x̃_e)Wᵀ)_κ,
 * x̃_e (e = 1…r_e) generic combinations of the data, less the part with C = 0 (x_κ with T(W)x_κ = 0).
 * Evaluated at seeded Gaussian u_κ, x̃_e and W (generic values, attained with probability 1). It counts
 * every coincidence — the patch mixings of {@link patchMixingDimension} and the shifted-window solutions
 * that appear when M ≥ b and windows overlap. With ρ < b the map C ↦ (P(u_κ)C)_κ has the kernel (ker G)^M,
 * whose M·(b − ρ) solutions give the zero direction and are subtracted (nothing changes for ρ = b).
 * Cost: the rank of an (s·a·M) × (b·M + s·r_e) matrix.
 */
export function patchCoincidenceDimension(spec: NetworkSpec, data: Dataset, s: number, coveredDataRank: number, seed = 3): number {
  const patches = firstLayerPatchIndex(spec);
  const { positions: a, kernelVolume: b } = patches;
  const M = inferNetworkShapes(spec).find((sh) => sh.weightShape !== null)!.outputShape[0];
  const re = coveredDataRank;
  const rng = new Random(seed);
  const combination = () => randomDataCombination(data, rng);
  const residualPatches = Array.from({ length: s }, () => patchMatrix(patches, combination()));
  // P(x̃_e) Wᵀ (a × M) for the data generators.
  const W = rng.fillGaussian(new Float64Array(M * b));
  const hidden = Array.from({ length: re }, () => {
    const Pe = patchMatrix(patches, combination());
    const H = new Float64Array(a * M);
    for (let t = 0; t < a; t++) for (let m = 0; m < M; m++) {
      let sum = 0;
      for (let j = 0; j < b; j++) sum += Pe[t * b + j] * W[m * b + j];
      H[t * M + m] = sum;
    }
    return H;
  });
  const unknowns = b * M + s * re;
  const rows = s * a * M;
  const A = new Float64Array(rows * unknowns);
  const Axi = new Float64Array(rows * s * re);
  for (let k = 0; k < s; k++) {
    for (let t = 0; t < a; t++) for (let m = 0; m < M; m++) {
      const row = (k * a + t) * M + m;
      for (let j = 0; j < b; j++) A[row * unknowns + j * M + m] = residualPatches[k][t * b + j];
      for (let e = 0; e < re; e++) {
        A[row * unknowns + b * M + k * re + e] = -hidden[e][t * M + m];
        Axi[row * s * re + k * re + e] = -hidden[e][t * M + m];
      }
    }
  }
  const nullity = unknowns - matrixRank(A, rows, unknowns);
  const dataOnly = s * re - matrixRank(Axi, rows, s * re);
  // Solutions with P(u_κ)C = 0 for every κ (C ∈ (ker G)^M, ξ data-only) give the zero direction; none when ρ = b.
  const G = new Float64Array(s * a * b);
  residualPatches.forEach((Pu, k) => G.set(Pu, k * a * b));
  const kernelOfG = s > 0 ? M * (b - matrixRank(G, s * a, b)) : 0;
  return nullity - dataOnly - kernelOfG;
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

/** The quantities of {@link kernelDirectionRank} (docs/theory.md §7.2, "ρ < b"). */
export interface KernelDirectionTerms {
  /** Filters M. */
  M: number;
  /** Output positions a. */
  a: number;
  /** Kernel volume b = C · kernel entries. */
  b: number;
  /** K′ = K (MSE) or K − 1 (CE). */
  Kp: number;
  /** s = min(K′, r_e), the rank of the residual-weighted inputs. */
  s: number;
  /** r_e, the covered data rank. */
  r: number;
  /** d_c, the number of input coordinates the layer reads. */
  coveredInputs: number;
  /** ρ = rank(G), the residual patch rank. */
  rho: number;
  /** ρ_P, the rank of all N·a data patches. */
  rhoP: number;
  /** True when the windows overlap on no axis (stride ≥ kernel, or one output position, on every axis). */
  nonOverlapping: boolean;
  /** True for K′ = 1 with an output footprint shorter than the kernel ({@link kernelSyzygiesPossible}). */
  kernelSyzygies: boolean;
}

/**
 * dim B, B = J_w((ker G)^M): the outputs the filters reach through the kernel directions of the residual
 * patch matrix G (δw_m ∈ ker G, the w-part of ker H_F), for a one-hidden-layer linear CNN with full
 * patches and ρ = s·a < b (docs/theory.md §7.2). With n = ρ_P − ρ (the kernel directions the data see)
 * and m̃ = min(M, K′a):
 * - windows that overlap on no axis — derived (the layer is a dense map per window with a shared kernel):
 *   B = m̃·n − K′·w₀ + min(K′·w₀, (K′a − m̃)·min(n, a·w₀)),  w₀ = max(0, a·n − (r_e − s)),
 *   where K′·w₀ is the dimension of the directions that vanish on the data and (K′a − m̃)·min(n, a·w₀)
 *   the rank of the constraints that the readout's column space imposes on them;
 * - overlapping windows: B ≤ min(M·n, K′(r_e − s), n·m̃) — each cap derived (the kernel directions, the
 *   outputs orthogonal to the residual directions u_κ, the readout span per direction); equality is
 *   observed except where M·b > K′·d_c and M ≤ K′a (the filters have more entries than the outputs have
 *   coordinates: structural relations of J_w that the count misses) and where K′ = 1 kernel syzygies are
 *   possible (the Koszul relations δw_1 = v_2 ∗ q, δw_2 = −v_1 ∗ q lie in ker J_w and can meet (ker G)^M:
 *   [3, 6, 6], 2 filters 4 × 4, stride 2, K = 1, N = 129: B = 83, the count gives 88), so `exact` is false there.
 * @returns the value and whether it is claimed exact.
 */
export function kernelDirectionRank(terms: KernelDirectionTerms): { value: number; exact: boolean } {
  const { M, a, b, Kp, s, r, coveredInputs, rho, rhoP, nonOverlapping, kernelSyzygies } = terms;
  const n = Math.max(0, rhoP - rho);
  const mixed = Math.min(M, Kp * a);
  if (nonOverlapping) {
    const vanishing = Math.max(0, a * n - (r - s));
    return { value: mixed * n - Kp * vanishing + Math.min(Kp * vanishing, (Kp * a - mixed) * Math.min(n, a * vanishing)), exact: true };
  }
  const value = Math.min(M * n, Kp * Math.max(0, r - s), n * mixed);
  return { value, exact: !(M * b > Kp * coveredInputs && M <= Kp * a) && !kernelSyzygies };
}

/**
 * B = dim J_w((ker G)^M) as a generic rank, for the cases where {@link kernelDirectionRank} is only an upper
 * bound (docs/theory.md §7.2): B = rank([J_w; I_M ⊗ G]) − M·rank(G), since J_w restricted to
 * ker(I_M ⊗ G) has rank dim ker(I_M ⊗ G) − dim(ker J_w ∩ ker(I_M ⊗ G)). J_w (K′·r_e × M·b) is the filter
 * part of the Jacobian on r_e generic combinations x̃_e of the data, with rows Σ_t V_m[κ, t]·P(x̃_e)[t, :]
 * at a generic readout V (K′ × M × a); G stacks the patch matrices of s generic combinations u_κ. All
 * seeded Gaussian (generic values, attained with probability 1). Cost: the rank of a
 * (K′·r_e + M·s·a) × (M·b) matrix — no Hessian.
 */
export function kernelDirectionGenericRank(spec: NetworkSpec, data: Dataset, s: number, effectiveOutputs: number, coveredDataRank: number, seed = 4): number {
  const patches = firstLayerPatchIndex(spec);
  const { positions: a, kernelVolume: b } = patches;
  const M = inferNetworkShapes(spec).find((sh) => sh.weightShape !== null)!.outputShape[0];
  const Kp = effectiveOutputs;
  const re = coveredDataRank;
  const rng = new Random(seed);
  const combination = () => randomDataCombination(data, rng);
  const residual = Array.from({ length: s }, () => patchMatrix(patches, combination()));
  const generators = Array.from({ length: re }, () => patchMatrix(patches, combination()));
  const V = rng.fillGaussian(new Float64Array(Kp * M * a));
  const columns = M * b;
  const rows = Kp * re + M * s * a;
  const A = new Float64Array(rows * columns);
  let row = 0;
  for (let k = 0; k < Kp; k++) {
    for (const Pe of generators) {
      for (let m = 0; m < M; m++) for (let t = 0; t < a; t++) {
        const v = V[(k * M + m) * a + t];
        for (let j = 0; j < b; j++) A[row * columns + m * b + j] += v * Pe[t * b + j];
      }
      row++;
    }
  }
  const G = new Float64Array(s * a * b);
  residual.forEach((Pu, k) => G.set(Pu, k * a * b));
  for (let m = 0; m < M; m++) {
    for (let q = 0; q < s * a; q++) {
      for (let j = 0; j < b; j++) A[row * columns + m * b + j] = G[q * b + j];
      row++;
    }
  }
  return matrixRank(A, rows, columns) - M * matrixRank(G, s * a, b);
}

/**
 * rank(H) of a one-hidden-layer linear CNN whose residual patch matrix G has full row rank, ρ = s·a < b
 * (every patch full; docs/theory.md §7.2):
 *   rank(H) = 2Mρ + (K′ − s)·z + B,   B = {@link kernelDirectionRank}.
 * Derivation: rank(H) = rank(H_F) + rank(J on ker H_F) given ker H = ker H_O ∩ ker H_F (observed);
 * ker H_F = (ker G)^M × S_G^⊥ is a product. With G of full row rank, S_G holds every readout direction of
 * the s residual output directions, so J on S_G^⊥ reaches the other K′ − s output directions times the
 * row space of Z: (K′ − s)·z. J on (ker G)^M gives B, and the two parts are independent (observed: the
 * sum is direct on every net explored). Without the observed parts the value is still an upper bound:
 * ker H ⊇ ker H_O ∩ ker H_F always, and dim(A + B) ≤ dim A + dim B.
 */
export function oneHiddenLayerHessianRankBelowKernel(terms: { M: number; rho: number; Kp: number; s: number; z: number; kernelDirections: number }): number {
  const { M, rho, Kp, s, z, kernelDirections } = terms;
  return 2 * M * rho + (Kp - s) * z + kernelDirections;
}

/**
 * rank(H) of a one-hidden-layer linear CNN in general (docs/theory.md §7.2, "the general split"):
 *   rank(H) = 2Mρ + (K′z − I) + B,
 * rank(H_F) = 2Mρ (derived), dim A = rank(J on 0 × S_G^⊥) = dim(S_G + S_Z) − dim S_G = K′z − I with
 * I = dim(S_G ∩ S_Z) ({@link patchCoincidenceDimension}, derived), B = dim J_w((ker G)^M)
 * ({@link kernelDirectionGenericRank}), given the observed identities ker H = ker H_O ∩ ker H_F and A ∩ B = 0.
 * Reduces to {@link oneHiddenLayerHessianRankBelowKernel} when G has full row rank (I = s·z) and to
 * 2Mb + K′z − I when ρ = b (B = 0). Used for ρ < b with windows cut by padding, where neither closed form
 * applies: numpy, 1,100 nets, 0 mismatches (see the doc). Without the observed identities an upper bound.
 */
export function oneHiddenLayerHessianRankSplit(terms: { M: number; rho: number; Kp: number; z: number; coincidences: number; kernelDirections: number }): number {
  const { M, rho, Kp, z, coincidences, kernelDirections } = terms;
  return 2 * M * rho + Kp * z - coincidences + kernelDirections;
}

/** Structural ranks a caller has already computed for the same spec and data: r_e, z and ρ (each recomputed when absent). */
export interface KnownStructuralRanks {
  r?: number;
  z?: number;
  rho?: number;
}

/** {@link oneHiddenLayerHessianRankClaim}: rank(H) of a one-hidden-layer linear CNN, exact or an upper bound. */
export interface OneHiddenLayerHessianClaim {
  value: number;
  exact: boolean;
  /**
   * 'full-column' (ρ = b, {@link oneHiddenLayerHessianRank}), 'full-row' (ρ = s·a < b,
   * {@link oneHiddenLayerHessianRankBelowKernel}) or 'split' (ρ < b with windows cut by padding,
   * {@link oneHiddenLayerHessianRankSplit}). All rest on the observed identities ker H = ker H_O ∩ ker H_F
   * and (full-row, split) A ∩ B = 0; without them each value is still an upper bound.
   */
  branch: 'full-column' | 'full-row' | 'split';
  terms: Record<string, number>;
}

/**
 * rank(H) of a linear CNN with one hidden convolution (shared kernel) and a dense readout, where a closed
 * form applies (docs/theory.md §7.2):
 * - ρ = b: min(p′, 2Mb + K′z − I) ({@link oneHiddenLayerHessianRank}), exact (also where K′ = 1 kernel
 *   syzygies are possible: they lie outside ker H_F when ρ = b); I is the generic rank {@link patchCoincidenceDimension} (`terms.IPatchMixing`
 *   holds the closed-form count {@link patchMixingDimension} for comparison, −1 where it does not apply);
 * - ρ = s·a < b with every patch full: {@link oneHiddenLayerHessianRankBelowKernel}, B by the closed form
 *   {@link kernelDirectionRank} where it is established, else by {@link kernelDirectionGenericRank};
 * - ρ < b otherwise (windows cut by padding): {@link oneHiddenLayerHessianRankSplit}, I and B generic ranks;
 * - anything else (a locally connected layer, deeper networks, ρ = 0): null.
 * Exact means at generic data and weights. Cost: the structural ranks of {@link predictNetworkRank}
 * (Gram eigendecompositions of order ≤ min(N, d), b Toeplitz matrices).
 */
export function oneHiddenLayerHessianRankClaim(spec: NetworkSpec, data: Dataset, loss: Loss, known?: KnownStructuralRanks): OneHiddenLayerHessianClaim | null {
  const read = linearCnnStructure(spec);
  if (!read.applies || read.structure.stages.length !== 1 || !read.structure.stages[0].shared) return null;
  const { structure } = read;
  const st = structure.stages[0];
  const Kp = structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
  const r = known?.r ?? coveredDataRank(data, structure.coveredInputs);
  const s = Math.min(Kp, r);
  const M = st.filters;
  const a = st.positions;
  const b = st.kernelVolume;
  const z = known?.z ?? hiddenRepresentationRank(spec, data);
  const rho = known?.rho ?? residualPatchRank(spec, data, s);
  if (rho === 0) return null;
  if (rho === b) {
    // I from its generic rank, always: the patch-mixing count is only a lower bound on I where no window is
    // cut by padding, and it misses coincidences even with M < b (docs/theory.md §7.2): [2, 12], 5 filters of
    // 3, K = 2, CE, N = 29: mixing count 4, I = 6, rank 78 (the count gives 80); with padding it can also
    // exceed I ([3, 5], 4 filters of 2, stride 3, padding 1: 24 vs 21).
    const mixing = patchCoincidenceDimension(spec, data, s, r);
    const patchMixing = hessianRankFormulaExact(spec) && patchesOverlapOrAreFull(spec) ? patchMixingDimension(spec, structure.coveredInputs.length, r, s) : -1;
    const emptyPositions = emptyPositionCount(spec);
    const value = oneHiddenLayerHessianRank({ M, b, a, emptyPositions, Kp, s, z, mixing });
    // Exact also where K′ = 1 kernel syzygies are possible: the Koszul directions (δw, 0) lie in ker J but not
    // in ker H_F = (ker G)^M × S_G^⊥ = 0 × S_G^⊥ (ρ = b), and J on ker H_F is δV ↦ δV·Z, which does not see
    // them (docs/theory.md §7.2; numpy: 1,000 such nets with ρ = b, 0 mismatches).
    const exact = true;
    return { value, exact, branch: 'full-column', terms: { M, a, b, Kp, s, r, z, rho, I: mixing, a0: emptyPositions, IPatchMixing: patchMixing } };
  }
  const patches = firstLayerPatchIndex(spec);
  const rhoP = patchDataRanks(spec, data)[0];
  if (patches.index.includes(-1) || rho !== s * a) {
    // ρ < b with windows cut by padding (or G not of full row rank): the general split with both parts generic.
    const I = patchCoincidenceDimension(spec, data, s, r);
    const B = kernelDirectionGenericRank(spec, data, s, Kp, r);
    const value = oneHiddenLayerHessianRankSplit({ M, rho, Kp, z, coincidences: I, kernelDirections: B });
    return { value, exact: true, branch: 'split', terms: { M, a, b, Kp, s, r, z, rho, rhoP, I, B } };
  }
  const nonOverlapping = patchMixingGeometry(spec).overlapping === 1;
  const count = kernelDirectionRank({ M, a, b, Kp, s, r, coveredInputs: structure.coveredInputs.length, rho, rhoP, nonOverlapping, kernelSyzygies: kernelSyzygiesPossible(spec, Kp) });
  // Where the closed form is only a bound, B from its generic rank (then B ≤ the closed form).
  const B = count.exact ? count.value : kernelDirectionGenericRank(spec, data, s, Kp, r);
  const value = oneHiddenLayerHessianRankBelowKernel({ M, rho, Kp, s, z, kernelDirections: B });
  return { value, exact: true, branch: 'full-row', terms: { M, a, b, Kp, s, r, z, rho, rhoP, B, BClosedForm: count.exact ? 1 : 0 } };
}
