/**
 * WebAssembly SIMD (f64x2) versions of the two O(n³) kernels of the dense eigensolver, assembled at run
 * time from the byte code below (no toolchain, no binary file: the module is ~600 bytes written out here).
 * Used when the host supports WebAssembly SIMD (Node ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4);
 * otherwise the plain TypeScript kernels run. All pointers are byte offsets into the kernel's memory.
 *
 * - `fused(a, rowBytes, m, v, w, u, out)`: for rows r = 0, 2, 4, … < m − 1 (pairs; the caller does a last
 *   odd row) of the lower triangle at `a`: A ← A − v wᵀ − w vᵀ and out += A u (new A); `out` must be zeroed.
 * - `dots(k, va, vb, x0, x1, x2, x3, result)`: the 8 dot products va·x_g, vb·x_g over the first k − (k mod 2)
 *   entries, written to result[0…3] (va) and result[4…7] (vb).
 * - `update(k, va, vb, x0, x1, x2, x3, coefficients)`: x_g −= a_g va + b_g vb over the first k − (k mod 2)
 *   entries, with a_g = coefficients[g], b_g = coefficients[4 + g].
 *
 * @internal
 */

// The package compiles against lib ES2022 without DOM types: declare the little of the WebAssembly API used.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
};

// ---- a minimal WebAssembly encoder -------------------------------------------------------------------
type Bytes = number[];

function uleb(value: number): Bytes {
  const out: Bytes = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): Bytes {
  const out: Bytes = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

const get = (i: number): Bytes => [0x20, ...uleb(i)];
const set = (i: number): Bytes => [0x21, ...uleb(i)];
const tee = (i: number): Bytes => [0x22, ...uleb(i)];
const i32 = (v: number): Bytes => [0x41, ...sleb(v)];
const f64c = (v: number): Bytes => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)];
const I32_ADD = [0x6a];
const I32_MUL = [0x6c];
const I32_GE_S = [0x4e];
const F64_ADD = [0xa0];
const F64_SUB = [0xa1];
const F64_MUL = [0xa2];
const f64Load = (offset = 0): Bytes => [0x2b, 3, ...uleb(offset)];
const f64Store = (offset = 0): Bytes => [0x39, 3, ...uleb(offset)];
const v128Load = (offset = 0): Bytes => [0xfd, 0x00, 3, ...uleb(offset)];
const v128Store = (offset = 0): Bytes => [0xfd, 0x0b, 3, ...uleb(offset)];
const SPLAT = [0xfd, 0x14];
const lane = (l: number): Bytes => [0xfd, 0x21, l];
const VADD = [0xfd, 0xf0, 0x01];
const VSUB = [0xfd, 0xf1, 0x01];
const VMUL = [0xfd, 0xf2, 0x01];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const br = (depth: number): Bytes => [0x0c, ...uleb(depth)];
const brIf = (depth: number): Bytes => [0x0d, ...uleb(depth)];

const cat = (...parts: Bytes[]): Bytes => parts.flat();

function section(id: number, content: Bytes): Bytes {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): Bytes {
  const bytes = Array.from(text, (c) => c.charCodeAt(0));
  return [...uleb(bytes.length), ...bytes];
}

/** Function body: locals given as runs of [count, type]. */
function body(locals: [number, number][], code: Bytes): Bytes {
  const content = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code, ...END];
  return [...uleb(content.length), ...content];
}

