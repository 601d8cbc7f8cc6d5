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

/**
 * Multiplies vectors stored as rows by Q = H_{n−1} ⋯ H_1 (the orthogonal factor of
 * {@link householderTridiagonal}), in place: each row x becomes Q x, i.e. H_1 is applied first.
 *
 * H_k = I − τ_k v_k v_kᵀ with v_k in row k of `reflectors`, columns 0…k−1 (v_k[k−1] = 1). Reflectors are
 * applied in pairs as a 2-term compact WY update (Schreiber & Van Loan, SIAM J. Sci. Stat. Comput. 10,
 * 1989): with s = v_kᵀx, t = v_{k+1}ᵀx − τ_k s (v_{k+1}ᵀv_k),
 * H_{k+1} H_k x = x − τ_k s v_k − τ_{k+1} t v_{k+1}; four rows are processed at a time, so each pass
 * over the reflector pair does 16 multiply–adds per 6 loads. A row's leading zeros (vectors of a split
 * tridiagonal block) let the reflectors that cannot touch it be skipped. Cost: 2n² flops per row (2n³ for
 * n rows), n doubles of extra memory.
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
  for (let k = 1; k + 1 < n; k++) {
    const ro = k * n;
    const ro1 = ro + n;
    let s = 0;
    for (let r = 0; r < k; r++) s += R[ro + r] * R[ro1 + r];
    coupling[k] = s;
  }
  let j = 0;
  for (; j + 3 < count; j += 4) {
    const o0 = j * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let k = Math.min(firstNonzero(rows, o0, n), firstNonzero(rows, o1, n), firstNonzero(rows, o2, n), firstNonzero(rows, o3, n)) + 1;
    if (wasm !== null) {
      const { kernels, reflectorsByte, rowsByte, scratchByte } = wasm;
      const x0 = rowsByte + 8 * o0;
      const rowBytes = 8 * n;
      for (; k + 1 < n; k += 2) {
        const ro = k * n;
        const ro1 = ro + n;
        const even = k & ~1;
        const va = reflectorsByte + 8 * ro;
        kernels.dots(8 * even, va, va + rowBytes, x0, x0 + rowBytes, x0 + 2 * rowBytes, x0 + 3 * rowBytes, scratchByte);
        let a0 = scratch[0];
        let a1 = scratch[1];
        let a2 = scratch[2];
        let a3 = scratch[3];
        let b0 = scratch[4];
        let b1 = scratch[5];
        let b2 = scratch[6];
        let b3 = scratch[7];
        if (even < k) {
          const va1 = R[ro + even];
          const vb1 = R[ro1 + even];
          a0 += va1 * rows[o0 + even];
          a1 += va1 * rows[o1 + even];
          a2 += va1 * rows[o2 + even];
          a3 += va1 * rows[o3 + even];
          b0 += vb1 * rows[o0 + even];
          b1 += vb1 * rows[o1 + even];
          b2 += vb1 * rows[o2 + even];
          b3 += vb1 * rows[o3 + even];
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
        scratch[8] = a0;
        scratch[9] = a1;
        scratch[10] = a2;
        scratch[11] = a3;
        scratch[12] = b0;
        scratch[13] = b1;
        scratch[14] = b2;
        scratch[15] = b3;
        kernels.update(8 * even, va, va + rowBytes, x0, x0 + rowBytes, x0 + 2 * rowBytes, x0 + 3 * rowBytes, scratchByte + 64);
        if (even < k) {
          const va1 = R[ro + even];
          const vb1 = R[ro1 + even];
          rows[o0 + even] -= a0 * va1 + b0 * vb1;
          rows[o1 + even] -= a1 * va1 + b1 * vb1;
          rows[o2 + even] -= a2 * va1 + b2 * vb1;
          rows[o3 + even] -= a3 * va1 + b3 * vb1;
        }
        rows[o0 + k] -= b0;
        rows[o1 + k] -= b1;
        rows[o2 + k] -= b2;
        rows[o3 + k] -= b3;
      }
    }
    for (; k + 1 < n; k += 2) {
      const ro = k * n;
      const ro1 = ro + n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let r = 0; r < k; r++) {
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
      for (let r = 0; r < k; r++) {
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
    if (k < n) for (let g = 0; g < 4; g++) applyOne(R, tau[k], k * n, k, rows, o0 + g * n);
  }
  for (; j < count; j++) {
    const o0 = j * n;
    for (let k = firstNonzero(rows, o0, n) + 1; k < n; k++) applyOne(R, tau[k], k * n, k, rows, o0);
  }
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
