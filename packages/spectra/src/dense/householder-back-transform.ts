import type { WasmKernels } from './wasm-kernels.js';

/**
 * Where the WebAssembly kernels find the reflectors, the rows and 16 doubles of scratch in their memory
 * (`reflectors` and `rows` must be views of the kernels' memory at these byte offsets).
 * @internal
 */
export interface BackTransformWasm {
  kernels: WasmKernels;
  reflectorsByte: number;
  rowsByte: number;
  scratchByte: number;
}

/** Reflector pairs are applied in blocks of about this many bytes, so that a block stays in L2 cache. */
const BLOCK_BYTES = 384 * 1024;

/**
 * Multiplies vectors stored as rows by Q = H_{n−1} ⋯ H_1 (the orthogonal factor of
 * {@link householderTridiagonal}), in place: each row x becomes Q x, i.e. H_1 is applied first.
 *
 * H_k = I − τ_k v_k v_kᵀ with v_k in row k of `reflectors`, columns 0…k−1 (v_k[k−1] = 1). Reflectors are
 * applied in pairs (1, 2), (3, 4), … as a 2-term compact WY update (Schreiber & Van Loan, SIAM J. Sci.
 * Stat. Comput. 10, 1989): with s = v_kᵀx, t = v_{k+1}ᵀx − τ_k s (v_{k+1}ᵀv_k),
 * H_{k+1} H_k x = x − τ_k s v_k − τ_{k+1} t v_{k+1}. Four rows are processed at a time (16 multiply–adds
 * per 6 loads), and the pairs in blocks of ~384 KB that stay in L2 cache while every group of rows passes
 * through them. A row's leading zeros (vectors of a split tridiagonal block) let the reflectors that cannot
 * touch it be skipped. Cost: 2n² flops per row (2n³ for n rows), O(n) extra memory.
 *
 * @param reflectors - row-major n × n Householder vectors.
 * @param tau - Householder scalars, length n.
 * @param n - order.
 * @param rows - row-major count × n vectors, overwritten with Q x.
 * @param count - number of rows.
 * @param wasm - when given, the inner loops run in WebAssembly SIMD on the same memory.
 * @internal
 */
export function applyHouseholderToRows(
  reflectors: Float64Array,
  tau: Float64Array,
  n: number,
  rows: Float64Array,
  count: number,
  wasm: BackTransformWasm | null = null,
): void {
  const R = reflectors;
  const scratch = wasm === null ? new Float64Array(16) : new Float64Array(wasm.kernels.memory.buffer, wasm.scratchByte, 16);
  // coupling[k] = v_{k+1}ᵀ v_k over the support of v_k.
  const coupling = new Float64Array(n);
  for (let k = 1; k + 1 < n; k += 2) {
    const ro = k * n;
    const ro1 = ro + n;
    let s = 0;
    for (let r = 0; r < k; r++) s += R[ro + r] * R[ro1 + r];
    coupling[k] = s;
  }
  const groups = Math.floor(count / 4);
  // Reflectors k ≤ start cannot touch a group whose rows vanish on 0 … start − 1.
  const starts = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    const o = 4 * g * n;
    starts[g] = Math.min(firstNonzero(rows, o, n), firstNonzero(rows, o + n, n), firstNonzero(rows, o + 2 * n, n), firstNonzero(rows, o + 3 * n, n));
  }
  const ctx: PairContext = { R, tau, n, rows, coupling, scratch, wasm };
  let kb = 1;
  while (kb + 1 < n) {
    let ke = kb;
    let bytes = 0;
    while (ke + 1 < n && bytes < BLOCK_BYTES) {
      bytes += 16 * ke;
      ke += 2;
    }
    for (let g = 0; g < groups; g++) {
      const start = starts[g];
      for (let k = kb; k < ke; k += 2) if (k + 1 > start) applyPair(ctx, k, 4 * g * n);
    }
    kb = ke;
  }
  // With n even, reflector n − 1 is left over from the pairs.
  if (kb < n) {
    for (let g = 0; g < groups; g++) {
      if (kb > starts[g]) for (let i = 0; i < 4; i++) applyOne(R, tau[kb], kb * n, kb, rows, (4 * g + i) * n);
    }
  }
  for (let j = 4 * groups; j < count; j++) {
    const o0 = j * n;
    for (let k = firstNonzero(rows, o0, n) + 1; k < n; k++) applyOne(R, tau[k], k * n, k, rows, o0);
  }
}