// ---- kernel: fused rank-2 update + symmetric product, two rows at a time -----------------------------
function fusedBody(): Bytes {
  // params: 0 a, 1 rowBytes, 2 m, 3 v, 4 w, 5 u, 6 out
  const [A, ROW, M, V, W, U, OUT] = [0, 1, 2, 3, 4, 5, 6];
  // i32 locals
  const r = 7;
  const c = 8;
  const o0 = 9;
  const o1 = 10;
  const end = 11;
  const rb = 12; // r * 8
  // f64 locals
  const v0 = 13;
  const w0 = 14;
  const u0 = 15;
  const v1 = 16;
  const w1 = 17;
  const u1 = 18;
  const d0 = 19;
  const b10 = 20;
  const d1 = 21;
  // v128 locals
  const V0 = 22;
  const W0 = 23;
  const U0 = 24;
  const V1 = 25;
  const W1 = 26;
  const U1 = 27;
  const S0 = 28;
  const S1 = 29;
  const vc = 30;
  const wc = 31;
  const uc = 32;
  const a0 = 33;
  const a1 = 34;
  const load = (base: number, offset: number, idx: number): Bytes => cat(get(base), get(idx), I32_ADD, f64Load(offset));
  const code = cat(
    i32(0),
    set(r),
    BLOCK,
    LOOP,
    // if r + 1 >= m: done
    get(r), i32(1), I32_ADD, get(M), I32_GE_S, brIf(1),
    get(r), i32(8), I32_MUL, set(rb),
    get(A), get(r), get(ROW), I32_MUL, I32_ADD, tee(o0), get(ROW), I32_ADD, set(o1),
    load(V, 0, rb), tee(v0), SPLAT, set(V0),
    load(W, 0, rb), tee(w0), SPLAT, set(W0),
    load(U, 0, rb), tee(u0), SPLAT, set(U0),
    load(V, 8, rb), tee(v1), SPLAT, set(V1),
    load(W, 8, rb), tee(w1), SPLAT, set(W1),
    load(U, 8, rb), tee(u1), SPLAT, set(U1),
    f64c(0), SPLAT, tee(S0), set(S1),
    i32(0), set(c),
    BLOCK,
    LOOP,
    get(c), get(rb), I32_GE_S, brIf(1),
    get(V), get(c), I32_ADD, v128Load(), set(vc),
    get(W), get(c), I32_ADD, v128Load(), set(wc),
    get(U), get(c), I32_ADD, v128Load(), set(uc),
    // a0 = A[o0 + c] − (V0 wc + W0 vc)
    get(o0), get(c), I32_ADD,
    get(o0), get(c), I32_ADD, v128Load(),
    get(V0), get(wc), VMUL, get(W0), get(vc), VMUL, VADD, VSUB, tee(a0), v128Store(),
    get(o1), get(c), I32_ADD,
    get(o1), get(c), I32_ADD, v128Load(),
    get(V1), get(wc), VMUL, get(W1), get(vc), VMUL, VADD, VSUB, tee(a1), v128Store(),
    get(S0), get(a0), get(uc), VMUL, VADD, set(S0),
    get(S1), get(a1), get(uc), VMUL, VADD, set(S1),
    // out[c] += a0 U0 + a1 U1
    get(OUT), get(c), I32_ADD,
    get(OUT), get(c), I32_ADD, v128Load(),
    get(a0), get(U0), VMUL, get(a1), get(U1), VMUL, VADD, VADD, v128Store(),
    get(c), i32(16), I32_ADD, set(c),
    br(0),
    END,
    END,
    // 2 × 2 diagonal block: d0 = A[r,r] − 2 v0 w0, b10 = A[r+1,r] − (v1 w0 + w1 v0), d1 = A[r+1,r+1] − 2 v1 w1
    get(o0), get(rb), I32_ADD, set(end),
    get(end), get(end), f64Load(), f64c(2), get(v0), F64_MUL, get(w0), F64_MUL, F64_SUB, tee(d0), f64Store(),
    get(o1), get(rb), I32_ADD, set(end),
    get(end), get(end), f64Load(), get(v1), get(w0), F64_MUL, get(w1), get(v0), F64_MUL, F64_ADD, F64_SUB, tee(b10), f64Store(),
    get(end), get(end), f64Load(8), f64c(2), get(v1), F64_MUL, get(w1), F64_MUL, F64_SUB, tee(d1), f64Store(8),
    // out[r] += s0 + d0 u0 + b10 u1 ; out[r+1] += s1 + b10 u0 + d1 u1
    get(OUT), get(rb), I32_ADD, set(end),
    get(end),
    get(end), f64Load(),
    get(S0), lane(0), get(S0), lane(1), F64_ADD,
    get(d0), get(u0), F64_MUL, F64_ADD, get(b10), get(u1), F64_MUL, F64_ADD,
    F64_ADD, f64Store(),
    get(end),
    get(end), f64Load(8),
    get(S1), lane(0), get(S1), lane(1), F64_ADD,
    get(b10), get(u0), F64_MUL, F64_ADD, get(d1), get(u1), F64_MUL, F64_ADD,
    F64_ADD, f64Store(8),
    get(r), i32(2), I32_ADD, set(r),
    br(0),
    END,
    END,
  );
  return body(
    [
      [6, I32],
      [9, F64],
      [13, V128],
    ],
    code,
  );
}

