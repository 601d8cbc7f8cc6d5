import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE_STATE,
  PAGE_LIMITS,
  parsePageFields,
  parsePageQuery,
  parseClasses,
  parseWidths,
  samePageState,
  widthsForMnist,
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
  init: 'orthogonal',
  arch: 'conv',
  classes: DEFAULT_PAGE_STATE.classes,
};

const MNIST: PageState = { ...DEFAULT_PAGE_STATE, widths: [64, 12, 3], data: 'mnist', classes: [1, 4, 7], init: 'he-normal' };

describe('page state in the URL', () => {
  it('round-trips the default and a non-default state through the query', () => {
    for (const state of [DEFAULT_PAGE_STATE, OTHER, MNIST]) {
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
    expect(serializePageState(DEFAULT_PAGE_STATE)).toBe('?widths=25,5,10,10&n=50&loss=mse&activation=linear&bias=0&seed=0&tolerance=numpy&data=gaussian&init=glorot-normal');
    expect(serializePageState(OTHER)).toContain('tolerance=abs:1e%2B3');
    // arch only when conv, classes only with MNIST (where they are used).
    expect(serializePageState(OTHER)).toMatch(/&init=orthogonal&arch=conv$/);
    expect(serializePageState(MNIST)).toBe('?widths=64,12,3&n=50&loss=mse&activation=linear&bias=0&seed=0&tolerance=numpy&data=mnist&init=he-normal&classes=1,4,7');
    expect(samePageState({ ...DEFAULT_PAGE_STATE, classes: [0, 1] }, DEFAULT_PAGE_STATE)).toBe(true);
  });

  it('reads MNIST class lists and fixes d = 64 and K = |classes| with a one-line note', () => {
    expect(parseClasses('7, 1,4')).toEqual([1, 4, 7]);
    expect(parseClasses('0-3')).toEqual([0, 1, 2, 3]);
    expect(() => parseClasses('1')).toThrow(/at least two digits/);
    expect(() => parseClasses('1,1,2')).toThrow(/twice/);
    expect(() => parseClasses('1,12')).toThrow(/class must be between 0 and 9, got 12/);
    const parsed = parsePageQuery('?widths=25,6,10&data=mnist&classes=0,1');
    expect(parsed.state.widths).toEqual([64, 6, 2]);
    expect(parsed.problems).toEqual(['MNIST 8×8 with classes 0,1 needs widths 64, …, 2 (d = 64 pixels, K = 2 classes); got 25,6,10; using 64,6,2']);
    expect(widthsForMnist([10, 3, 4, 5], [2, 5, 8])).toEqual([64, 3, 4, 3]);
  });

  it('rejects an unknown initialiser or architecture, naming the value', () => {
    expect(parsePageQuery('?init=xavier').problems).toEqual(["unknown initialiser 'xavier'; supported: glorot-normal, glorot-uniform, he-normal, orthogonal, pytorch-uniform"]);
    expect(parsePageQuery('?arch=rnn').problems).toEqual(["unknown architecture 'rnn'; supported: dense, conv"]);
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
      ['data', 'cifar', /unknown data 'cifar'; supported: gaussian, mixture, mnist/],
      ['init', 'zeros', /unknown initialiser 'zeros'/],
      ['arch', 'rnn', /unknown architecture 'rnn'; supported: dense, conv/],
      ['classes', '3', /classes '3' must list at least two digits/],
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
