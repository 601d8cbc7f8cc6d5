import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, InvalidArgumentError } from '@intrinsic/spectra';
import type { HessianPart, MlpEvaluation } from '@intrinsic/models';
import { curvatureFactors, isSecondOrderPart, type CurvatureFactors, type LayerGeometry } from './curvature-factors.js';
import { KernelWorkspace, packPanels, roundUp4, type KernelPreference } from './kernel-workspace.js';

/** Options of {@link structuredCurvature}. */
export interface StructuredCurvatureOptions {
  /** Budget for the p × p result and the work arrays, in bytes (default 4 GiB); checked before allocating. */
  memoryBudgetBytes?: number;
  /** Progress: `done` of `total` work units (one unit per output-unit pair or output unit of a layer block). */
  onProgress?: (done: number, total: number, stage: string) => void;
  /** Write into this p × p array instead of allocating one (every entry is overwritten). */
  out?: Float64Array;
  /** Dense kernel: WebAssembly SIMD when available (`auto`, default) or plain TypeScript; results are bit-identical. */
  kernel?: KernelPreference;
}

const PART_NAMES: Record<HessianPart, string> = { full: 'H', outer: 'H_O', functional: 'H_F', fisher: 'F' };

/** Doubles of work memory used by {@link structuredCurvature} besides the p × p result. */
export function structuredCurvatureWorkDoubles(evaluation: MlpEvaluation): number {
  const widths = evaluation.spec.widths;
  const N = evaluation.count;
  const L = widths.length - 1;
  const bias = evaluation.spec.bias ? 1 : 0;
  let doubles = 0;
  for (let m = 1; m <= L; m++) {
    doubles += 3 * N * widths[m] * widths[m]; // G_m, U, deltas
    for (let l = 1; l < m; l++) doubles += N * widths[l] * (2 * widths[m] + widths[m - 1]); // S, Jz, T
    const dt = widths[m - 1] + bias + 3;
    doubles += dt * dt + 3 * dt * N + widths[m] * N + (widths[m] * (widths[m - 1] + bias) + 3) * (N + dt); // tiles, Ãᵀ, weights, R
  }
  return doubles;
}

/**
 * A dense curvature matrix of an MLP's mean loss — H, H_O, H_F or the empirical Fisher — assembled
 * block by block from its layer structure instead of from p curvature–vector products.
 *
 * Every entry of the block (θ_l, θ_m), l ≤ m, is a sum over the N samples of products of per-sample
 * factors (see {@link curvatureFactors}):
 *   H[W_l(o, j), W_m(o′, j′)] = Σ_i ã_{l−1,i}[j] (S_{ml,i}[o′, o] ã_{m−1,i}[j′] + δ_{m,i}[o′] T_{ml,i}[j′, o]),
 * and on the diagonal (l = m) H[W_l(o, j), W_l(o′, j′)] = Σ_i G_{l,i}[o, o′] ã_i[j] ã_i[j′], a sum of
 * Kronecker products (the structure behind K-FAC; Martens & Grosse 2015, Singh et al. 2021 §2).
 * Each block is computed as dot products over the samples by a 4 × 4 register-blocked kernel
 * (WebAssembly SIMD when the runtime has it, else TypeScript; bit-identical, see KernelWorkspace): for each
 * pair o ≤ o′ the symmetric (M_{l−1}+1)² tile of the diagonal block (half of it computed, the rest by
 * symmetry), and for each o the rows of the off-diagonal block. The result is exactly symmetric.
 *
 * Cost: about N·(Σ_l p_l²/4 + Σ_{l<m} p_l p_m) multiply–adds (p_l the parameters of layer l), i.e. N p²/4
 * when one layer dominates, against N·K·p²/2 for Jᵀ Λ J and ~3N p² for p R-operator products; memory p²
 * plus {@link structuredCurvatureWorkDoubles}.
 *
 * @param evaluation - the float64 engine at the parameters and data.
 * @param part - 'full' (H), 'outer' (H_O), 'functional' (H_F) or 'fisher' (empirical Fisher).
 * @returns the p × p row-major matrix.
 * @throws MemoryBudgetError before allocating when p² plus the work arrays exceed the budget.
 * @throws InvalidArgumentError for an unknown part, an `out` array of the wrong size, or a non-finite entry.
 */