// ---- kernels: paired reflector application to four rows --------------------------------------------
function dotsBody(): Bytes {
  // params: 0 kBytes, 1 va, 2 vb, 3 x0, 4 x1, 5 x2, 6 x3, 7 result
  const [K, VA, VB, X0, X1, X2, X3, RES] = [0, 1, 2, 3, 4, 5, 6, 7];
  const c = 8;
  const [a, b, x] = [9, 10, 11];
  const acc = [12, 13, 14, 15, 16, 17, 18, 19]; // a0..a3, b0..b3
  const xs = [X0, X1, X2, X3];
  const inner: Bytes[] = [];
  for (let g = 0; g < 4; g++) {
    inner.push(
      get(xs[g]), get(c), I32_ADD, v128Load(), set(x),
      get(acc[g]), get(a), get(x), VMUL, VADD, set(acc[g]),
      get(acc[4 + g]), get(b), get(x), VMUL, VADD, set(acc[4 + g]),
    );
  }
  const stores: Bytes[] = acc.map((index, i) => cat(get(RES), get(index), lane(0), get(index), lane(1), F64_ADD, f64Store(8 * i)));
  const code = cat(
    ...acc.map((index) => cat(f64c(0), SPLAT, set(index))),
    i32(0), set(c),
    BLOCK,
    LOOP,
    get(c), get(K), I32_GE_S, brIf(1),
    get(VA), get(c), I32_ADD, v128Load(), set(a),
    get(VB), get(c), I32_ADD, v128Load(), set(b),
    ...inner,
    get(c), i32(16), I32_ADD, set(c),
    br(0),
    END,
    END,
    ...stores,
  );
  return body(
    [
      [1, I32],
      [11, V128],
    ],
    code,
  );
}

function updateBody(): Bytes {
  // params: 0 kBytes, 1 va, 2 vb, 3 x0, 4 x1, 5 x2, 6 x3, 7 coefficients
  const [K, VA, VB, X0, X1, X2, X3, COEF] = [0, 1, 2, 3, 4, 5, 6, 7];
  const c = 8;
  const p = 9;
  const [a, b] = [10, 11];
  const coef = [12, 13, 14, 15, 16, 17, 18, 19];
  const xs = [X0, X1, X2, X3];
  const inner: Bytes[] = [];
  for (let g = 0; g < 4; g++) {
    inner.push(
      get(xs[g]), get(c), I32_ADD, tee(p),
      get(p), v128Load(),
      get(coef[g]), get(a), VMUL, get(coef[4 + g]), get(b), VMUL, VADD, VSUB,
      v128Store(),
    );
  }
  const code = cat(
    ...coef.map((index, i) => cat(get(COEF), f64Load(8 * i), SPLAT, set(index))),
    i32(0), set(c),
    BLOCK,
    LOOP,
    get(c), get(K), I32_GE_S, brIf(1),
    get(VA), get(c), I32_ADD, v128Load(), set(a),
    get(VB), get(c), I32_ADD, v128Load(), set(b),
    ...inner,
    get(c), i32(16), I32_ADD, set(c),
    br(0),
    END,
    END,
  );
  return body(
    [
      [2, I32],
      [10, V128],
    ],
    code,
  );
}

/** The module's bytes (about 1.3 KB). @internal */
export function moduleBytes(): Uint8Array {
  const type7 = [0x60, ...vec(Array.from({ length: 7 }, () => [I32])), 0x00];
  const type8 = [0x60, ...vec(Array.from({ length: 8 }, () => [I32])), 0x00];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type7, type8])),
    // import memory "e" "m", min 1 page
    ...section(2, vec([[...name('e'), ...name('m'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0], [1], [1]])),
    ...section(
      7,
      vec([
        [...name('fused'), 0x00, 0],
        [...name('dots'), 0x00, 1],
        [...name('update'), 0x00, 2],
      ]),
    ),
    ...section(10, vec([fusedBody(), dotsBody(), updateBody()])),
  ];
  return new Uint8Array(bytes);
}

/** The instantiated kernels and their memory. @internal */
export interface WasmKernels {
  memory: WasmMemory;
  fused(a: number, rowBytes: number, m: number, v: number, w: number, u: number, out: number): void;
  dots(kBytes: number, va: number, vb: number, x0: number, x1: number, x2: number, x3: number, result: number): void;
  update(kBytes: number, va: number, vb: number, x0: number, x1: number, x2: number, x3: number, coefficients: number): void;
}

let compiled: WasmModule | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable (compiled once, synchronously). */
function compiledModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === 'object') {
      const bytes = moduleBytes();
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

let enabled = true;

/** Turns the WebAssembly kernels off (tests compare both paths) or back on. @internal */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** Largest memory the kernels will ask for: 2 GiB (wasm32 addresses, signed i32 arithmetic inside). @internal */
export const MAX_WASM_BYTES = 2 ** 31 - 65536;

/**
 * Kernels over a fresh memory of at least `bytes` bytes, or null when WebAssembly SIMD is unavailable,
 * disabled, or the size is beyond 2 GiB (the caller then uses the TypeScript kernels).
 * @internal
 */
export function createWasmKernels(bytes: number): WasmKernels | null {
  if (!enabled || bytes > MAX_WASM_BYTES) return null;
  const module = compiledModule();
  if (module === null) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) || 1 });
    const instance = new WebAssembly.Instance(module, { e: { m: memory } });
    const exports = instance.exports as unknown as Omit<WasmKernels, 'memory'>;
    return { memory, fused: exports.fused, dots: exports.dots, update: exports.update };
  } catch {
    return null; // e.g. the memory could not be allocated
  }
}
