import { Random } from '@intrinsic/spectra';
import { inferNetworkShapes, type Dataset, type Loss, type NetworkSpec } from '@intrinsic/models';
import { linearCnnStructure } from './cnn-structure.js';
import { coveredDataRank, firstLayerPatchIndex, matrixRank, randomDataCombination } from './cnn-structural-ranks.js';

/**
 * The kernel entries each window of the first layer reads (its live set L_t: the entries j whose input
 * coordinate is not padding), one list per output position t.
 */
export function windowLiveSets(spec: NetworkSpec): number[][] {
  const { positions, kernelVolume, index } = firstLayerPatchIndex(spec);
  const sets: number[][] = [];
  for (let t = 0; t < positions; t++) {
    const live: number[] = [];
    for (let j = 0; j < kernelVolume; j++) if (index[t * kernelVolume + j] >= 0) live.push(j);
    sets.push(live);
  }
  return sets;
}

/** True when the first layer's windows overlap on no axis (stride ≥ kernel on every axis). */
export function windowsAreDisjoint(spec: NetworkSpec): boolean {
  const shape = inferNetworkShapes(spec).find((s) => s.weightShape !== null)!;
  return shape.stride.every((st, axis) => st >= shape.kernel[axis]);
}

/**
 * dim 𝒦, 𝒦 = {δW ∈ ℝ^{M×b} : V_t δW_{L_t} lies in ℝ^{K′} ⊗ rowspace(W_{L_t}) for every window t}
 * (docs/theory.md §7.2, "non-overlapping windows cut by padding"), at generic filters W (M × b) and
 * readouts V_t (K′ × M per window), seeded Gaussian. Windows with |L_t| ≤ M impose nothing (W_{L_t} has
 * full column rank); for the others the condition is V_t δW_{L_t} = E_t W_{L_t} for some E_t ∈ ℝ^{K′×M},
 * and E_t ↦ E_t W_{L_t} is injective, so dim 𝒦 = M·b + Σ_t K′·M − rank of the linear system
 * (δW, E_t) ↦ (V_t δW_{L_t} − E_t W_{L_t})_t. Always ≥ M² (δW = C·W, the channel symmetry).
 * Cost: the rank of a (K′·Σ|L_t|) × (M·b + K′·M·#windows) matrix.
 */
export function cutWindowKernelDimension(spec: NetworkSpec, effectiveOutputs: number, seed = 5): number {
  const shape = inferNetworkShapes(spec).find((s) => s.weightShape !== null)!;
  const M = shape.outputShape[0];
  const { kernelVolume: b } = firstLayerPatchIndex(spec);
  const Kp = effectiveOutputs;
  const constrained = windowLiveSets(spec).filter((live) => live.length > M);
  const rng = new Random(seed);
  const W = rng.fillGaussian(new Float64Array(M * b));
  const columns = M * b + constrained.length * Kp * M;
  const rows = constrained.reduce((sum, live) => sum + Kp * live.length, 0);
  if (rows === 0) return M * b;
  const A = new Float64Array(rows * columns);
  let row = 0;
  constrained.forEach((live, w) => {
    const V = rng.fillGaussian(new Float64Array(Kp * M));
    const eOffset = M * b + w * Kp * M;
    for (let k = 0; k < Kp; k++) {
      for (const j of live) {
        const base = row * columns;
        // (V_t δW)[k, j] = Σ_m V[k, m] δW[m, j]
        for (let m = 0; m < M; m++) A[base + m * b + j] = V[k * M + m];
        // −(E_t W)[k, j] = −Σ_m E[k, m] W[m, j]
        for (let m = 0; m < M; m++) A[base + eOffset + k * M + m] = -W[m * b + j];
        row++;
      }
    }
  });
  return columns - matrixRank(A, rows, columns);
}

