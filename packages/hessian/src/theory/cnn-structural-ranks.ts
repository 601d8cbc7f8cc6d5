import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import { convolutionMatrix, inferNetworkShapes, type Dataset, type NetworkSpec } from '@intrinsic/models';
import { dataRank } from '../rank-analysis.js';

/** Rank of a row-major rows × columns matrix (numpy tolerance, through the smaller Gram matrix as {@link dataRank}). */
export function matrixRank(values: Float64Array, rows: number, columns: number): number {
  if (rows === 0 || columns === 0) return 0;
  return dataRank({ inputs: values, targets: new Float64Array(0), count: rows, inputSize: columns, outputSize: 0, description: 'matrix' });
}

/** Where the first hidden layer of a CNN reads its input: entry j of the patch at position t. */
export interface PatchIndex {
  /** Output positions a. */
  positions: number;
  /** Kernel volume b = channels · kernel entries. */
  kernelVolume: number;
  /** a × b, row-major: the flat input coordinate read by kernel entry j at position t, or −1 (padding). */
  index: Int32Array;
  /** True for a locally connected layer (a kernel per position). */
  local: boolean;
  /** Weights of the layer at the spec's filter count. */
  weightCount: number;
}

/**
 * The patch geometry of the first hidden layer of a CNN spec, read off its Toeplitz matrices: with one
 * filter, the unit kernel e_j (e_{t,j} locally connected) gives T with one 1 per row t, at the input
 * coordinate that kernel entry j reads at position t (none where the window covers padding).
 */
export function firstLayerPatchIndex(spec: NetworkSpec): PatchIndex {
  return layerPatchIndex(spec, inferNetworkShapes(spec).find((s) => s.weightShape !== null)!.index);
}

/**
 * The patch geometry of the convolution or locally connected layer `spec.layers[layerIndex]` (as
 * {@link firstLayerPatchIndex}): entry j of the patch at output position t reads coordinate index(t, j)
 * of that layer's flat input.
 * @throws InvalidArgumentError when that layer is not a convolution or locally connected layer.
 */
export function layerPatchIndex(spec: NetworkSpec, layerIndex: number): PatchIndex {
  const shape = inferNetworkShapes(spec).find((s) => s.index === layerIndex && s.weightShape !== null);
  if (!shape || !['conv1d', 'conv2d', 'locally-connected1d', 'locally-connected2d'].includes(shape.type)) {
    throw new InvalidArgumentError(`layerPatchIndex: layer ${layerIndex} is not a convolution or locally connected layer`);
  }
  const layer = { ...spec.layers[shape.index], filters: 1 } as (typeof spec.layers)[number];
  const local = shape.type === 'locally-connected1d' || shape.type === 'locally-connected2d';
  const positions = shape.outputSize / shape.outputShape[0];
  const kernelVolume = shape.inputShape[0] * shape.kernel.reduce((x, y) => x * y, 1);
  const index = new Int32Array(positions * kernelVolume).fill(-1);
  const weights = new Float64Array(local ? positions * kernelVolume : kernelVolume);
  for (let t = 0; t < (local ? positions : 1); t++) {
    for (let j = 0; j < kernelVolume; j++) {
      const w = local ? t * kernelVolume + j : j;
      weights[w] = 1;
      const T = convolutionMatrix(layer, shape.inputShape, weights);
      weights[w] = 0;
      for (let row = 0; row < T.rows; row++) {
        for (let c = 0; c < T.columns; c++) if (T.values[row * T.columns + c] !== 0) index[row * kernelVolume + j] = c;
      }
    }
  }
  const weightCount = (shape.weightShape as number[]).reduce((x, y) => x * y, 1);
  return { positions, kernelVolume, index, local, weightCount };
}

/** The a × b patch matrix of a flat input vector u (at `offset`): P[t, j] = u[index(t, j)], 0 on padding. */
export function patchMatrix(patches: PatchIndex, u: Float64Array, offset = 0): Float64Array {
  const P = new Float64Array(patches.index.length);
  for (let q = 0; q < P.length; q++) if (patches.index[q] >= 0) P[q] = u[offset + patches.index[q]];
  return P;
}

