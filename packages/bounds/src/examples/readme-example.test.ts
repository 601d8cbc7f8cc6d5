import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceKlInverseUpper } from '../pac-bayes/__fixtures__/kl-reference.js';
import { initializeParameters, mlpSpec } from '@intrinsic/models';
import { readmeExample } from './readme-example.js';

describe('README example', () => {
  it('is the README code block verbatim (with the package import)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Example')));
    const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8').replace("from '../index.js'", "from '@intrinsic/bounds'");
    expect(block?.[1]).toBe(source);
  });

  it('produces the numbers the README states', () => {
    const r = readmeExample();
    const ref = referenceKlInverseUpper(0.03, (5000 + Math.log((2 * Math.sqrt(55000)) / 0.025)) / 55000);
    expect(Math.abs(r.seeger - ref)).toBeLessThan(1e-12);
    expect(r.sameByHand).toBe(r.seeger);
    expect(r.seeger).toBeCloseTo(0.16178, 5); // as stated in the README
    // Dziugaite–Roy, recomputed independently: naive Gaussian KL, then two bisection kl inversions.
    const lambda = 0.1 * Math.exp(-2);
    const w0 = initializeParameters(mlpSpec({ widths: [4, 8, 3], activation: 'relu', bias: true, seed: 1 }));
    let kl = 0;
    for (let i = 0; i < w0.length; i++) kl += 0.5 * ((0.0004 + (0.05 * Math.sin(i)) ** 2) / lambda - 1 + Math.log(lambda / 0.0004));
    expect(Math.abs(r.dr.kl - kl)).toBeLessThan(1e-10 * kl);
    const eUp = referenceKlInverseUpper(0.03, Math.log(200) / 10000);
    const c = (kl + 2 * Math.log(200) + Math.log(Math.PI ** 2 / 6) + Math.log((2 * Math.sqrt(55000)) / 0.025)) / 55000;
    expect(Math.abs(r.dr.bound - referenceKlInverseUpper(eUp, c))).toBeLessThan(1e-12);
    expect(r.dr.bound).toBeCloseTo(0.04887, 5);
    expect(r.dr.confidence).toBeCloseTo(0.965, 15);
    expect(r.lower).toBeLessThanOrEqual(r.upper);
    expect(r.upper).toBeCloseTo(2.676, 3);
    expect(r.lower).toBeCloseTo(1.105, 3);
  });
});
