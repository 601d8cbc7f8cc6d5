import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeMismatchError } from '../errors.js';
import { Random } from '../random.js';
import { checkOperatorDeterminism } from './check-operator-determinism.js';
import { checkedOperator } from './checked-operator.js';
import { denseOperator } from './dense-operator.js';
import { linearOperator } from './linear-operator.js';
import { scaledOperator } from './scaled-operator.js';
import { subBlockOperator } from './sub-block-operator.js';
import { sumOperator } from './sum-operator.js';

const n = 7;
const random = new Random(99);
const M = random.fillGaussian(new Float64Array(n * n));
const S = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = M[i * n + j] + M[j * n + i];
const x = random.fillGaussian(new Float64Array(n));
const X = random.fillGaussian(new Float64Array(3 * n)); // 3 vectors, one after another

/** Reference product with explicit loops. */
function multiply(A: Float64Array, size: number, v: Float64Array): Float64Array {
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) y[i] += A[i * size + j] * v[j];
  return y;
}
function expectClose(actual: Float64Array, expected: Float64Array, tolerance = 1e-13): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance * (1 + Math.abs(expected[i])));
}

describe('denseOperator', () => {
  it('applies A to one vector and to a block (vector j at j·n), into a given output', () => {
    const op = denseOperator(M, n);
    expect(op.symmetric).toBe(false);
    expectClose(op.apply(x), multiply(M, n, x));
    const out = new Float64Array(3 * n);
    expect(op.applyBlock(X, 3, out)).toBe(out);
    for (let c = 0; c < 3; c++) expectClose(out.subarray(c * n, (c + 1) * n), multiply(M, n, X.subarray(c * n, (c + 1) * n)));
  });
  it('detects symmetry and checks a declared one', () => {
    expect(denseOperator(S, n).symmetric).toBe(true);
    expect(denseOperator(M, n, { symmetric: false }).symmetric).toBe(false);
    expect(() => denseOperator(M, n, { symmetric: true })).toThrow(/declared symmetric but max \|a_ij − a_ji\|/);
  });
  it('rejects bad shapes and entries', () => {
    expect(() => denseOperator(new Float64Array(5), 2)).toThrow(ShapeMismatchError);
    expect(() => denseOperator(new Float64Array([1, Number.NaN, 0, 1]), 2)).toThrow('denseOperator: matrix entry (0, 1) is NaN');
    expect(() => denseOperator(new Float64Array(0), 0)).toThrow(InvalidArgumentError);
    const op = denseOperator(S, n);
    expect(() => op.apply(new Float64Array(n + 1))).toThrow(/apply: input has 8 entries, expected 1 × 7 = 7/);
    expect(() => op.applyBlock(X, 2)).toThrow(ShapeMismatchError);
    expect(() => op.apply(x, x)).toThrow(/output must not overlap the input/);
  });
});

describe('operator algebra', () => {
  it('sumOperator and scaledOperator match the dense sum and multiple', () => {
    const sum = sumOperator([denseOperator(S, n), scaledOperator(-2.5, denseOperator(M, n))]);
    const combined = S.map((v, i) => v - 2.5 * M[i]);
    expect(sum.symmetric).toBe(false);
    expectClose(sum.apply(x), multiply(combined, n, x));
    const block = sum.applyBlock(X, 3);
    for (let c = 0; c < 3; c++) expectClose(block.subarray(c * n, (c + 1) * n), multiply(combined, n, X.subarray(c * n, (c + 1) * n)));
    expect(sumOperator([denseOperator(S, n), denseOperator(S, n)]).symmetric).toBe(true);
    expect(() => sumOperator([])).toThrow(InvalidArgumentError);
    expect(() => sumOperator([denseOperator(S, n), denseOperator(new Float64Array(4), 2)])).toThrow(/operator 1 has size 2, operator 0 has size 7/);
    expect(() => scaledOperator(Number.NaN, denseOperator(S, n))).toThrow(InvalidArgumentError);
  });

  it('subBlockOperator is the principal block [A]_{I,I} in the order of I', () => {
    const indices = [5, 0, 3];
    const block = new Float64Array(9);
    indices.forEach((i, a) => indices.forEach((j, b) => (block[a * 3 + b] = S[i * n + j])));
    const sub = subBlockOperator(denseOperator(S, n), indices);
    expect(sub.size).toBe(3);
    expect(sub.symmetric).toBe(true);
    const v = new Float64Array([0.3, -1, 2]);
    expectClose(sub.apply(v), multiply(block, 3, v));
    const V = new Float64Array([0.3, -1, 2, 1, 1, 1]);
    const W = sub.applyBlock(V, 2);
    expectClose(W.subarray(3, 6), multiply(block, 3, V.subarray(3, 6)));
    expect(() => subBlockOperator(denseOperator(S, n), [1, 1])).toThrow('subBlockOperator: index 1 appears twice');
    expect(() => subBlockOperator(denseOperator(S, n), [7])).toThrow(/index 0 is 7, expected an integer in \[0, 7\)/);
    expect(() => subBlockOperator(denseOperator(S, n), [])).toThrow(InvalidArgumentError);
  });

  it('linearOperator supplies a block product from apply', () => {
    const op = linearOperator({ size: n, symmetric: true, apply: (v, y) => y.set(multiply(S, n, v)) });
    const block = op.applyBlock(X, 3);
    for (let c = 0; c < 3; c++) expectClose(block.subarray(c * n, (c + 1) * n), multiply(S, n, X.subarray(c * n, (c + 1) * n)));
    expect(() => linearOperator({ size: 0, symmetric: true, apply: () => {} })).toThrow(InvalidArgumentError);
  });
});

describe('checkedOperator and checkOperatorDeterminism', () => {
  it('checkedOperator passes finite products through and names the bad entry otherwise', () => {
    const ok = checkedOperator(denseOperator(S, n), { name: 'hessian' });
    expectClose(ok.apply(x), multiply(S, n, x));
    let calls = 0;
    const flaky = linearOperator({
      size: 4,
      symmetric: true,
      apply: (v, y) => {
        calls++;
        y.set(v);
        if (calls === 2) y[3] = Number.NEGATIVE_INFINITY;
      },
    });
    const checked = checkedOperator(flaky, { name: 'hessian' });
    checked.apply(new Float64Array(4));
    expect(() => checked.apply(new Float64Array(4))).toThrow(NonFiniteError);
    const block = checkedOperator(linearOperator({ size: 2, symmetric: true, apply: (v, y) => { y.set(v); y[1] = v[1] * Number.NaN; } }));
    expect(() => block.applyBlock(new Float64Array(4), 2)).toThrow('checkedOperator(operator): product 1, vector 0: entry 1 of the product is NaN');
  });

  it('checkOperatorDeterminism accepts a fixed map and rejects a changing one', () => {
    expect(checkOperatorDeterminism(denseOperator(S, n))).toEqual({ maxDifference: 0, entry: -1, matvecs: 2 });
    let calls = 0;
    const drifting = linearOperator({
      size: 5,
      symmetric: true,
      apply: (v, y) => {
        calls++;
        for (let i = 0; i < 5; i++) y[i] = v[i] * (i === 2 && calls % 2 === 0 ? 1 + 1e-9 : 1);
      },
    });
    expect(() => checkOperatorDeterminism(drifting)).toThrow(/two products of the same vector differ at entry 2/);
    calls = 0;
    expect(checkOperatorDeterminism(drifting, { tolerance: 1e-8 }).entry).toBe(2);
  });
});
