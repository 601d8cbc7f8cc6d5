import { MULTIPLY_PACKED_WASM_BASE64 } from './kernel/multiply-packed-wasm.js';

/** Which implementation runs the dense kernel: WebAssembly SIMD (f64x2), or plain TypeScript. */
export type KernelKind = 'wasm-simd' | 'javascript';

/** `auto`: WebAssembly SIMD when the runtime validates it (Node ≥ 16, current browsers), else TypeScript. */
export type KernelPreference = 'auto' | KernelKind;

/** The part of the WebAssembly JavaScript API used here (declared locally: the ES2022 lib has no types for it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

let compiled: object | null | undefined;

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

function wasmModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const api = wasmApi();
    const decode = (globalThis as { atob?: (text: string) => string }).atob;
    if (api && decode) {
      const text = decode(MULTIPLY_PACKED_WASM_BASE64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      // 1.4 KB: synchronous compilation is allowed on a browser's main thread too (limit 4 KB).
      if (api.validate(bytes)) compiled = new api.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Rounds up to a multiple of 4 (the register block of both kernels). */
export function roundUp4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * A growable float64 work memory and the packed dense kernel of the structured assembly:
 *   C[r, c] = Σ_{i<n} A[r, i] · B[c, i]
 * with A row-major (rows × n), B packed in panels of four columns (panel k holds columns 4k … 4k+3
 * interleaved: element (c, i) at bOffset + ((c >> 2) · n + i) · 4 + (c & 3), see {@link packPanels}),
 * rows and cols multiples of 4, and C written with row stride cStride. Every entry is one sequential sum
 * over i, so both implementations give bit-identical results; the WebAssembly one (a 4 × 4 block of f64x2
 * accumulators, 8 multiply–adds per load pair) is about four times faster than V8's scalar code.
 * All offsets are in doubles into {@link KernelWorkspace.memory}.
 */
export class KernelWorkspace {
  readonly kind: KernelKind;
  private view: Float64Array;
  private readonly wasmMemory: WasmMemory | null = null;
  private readonly wasmMultiply: ((...args: number[]) => void) | null = null;
  private readonly wasmMultiplyWeighted: ((...args: number[]) => void) | null = null;

  constructor(preference: KernelPreference = 'auto') {
    const module = preference === 'javascript' ? null : wasmModule();
    if (module) {
      const instance = new (wasmApi() as WasmApi).Instance(module, {});
      this.wasmMemory = instance.exports.memory as WasmMemory;
      this.wasmMultiply = instance.exports.multiplyPacked as (...args: number[]) => void;
      this.wasmMultiplyWeighted = instance.exports.multiplyPackedWeighted as (...args: number[]) => void;
      this.kind = 'wasm-simd';
      this.view = new Float64Array(this.wasmMemory.buffer);
    } else {
      this.kind = 'javascript';
      this.view = new Float64Array(0);
    }
  }

  /** The work memory; a new view after {@link reserve} grew it, so read it again after reserving. */
  get memory(): Float64Array {
    return this.view;
  }

  /** Makes the memory hold at least `doubles` values (contents kept) and returns the current view. */
  reserve(doubles: number): Float64Array {
    if (this.view.length >= doubles) return this.view;
    if (this.wasmMemory) {
      const bytes = doubles * 8;
      const pages = Math.ceil((bytes - this.wasmMemory.buffer.byteLength) / 65536);
      this.wasmMemory.grow(pages);
      this.view = new Float64Array(this.wasmMemory.buffer);
    } else {
      const next = new Float64Array(Math.max(doubles, 2 * this.view.length));
      next.set(this.view);
      this.view = next;
    }
    return this.view;
  }

