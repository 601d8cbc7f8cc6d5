import { Random } from '@intrinsic/spectra';
import { inferNetworkShapes, type Dataset, type Loss, type NetworkSpec } from '@intrinsic/models';
import { dataRank } from '../rank-analysis.js';
import { linearCnnStructure } from './cnn-structure.js';
import { firstLayerPatchIndex, matrixRank } from './cnn-structural-ranks.js';

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
export function cutWindowOuterRank(spec: NetworkSpec, data: Dataset, loss: Loss): CutWindowOuterRank | null {
  const read = linearCnnStructure(spec);
  if (!read.applies || read.structure.stages.length !== 1 || !read.structure.stages[0].shared || !windowsAreDisjoint(spec)) return null;
  const { structure } = read;
  const M = structure.stages[0].filters;
  const b = structure.stages[0].kernelVolume;
  const Kp = structure.outputs - (loss === 'cross-entropy' ? 1 : 0);
  const covered = structure.coveredInputs;
  const d = data.inputSize;
  const inputs = new Float64Array(data.count * covered.length);
  for (let i = 0; i < data.count; i++) for (let j = 0; j < covered.length; j++) inputs[i * covered.length + j] = data.inputs[i * d + covered[j]];
  const r = dataRank({ ...data, inputs, inputSize: covered.length });
  const zFull = windowLiveSets(spec).reduce((sum, live) => sum + Math.min(M, live.length), 0);
  const kernelDimension = cutWindowKernelDimension(spec, Kp);
  const value = Math.min(Kp * r, Kp * zFull + M * b - kernelDimension);
  return { value, exact: r === covered.length, terms: { Kp, r, coveredInputs: covered.length, zFull, M, b, kernelDimension } };
}