export function structuredCurvature(
  evaluation: MlpEvaluation,
  part: HessianPart,
  options: StructuredCurvatureOptions = {},
): Float64Array {
  const p = evaluation.layout.size;
  if (options.out && options.out.length !== p * p) {
    throw new InvalidArgumentError(`structuredCurvature: out has ${options.out.length} entries, expected p² = ${p * p}`);
  }
  assertMemoryBudget(
    (options.out ? 0 : p * p) + structuredCurvatureWorkDoubles(evaluation),
    `the dense ${PART_NAMES[part] ?? part} of p = ${p} parameters (${p} × ${p})`,
    options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
    'use Hessian-vector products and Lanczos (intrinsic spectrum) for a model this size',
  );
  const factors = curvatureFactors(evaluation, part);
  const H = options.out ?? new Float64Array(p * p);
  const { layers } = factors;
  const L = layers.length;
  const stage = `${PART_NAMES[part]} blocks`;
  let total = 0;
  for (let l = 0; l < L; l++) total += (layers[l].fanOut * (layers[l].fanOut + 1)) / 2 + (L - 1 - l) * layers[l].fanOut;
  const progress: Progress = { poison: 0, done: 0, total, stage, callback: options.onProgress };
  const transposedInputs = layers.map((_, l) => transposedActivations(evaluation, factors, l + 1));
  const ws = new KernelWorkspace(options.kernel ?? 'auto');
  for (let l = 1; l <= L; l++) {
    diagonalBlock(H, p, factors, l, transposedInputs[l - 1], ws, progress);
    for (let m = l + 1; m <= L; m++) offDiagonalBlock(H, p, evaluation, factors, l, m, transposedInputs, ws, progress);
  }
  // Every entry was copied from a value folded into progress.poison (x · 0 is 0 for finite x, NaN
  // otherwise) or mirrored from one: search the matrix only when that check failed.
  if (progress.poison !== 0) {
    for (let t = 0; t < H.length; t++) {
      if (!Number.isFinite(H[t])) {
        throw new InvalidArgumentError(`structuredCurvature: entry (${Math.floor(t / p)}, ${t % p}) of ${PART_NAMES[part]} is ${H[t]}`);
      }
    }
  }
  options.onProgress?.(total, total, stage);
  return H;
}

interface Progress {
  /** Σ x·0 over every value computed: NaN as soon as one is not finite. */
  poison: number;
  done: number;
  total: number;
  stage: string;
  callback?: (done: number, total: number, stage: string) => void;
}

function advance(progress: Progress, units: number): void {
  const before = progress.done;
  progress.done += units;
  if (progress.callback && Math.floor(before / 64) !== Math.floor(progress.done / 64)) {
    progress.callback(progress.done, progress.total, progress.stage);
  }
}

/** Ãᵀ of layer l's input: rows j < M_{l−1} hold a_{l−1}[j] over the samples, a last row of ones with bias. */
function transposedActivations(evaluation: MlpEvaluation, factors: CurvatureFactors, l: number): Float64Array {
  const { fanIn: d, biasOffset } = factors.layers[l - 1];
  const N = factors.count;
  const A = evaluation.layerActivations(l - 1);
  const dt = d + (biasOffset >= 0 ? 1 : 0);
  const At = new Float64Array(dt * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) At[j * N + i] = A[i * d + j];
  if (biasOffset >= 0) At.fill(1, d * N, dt * N);
  return At;
}

/** Flat index of parameter (o, j) of a layer, j = fanIn meaning the bias b[o]. */
function parameterIndex(layer: LayerGeometry, o: number, j: number): number {
  return j < layer.fanIn ? layer.weightOffset + o * layer.fanIn + j : layer.biasOffset + o;
}

