import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import { choleskyInverse } from './cholesky.js';
import { woodburyFisherInverse } from './woodbury-fisher-inverse.js';
import { distanceToIdentity, matmul, referenceFisher, relativeError } from './__fixtures__/linear-algebra.js';

describe('woodburyFisherInverse', () => {
  it('equals the Cholesky inverse of λI + (1/n)GᵀG to 1e-10 relative (n < p and n > p)', () => {
    for (const [n, p] of [
      [6, 20],
      [40, 15],
    ]) {
      const G = new Random(n + p).fillGaussian(new Float64Array(n * p));
      const damping = 0.05;
      const F = referenceFisher(G, n, p, damping);
      const inverse = woodburyFisherInverse(G, { count: n, size: p, damping });
      expect(relativeError(inverse, choleskyInverse(F, p))).toBeLessThan(1e-10);
      expect(distanceToIdentity(matmul(F, inverse, p, p, p), p)).toBeLessThan(1e-10);
    }
  });

  it('with one gradient g matches Sherman–Morrison by hand: λ⁻¹I − g gᵀ / (λ² (1 + gᵀg/λ))', () => {
    const g = new Float64Array([1, 2, -1]);
    const lambda = 0.5;
    const inverse = woodburyFisherInverse(g, { count: 1, size: 3, damping: lambda });
    const gg = 6;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const expected = (a === b ? 1 / lambda : 0) - (g[a] * g[b]) / (lambda * lambda * (1 + gg / lambda));
        expect(inverse[a * 3 + b]).toBeCloseTo(expected, 14);
      }
    }
  });

  it('requires a positive damping', () => {
    expect(() => woodburyFisherInverse(new Float64Array(3), { count: 1, size: 3, damping: 0 })).toThrow(InvalidArgumentError);
  });
});
