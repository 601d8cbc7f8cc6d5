import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error.js';
import { trainSettings } from './train.js';

/**
 * Issue #10, adversarial input: the flags of `intrinsic train` (sizes like 28x28, class lists, fractions,
 * learning rates, batch sizes) from arbitrary text. Each set of values is either accepted — and then
 * every setting is in its documented range — or rejected with a one-line UsageError.
 */
const text = fc.oneof(
  fc.constantFrom('', ' ', '0', '1', '-1', '0.5', '1e-3', '1e999', 'NaN', 'Infinity', '-0', '28x28', '8x8', '0x0', '29x29', '7x8', 'x', '1,2', '0,9', '10', ',', 'full', 'ce', 'mse', 'adam', 'sgd', 'cpu', 'wasm', 'node', '1\n2', '٣'),
  fc.integer({ min: -3, max: 100 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.string({ maxLength: 8 }),
);
const maybe = (a: fc.Arbitrary<string>) => fc.option(a, { nil: undefined });

const values = fc.record({
  data: fc.oneof(fc.constantFrom('mnist', 'fashion-mnist', 'gaussian', 'mixture'), text),
  'input-size': maybe(text),
  classes: maybe(fc.oneof(text, fc.array(fc.integer({ min: -1, max: 11 }), { maxLength: 4 }).map((a) => a.join(',')))),
  'train-samples': maybe(text),
  'test-samples': maybe(text),
  normalization: fc.oneof(fc.constantFrom('none', 'center', 'standardize'), text),
  'label-noise': text,
  widths: maybe(text),
  activation: fc.oneof(fc.constantFrom('relu', 'tanh'), text),
  bias: fc.boolean(),
  'no-bias': fc.boolean(),
  init: fc.oneof(fc.constant('he-normal'), text),
  loss: fc.oneof(fc.constantFrom('ce', 'mse'), text),
  optimizer: fc.oneof(fc.constantFrom('adam', 'sgd'), text),
  lr: maybe(text),
  momentum: text,
  epochs: text,
  'batch-size': text,
  'target-grad-norm': maybe(text),
  seed: text,
  backend: maybe(text),
  out: maybe(fc.string({ maxLength: 5 })),
  resume: fc.boolean(),
  'checkpoint-every': text,
});

describe('trainSettings on arbitrary flag values (1,000 inputs)', () => {
  it('accepts only settings in range; rejects with a one-line UsageError', () => {
    fc.assert(
      fc.property(values, (v) => {
        let settings;
        try {
          settings = trainSettings(v);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
          expect(error.message.length).toBeLessThan(300);
          return;
        }
        expect(['mnist', 'fashion-mnist', 'gaussian', 'mixture']).toContain(settings.data);
        if (settings.side !== undefined) expect(Number.isInteger(settings.side) && settings.side >= 1 && settings.side <= 28).toBe(true);
        for (const c of settings.classes ?? []) expect(Number.isInteger(c) && c >= 0 && c <= 9).toBe(true);
        expect(Number.isSafeInteger(settings.trainSamples) && settings.trainSamples >= 1).toBe(true);
        expect(Number.isSafeInteger(settings.testSamples) && settings.testSamples >= 0).toBe(true);
        expect(settings.labelNoise >= 0 && settings.labelNoise <= 1).toBe(true);
        expect(settings.momentum >= 0 && settings.momentum < 1).toBe(true);
        if (settings.learningRate !== undefined) expect(settings.learningRate > 0 && Number.isFinite(settings.learningRate)).toBe(true);
        if (settings.batchSize !== undefined) expect(Number.isSafeInteger(settings.batchSize) && settings.batchSize >= 1).toBe(true);
        expect(Number.isSafeInteger(settings.epochs) && settings.epochs >= 0).toBe(true);
        expect(Number.isSafeInteger(settings.checkpointEvery) && settings.checkpointEvery >= 1).toBe(true);
        expect(v.bias && v['no-bias']).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
