import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW_STATE, parseSweepRange, parseViewQuery, serializeViewState, type ViewState } from './view-state.js';

describe('view state in the URL', () => {
  it('writes nothing for the default view, and round-trips a changed one', () => {
    expect(serializeViewState(DEFAULT_VIEW_STATE)).toBe('');
    const view: ViewState = { matrix: 'functional', color: 'linear', sweepLayer: 2, sweepFrom: 3, sweepTo: 9, topK: 5, trainEpochs: 50, trainCheckpoints: 4, learningRate: 0.003, panelModel: 'trained', trainEngine: 'tfjs-wasm' };
    const query = serializeViewState(view);
    expect(query).toBe('&matrix=functional&color=linear&sweeplayer=2&sweep=3-9&topk=5&epochs=50&checkpoints=4&lr=0.003&model=trained&engine=tfjs-wasm');
    expect(parseViewQuery('?widths=1,2' + query)).toEqual({ view, problems: [] });
  });

  it('takes the default for a bad value and says which', () => {
    const { view, problems } = parseViewQuery('?matrix=ggn&sweep=9-3&topk=0&lr=-1');
    expect(view).toEqual(DEFAULT_VIEW_STATE);
    expect(problems).toEqual([
      'sweep range 9-3 is empty: the end must be at least the start',
      "unknown matrix 'ggn'; supported: hessian, outer, functional",
      'top k must be between 1 and 100, got 0',
      "learning rate must be a number in (0, 10], got '-1'",
    ]);
    expect(() => parseSweepRange('1-100')).toThrow('sweep range 1-100 has 100 widths, at most 64 are allowed');
  });
});
