import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntrinsicError } from './errors.js';
import { formatTolerancePolicy, parseTolerancePolicy } from './numerical-rank.js';

/**
 * Issue #10, adversarial input: the tolerance policy `numpy | rel:X | abs:X` of `--tolerance`. Every string
 * either parses to exactly what the grammar says (checked against a reference parse written here) or is
 * rejected with a one-line InvalidArgumentError.
 */
const RUNS = { numRuns: 1000 };

/** Reference: the grammar, independently. */
function reference(text: string): { kind: string; value?: number } | null {
  const t = text.trim();
  if (t === 'numpy') return { kind: 'numpy' };
  for (const [prefix, kind] of [['rel:', 'relative'], ['abs:', 'absolute']] as const) {
    if (t.startsWith(prefix)) {
      const rest = t.slice(prefix.length);
      if (rest.includes('\n') || rest.includes('\r') || rest.includes('\u2028') || rest.includes('\u2029')) return null;
      const value = Number(rest);
      return rest.trim() !== '' && Number.isFinite(value) && value > 0 ? { kind, value } : null;
    }
  }
  return null;
}

const numberText = fc.oneof(
  fc.double().map(String),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '0', '-0', '1e-10', '1e309', '0x10', '1_000', '', ' ', '1e-400', '5e-324', '.5', '1.', '+1', '--1', '1e', 'abc', '1\n2'),
  fc.string({ maxLength: 6 }),
);
const policyText = fc.oneof(
  fc.tuple(fc.constantFrom('rel:', 'abs:', 'REL:', 'rel', 'rel::', ' abs:', 'rel: ', 'numpy:', ''), numberText).map(([a, b]) => a + b),
  fc.constantFrom('numpy', ' numpy ', 'NUMPY', 'numpy\n', 'num py', 'numpy2'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

describe('parseTolerancePolicy on adversarial text (1,000 inputs each)', () => {
  it('matches the reference grammar; rejections are one-line InvalidArgumentErrors', () => {
    fc.assert(fc.property(policyText, (text) => {
      const expected = reference(text);
      try {
        const policy = parseTolerancePolicy(text);
        expect(expected).not.toBeNull();
        expect(policy).toEqual(expected);
        // And the text form round-trips.
        expect(parseTolerancePolicy(formatTolerancePolicy(policy))).toEqual(policy);
      } catch (error) {
        if (!IntrinsicError.isInstance(error)) throw error;
        expect(expected).toBeNull();
        expect(error.code).toBe('invalid-argument');
        expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(error.message.length).toBeLessThan(200);
      }
    }), RUNS);
  });

  it('non-string input from JavaScript callers is rejected, not a TypeError', () => {
    fc.assert(fc.property(fc.anything().filter((v) => typeof v !== 'string'), (value) => {
      expect(() => parseTolerancePolicy(value as string)).toThrow(/^tolerance must be a string \(numpy, rel:X or abs:X\), got /);
    }), RUNS);
  });
});