/**
 * The layer whose patches `patches` describes, applied with seeded Gaussian weights to each vector:
 * output unit (m, t) (flat index m·a + t, channel-first as the layer's output) = Σ_j w_{m(,t)}[j]·u[index(t, j)].
 * The weights are a generic instance of the layer (their layout does not matter for ranks); cost
 * O(vectors · M · a · b), no Toeplitz matrix.
 */
export function applyRandomLayer(patches: PatchIndex, filters: number, vectors: Float64Array[], rng: Random): Float64Array[] {
  const { positions: a, kernelVolume: b, index, local } = patches;
  const w = rng.fillGaussian(new Float64Array((local ? a : 1) * filters * b));
  return vectors.map((u) => {
    const v = new Float64Array(filters * a);
    for (let m = 0; m < filters; m++) {
      for (let t = 0; t < a; t++) {
        const base = ((local ? t * filters : 0) + m) * b;
        let sum = 0;
        for (let j = 0; j < b; j++) {
          const c = index[t * b + j];
          if (c >= 0) sum += w[base + j] * u[c];
        }
        v[m * a + t] = sum;
      }
    }
    return v;
  });
}

export function randomDataCombinations(data: Dataset, count: number, seed: number): Float64Array[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => randomDataCombination(data, rng));
}

/** Σ_i c_i x_i with c_i standard Gaussian from `rng`: a generic vector of the data span (length d). */
export function randomDataCombination(data: Dataset, rng: Random): Float64Array {
  const d = data.inputSize;
  const c = rng.fillGaussian(new Float64Array(data.count));
  const v = new Float64Array(d);
  for (let i = 0; i < data.count; i++) for (let j = 0; j < d; j++) v[j] += c[i] * data.inputs[i * d + j];
  return v;
}

/** r_e: rank of the data on the input coordinates the first layer reads. */
export function coveredDataRank(data: Dataset, coveredInputs: number[]): number {
  const d = data.inputSize;
  const c = coveredInputs.length;
  const inputs = new Float64Array(data.count * c);
  for (let i = 0; i < data.count; i++) for (let j = 0; j < c; j++) inputs[i * c + j] = data.inputs[i * d + coveredInputs[j]];
  return dataRank({ ...data, inputs, inputSize: c });
}

/**
 * z = rank(Z) of the hidden representation Z = T(W) X (M·a × N) of the first layer at a generic kernel W
 * (seeded Gaussian; the generic rank is attained with probability 1). Equals min(r_e, M·a) when T has
 * full rank; lower when e.g. 'same' padding with a stride ≥ the kernel leaves patches with fewer than M
 * real inputs (each non-overlapping patch with n real inputs gives min(M, n)) — docs/theory.md §7.2.
 */
export function hiddenRepresentationRank(spec: NetworkSpec, data: Dataset, seed = 1): number {
  const shape = inferNetworkShapes(spec).find((s) => s.weightShape !== null)!;
  const weights = new Random(seed).fillGaussian(new Float64Array((shape.weightShape as number[]).reduce((a, b) => a * b, 1)));
  const T = convolutionMatrix(spec.layers[shape.index], shape.inputShape, weights);
  const Z = new Float64Array(data.count * T.rows);
  for (let i = 0; i < data.count; i++) {
    for (let r = 0; r < T.rows; r++) {
      let s = 0;
      for (let c = 0; c < T.columns; c++) s += T.values[r * T.columns + c] * data.inputs[i * data.inputSize + c];
      Z[i * T.rows + r] = s;
    }
  }
  return matrixRank(Z, data.count, T.rows);
}

/**
 * Ranks of the patch matrices of several vectors stacked: one rank of all (vectors · a) × b rows for a
 * shared kernel; for a locally connected layer one rank per position t of the vectors' rows t.
 */