  /**
   * C = A Bᵀ on the work memory (layouts in the class comment). With `upperOnly` (a square symmetric
   * product), only the 4 × 4 blocks on or above the block diagonal are computed.
   */
  multiplyPacked(aOffset: number, rows: number, bOffset: number, cols: number, n: number, cOffset: number, cStride: number, upperOnly: boolean): void {
    if (this.wasmMultiply) this.wasmMultiply(aOffset * 8, rows, bOffset * 8, cols, n, cOffset * 8, cStride, upperOnly ? 1 : 0);
    else multiplyPackedScalar(this.view, aOffset, rows, bOffset, cols, n, cOffset, cStride, upperOnly, -1);
  }

  /**
   * C[r, c] = Σ_i A[r, i] · (g[i] · B[c, i]) with the n weights g at `gOffset` (same layouts as
   * {@link multiplyPacked}): a weighted product Aᵀ diag(g) B without forming a weighted operand.
   */
  multiplyPackedWeighted(
    aOffset: number,
    rows: number,
    bOffset: number,
    cols: number,
    n: number,
    cOffset: number,
    cStride: number,
    upperOnly: boolean,
    gOffset: number,
  ): void {
    if (this.wasmMultiplyWeighted) this.wasmMultiplyWeighted(aOffset * 8, rows, bOffset * 8, cols, n, cOffset * 8, cStride, upperOnly ? 1 : 0, gOffset * 8);
    else multiplyPackedScalar(this.view, aOffset, rows, bOffset, cols, n, cOffset, cStride, upperOnly, gOffset);
  }
}

/** The TypeScript kernel: the same 4 × 4 blocks and summation order as the WebAssembly one; gOffset < 0: no weights. */
function multiplyPackedScalar(
  M: Float64Array,
  aOffset: number,
  rows: number,
  bOffset: number,
  cols: number,
  n: number,
  cOffset: number,
  cStride: number,
  upperOnly: boolean,
  gOffset: number,
): void {
  const weighted = gOffset >= 0;
  for (let r = 0; r < rows; r += 4) {
    const a0 = aOffset + r * n;
    const a1 = a0 + n;
    const a2 = a1 + n;
    const a3 = a2 + n;
    for (let c = upperOnly ? r : 0; c < cols; c += 4) {
      let b = bOffset + (c >> 2) * n * 4;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0; // prettier-ignore
      for (let i = 0; i < n; i++, b += 4) {
        let y0 = M[b];
        let y1 = M[b + 1];
        let y2 = M[b + 2];
        let y3 = M[b + 3];
        if (weighted) {
          const w = M[gOffset + i];
          y0 = w * y0;
          y1 = w * y1;
          y2 = w * y2;
          y3 = w * y3;
        }
        const x0 = M[a0 + i];
        const x1 = M[a1 + i];
        const x2 = M[a2 + i];
        const x3 = M[a3 + i];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      let o = cOffset + r * cStride + c;
      M[o] = s00;
      M[o + 1] = s01;
      M[o + 2] = s02;
      M[o + 3] = s03;
      o += cStride;
      M[o] = s10;
      M[o + 1] = s11;
      M[o + 2] = s12;
      M[o + 3] = s13;
      o += cStride;
      M[o] = s20;
      M[o + 1] = s21;
      M[o + 2] = s22;
      M[o + 3] = s23;
      o += cStride;
      M[o] = s30;
      M[o + 1] = s31;
      M[o + 2] = s32;
      M[o + 3] = s33;
    }
  }
}

/**
 * Packs `cols` rows of length n (row-major at `sourceOffset`, row stride n) into panels of four
 * interleaved columns at `targetOffset`, zero-padding to a multiple of 4 columns; occupies
 * roundUp4(cols) · n doubles.
 */
export function packPanels(source: Float64Array, sourceOffset: number, cols: number, n: number, target: Float64Array, targetOffset: number): void {
  const padded = roundUp4(cols);
  for (let c = 0; c < padded; c++) {
    const base = targetOffset + (c >> 2) * n * 4 + (c & 3);
    if (c < cols) {
      const src = sourceOffset + c * n;
      for (let i = 0; i < n; i++) target[base + 4 * i] = source[src + i];
    } else {
      for (let i = 0; i < n; i++) target[base + 4 * i] = 0;
    }
  }
}
