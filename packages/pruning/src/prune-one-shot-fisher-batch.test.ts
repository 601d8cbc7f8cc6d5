import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { MlpEvaluation } from '@intrinsic/models';
import { choleskyInverse } from './cholesky.js';
import { empiricalFisher } from './empirical-fisher.js';
import { pruneOneShot } from './prune-one-shot.js';
import { smallMlp } from './__fixtures__/small-mlp.js';
import { relativeError } from './__fixtures__/linear-algebra.js';

// 24 samples in mini-batches of B = 3: n = 8 gradient rows. Reference: the per-sample gradients of
// MlpEvaluation.perSampleGradients averaged in groups of 3 by hand (another code path than the
// mean-loss gradient the pruner uses), the dense Fisher λI + (1/n)GᵀG and its Cholesky inverse.
const { spec, params, data, loss, p } = smallMlp(24);
const B = 3;
const n = 8;
const damping = 1e-3;

function averagedGradients(): Float64Array {
  const perSample = new MlpEvaluation(spec, params, data, loss).perSampleGradients();
  const G = new Float64Array(n * p);
  for (let j = 0; j < n; j++) for (let i = 0; i < B; i++) for (let q = 0; q < p; q++) G[j * p + q] += perSample[(j * B + i) * p + q] / B;
  return G;
}

describe('pruneOneShot: mini-batch gradients (fisherBatch, WoodFisher --fisher-mini-bsz)', () => {
  it('woodfisher with fisherBatch 3 has the saliencies w²/(2[F⁻¹]_qq) and the OBS update of the dense Fisher of the 8 averaged gradients', () => {
    const G = averagedGradients();
    const Finv = choleskyInverse(empiricalFisher(G, { count: n, size: p, damping }), p);
    // One block over all of p, so the dense inverse is the reference for every entry.
    const result = pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, damping, fisherBatch: B, gradients: n, blockSize: p, blockBoundaries: 'none' });
    const expected = Float64Array.from(params, (w, q) => (w * w) / (2 * Finv[q * p + q]));
    expect(relativeError(result.saliencies, expected)).toBeLessThan(1e-9);
    // Superposed OBS update δw = −F⁻¹c, c_q = w_q/[F⁻¹]_qq on the pruned set; pruned entries end at 0.
    const c = new Float64Array(p);
    for (let q = 0; q < p; q++) if (result.mask[q] === 0) c[q] = params[q] / Finv[q * p + q];
    const updated = Float64Array.from(params);
    for (let i = 0; i < p; i++) for (let q = 0; q < p; q++) updated[i] -= Finv[i * p + q] * c[q];
    for (let q = 0; q < p; q++) if (result.mask[q] === 0) updated[q] = 0;
    expect(relativeError(result.params, updated)).toBeLessThan(1e-9);
    expect(result.details.fisherBatch).toBe(B);
    expect(result.details.gradients).toBe(n);
  });

  it('differs from per-sample gradients of the same samples (the rows are averages, not the samples)', () => {
    const batched = pruneOneShot(spec, params, data, loss, { method: 'diagonal-fisher', sparsity: 0.5, damping, fisherBatch: B, gradients: n });
    const perSample = pruneOneShot(spec, params, data, loss, { method: 'diagonal-fisher', sparsity: 0.5, damping, gradients: n * B });
    // ½ F_qq w² with F_qq = λ + (1/n) Σ_j G_jq²: checked against the hand-averaged rows.
    const G = averagedGradients();
    const expected = Float64Array.from(params, (w, q) => {
      let f = damping;
      for (let j = 0; j < n; j++) f += (G[j * p + q] * G[j * p + q]) / n;
      return 0.5 * f * w * w;
    });
    expect(relativeError(batched.saliencies, expected)).toBeLessThan(1e-12);
    expect(relativeError(batched.saliencies, perSample.saliencies)).toBeGreaterThan(0.1);
  });

  it('refuses a batch that does not fit the data, too many gradients for it, or kfac, in one line', () => {
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, fisherBatch: 0 })).toThrow(/fisherBatch must be an integer in 1…24/);
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, fisherBatch: 5, gradients: 5 })).toThrow(
      /gradients must be an integer in 1…4 \(24 samples in mini-batches of 5\), got 5/,
    );
    expect(() => pruneOneShot(spec, params, data, loss, { method: 'kfac', sparsity: 0.5, fisherBatch: 2 })).toThrow(InvalidArgumentError);
    // Without `gradients`, n = ⌊24/5⌋ = 4 mini-batches.
    expect(pruneOneShot(spec, params, data, loss, { method: 'woodfisher', sparsity: 0.5, fisherBatch: 5 }).details.gradients).toBe(4);
  });
});