/** {@link cutWindowOuterRank}: rank(H_O) of a one-hidden-layer CNN with non-overlapping windows cut by padding. */
export interface CutWindowOuterRank {
  value: number;
  /** True when the covered data span is full (r_e = d_c): then the value is derived exact; else an upper bound. */
  exact: boolean;
  terms: { Kp: number; r: number; coveredInputs: number; zFull: number; M: number; b: number; kernelDimension: number };
}

/**
 * rank(H_O) of a linear CNN with one hidden convolution whose windows overlap on no axis and are cut by
 * padding (the first exception of docs/theory.md §7.2). Derivation, for full covered data (r_e = d_c):
 * the windows read disjoint input blocks, window t computes V_t W_{L_t} x|_t (V_t the K′ × M readout of
 * position t, W_{L_t} the live columns of the filters), so the Jacobian's range is
 * {(δV_t W_{L_t} + V_t δW_{L_t})_t} ⊂ ⊕_t ℝ^{K′×|L_t|}. Its kernel: given δW, δV_t exists iff V_t δW_{L_t}
 * lies in ℝ^{K′} ⊗ rowspace(W_{L_t}) (δW ∈ 𝒦), and is then unique up to {δV_t : δV_t W_{L_t} = 0}, of
 * dimension K′(M − min(M, |L_t|)). Hence
 *   rank(H_O) = K′·z_full + M·b − dim 𝒦,   z_full = Σ_t min(M, |L_t|)  (capped by K′·d_c),
 * with dim 𝒦 from {@link cutWindowKernelDimension}. With a covered data span below d_c the range is
 * further restricted to the data, and the value (capped by K′ r_e) is only an upper bound.
 * @returns null when the first layer is not a shared convolution with disjoint windows.
 */
export function cutWindowOuterRank(spec: NetworkSpec, data: Dataset, loss: Loss, coveredRank?: number): CutWindowOuterRank | null {
  const read = linearCnnStructure(spec);
  if (!read.applies || read.structure.stages.length !== 1 || !read.structure.stages[0].shared || !windowsAreDisjoint(spec)) return null;
  const { structure } = read;
  const M = structure.stages[0].filters;
  const b = structure.stages[0].kernelVolume;
  const Kp = structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
  const covered = structure.coveredInputs;
  const r = coveredRank ?? coveredDataRank(data, covered);
  const zFull = windowLiveSets(spec).reduce((sum, live) => sum + Math.min(M, live.length), 0);
  const kernelDimension = cutWindowKernelDimension(spec, Kp);
  const value = Math.min(Kp * r, Kp * zFull + M * b - kernelDimension);
  return { value, exact: r === covered.length, terms: { Kp, r, coveredInputs: covered.length, zFull, M, b, kernelDimension } };
}

/**
 * The rank of the tangent map of the end-to-end predictor of a one-hidden-layer linear CNN, optionally seen
 * through r generic data directions (docs/theory.md §7.2, "H_O through the predictor's tangent").
 * The net computes f(x) = β(V, W)·x|_c with β ∈ ℝ^{K′×d_c}, β_k = Σ_m Σ_t V_k[m, t]·S_t(w_m) (S_t puts the
 * kernel at window t and drops the entries on padding; d_c covered inputs). The Jacobian stacked over the
 * samples is (δV, δW) ↦ (δβ_k·X_cᵀ)_k, so range J = {δβ·X_cᵀ : δβ ∈ 𝒯}, 𝒯 = the image of dβ, and
 *   rank(H_O) = dim 𝒯 − dim(𝒯 ∩ (ℝ^{K′} ⊗ R^⊥)),  R = the row space of X_c (dimension r_e)
 * (MSE: H_O = JᵀJ; CE: the K′ = K − 1 directions orthogonal to 1, on which Λ is positive definite).
 * With r_e = d_c this is dim 𝒯 for any data; for r_e < d_c and a data span in general position with
 * respect to 𝒯 (which depends on the weights only) it is rank((I_{K′} ⊗ Q)·dβ) for a generic r_e × d_c
 * matrix Q, which is what this computes. Evaluated at seeded Gaussian V, W (and Q): no data, no Hessian.
 * Cost: the rank of a (K′·r) × (M·b + K′·M·a) matrix, r = min(r, d_c).
 * @param dataRank r_e (or d_c, or more, for the full tangent).
 */
