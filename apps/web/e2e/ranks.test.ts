import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { analyzeHessianRanks, linearNetworkRankPrediction, type HessianRankAnalysis } from '@intrinsic/hessian';
import { defaultDataset, initializeParameters, mlpSpec, syntheticDataset } from '@intrinsic/models';
import { parseTolerancePolicy } from '@intrinsic/spectra';
import { DEFAULT_PAGE_STATE, serializePageState, type PageState } from '../src/page-state.js';
import { APP_DIR, SCREENSHOTS_DIR, useE2eSession } from './session.js';
import { serveStatic } from './static-server.js';

const app = APP_DIR;
const screenshots = SCREENSHOTS_DIR;
const PARTS = ['hessian', 'outer', 'functional'] as const;

const session = useE2eSession();
const { newPage, closePage } = session;

/** The library in Node, called directly (not through the page's code): the independent path. */
function nodeAnalysis(state: PageState): HessianRankAnalysis {
  const spec = mlpSpec({ widths: state.widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const d = state.widths[0];
  const K = state.widths[state.widths.length - 1];
  const data = defaultDataset(state.data as 'gaussian' | 'mixture', state.loss, state.samples, d, K, state.seed);
  return analyzeHessianRanks(spec, initializeParameters(spec), data, state.loss, { tolerance: parseTolerancePolicy(state.tolerance) });
}

/** Waits until the page shows the results of `state` (or an error), then returns the status. */
async function waitForPage(page: Page, expected: 'done' | 'error', state?: PageState): Promise<void> {
  const selector = state ? `#results[data-query="${serializePageState(state)}"] #status[data-state="done"]` : `#status[data-state="${expected}"]`;
  await page.waitForSelector(expected === 'done' ? selector : '#status[data-state="error"]', { timeout: 45_000 });
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.textContent(selector)) ?? '').trim();
}

function number(textValue: string): number {
  return Number(textValue.replace(/−/g, '-').replace(/\u2009/g, ''));
}

/** The table as numbers: measured rank, closed form (NaN for n/a), smallest non-zero, largest, threshold. */
async function readTable(page: Page) {
  const rows = {} as Record<(typeof PARTS)[number], { rank: number; predicted: number; smallest: number; largest: number; threshold: number }>;
  for (const part of PARTS) {
    rows[part] = {
      rank: number(await text(page, `#rank-${part}`)),
      predicted: number(await text(page, `#pred-${part}`)),
      smallest: number(await text(page, `#min-${part}`)),
      largest: number(await text(page, `#max-${part}`)),
      threshold: number(await text(page, `#thr-${part}`)),
    };
  }
  return rows;
}

/** Four significant digits, as the page prints them. */
function expectFourDigits(shown: number, exact: number): void {
  expect(Math.abs(shown - exact)).toBeLessThanOrEqual(5e-4 * Math.abs(exact));
}

/** Page and Node agree on every number of the table; with a closed form, both equal it. */
async function expectPageMatchesNode(page: Page, state: PageState): Promise<HessianRankAnalysis> {
  const reference = nodeAnalysis(state);
  const table = await readTable(page);
  expect(number(await text(page, '#param-count'))).toBe(reference.params);
  for (const part of PARTS) {
    expect(table[part].rank, part).toBe(reference.rank[part]);
    expectFourDigits(table[part].smallest, reference.parts[part].smallestNonzero);
    expectFourDigits(table[part].largest, reference.parts[part].largest);
    expectFourDigits(table[part].threshold, reference.parts[part].threshold);
    if (reference.prediction.applies) expect(table[part].predicted, part).toBe(reference.prediction.ranks[part]);
    else expect(await text(page, `#pred-${part}`)).toBe('n/a');
  }
  expect(number(await text(page, '#split-residual'))).toBeLessThan(1e-12);
  return reference;
}


