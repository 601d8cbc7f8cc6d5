import { describe, expect, it } from 'vitest';
import { cubicSparsity } from './cubic-sparsity-schedule.js';
import { pruneGradually } from './prune-gradually.js';
import { smallMlp } from './__fixtures__/small-mlp.js';

describe('pruneGradually', () => {
  it('hits round(s_t·18) pruned weights at every step with nested masks, and re-zeroes after fine-tuning', () => {
    const { spec, params, data, loss } = smallMlp();
    const calls: number[] = [];
    const result = pruneGradually(spec, params, data, loss, {
      method: 'magnitude',
      finalSparsity: 0.8,
      steps: 4,
      // A "fine-tuning" that moves every weight, pruned ones included: pruneGradually must zero them again.
      fineTune: (theta, _mask, step) => {
        calls.push(step);
        return theta.map((w) => w + 0.01);
      },
    });
    expect(calls).toEqual([0, 1, 2, 3, 4]);
    for (let t = 0; t <= 4; t++) {
      expect(result.schedule[t]).toBe(cubicSparsity(t, { finalSparsity: 0.8, steps: 4 }));
      expect(result.steps[t].sparsity.prunable.pruned).toBe(Math.round(result.schedule[t] * 18));
      if (t > 0) for (let q = 0; q < params.length; q++) if (result.steps[t - 1].mask[q] === 0) expect(result.steps[t].mask[q]).toBe(0);
    }
    expect(result.steps[4].sparsity.prunable.pruned).toBe(14); // round(0.8 · 18) = round(14.4)
    for (let q = 0; q < params.length; q++) {
      if (result.mask[q] === 0) expect(result.params[q]).toBe(0);
      else expect(result.params[q]).not.toBe(0);
    }
  });

  it('rejects a schedule that would un-prune', () => {
    const { spec, params, data, loss } = smallMlp();
    expect(() => pruneGradually(spec, params, data, loss, { method: 'magnitude', initialSparsity: 0.5, finalSparsity: 0.2, steps: 2 })).toThrow(
      /initialSparsity 0.5 is above finalSparsity 0.2/,
    );
  });
});