export function predictorTangentRank(spec: NetworkSpec, effectiveOutputs: number, dataRank: number, seed = 6, data?: Dataset): { rank: number; coveredInputs: number } {
  const patches = firstLayerPatchIndex(spec);
  const { positions: a, kernelVolume: b, index } = patches;
  const M = inferNetworkShapes(spec).find((s) => s.weightShape !== null)!.outputShape[0];
  const Kp = effectiveOutputs;
  const covered = [...new Set(Array.from(index).filter((c) => c >= 0))].sort((x, y) => x - y);
  const dc = covered.length;
  const where = new Map(covered.map((c, i) => [c, i]));
  const r = Math.min(Math.max(0, dataRank), dc);
  if (Kp <= 0 || r === 0) return { rank: 0, coveredInputs: dc };
  const rng = new Random(seed);
  const W = rng.fillGaussian(new Float64Array(M * b));
  const V = rng.fillGaussian(new Float64Array(Kp * M * a));
  // Q: r × d_c, identity when r = d_c (the full tangent); else r random combinations of the data rows (row
  // space R with probability 1) when the data are given, or a Gaussian Q (a generic span) when not.
  const Q = r === dc ? null : data ? dataSpanRows(data, covered, r, rng) : rng.fillGaussian(new Float64Array(r * dc));
  const columns = M * b + Kp * M * a;
  const rows = Kp * r;
  const A = new Float64Array(rows * columns);
  const add = (k: number, c: number, column: number, value: number) => {
    if (Q === null) A[(k * r + c) * columns + column] += value;
    else for (let e = 0; e < r; e++) A[(k * r + e) * columns + column] += Q[e * dc + c] * value;
  };
  for (let k = 0; k < Kp; k++) {
    for (let m = 0; m < M; m++) {
      for (let t = 0; t < a; t++) {
        for (let j = 0; j < b; j++) {
          const input = index[t * b + j];
          if (input < 0) continue;
          const c = where.get(input)!;
          // ∂β_k[c]/∂w_m[j] = V_k[m, t] and ∂β_k[c]/∂V_k[m, t] = w_m[j], summed over the windows that read c.
          add(k, c, m * b + j, V[(k * M + m) * a + t]);
          add(k, c, M * b + (k * M + m) * a + t, W[m * b + j]);
        }
      }
    }
  }
  return { rank: matrixRank(A, rows, columns), coveredInputs: dc };
}

/** r Gaussian combinations of the data rows restricted to the covered inputs, each scaled to unit length: r × d_c, row space R. */
function dataSpanRows(data: Dataset, covered: number[], r: number, rng: Random): Float64Array {
  const dc = covered.length;
  const Q = new Float64Array(r * dc);
  for (let e = 0; e < r; e++) {
    const row = Q.subarray(e * dc, (e + 1) * dc);
    const v = randomDataCombination(data, rng);
    for (let c = 0; c < dc; c++) row[c] = v[covered[c]];
    let norm = 0;
    for (let c = 0; c < dc; c++) norm += row[c] * row[c];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let c = 0; c < dc; c++) row[c] /= norm;
  }
  return Q;
}