/** Diagonal block (θ_l, θ_l): for each o ≤ o′ the symmetric tile Σ_i G_i[o, o′] ã_i ã_iᵀ. */
function diagonalBlock(H: Float64Array, p: number, factors: CurvatureFactors, l: number, At: Float64Array, ws: KernelWorkspace, progress: Progress): void {
  const layer = factors.layers[l - 1];
  const { fanIn: d, fanOut: M, weightOffset, biasOffset } = layer;
  const N = factors.count;
  const dt = d + (biasOffset >= 0 ? 1 : 0);
  const dtp = roundUp4(dt);
  const G = factors.curvature[l - 1];
  // Work memory: [Ãᵀ packed in panels | Ãᵀ rows (dtp × N) | tile (dtp × dtp) | weights G_i[o, q] (M × N)].
  const aOff = dtp * N;
  const cOff = 2 * dtp * N;
  const gOff = cOff + dtp * dtp;
  const mem = ws.reserve(gOff + M * N);
  packPanels(At, 0, dt, N, mem, 0);
  mem.set(At, aOff);
  mem.fill(0, aOff + dt * N, aOff + dtp * N);
  const nonzero = new Uint8Array(M);
  const rowIndex = new Int32Array(M * dt); // flat index of parameter (o, j)
  for (let o = 0; o < M; o++) for (let j = 0; j < dt; j++) rowIndex[o * dt + j] = parameterIndex(layer, o, j);
  for (let o = 0; o < M; o++) {
    gatherPairWeights(G, o, M, N, mem, gOff, nonzero);
    for (let q = o; q < M; q++) {
      if (nonzero[q]) {
        ws.multiplyPackedWeighted(aOff, dtp, 0, dtp, N, cOff, dtp, true, gOff + q * N);
        mirrorUpper(mem, cOff, dt, dtp);
      } else {
        mem.fill(0, cOff, cOff + dtp * dtp);
      }
      progress.poison += writeTile(H, p, mem, cOff, dtp, rowIndex, o, q, dt, d, weightOffset, biasOffset);
      if (q !== o) writeTile(H, p, mem, cOff, dtp, rowIndex, q, o, dt, d, weightOffset, biasOffset);
      advance(progress, 1);
    }
  }
}

// Small kernels of the block loops, kept as separate functions so that V8 optimises them after a few
// calls (a one-shot assembly then runs optimised code instead of on-stack-replaced loops).

/** mem[gOff + q·N + i] = G_i[o, q] for q ≥ o; nonzero[q] = 1 when any of them is non-zero. */
function gatherPairWeights(G: Float64Array, o: number, M: number, N: number, mem: Float64Array, gOff: number, nonzero: Uint8Array): void {
  const stride = M * M;
  for (let q = o; q < M; q++) {
    let any = 0;
    let at = o * M + q;
    const dst = gOff + q * N;
    for (let i = 0; i < N; i++, at += stride) {
      const x = G[at];
      mem[dst + i] = x;
      if (x !== 0) any = 1;
    }
    nonzero[q] = any;
  }
}

/** Copies the upper triangle of a dt × dt tile (row stride dtp) to its lower triangle, in 32 × 32 tiles. */
function mirrorUpper(mem: Float64Array, cOff: number, dt: number, dtp: number): void {
  const TILE = 32;
  for (let jt = 0; jt < dt; jt += TILE) {
    const jEnd = Math.min(dt, jt + TILE);
    for (let kt = 0; kt <= jt; kt += TILE) {
      for (let j = jt; j < jEnd; j++) {
        const row = cOff + j * dtp;
        const kEnd = Math.min(j, kt + TILE);
        for (let k = kt; k < kEnd; k++) mem[row + k] = mem[cOff + k * dtp + j];
      }
    }
  }
}

/**
 * Writes a symmetric tile into sub-block (o, q) of a diagonal layer block: rows (o, j), columns (q, ·).
 * Returns Σ x·0 over the values written, 0 when they are all finite and NaN otherwise.
 */
function writeTile(
  H: Float64Array,
  p: number,
  mem: Float64Array,
  cOff: number,
  dtp: number,
  rowIndex: Int32Array,
  o: number,
  q: number,
  dt: number,
  d: number,
  weightOffset: number,
  biasOffset: number,
): number {
  const column = weightOffset + q * d;
  let poison = 0;
  for (let j = 0; j < dt; j++) {
    const src = cOff + j * dtp;
    const r = rowIndex[o * dt + j] * p;
    poison += copyRow(H, r + column, mem, src, d);
    if (biasOffset >= 0) {
      const x = mem[src + d];
      H[r + biasOffset + q] = x;
      poison += x * 0;
    }
  }
  return poison;
}

