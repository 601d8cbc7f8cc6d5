import { describe, expect, it } from 'vitest';
import { Random } from '@intrinsic/spectra';
import { KernelWorkspace, packPanels, roundUp4 } from './kernel-workspace.js';

/** C = A Bᵀ by the packed kernel of a workspace, on rows × n and cols × n operands. */
function product(ws: KernelWorkspace, A: Float64Array, B: Float64Array, rows: number, cols: number, n: number, upperOnly: boolean): Float64Array {
  const rp = roundUp4(rows);
  const cp = roundUp4(cols);
  const bOff = rp * n;
  const cOff = bOff + cp * n;
  const mem = ws.reserve(cOff + rp * cp);
  mem.fill(0, 0, cOff + rp * cp);
  mem.set(A, 0);
  packPanels(B, 0, cols, n, mem, bOff);
  ws.multiplyPacked(0, rp, bOff, cp, n, cOff, cp, upperOnly);
  const C = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) C[r * cols + c] = ws.memory[cOff + r * cp + c];
  return C;
}

describe('KernelWorkspace', () => {
  it('uses WebAssembly SIMD on Node 20', () => {
    expect(new KernelWorkspace().kind).toBe('wasm-simd');
    expect(new KernelWorkspace('javascript').kind).toBe('javascript');
  });

  it.each([
    [1, 1, 1],
    [5, 7, 3],
    [8, 8, 100],
    [13, 22, 17],
    [40, 9, 64],
  ])('C = A Bᵀ for %i × %i with n = %i: both kernels equal the sequential dot products bit for bit', (rows, cols, n) => {
    const rng = new Random(rows * 100 + cols);
    const A = rng.fillGaussian(new Float64Array(rows * n));
    const B = rng.fillGaussian(new Float64Array(cols * n));
    const expected = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += A[r * n + i] * B[c * n + i];
      expected[r * cols + c] = s;
    }
    for (const kind of ['auto', 'javascript'] as const) {
      const C = product(new KernelWorkspace(kind), A, B, rows, cols, n, false);
      expect(Array.from(C)).toEqual(Array.from(expected));
    }
  });

  it('the weighted product Σ_i A[r, i] (g_i B[c, i]) is the same sequential sum in both kernels', () => {
    const rng = new Random(17);
    const rows = 9;
    const cols = 6;
    const n = 23;
    const A = rng.fillGaussian(new Float64Array(rows * n));
    const B = rng.fillGaussian(new Float64Array(cols * n));
    const g = rng.fillGaussian(new Float64Array(n));
    for (const kind of ['auto', 'javascript'] as const) {
      const ws = new KernelWorkspace(kind);
      const rp = roundUp4(rows);
      const cp = roundUp4(cols);
      const bOff = rp * n;
      const cOff = bOff + cp * n;
      const gOff = cOff + rp * cp;
      const mem = ws.reserve(gOff + n);
      mem.fill(0, 0, gOff + n);
      mem.set(A, 0);
      packPanels(B, 0, cols, n, mem, bOff);
      mem.set(g, gOff);
      ws.multiplyPackedWeighted(0, rp, bOff, cp, n, cOff, cp, false, gOff);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += A[r * n + i] * (g[i] * B[c * n + i]);
        expect(ws.memory[cOff + r * cp + c]).toBe(s);
      }
    }
  });

  it('upperOnly computes every entry on or above the diagonal of a square product', () => {
    const rng = new Random(3);
    const n = 11;
    const rows = 10;
    const A = rng.fillGaussian(new Float64Array(rows * n));
    for (const kind of ['auto', 'javascript'] as const) {
      const C = product(new KernelWorkspace(kind), A, A, rows, rows, n, true);
      for (let r = 0; r < rows; r++) for (let c = r; c < rows; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += A[r * n + i] * A[c * n + i];
        expect(C[r * rows + c]).toBe(s);
      }
    }
  });

  it('keeps its contents when the memory grows', () => {
    for (const kind of ['auto', 'javascript'] as const) {
      const ws = new KernelWorkspace(kind);
      ws.reserve(10)[7] = 42;
      expect(ws.reserve(3_000_000)[7]).toBe(42);
      expect(ws.memory.length).toBeGreaterThanOrEqual(3_000_000);
    }
  });
});