/**
 * The Koszul relations between the filters' kernel directions for K′ = 1, counted in closed form
 * (docs/theory.md §7.2): with the readout of filter m seen as a polynomial v_m of footprint
 * F = stride·(out − 1) + 1 per axis, δw_m = Σ_{m′} v_{m′} ∗ q_{m m′} (q antisymmetric, of extent k − F + 1
 * per axis, one per channel) gives Σ_m v_m ∗ δw_m = 0. Their number, by inclusion–exclusion over the
 * Koszul complex of v_1…v_M:
 *   C · Σ_{j ≥ 2} (−1)^j·binom(M, j)·Π_axes max(0, k − (j − 1)(F − 1))   (the sum stops at the first zero product).
 * For M = 2 the syzygies of two coprime polynomials are the multiples of (v_2, −v_1), so the count
 * C·Π(k − F + 1) is derived; for M ≥ 3 the complex need not be exact and the count can exceed the true
 * number. With valid padding, K′ = 1 and 2 ≤ M < a, dim 𝒯 = min(d_c, M·a + M·(b − M)₊ − count) was observed
 * for M ∈ {2, 3} (every configuration of a grid, see the doc); not claimed for M ≥ 4.
 * @returns 0 outside {@link kernelSyzygiesPossible}'s region or for M < 2.
 */
export function koszulRelationCount(spec: NetworkSpec): number {
  const shape = inferNetworkShapes(spec).find((s) => s.weightShape !== null)!;
  const M = shape.outputShape[0];
  const C = shape.inputShape[0];
  const spatial = shape.outputShape.slice(1);
  const footprint = shape.kernel.map((_, axis) => shape.stride[axis] * (spatial[axis] - 1) + 1);
  if (M < 2 || !shape.kernel.every((k, axis) => k > footprint[axis] - 1)) return 0;
  let total = 0;
  let binom = 1;
  for (let j = 1; j <= M; j++) {
    binom = (binom * (M - j + 1)) / j;
    if (j < 2) continue;
    const product = shape.kernel.reduce((p, k, axis) => p * Math.max(0, k - (j - 1) * (footprint[axis] - 1)), 1);
    if (product === 0) break;
    total += (j % 2 === 0 ? 1 : -1) * binom * product;
  }
  return C * total;
}

/** {@link tangentOuterRank}: rank(H_O) of a one-hidden-layer linear CNN from its predictor's tangent. */
export interface TangentOuterRank {
  value: number;
  /** Always true: derived exact at generic weights for the given data (Q spans their row space). */
  exact: boolean;
  terms: { Kp: number; r: number; coveredInputs: number; tangent: number; koszulCount: number };
}

/**
 * rank(H_O) of a linear CNN with one hidden convolution (shared kernel), any stride and padding, from
 * {@link predictorTangentRank}: the second H_O exception of docs/theory.md §7.2 (K′ = 1 and an output
 * footprint shorter than the kernel, where Koszul relations between the filters make the patch formula an
 * overcount), and any other one-hidden-layer case. Value: rank((I ⊗ Q)·dβ) with Q an r_e × d_c matrix whose
 * rows span the row space R of the covered data (identity when r_e = d_c; else r_e random combinations of the
 * data rows): δβ·X_cᵀ = 0 exactly when every row of δβ is orthogonal to R, i.e. when δβ·Qᵀ = 0, so
 * rank(J) = rank((I ⊗ Q)·dβ) — derived exact for the given data at generic weights V, W.
 * `terms.tangent` = dim 𝒯 (the full tangent), `terms.koszulCount` = {@link koszulRelationCount}.
 * @returns null unless the first layer is a shared convolution and the only hidden layer.
 */
export function tangentOuterRank(spec: NetworkSpec, data: Dataset, loss: Loss, coveredRank?: number): TangentOuterRank | null {
  const read = linearCnnStructure(spec);
  if (!read.applies || read.structure.stages.length !== 1 || !read.structure.stages[0].shared) return null;
  const { structure } = read;
  const Kp = structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
  const covered = structure.coveredInputs;
  const r = coveredRank ?? coveredDataRank(data, covered);
  const full = predictorTangentRank(spec, Kp, covered.length);
  // r_e < d_c: Q from the data's own row space, so the value is rank(H_O) at generic weights for these data.
  const value = r >= covered.length ? full.rank : predictorTangentRank(spec, Kp, r, 6, data).rank;
  return { value, exact: true, terms: { Kp, r, coveredInputs: covered.length, tangent: full.rank, koszulCount: koszulRelationCount(spec) } };
}