interface PairContext {
  R: Float64Array;
  tau: Float64Array;
  n: number;
  rows: Float64Array;
  coupling: Float64Array;
  scratch: Float64Array;
  wasm: BackTransformWasm | null;
}

/** H_{k+1} H_k applied to the four rows starting at element offset o0. */
function applyPair(ctx: PairContext, k: number, o0: number): void {
  const { R, tau, n, rows, coupling, scratch, wasm } = ctx;
  const o1 = o0 + n;
  const o2 = o1 + n;
  const o3 = o2 + n;
  const ro = k * n;
  const ro1 = ro + n;
  // Columns below `even` go through the vector kernel; the odd one left over (k odd) is done here.
  const even = wasm === null ? 0 : k & ~1;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  if (wasm !== null) {
    const rowBytes = 8 * n;
    const va = wasm.reflectorsByte + 8 * ro;
    const x0 = wasm.rowsByte + 8 * o0;
    wasm.kernels.dots(8 * even, va, va + rowBytes, x0, x0 + rowBytes, x0 + 2 * rowBytes, x0 + 3 * rowBytes, wasm.scratchByte);
    a0 = scratch[0];
    a1 = scratch[1];
    a2 = scratch[2];
    a3 = scratch[3];
    b0 = scratch[4];
    b1 = scratch[5];
    b2 = scratch[6];
    b3 = scratch[7];
  }
  for (let r = even; r < k; r++) {
    const va = R[ro + r];
    const vb = R[ro1 + r];
    const x0 = rows[o0 + r];
    const x1 = rows[o1 + r];
    const x2 = rows[o2 + r];
    const x3 = rows[o3 + r];
    a0 += va * x0;
    b0 += vb * x0;
    a1 += va * x1;
    b1 += vb * x1;
    a2 += va * x2;
    b2 += vb * x2;
    a3 += va * x3;
    b3 += vb * x3;
  }
  const tk = tau[k];
  const tk1 = tau[k + 1];
  const c = coupling[k];
  a0 *= tk;
  a1 *= tk;
  a2 *= tk;
  a3 *= tk;
  b0 = tk1 * (b0 + rows[o0 + k] - a0 * c);
  b1 = tk1 * (b1 + rows[o1 + k] - a1 * c);
  b2 = tk1 * (b2 + rows[o2 + k] - a2 * c);
  b3 = tk1 * (b3 + rows[o3 + k] - a3 * c);
  if (wasm !== null) {
    scratch[8] = a0;
    scratch[9] = a1;
    scratch[10] = a2;
    scratch[11] = a3;
    scratch[12] = b0;
    scratch[13] = b1;
    scratch[14] = b2;
    scratch[15] = b3;
    const rowBytes = 8 * n;
    const va = wasm.reflectorsByte + 8 * ro;
    const x0 = wasm.rowsByte + 8 * o0;
    wasm.kernels.update(8 * even, va, va + rowBytes, x0, x0 + rowBytes, x0 + 2 * rowBytes, x0 + 3 * rowBytes, wasm.scratchByte + 64);
  }
  for (let r = even; r < k; r++) {
    const va = R[ro + r];
    const vb = R[ro1 + r];
    rows[o0 + r] -= a0 * va + b0 * vb;
    rows[o1 + r] -= a1 * va + b1 * vb;
    rows[o2 + r] -= a2 * va + b2 * vb;
    rows[o3 + r] -= a3 * va + b3 * vb;
  }
  rows[o0 + k] -= b0;
  rows[o1 + k] -= b1;
  rows[o2 + k] -= b2;
  rows[o3 + k] -= b3;
}

/** x[0…k−1] −= τ (vᵀx) v for the reflector v = R[ro … ro + k − 1] and the row x at offset `o`. */
function applyOne(R: Float64Array, t: number, ro: number, k: number, rows: Float64Array, o: number): void {
  if (t === 0) return;
  let s = 0;
  for (let r = 0; r < k; r++) s += R[ro + r] * rows[o + r];
  s *= t;
  for (let r = 0; r < k; r++) rows[o + r] -= s * R[ro + r];
}

function firstNonzero(rows: Float64Array, offset: number, n: number): number {
  for (let i = 0; i < n; i++) if (rows[offset + i] !== 0) return i;
  return n;
}
