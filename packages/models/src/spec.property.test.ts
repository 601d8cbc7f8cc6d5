import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntrinsicError } from '@intrinsic/spectra';
import { ACTIVATIONS } from './activations.js';
import { inferNetworkShapes, LAYER_TYPES, validateNetworkSpec } from './network/index.js';
import { describeValue, INITIALIZERS, mlpSpec, validateMlpSpec } from './spec.js';

/**
 * Issue #10, adversarial input: model specs as they arrive from JSON files (run folders, --model) —
 * malformed, wrong types, huge, NaN/Infinity, wrong shapes. Every input is either accepted (and then
 * really is a valid spec) or rejected with an IntrinsicError whose message is one short line.
 */
const RUNS = { numRuns: 1000 };

/** Runs `f`; returns 'ok', or the rejection after checking that it is a clean one-line IntrinsicError. */
export function acceptOrCleanError(f: () => unknown): 'ok' | 'rejected' {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (!IntrinsicError.isInstance(error)) throw new Error(`not an IntrinsicError: ${(error as Error)?.stack ?? String(error)}`);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.message.length).toBeLessThan(400);
    return 'rejected';
  }
}

/** Numbers users and broken files produce: NaN, ±Infinity, −0, fractions, huge, negative, unsafe integers. */
const nastyNumber = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1, 2, 0.5, -1, 2 ** 53, 2 ** 53 + 2, 1e300, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer({ min: -5, max: 40 }),
  fc.double(),
);
/** Any JSON-ish value, including the wrong types for every field. */
const anyValue = fc.oneof(nastyNumber, fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(nastyNumber, { maxLength: 4 }), fc.object({ maxDepth: 1 }));

const widthsArbitrary = fc.oneof(fc.array(fc.oneof(fc.integer({ min: 1, max: 12 }), nastyNumber), { maxLength: 6 }), anyValue);
const mlpLike = fc.record(
  {
    kind: fc.oneof(fc.constant('mlp'), anyValue),
    widths: widthsArbitrary,
    activation: fc.oneof(fc.constantFrom(...ACTIVATIONS), anyValue),
    bias: fc.oneof(fc.boolean(), anyValue),
    init: fc.oneof(fc.constantFrom(...INITIALIZERS), anyValue),
    seed: fc.oneof(fc.integer(), nastyNumber, anyValue),
    leakySlope: fc.oneof(fc.double(), anyValue),
  },
  { requiredKeys: [] },
);

describe('describeValue (error-message quoting)', () => {
  it('is one short line for any value, and never throws (BigInt, cycles, multi-line strings)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [10n, cyclic, 'a\nb\u2028c', Symbol('s'), () => 1, 'x'.repeat(1000)]) {
      const text = describeValue(value);
      expect(text).not.toMatch(/[\r\n\u2028]/);
      expect(text.length).toBeLessThanOrEqual(61);
    }
    fc.assert(fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true }), (value) => {
      const text = describeValue(value);
      expect(text).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(text.length).toBeLessThanOrEqual(61);
    }), RUNS);
  });
});

describe('validateMlpSpec / mlpSpec on adversarial input (1,000 inputs each)', () => {
  it('arbitrary values: accepted only when valid, else a one-line IntrinsicError', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withNullPrototype: true }), (value) => {
      expect(acceptOrCleanError(() => validateMlpSpec(value))).toBe('rejected');
    }), RUNS);
  });

  it('spec-shaped records with wrong types, NaN, Infinity, huge and fractional widths', () => {
    fc.assert(fc.property(mlpLike, (spec) => {
      const outcome = acceptOrCleanError(() => validateMlpSpec(spec));
      // The independent reference for "valid": every field checked here by its definition.
      const s = spec as Record<string, unknown>;
      const valid =
        s.kind === 'mlp' &&
        Array.isArray(s.widths) && s.widths.length >= 2 && s.widths.every((w) => typeof w === 'number' && Number.isSafeInteger(w) && w >= 1) &&
        (ACTIVATIONS as readonly unknown[]).includes(s.activation) &&
        typeof s.bias === 'boolean' &&
        (INITIALIZERS as readonly unknown[]).includes(s.init) &&
        typeof s.seed === 'number' && Number.isSafeInteger(s.seed) &&
        (s.leakySlope === undefined || (typeof s.leakySlope === 'number' && Number.isFinite(s.leakySlope)));
      expect(outcome).toBe(valid ? 'ok' : 'rejected');
    }), RUNS);
  });

  it('mlpSpec(options) with partial, wrong-typed options', () => {
    fc.assert(fc.property(mlpLike, (options) => {
      const { kind: _kind, ...rest } = options as Record<string, unknown>;
      acceptOrCleanError(() => mlpSpec(rest as Parameters<typeof mlpSpec>[0]));
    }), RUNS);
  });

  it('JSON text, truncated at every length: parse errors are the caller’s, the parsed value gives a clean error or a valid spec', () => {
    const text = JSON.stringify(mlpSpec({ widths: [3, 4, 2], activation: 'tanh', bias: true }));
    fc.assert(fc.property(fc.integer({ min: 0, max: text.length }), fc.string({ maxLength: 4 }), (cut, tail) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text.slice(0, cut) + tail);
      } catch {
        return; // not JSON at all: the file readers report that (see loadMlpModel)
      }
      acceptOrCleanError(() => validateMlpSpec(parsed));
    }), RUNS);
  });
});