/**
 * Off-diagonal block (θ_l, θ_m), l < m, and its mirror (θ_m, θ_l): for each output unit o of layer l,
 * rows (o, ·) = Ãᵀ_l R_o with R_o[i, (o′, j′)] = S_i[o′, o] ã_{m−1,i}[j′] + δ_{m,i}[o′] T_i[j′, o].
 */
function offDiagonalBlock(
  H: Float64Array,
  p: number,
  evaluation: MlpEvaluation,
  factors: CurvatureFactors,
  l: number,
  m: number,
  transposedInputs: Float64Array[],
  ws: KernelWorkspace,
  progress: Progress,
): void {
  const rowLayer = factors.layers[l - 1];
  const colLayer = factors.layers[m - 1];
  const N = factors.count;
  const Ml = rowLayer.fanOut;
  const dl = rowLayer.fanIn;
  const Mm = colLayer.fanOut;
  const dm = colLayer.fanIn;
  const S = factors.cross[m - 1][l - 1];
  const secondOrder = isSecondOrderPart(factors.part);
  // T_{ml} dense for m > l + 1; for m = l + 1 it is diag σ′(z_l) and only j′ = o gets the δ term.
  const T = secondOrder && m > l + 1 ? factors.activationJacobian[m - 1][l - 1] : null;
  const diagonalT = secondOrder && m === l + 1 ? evaluation.activationFirstDerivatives(l) : null;
  const delta = secondOrder ? factors.deltas[m - 1] : null;
  const Atl = transposedInputs[l - 1];
  const Atm = transposedInputs[m - 1];
  const rowsA = dl + (rowLayer.biasOffset >= 0 ? 1 : 0);
  const rowsP = roundUp4(rowsA);
  const cols = colLayer.size;
  const colsP = roundUp4(cols);
  // Work memory: [Ãᵀ_l (rowsP × N) | R_o packed in panels (colsP × N) | rows of the block (rowsP × colsP)].
  const bOff = rowsP * N;
  const cOff = bOff + colsP * N;
  const mem = ws.reserve(cOff + rowsP * colsP);
  mem.set(Atl, 0);
  mem.fill(0, rowsA * N, cOff);
  const sColumn = new Float64Array(Mm * N);
  const tColumn = new Float64Array(dm * N);
  const deltaT = new Float64Array(Mm * N);
  if (delta) for (let i = 0; i < N; i++) for (let a = 0; a < Mm; a++) deltaT[a * N + i] = delta[i * Mm + a];
  for (let o = 0; o < Ml; o++) {
    gatherColumn(S, o, Mm * Ml, Ml, sColumn, Mm, N);
    if (T) gatherColumn(T, o, dm * Ml, Ml, tColumn, dm, N);
    for (let a = 0; a < Mm; a++) {
      if (T) packUnitColumnsWithJacobian(mem, bOff, a, dm, N, sColumn, Atm, deltaT, tColumn);
      else packUnitColumns(mem, bOff, a, dm, N, sColumn, Atm);
      if (diagonalT) addDiagonalJacobianTerm(mem, bOff, a * dm + o, a, o, N, Ml, deltaT, diagonalT);
      if (colLayer.biasOffset >= 0) packColumn(mem, bOff, Mm * dm + a, N, sColumn, a * N);
    }
    ws.multiplyPacked(0, rowsP, bOff, colsP, N, cOff, colsP, false);
    for (let j = 0; j < rowsA; j++) progress.poison += copyRow(H, parameterIndex(rowLayer, o, j) * p + colLayer.start, mem, cOff + j * colsP, cols);
    advance(progress, 1);
  }
  mirrorBlock(H, p, rowLayer.start, rowLayer.size, colLayer.start, cols);
}

