import { describe, expect, it } from 'vitest';
import { divergingColor, scaleValue } from './color-scale.js';

describe('colour scale', () => {
  it('maps ±vmax to the ends, 0 to white, and symlog by decades', () => {
    expect(scaleValue(2, { kind: 'linear', maxMagnitude: 4 })).toBe(0.5);
    expect(scaleValue(-8, { kind: 'linear', maxMagnitude: 4 })).toBe(-1);
    // symlog over 6 decades: |x| = vmax·10^−3 sits half way, 10^−6·vmax and below at 0.
    expect(scaleValue(4e-3, { kind: 'symlog', maxMagnitude: 4 })).toBeCloseTo(0.5, 14);
    expect(scaleValue(-4e-3, { kind: 'symlog', maxMagnitude: 4 })).toBeCloseTo(-0.5, 14);
    expect(scaleValue(4e-9, { kind: 'symlog', maxMagnitude: 4 })).toBe(0);
    expect(divergingColor(0)).toEqual([247, 247, 247]);
    expect(divergingColor(1)).toEqual([178, 24, 43]);
    expect(divergingColor(-1)).toEqual([33, 102, 172]);
    expect(divergingColor(-0.5)).toEqual([140, 175, 210]);
  });
});