/** Mostly well-formed values, sometimes broken ones, so that both paths of the validator are exercised. */
function mostly<T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });
}

const sizeValue = mostly(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map((t) => [...t])), fc.oneof(nastyNumber, anyValue));
const layerLike = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant('dense'), units: fc.integer({ min: 1, max: 8 }) }), weight: 6 },
  fc.record({ type: fc.constant('dense'), units: fc.oneof(fc.integer({ min: 1, max: 8 }), nastyNumber, anyValue), bias: fc.oneof(fc.boolean(), anyValue) }, { requiredKeys: ['type'] }),
  fc.record(
    {
      type: fc.constantFrom('conv1d', 'conv2d', 'locally-connected1d', 'locally-connected2d'),
      filters: fc.oneof(fc.integer({ min: 1, max: 4 }), nastyNumber),
      kernel: sizeValue,
      stride: sizeValue,
      padding: fc.oneof(fc.constantFrom('valid', 'same'), fc.integer({ min: 0, max: 3 }), sizeValue),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constantFrom('avgpool', 'maxpool'), size: sizeValue, stride: sizeValue }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('flatten') }),
  fc.record({ type: fc.constant('activation'), activation: fc.oneof(fc.constantFrom(...ACTIVATIONS), anyValue) }),
  fc.record({ type: fc.oneof(fc.constantFrom(...LAYER_TYPES), anyValue) }),
  anyValue,
);
const networkLike = fc.record(
  {
    kind: mostly(fc.constant('network'), anyValue),
    input: mostly(fc.array(mostly(fc.integer({ min: 1, max: 10 }), nastyNumber), { minLength: 1, maxLength: 3 }), anyValue),
    layers: mostly(fc.array(layerLike, { minLength: 1, maxLength: 4 }), anyValue),
    init: mostly(fc.constantFrom(...INITIALIZERS), anyValue),
    seed: mostly(fc.integer(), nastyNumber),
    bias: mostly(fc.boolean(), anyValue),
    leakySlope: mostly(fc.double({ noNaN: true, noDefaultInfinity: true }), anyValue),
  },
  { requiredKeys: ['kind', 'input', 'layers', 'init', 'seed', 'bias'] },
);

describe('validateNetworkSpec on adversarial input (1,000 inputs each)', () => {
  it('arbitrary values are rejected with a one-line IntrinsicError', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true }), (value) => {
      expect(acceptOrCleanError(() => validateNetworkSpec(value))).toBe('rejected');
    }), RUNS);
  });

  it('layered specs with wrong kernels, strides, paddings, ranks and types: valid ones have consistent shapes', () => {
    let accepted = 0;
    fc.assert(fc.property(networkLike, (spec) => {
      if (acceptOrCleanError(() => validateNetworkSpec(spec)) === 'ok') {
        accepted++;
        // Accepted specs really have a geometry: every layer's output feeds the next layer's input.
        const shapes = inferNetworkShapes(spec as never);
        for (let i = 1; i < shapes.length; i++) expect(shapes[i].inputShape).toEqual(shapes[i - 1].outputShape);
        for (const shape of shapes) expect(shape.outputShape.every((n) => Number.isSafeInteger(n) && n >= 1)).toBe(true);
      }
    }), RUNS);
    // The arbitrary is not all garbage: some specs are valid.
    expect(accepted).toBeGreaterThan(50);
  });
});
