import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { analyzeHessianRanks } from '@intrinsic/hessian';
import { defaultDataset, initializeNetworkParameters, initializeParameters, mlpSpec, networkGradient, networkParameterCount } from '@intrinsic/models';
import { selectBackend, trainMlpTfjs } from '@intrinsic/models/tfjs';
import { numericalRank, parseTolerancePolicy, symmetricEigenvalues } from '@intrinsic/spectra';
import { DEFAULT_PAGE_STATE, serializePageState, type PageState } from '../src/page-state.js';
import { convNetworkSpec } from '../src/page-network.js';
import { APP_DIR, SCREENSHOTS_DIR, useE2eSession } from './session.js';

const app = APP_DIR;
const screenshots = SCREENSHOTS_DIR;
/** The CLI, built by `turbo run build` before the tests (`npm test`), or by `pnpm --filter @intrinsic/cli build`. */
const cli = join(app, '..', 'cli', 'dist', 'bin.js');

const session = useE2eSession();
const { newPage, closePage } = session;

async function waitForResults(page: Page, state: PageState): Promise<void> {
  await page.waitForSelector(`#results[data-query="${serializePageState(state)}"] #status[data-state="done"]`, { timeout: 60_000 });
}

async function ranks(page: Page): Promise<{ hessian: number; outer: number; functional: number }> {
  const read = async (part: string) => Number(((await page.textContent(`#rank-${part}`)) ?? '').trim());
  return { hessian: await read('hessian'), outer: await read('outer'), functional: await read('functional') };
}

/** The MLP of a state analysed in Node by the library (synthetic data). */
function nodeRanks(state: PageState) {
  const spec = mlpSpec({ widths: state.widths, activation: state.activation, bias: state.bias, init: state.init, seed: state.seed });
  const K = state.widths[state.widths.length - 1];
  const data = defaultDataset(state.data as 'gaussian' | 'mixture', state.loss, state.samples, state.widths[0], K, state.seed);
  return analyzeHessianRanks(spec, initializeParameters(spec), data, state.loss, { tolerance: parseTolerancePolicy(state.tolerance) });
}

