import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE_STATE,
  PAGE_LIMITS,
  parsePageFields,
  parsePageQuery,
  parseWidths,
  samePageState,
  serializePageState,
  type PageState,
} from './page-state.js';

const OTHER: PageState = {
  widths: [8, 5, 3],
  samples: 20,
  loss: 'cross-entropy',
  activation: 'leaky-relu',
  bias: true,
  seed: 12345,
  tolerance: 'abs:1e+3',
  data: 'mixture',
};

describe('page state in the URL', () => {
  it('round-trips the default and a non-default state through the query', () => {
    for (const state of [DEFAULT_PAGE_STATE, OTHER]) {
      const query = serializePageState(state);
      const parsed = parsePageQuery(query);
      expect(parsed.problems).toEqual([]);
      expect(parsed.state).toEqual(state);
      // Through a real URL, as the browser hands it back in location.search.
      const url = new URL('https://example.org/intrinsic/' + query);
      expect(parsePageQuery(url.search).state).toEqual(state);
    }
  });

  it('writes a readable query: commas and colons kept, + escaped so it does not read back as a space', () => {
    expect(serializePageState(DEFAULT_PAGE_STATE)).toBe('?widths=25,5,10,10&n=50&loss=mse&activation=linear&bias=0&seed=0&tolerance=numpy&data=gaussian');
    expect(serializePageState(OTHER)).toContain('tolerance=abs:1e%2B3');
  });

  it('takes the default for each missing field', () => {
    expect(parsePageQuery('').state).toEqual(DEFAULT_PAGE_STATE);
    const parsed = parsePageQuery('?widths=6,4,2&seed=9');
    expect(parsed.problems).toEqual([]);
    expect(parsed.state).toEqual({ ...DEFAULT_PAGE_STATE, widths: [6, 4, 2], seed: 9 });
  });

  it('rejects each bad value with a one-line message naming it, keeping the other fields', () => {
    const cases: [string, string, RegExp][] = [
      ['widths', '25', /at least an input and an output width/],
      ['widths', '25,0,10', /width 1 must be between 1 and 100000, got 0/],
      ['widths', '25,a,10', /width 1 must be an integer, got 'a'/],
      ['widths', '25,5.5,10', /width 1 must be an integer, got '5.5'/],
      ['widths', Array(PAGE_LIMITS.maxLayers + 2).fill(3).join(','), /at most 21 are allowed/],
      ['n', '0', /samples N must be between 1 and 100000, got 0/],
      ['n', '1e3', /samples N must be an integer, got '1e3'/],
      ['n', '', /samples N must be an integer, got ''/],
      ['loss', 'hinge', /unknown loss 'hinge'; supported: mse, cross-entropy/],
      ['activation', 'swish', /unknown activation 'swish'; supported: linear, relu/],
      ['bias', 'maybe', /bias must be 1 or 0 \(true or false\), got 'maybe'/],
      ['data', 'mnist', /unknown data 'mnist'; supported: gaussian, mixture/],
      ['seed', '-1', /seed must be between 0 and 2147483647, got -1/],
      ['seed', '1.5', /seed must be an integer, got '1.5'/],
      ['tolerance', 'rel:-1', /tolerance 'rel:-1'/],
      ['tolerance', 'loose', /tolerance 'loose' is not one of numpy, rel:X, abs:X/],
    ];
    for (const [key, value, message] of cases) {
      // One other field set to a good value, which must survive the bad one.
      const other = key === 'seed' ? { query: 'n=7', state: { samples: 7 } } : { query: 'seed=4', state: { seed: 4 } };
      const parsed = parsePageQuery(`?${other.query}&${key}=${encodeURIComponent(value)}`);
      expect(parsed.problems, `${key}=${value}`).toHaveLength(1);
      expect(parsed.problems[0]).toMatch(message);
      expect(parsed.problems[0]).not.toContain('\n');
      expect(parsed.state, `${key}=${value}`).toEqual({ ...DEFAULT_PAGE_STATE, ...other.state });
    }
  });

  it('reports every bad field at once', () => {
    const parsed = parsePageFields({ widths: 'x', n: '-3', loss: 'l1', tolerance: 'abs:0' });
    expect(parsed.problems).toHaveLength(4);
    expect(parsed.state).toEqual(DEFAULT_PAGE_STATE);
  });

  it('reads widths separated by commas, spaces or ×', () => {
    expect(parseWidths(' 25, 5 ,10,10 ')).toEqual([25, 5, 10, 10]);
    expect(parseWidths('25 x 5 × 10')).toEqual([25, 5, 10]);
    expect(parseWidths('784 2000 10')).toEqual([784, 2000, 10]);
  });

  it('compares states by their query', () => {
    expect(samePageState(DEFAULT_PAGE_STATE, { ...DEFAULT_PAGE_STATE, widths: [25, 5, 10, 10] })).toBe(true);
    expect(samePageState(DEFAULT_PAGE_STATE, { ...DEFAULT_PAGE_STATE, bias: true })).toBe(false);
  });
});
