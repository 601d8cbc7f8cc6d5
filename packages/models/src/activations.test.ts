import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activationFunctions, erf } from './activations.js';

describe('activations', () => {
  it('erf matches reference values (Abramowitz & Stegun table 7.1)', () => {
    // erf(0.5) = 0.5204998778130465, erf(1) = 0.8427007929497149, erf(2) = 0.9953222650189527
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
    expect(erf(7)).toBe(1);
  });

  it.each(ACTIVATIONS)('%s: first and second derivatives match central differences', (name) => {
    const f = activationFunctions(name);
    const h = 1e-5;
    for (const x of [-2.3, -0.7, 0.4, 1.9]) {
      expect(f.first(x)).toBeCloseTo((f.value(x + h) - f.value(x - h)) / (2 * h), 8);
      expect(f.second(x)).toBeCloseTo((f.first(x + h) - f.first(x - h)) / (2 * h), 7);
    }
  });

  it('rejects unknown names', () => {
    expect(() => activationFunctions('swish' as never)).toThrow(/unknown activation 'swish'/);
  });
});