describe('network controls, MNIST, CNN and tfjs training in Chromium', () => {
  it('adds, edits and removes hidden layers from the keyboard (ranks as the CLI); the initialiser choice changes the weights', async () => {
    if (!existsSync(cli)) throw new Error(`the CLI is not built (${cli}): run \`pnpm --filter @intrinsic/cli build\``);
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20, activation: 'tanh' };
    const page = await newPage();
    await page.goto(session.url + serializePageState(state));
    await waitForResults(page, state);
    expect(await page.$$eval('#layer-list input', (inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['5']);

    await page.focus('#add-layer');
    await page.keyboard.press('Enter');
    const added = { ...state, widths: [8, 5, 5, 3] };
    await waitForResults(page, added);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('layer-width-2');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('4');
    const edited = { ...state, widths: [8, 5, 4, 3] };
    await waitForResults(page, edited);
    expect(await page.inputValue('#widths')).toBe('8,5,4,3');
    expect(await ranks(page)).toEqual(nodeRanks(edited).rank);

    await page.focus('button[aria-label="remove hidden layer 1"]');
    await page.keyboard.press('Enter');
    const removed = { ...state, widths: [8, 4, 3] };
    await waitForResults(page, removed);
    expect(await page.$$eval('#layer-list input', (inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['4']);
    expect(await ranks(page)).toEqual(nodeRanks(removed).rank);
    // The same settings through the CLI.
    const fromCli = JSON.parse(execFileSync(process.execPath, [cli, 'rank', '--widths', '8,4,3', '--samples', '20', '--activation', 'tanh', '--loss', 'mse', '--seed', '0', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(await ranks(page)).toEqual(fromCli.rank);
    expect(Number(await page.textContent('#param-count'))).toBe(fromCli.params);

    await page.selectOption('#init', 'orthogonal');
    const orthogonal: PageState = { ...removed, init: 'orthogonal' };
    await waitForResults(page, orthogonal);
    const reference = nodeRanks(orthogonal);
    expect(await ranks(page)).toEqual(reference.rank);
    // The loss at the initial weights is the orthogonal network's (4 significant digits), not the Glorot one's.
    const shownLoss = Number(((await page.textContent('#loss-value')) ?? '').replace(/−/g, '-'));
    expect(Math.abs(shownLoss - reference.lossValue)).toBeLessThanOrEqual(5e-4 * reference.lossValue);
    expect(Math.abs(shownLoss - nodeRanks(removed).lossValue)).toBeGreaterThan(5e-4 * reference.lossValue);
    expect(new URL(page.url()).search).toContain('init=orthogonal');

    await page.locator('#controls').screenshot({ path: join(screenshots, 'controls-layers.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#controls').screenshot({ path: join(screenshots, 'controls-layers-phone.png') });
    await closePage(page);
  });

  it('MNIST 8×8 in the page gives the ranks of the CLI (`intrinsic train --data mnist --input-size 8x8 … --epochs 0`, then `intrinsic rank --model`)', async () => {
    if (!existsSync(cli)) throw new Error(`the CLI is not built (${cli}): run \`pnpm --filter @intrinsic/cli build\``);
    const folder = mkdtempSync(join(tmpdir(), 'intrinsic-web-mnist-'));
    let cliResult: { rank: Record<string, number>; params: number; dataRank: number; samples: number };
    try {
      // Zero epochs: the run folder holds the seeded Glorot-normal initialisation and the MNIST 8×8 training set.
      execFileSync(process.execPath, [cli, 'train', '--data', 'mnist', '--input-size', '8x8', '--classes', '0,1,7', '--train-samples', '40', '--test-samples', '0',
        '--widths', '64,6,3', '--activation', 'linear', '--init', 'glorot-normal', '--loss', 'mse', '--epochs', '0', '--seed', '2', '--backend', 'cpu', '--out', join(folder, 'run')], { stdio: 'pipe' });
      cliResult = JSON.parse(execFileSync(process.execPath, [cli, 'rank', '--model', join(folder, 'run'), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [64, 6, 3], samples: 40, seed: 2, data: 'mnist', classes: [0, 1, 7] };
    const page = await newPage();
    // From a Gaussian page, by the controls: MNIST sets d = 64 and K = 10, the class list then K = 3.
    await page.goto(session.url + serializePageState({ ...DEFAULT_PAGE_STATE, widths: [25, 6, 10], samples: 40, seed: 2 }));
    await page.selectOption('#data', 'mnist');
    await waitForResults(page, { ...state, widths: [64, 6, 10], classes: DEFAULT_PAGE_STATE.classes });
    await page.fill('#classes', '7,0,1');
    await page.press('#classes', 'Tab');
    await waitForResults(page, state);
    expect(await page.inputValue('#widths')).toBe('64,6,3');
    expect(await ranks(page)).toEqual(cliResult.rank);
    expect(Number(await page.textContent('#param-count'))).toBe(cliResult.params);
    expect(((await page.textContent('#data-info')) ?? '').trim()).toBe(`${cliResult.samples} · ${cliResult.dataRank}`);
    expect(cliResult.rank).toEqual({ hessian: 147, outer: 120, functional: 36 });
    await page.locator('#results').screenshot({ path: join(screenshots, 'mnist-ranks.png') });
    await closePage(page);
  });

  it('a convolutional network shows its heatmap with layer blocks, spectrum and ranks equal to a finite-difference Hessian in Node, and sweeps its filters', async () => {
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [8, 2, 3], samples: 6, activation: 'tanh', arch: 'conv', tolerance: 'rel:1e-7', seed: 4 };
    const page = await newPage();
    await page.goto(session.url + serializePageState(state));
    await waitForResults(page, state);
    await page.waitForSelector(`#heatmap[data-query="${serializePageState(state)}"]`, { timeout: 30_000 });
    await page.waitForSelector(`#spectrum[data-query="${serializePageState(state)}"] svg`, { timeout: 30_000 });
    // Node: central differences of the exact gradient (h = 1e-5), eigenvalues, ranks at the same relative tolerance.
    const spec = convNetworkSpec(state);
    const p = networkParameterCount(spec);
    const params = initializeNetworkParameters(spec);
    const data = defaultDataset('gaussian', 'mse', 6, 8, 3, 4);
    const H = new Float64Array(p * p);
    for (let j = 0; j < p; j++) {
      const plus = params.slice();
      const minus = params.slice();
      plus[j] += 1e-5;
      minus[j] -= 1e-5;
      const gp = networkGradient(spec, plus, data, 'mse');
      const gm = networkGradient(spec, minus, data, 'mse');
      for (let i = 0; i < p; i++) H[i * p + j] = (gp[i] - gm[i]) / 2e-5;
    }
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) H[i * p + j] = H[j * p + i] = 0.5 * (H[i * p + j] + H[j * p + i]);
    const reference = numericalRank(symmetricEigenvalues(H, p), p, { kind: 'relative', value: 1e-7 });
    expect(Number(await page.textContent('#param-count'))).toBe(p);
    expect((await ranks(page)).hessian).toBe(reference.rank);
    expect(await page.textContent('#network-info')).toMatch(/^CNN: conv1d 1→2 \(kernel 3, same padding\), flatten, dense 16→3$/);
    // A tanh CNN: no theory for H and H_F; H_O is bounded by construction, rank ≤ min(p, N·K) (N = 6, K = 3).
    expect(await page.textContent('#pred-hessian')).toBe('n/a');
    expect(await page.textContent('#pred-functional')).toBe('n/a');
    expect(await page.textContent('#pred-outer')).toBe(`≤ ${Math.min(p, 6 * 3)}`);
    // The spectrum draws p points; the heatmap has its coloured cells.
    expect(await page.locator('#spectrum svg circle').count()).toBe(p);
    await page.locator('#matrix-view').screenshot({ path: join(screenshots, 'cnn-heatmap-spectrum.png') });
    // The width sweep varies the filters of the convolution: rank(H) at 2 filters is the table's.
    await page.fill('#sweep-range', '1-3');
    await page.press('#sweep-range', 'Tab');
    await page.click('#sweep-run');
    await page.waitForSelector('#sweep-status[data-state="done"]', { timeout: 45_000 });
    const sweep = await page.$$eval('#sweep-rows td[data-part="hessian"]', (tds) => tds.map((td) => [Number(td.parentElement!.getAttribute('data-width')), Number(td.getAttribute('data-rank'))]));
    expect(sweep.map(([width]) => width)).toEqual([1, 2, 3]);
    expect(sweep[1][1]).toBe(reference.rank);
    // A linear CNN with one hidden convolution of M = 2 filters < b = 3 kernel entries: the closed-form column shows
    // predictNetworkRank's exact H_O, H_F and H (docs/theory.md §7.2), equal to the measured ranks.
    await page.selectOption('#activation', 'linear');
    await waitForResults(page, { ...state, activation: 'linear' });
    const measured = await ranks(page);
    expect(await page.textContent('#pred-outer')).toBe(String(measured.outer));
    expect(await page.textContent('#pred-functional')).toBe(String(measured.functional));
    expect(await page.getAttribute('#pred-hessian', 'data-claim')).toBe('exact');
    expect(await page.textContent('#pred-hessian')).toBe(String(measured.hessian));
    expect(await page.getAttribute('#pred-hessian', 'data-agrees')).toBe('true');
    await closePage(page);
  });

  it('trains with TensorFlow.js on the wasm backend (binaries from the site) and reports it; checkpoints match tfjs cpu in Node', async () => {
    const state: PageState = { ...DEFAULT_PAGE_STATE, widths: [8, 5, 3], samples: 20 };
    const page = await newPage();
    const wasmRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasmRequests.push(request.url());
    });
    await page.goto(session.url + serializePageState(state) + '&epochs=40&checkpoints=2&lr=0.02&engine=tfjs-wasm');
    await waitForResults(page, state);
    expect(await page.inputValue('#train-engine')).toBe('tfjs-wasm');
    await page.click('#train-run');
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 90_000 });
    expect(await page.getAttribute('#train-backend', 'data-backend')).toBe('wasm');
    expect(wasmRequests.length).toBeGreaterThan(0);
    for (const url of wasmRequests) expect(url.startsWith(session.url + 'tfjs-wasm/')).toBe(true);
    const rows = await page.$$eval('#train-rows tr', (trs) =>
      trs.map((tr) => ({
        epoch: Number(tr.getAttribute('data-epoch')),
        loss: Number(tr.querySelector('td[data-value]')!.getAttribute('data-value')),
        ranks: Array.from(tr.querySelectorAll('td[data-rank]'), (td) => Number(td.getAttribute('data-rank'))),
      })),
    );
    expect(rows.map((r) => r.epoch)).toEqual([0, 20, 40]);
    // Node: the same tfjs training on the cpu backend (float32; wasm and cpu round differently, hence 1e-4), then the exact analysis.
    await import('@tensorflow/tfjs-backend-cpu');
    await selectBackend({ environment: 'node', preferred: 'cpu', strict: true });
    const spec = mlpSpec({ widths: [8, 5, 3], activation: 'linear', bias: false, init: 'glorot-normal', seed: 0 });
    const data = defaultDataset('gaussian', 'mse', 20, 8, 3, 0);
    for (const row of rows) {
      const trained = await trainMlpTfjs(spec, initializeParameters(spec), data, 'mse', { epochs: row.epoch, learningRate: 0.02 });
      const analysis = analyzeHessianRanks(spec, trained.params, data, 'mse');
      expect(Math.abs(row.loss - analysis.lossValue)).toBeLessThanOrEqual(1e-4 * analysis.lossValue);
      expect(row.ranks).toEqual([analysis.rank.hessian, analysis.rank.outer, analysis.rank.functional]);
    }
    expect(rows[2].loss).toBeLessThan(0.5 * rows[0].loss);
    // The spectrum chart draws one line per checkpoint.
    expect(await page.getAttribute('#train-spectrum', 'data-checkpoints')).toBe('3');
    expect(await page.locator('#train-spectrum polyline').count()).toBe(3);
    await page.locator('#train-view').screenshot({ path: join(screenshots, 'training-tfjs-wasm.png') });

    // The automatic choice tries webgl, then wasm, then cpu, and says which one ran (headless Chromium has no GPU here).
    await page.selectOption('#train-engine', 'tfjs');
    await page.fill('#train-epochs', '10');
    await page.press('#train-epochs', 'Tab');
    await page.click('#train-run');
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 90_000 });
    const backend = await page.getAttribute('#train-backend', 'data-backend');
    expect(['webgl', 'wasm', 'cpu']).toContain(backend);
    console.log(`tfjs in headless Chromium (auto): ${await page.textContent('#train-backend')}`);
    await closePage(page);
  });
});