describe('the ranks page in Chromium', () => {
  it('shows 250 / 150 / 175 and p = 275 for the paper’s 25-5-10-10 network by default', async () => {
    const page = await newPage();
    await page.goto(session.url);
    await waitForPage(page, 'done', DEFAULT_PAGE_STATE);
    const table = await readTable(page);
    // SCIENCE.md §2 public reference: 25; [5, 10]; 10; N = 50; MSE → 250, 150, 175; p = 275.
    expect([table.hessian.rank, table.outer.rank, table.functional.rank]).toEqual([250, 150, 175]);
    expect([table.hessian.predicted, table.outer.predicted, table.functional.predicted]).toEqual([250, 150, 175]);
    expect(await text(page, '#param-count')).toBe('275');
    expect(await text(page, '#tolerance-used')).toMatch(/^numpy: σ_max·n·ε = /);
    await expectPageMatchesNode(page, DEFAULT_PAGE_STATE);
    // The page wrote its state into the address bar.
    expect(new URL(page.url()).search).toBe(serializePageState(DEFAULT_PAGE_STATE));
    await page.screenshot({ path: join(screenshots, 'default-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshots, 'default-phone.png'), fullPage: true });
    await closePage(page);
  });

  it('recomputes when a width or the loss changes, matching the library in Node and the closed form', async () => {
    const page = await newPage();
    await page.goto(session.url);
    await waitForPage(page, 'done', DEFAULT_PAGE_STATE);

    await page.fill('#widths', '25,6,10,10');
    const wider: PageState = { ...DEFAULT_PAGE_STATE, widths: [25, 6, 10, 10] };
    await waitForPage(page, 'done', wider);
    const reference = await expectPageMatchesNode(page, wider);
    const closed = linearNetworkRankPrediction({ widths: wider.widths, dataRank: 25, loss: 'mse' });
    expect(closed.applies && closed.ranks).toEqual(reference.rank);
    expect(number(await text(page, '#param-count'))).toBe(25 * 6 + 6 * 10 + 10 * 10);
    expect(new URL(page.url()).search).toBe(serializePageState(wider));

    await page.selectOption('#loss', 'cross-entropy');
    const crossEntropy: PageState = { ...wider, loss: 'cross-entropy' };
    await waitForPage(page, 'done', crossEntropy);
    const ce = await expectPageMatchesNode(page, crossEntropy);
    const closedCe = linearNetworkRankPrediction({ widths: wider.widths, dataRank: 25, loss: 'cross-entropy' });
    expect(closedCe.applies && closedCe.ranks).toEqual(ce.rank);

    // The Gaussian mixture, chosen in the Data control: the page equals analyzeHessianRanks in Node on
    // syntheticDataset({ kind: 'mixture' }).
    await page.selectOption('#data', 'mixture');
    const mixture: PageState = { ...crossEntropy, data: 'mixture' };
    await waitForPage(page, 'done', mixture);
    const mix = await expectPageMatchesNode(page, mixture);
    const spec = mlpSpec({ widths: mixture.widths, activation: 'linear', bias: false, init: 'glorot-normal', seed: 0 });
    const mixtureData = syntheticDataset({ kind: 'mixture', count: 50, inputSize: 25, outputSize: 10, seed: 0 });
    const direct = analyzeHessianRanks(spec, initializeParameters(spec), mixtureData, 'cross-entropy', { tolerance: parseTolerancePolicy('numpy') });
    expect(mix.rank).toEqual(direct.rank);
    expect(number(await text(page, '#rank-hessian'))).toBe(direct.rank.hessian);
    expect(new URL(page.url()).search).toContain('data=mixture');
    await closePage(page);
  });

  it('reads its state from the URL: controls and ranks match a shared link', async () => {
    const linear: PageState = { widths: [8, 5, 3], samples: 20, loss: 'cross-entropy', activation: 'linear', bias: false, seed: 3, tolerance: 'rel:1e-10', data: 'gaussian', init: 'glorot-normal', arch: 'dense', classes: DEFAULT_PAGE_STATE.classes };
    const nonlinear: PageState = { widths: [6, 4, 3], samples: 12, loss: 'mse', activation: 'tanh', bias: true, seed: 7, tolerance: 'abs:1e-12', data: 'mixture', init: 'he-normal', arch: 'dense', classes: DEFAULT_PAGE_STATE.classes };
    for (const state of [linear, nonlinear]) {
      const page = await newPage();
      await page.goto(session.url + serializePageState(state));
      await waitForPage(page, 'done', state);
      expect(await page.inputValue('#widths')).toBe(state.widths.join(','));
      expect(await page.inputValue('#samples')).toBe(String(state.samples));
      expect(await page.inputValue('#loss')).toBe(state.loss);
      expect(await page.inputValue('#activation')).toBe(state.activation);
      expect(await page.isChecked('#bias')).toBe(state.bias);
      expect(await page.inputValue('#seed')).toBe(String(state.seed));
      expect(await page.inputValue('#tolerance')).toBe(state.tolerance);
      expect(await page.inputValue('#data')).toBe(state.data);
      expect(new URL(page.url()).search).toBe(serializePageState(state));
      const reference = await expectPageMatchesNode(page, state);
      expect(await text(page, '#tolerance-used')).toBe(reference.parts.hessian.toleranceDescription);
      await page.screenshot({ path: join(screenshots, `url-state-${state.activation}.png`), fullPage: true });
      await closePage(page);
    }
  });

  it('works from a sub-folder of a host (relative asset paths)', async () => {
    // Serve the app folder, so the page lives at /dist/ instead of the root.
    const parent = await serveStatic(app);
    try {
      const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20 };
      const page = await newPage();
      await page.goto(parent.url + 'dist/' + serializePageState(state));
      await waitForPage(page, 'done', state);
      // SCIENCE.md §2: 8; [5]; 3; N = 20; MSE → 45, 24, 30; p = 55.
      const table = await readTable(page);
      expect([table.hessian.rank, table.outer.rank, table.functional.rank]).toEqual([45, 24, 30]);
      expect(await text(page, '#param-count')).toBe('55');
      await closePage(page);
    } finally {
      await parent.close();
    }
  });

  it('opens a link with a bad value on the defaults for that field and says what it ignored', async () => {
    const page = await newPage();
    await page.goto(session.url + '?widths=8,5,3&n=20&activation=swish');
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20 };
    await waitForPage(page, 'done', state);
    expect(await text(page, '#error')).toBe("Ignored from the link: unknown activation 'swish'; supported: linear, relu, leaky-relu, tanh, sigmoid, softplus, gelu");
    expect(await page.inputValue('#activation')).toBe('linear');
    await closePage(page);
  });

  it('shows the memory-budget message for a network too large for a dense Hessian', async () => {
    const page = await newPage();
    await page.goto(session.url);
    await waitForPage(page, 'done', DEFAULT_PAGE_STATE);
    await page.fill('#widths', '784,2000,10');
    await page.press('#widths', 'Enter');
    await waitForPage(page, 'error');
    const message = await text(page, '#error');
    // p = 784·2000 + 2000·10 = 1 588 000; the page's budget is 512 MiB = 537 MB.
    expect(message).toMatch(/^the dense Hessian of p = 1588000 parameters .* needs [\d.]+ TB of float64 memory, over the budget of 537 MB; use Hessian-vector products/);
    expect(message).not.toContain('\n');
    expect(await page.getAttribute('#report', 'data-stale')).toBe('true');
    expect(new URL(page.url()).searchParams.get('widths')).toBe('784,2000,10');
    await page.screenshot({ path: join(screenshots, 'memory-error.png'), fullPage: true });
    await closePage(page);
  });

  it('computes off the main thread: the page answers while a large network is computing, and Cancel stops it', async () => {
    const page = await newPage();
    await page.goto(session.url);
    await waitForPage(page, 'done', DEFAULT_PAGE_STATE);
    // p = 60·50 + 50·10 = 3500: seconds of dense work (three 3500 × 3500 eigenproblems), long enough to cancel.
    await page.fill('#widths', '60,50,10');
    await page.press('#widths', 'Enter');
    await page.waitForSelector('#status[data-state="computing"]');
    await page.waitForFunction(() => /Computing/.test(document.getElementById('status-text')?.textContent ?? ''));
    // The table's box in page coordinates (Cancel may be below the fold: clicking it scrolls the page, which is no layout jump).
    const tableBox = () =>
      page.$eval('#rank-table', (e) => {
        const r = e.getBoundingClientRect();
        return [r.left + scrollX, r.top + scrollY, r.width, r.height];
      });
    const boxBefore = await tableBox();
    // The main thread is free: a round trip through it takes milliseconds, not the computation's seconds.
    const started = Date.now();
    expect(await page.evaluate(() => document.getElementById('results')?.getAttribute('aria-busy'))).toBe('true');
    expect(Date.now() - started).toBeLessThan(1000);
    await page.screenshot({ path: join(screenshots, 'computing.png'), fullPage: true });
    await page.click('#cancel');
    await page.waitForSelector('#status[data-state="idle"]');
    expect(await text(page, '#status-text')).toMatch(/^Cancelled/);
    // No layout jump: the table stayed where it was while computing and after cancelling.
    expect(await tableBox()).toEqual(boxBefore);
    await closePage(page);
  });

  it('rejects a malformed width in one line without computing, and labels every control', async () => {
    const page = await newPage();
    await page.goto(session.url);
    await waitForPage(page, 'done', DEFAULT_PAGE_STATE);
    await page.fill('#widths', '25,a,10');
    await page.press('#widths', 'Enter');
    await page.waitForSelector('#widths[aria-invalid="true"]');
    expect(await text(page, '#error')).toBe("width 1 must be an integer, got 'a'");
    expect(await page.getAttribute('#status', 'data-state')).toBe('done');
    expect(await page.getAttribute('#results', 'data-query')).toBe(serializePageState(DEFAULT_PAGE_STATE));
    // Every form control has a label that names it.
    const unlabelled = await page.$$eval('#controls input, #controls select', (elements) =>
      elements.filter((e) => ((e as HTMLInputElement).labels?.length ?? 0) === 0).map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    await closePage(page);
  });
});