export function stackedPatchRanks(patches: PatchIndex, vectors: Float64Array[]): number[] {
  const { positions: a, kernelVolume: b } = patches;
  const mats = vectors.map((v) => patchMatrix(patches, v));
  if (!patches.local) {
    const G = new Float64Array(vectors.length * a * b);
    mats.forEach((P, k) => G.set(P, k * a * b));
    return [matrixRank(G, vectors.length * a, b)];
  }
  const ranks: number[] = [];
  for (let t = 0; t < a; t++) {
    const Gt = new Float64Array(vectors.length * b);
    mats.forEach((P, k) => Gt.set(P.subarray(t * b, (t + 1) * b), k * b));
    ranks.push(matrixRank(Gt, vectors.length, b));
  }
  return ranks;
}

/**
 * ρ, the rank of the matrix G that carries H_F of a one-hidden-layer linear CNN (docs/theory.md §7.2):
 * H_F = [[0, I_M ⊗ Gᵀ], [I_M ⊗ G, 0]] (shared kernel), G of size (s·a) × b stacking the patch matrices
 * P(u_κ) of the residual-weighted inputs u_κ = Σ_i r_iκ x_i, κ = 1…s, s = min(K′, r_e) at generic
 * residuals; a locally connected layer splits it per position, ρ = Σ_t rank(G_t), G_t the s × b rows t
 * of the P(u_κ). Computed at generic coefficients (seeded Gaussian) over the data; equals min(s·a, b)
 * (shared) and a·min(s, b) (locally connected) when every patch is full.
 */
export function residualPatchRank(spec: NetworkSpec, data: Dataset, s: number, seed = 2): number {
  return stackedPatchRanks(firstLayerPatchIndex(spec), randomDataCombinations(data, s, seed)).reduce((x, y) => x + y, 0);
}

/**
 * The ranks of the patch data the first layer's kernel sees: shared, [rank of all N·a patches stacked
 * (N·a × b)]; locally connected, the rank of the N patches at each position t. The kernel's part of
 * the Jacobian acts on this span only (the analogue of r = rank(X) for a dense layer).
 */
export function patchDataRanks(spec: NetworkSpec, data: Dataset): number[] {
  const rows: Float64Array[] = [];
  for (let i = 0; i < data.count; i++) rows.push(data.inputs.subarray(i * data.inputSize, (i + 1) * data.inputSize));
  return stackedPatchRanks(firstLayerPatchIndex(spec), rows);
}

/**
 * The condition under which the one-hidden-layer H_O formula is exact (docs/theory.md §7.2): a shared
 * kernel whose windows overlap on every axis (stride < kernel), or whose patches are all full (no window
 * reaches into padding). Non-overlapping windows cut by padding see different parts of the kernel at
 * different positions, and the formula is then only an upper bound.
 */
export function patchesOverlapOrAreFull(spec: NetworkSpec): boolean {
  const shape = inferNetworkShapes(spec).find((s) => s.weightShape !== null)!;
  if (shape.stride.every((st, axis) => st < shape.kernel[axis])) return true;
  return !firstLayerPatchIndex(spec).index.includes(-1);
}

/**
 * True when the readout sees so few positions that the kernel directions of different filters can cancel
 * (a Koszul relation Σ_m v_m ∗ δw_m = 0 with δw_1 = u·v_2, δw_2 = −u·v_1): only with K′ = 1 output
 * direction, and only when the output grid's footprint s·(out − 1) is shorter than the kernel on every
 * axis. The H_O formula counts these directions as independent, so it is then an upper bound
 * (docs/theory.md §7.2; observed on [3, 3, 3] with a 2 × 2 kernel, K′ = 1: formula 27, measured 25).
 */
export function kernelSyzygiesPossible(spec: NetworkSpec, effectiveOutputs: number): boolean {
  if (effectiveOutputs >= 2) return false;
  const shape = inferNetworkShapes(spec).find((s) => s.weightShape !== null)!;
  const spatial = shape.outputShape.slice(1);
  return shape.kernel.every((k, axis) => k > shape.stride[axis] * (spatial[axis] - 1));
}
