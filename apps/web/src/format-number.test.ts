import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatMagnitude } from './format-number.js';

describe('number formats of the results table', () => {
  it('writes magnitudes with four significant digits, scientific outside [1e-3, 1e5)', () => {
    expect(formatMagnitude(21.28745973911049)).toBe('21.29');
    expect(formatMagnitude(0.0014657825187407369)).toBe('0.001466');
    expect(formatMagnitude(1.2999e-12)).toBe('1.300e−12');
    expect(formatMagnitude(123456)).toBe('1.235e+5');
    expect(formatMagnitude(0)).toBe('0');
    expect(formatMagnitude(Number.NaN)).toBe('–');
    // Read back, the text is within half a unit of the fourth digit.
    for (const x of [3.14159e-7, 0.5, 99999.4, 4.2158622468838466e-16]) {
      const back = Number(formatMagnitude(x).replace(/−/g, '-'));
      expect(Math.abs(back - x) / x).toBeLessThan(5e-4);
    }
  });

  it('groups thousands and writes durations', () => {
    expect(formatCount(1588000)).toBe('1\u2009588\u2009000');
    expect(formatCount(275)).toBe('275');
    expect(formatDuration(830.4)).toBe('830 ms');
    expect(formatDuration(2449)).toBe('2.4 s');
  });
});