/** out[u · N + i] = X[i · sampleStride + u · columns + o] for u < units: column o of each sample's matrix. */
function gatherColumn(X: Float64Array, o: number, sampleStride: number, columns: number, out: Float64Array, units: number, N: number): void {
  for (let u = 0; u < units; u++) {
    const dst = u * N;
    let at = u * columns + o;
    for (let i = 0; i < N; i++, at += sampleStride) out[dst + i] = X[at];
  }
}

/** Packed columns c = a·dm + j (j < dm) of R: S[a] ⊙ ã_j over the samples. */
function packUnitColumns(mem: Float64Array, bOff: number, a: number, dm: number, N: number, sColumn: Float64Array, Atm: Float64Array): void {
  const sBase = a * N;
  for (let j = 0; j < dm; j++) {
    const c = a * dm + j;
    const r = bOff + (c >> 2) * 4 * N + (c & 3);
    const aBase = j * N;
    for (let i = 0; i < N; i++) mem[r + 4 * i] = sColumn[sBase + i] * Atm[aBase + i];
  }
}

/** Packed columns c = a·dm + j of R with the Jacobian term: S[a] ⊙ ã_j + δ[a] ⊙ T[j]. */
function packUnitColumnsWithJacobian(
  mem: Float64Array,
  bOff: number,
  a: number,
  dm: number,
  N: number,
  sColumn: Float64Array,
  Atm: Float64Array,
  deltaT: Float64Array,
  tColumn: Float64Array,
): void {
  const sBase = a * N;
  for (let j = 0; j < dm; j++) {
    const c = a * dm + j;
    const r = bOff + (c >> 2) * 4 * N + (c & 3);
    const aBase = j * N;
    for (let i = 0; i < N; i++) mem[r + 4 * i] = sColumn[sBase + i] * Atm[aBase + i] + deltaT[sBase + i] * tColumn[aBase + i];
  }
}

/** Adds δ[a] ⊙ σ′(z_l)[·, o] to packed column c (the diagonal T_{l+1,l} = D′_l term). */
function addDiagonalJacobianTerm(mem: Float64Array, bOff: number, c: number, a: number, o: number, N: number, Ml: number, deltaT: Float64Array, s1: Float64Array): void {
  const r = bOff + (c >> 2) * 4 * N + (c & 3);
  const sBase = a * N;
  for (let i = 0; i < N; i++) mem[r + 4 * i] += deltaT[sBase + i] * s1[i * Ml + o];
}

/** Packed column c of R = values[from … from + N). */
function packColumn(mem: Float64Array, bOff: number, c: number, N: number, values: Float64Array, from: number): void {
  const r = bOff + (c >> 2) * 4 * N + (c & 3);
  for (let i = 0; i < N; i++) mem[r + 4 * i] = values[from + i];
}

/** H[dst …] = mem[src …] for `count` values; returns Σ x·0 (0 when all are finite, NaN otherwise). */
function copyRow(H: Float64Array, dst: number, mem: Float64Array, src: number, count: number): number {
  let p0 = 0;
  let p1 = 0;
  let c = 0;
  for (; c + 1 < count; c += 2) {
    const x = mem[src + c];
    const y = mem[src + c + 1];
    H[dst + c] = x;
    H[dst + c + 1] = y;
    p0 += x * 0;
    p1 += y * 0;
  }
  if (c < count) {
    const x = mem[src + c];
    H[dst + c] = x;
    p0 += x * 0;
  }
  return p0 + p1;
}

/** H[c0 + c, r0 + r] = H[r0 + r, c0 + c] for the rows × cols block, in cache-sized tiles. */
function mirrorBlock(H: Float64Array, p: number, r0: number, rows: number, c0: number, cols: number): void {
  const TILE = 32;
  for (let rt = 0; rt < rows; rt += TILE) {
    const rEnd = Math.min(rows, rt + TILE);
    for (let ct = 0; ct < cols; ct += TILE) {
      const cEnd = Math.min(cols, ct + TILE);
      for (let r = rt; r < rEnd; r++) {
        const src = (r0 + r) * p + c0;
        for (let c = ct; c < cEnd; c++) H[(c0 + c) * p + r0 + r] = H[src + c];
      }
    }
  }
}
