import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MlpEvaluation, parameterLayout, type Dataset, type MlpSpec } from '@intrinsic/models';
import { topKAccuracy } from '@intrinsic/pruning';
import { linearNetworkRankPrediction } from '@intrinsic/hessian';
import { main } from './main.js';
import { run as train } from './commands/train.js';
import { parseSparsityGrid } from './prune/sparsity-grid.js';
import { runCaptured } from './run-cli.test-helper.js';

/** Runs the CLI in-process through main() (exit codes and one-line errors included), capturing stdout and stderr. */
async function intrinsic(argv: string[], onStderr?: (text: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCaptured(() => (argv[0] === 'train' ? train(argv.slice(1)) : main(argv)), onStderr);
}

afterEach(() => vi.restoreAllMocks());

function dataset(json: { inputs: number[][]; targets: number[][]; labels: number[] }): Dataset {
  return {
    inputs: Float64Array.from(json.inputs.flat()),
    targets: Float64Array.from(json.targets.flat()),
    labels: Int32Array.from(json.labels),
    count: json.inputs.length,
    inputSize: json.inputs[0].length,
    outputSize: json.targets[0].length,
    description: 'test',
  };
}

/** Magnitude pruning written out independently: zero the round(s·m) smallest |w| among the weights (ties: lower index). */
function magnitudePruned(spec: MlpSpec, params: Float64Array, sparsity: number): Float64Array {
  const weights = parameterLayout(spec).views.filter((v) => v.kind === 'weight').flatMap((v) => Array.from({ length: v.size }, (_, i) => v.offset + i));
  weights.sort((a, b) => Math.abs(params[a]) - Math.abs(params[b]) || a - b);
  const pruned = Float64Array.from(params);
  for (const q of weights.slice(0, Math.round(sparsity * weights.length))) pruned[q] = 0;
  return pruned;
}

let folder = '';
let spec: MlpSpec;
let params: Float64Array;
let testData: Dataset;

beforeAll(async () => {
  // A 10-class Gaussian mixture in 8 dimensions, 8-16-10 tanh without bias (p = 288), trained 40 epochs on cpu.
  folder = join(mkdtempSync(join(tmpdir(), 'intrinsic-prune-')), 'run');
  const trained = await intrinsic(['train', '--data', 'mixture', '--widths', '8,16,10', '--activation', 'tanh', '--train-samples', '300', '--test-samples', '200', '--epochs', '40', '--lr', '0.01', '--backend', 'cpu', '--seed', '3', '--out', folder, '--json']);
  expect(trained.code).toBe(0);
  spec = JSON.parse(readFileSync(join(folder, 'spec.json'), 'utf8')).model;
  params = Float64Array.from(JSON.parse(readFileSync(join(folder, 'params.json'), 'utf8')).flat as number[]);
  testData = dataset(JSON.parse(readFileSync(join(folder, 'data.json'), 'utf8')).test);
}, 60_000);

describe('intrinsic prune', () => {
  it('one-shot --json: exact mask counts, figures on the held-out split equal an independent magnitude pruning', async () => {
    const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'magnitude,random,diag-fisher,obd,obs,woodfisher,kfac', '--sparsity', '0.7', '--gradients', '100', '--damp', '0.1', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.network.params).toBe(288);
    expect(result.data.testSamples).toBe(200);
    // The dense network on the test split, recomputed from data.json.
    const dense = new MlpEvaluation(spec, params, testData, 'cross-entropy');
    expect(result.before.test.loss).toBeCloseTo(dense.value, 12);
    expect(result.before.test.top1).toBe(topKAccuracy(dense.outputs, testData.labels!, 10, 1));
    expect(result.before.test.top5).toBe(topKAccuracy(dense.outputs, testData.labels!, 10, 5));
    // Every method prunes exactly round(0.7 · 288) = 202 weights (no biases here), split over W1 and W2.
    expect(result.points).toHaveLength(7);
    for (const point of result.points) {
      expect(point.mask.prunable).toBe(288);
      expect(point.mask.pruned).toBe(202);
      expect(point.mask.layers.map((l: { name: string }) => l.name)).toEqual(['W1', 'W2']);
      expect(point.mask.layers.reduce((s: number, l: { pruned: number }) => s + l.pruned, 0)).toBe(202);
    }
    // Magnitude: the test loss and accuracy of the independent pruning.
    const pruned = magnitudePruned(spec, params, 0.7);
    const after = new MlpEvaluation(spec, pruned, testData, 'cross-entropy');
    const magnitude = result.points.find((p: { method: string }) => p.method === 'magnitude');
    expect(magnitude.test.loss).toBeCloseTo(after.value, 12);
    expect(magnitude.test.top1).toBe(topKAccuracy(after.outputs, testData.labels!, 10, 1));
    expect(result.summary.map((s: { method: string }) => s.method)).toEqual(['magnitude', 'random', 'diag-fisher', 'obd', 'obs', 'woodfisher', 'kfac']);
  }, 30_000);

  it('WoodFisher with its OBS update loses less than magnitude at 50 % on every one of 3 gradient subsets', async () => {
    // Measured when this test was written: magnitude 0.205, WoodFisher 0.138 … 0.156 (n = 250 of 300, λ = 1e-3).
    const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'magnitude,woodfisher', '--sparsity', '0.5', '--gradients', '250', '--damp', '1e-3', '--seeds', '3', '--json']);
    expect(code).toBe(0);
    const points = JSON.parse(stdout).points as { method: string; seed: number; train: { loss: number } }[];
    const magnitude = points.find((p) => p.method === 'magnitude')!.train.loss;
    const woodfisher = points.filter((p) => p.method === 'woodfisher');
    expect(woodfisher.map((p) => p.seed)).toEqual([0, 1, 2]);
    for (const p of woodfisher) expect(p.train.loss).toBeLessThan(magnitude);
  }, 30_000);

  it('--block: one block per layer by default, c entries within a layer, or one block over all layers', async () => {
    const inverse = async (block: string[]) => {
      const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'woodfisher', '--sparsity', '0.5', '--damp', '1e-3', ...block, '--json']);
      expect(code).toBe(0);
      return JSON.parse(stdout).points[0].details.inverse;
    };
    // W1 is 16 × 8 = 128 entries, W2 10 × 16 = 160: blocks of 100 cut them into 100 + 28 and 100 + 60.
    expect(await inverse([])).toBe('block-diagonal (2 blocks, largest 160)');
    expect(await inverse(['--block', '100'])).toBe('block-diagonal (4 blocks, largest 100)');
    // One block of 288 > n = 100 gradients: the n × n closed form (the default solver 'auto').
    expect(await inverse(['--block', 'full'])).toBe('low-rank (n = 100, λ = 0.001)');
  }, 30_000);

  it('--scope layerwise prunes every layer to round(s · m_l); global-magnitude keeps one threshold', async () => {
    const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'magnitude,global-magnitude', '--sparsity', '0.7', '--scope', 'layerwise', '--json']);
    expect(code).toBe(0);
    const [layerwise, global] = JSON.parse(stdout).points;
    // W1: round(0.7 · 128) = 90, W2: round(0.7 · 160) = 112.
    expect(layerwise.mask.layers.map((l: { pruned: number }) => l.pruned)).toEqual([90, 112]);
    // One threshold: the same 202 weights as the independent magnitude pruning.
    const pruned = magnitudePruned(spec, params, 0.7);
    expect(global.mask.pruned).toBe(202);
    expect(global.mask.layers.map((l: { pruned: number }) => l.pruned)).toEqual([
      Array.from(pruned.subarray(0, 128)).filter((w) => w === 0).length,
      Array.from(pruned.subarray(128, 288)).filter((w) => w === 0).length,
    ]);
  }, 30_000);

  it('the text report has the summary and per-layer tables', async () => {
    const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'magnitude', '--sparsity', '0.5']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^network 8-16-10, tanh, no bias, p = 288; cross-entropy/);
    expect(stdout).toMatch(/data train N = 300, test N = 200/);
    expect(stdout).toMatch(/^magnitude\s+50\.0 %\s+\d\.\d{4}\s+\d+\.\d\d %/m);
    expect(stdout).toMatch(/^magnitude\s+50\.0 %\s+144\/288\s+\d+\.\d %\s+\d+\.\d %$/m);
  }, 30_000);

  it('--sweep writes prune.csv, prune.json and prune.svg with one line per method', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'intrinsic-prune-sweep-')), 'sweep');
    const { code } = await intrinsic(['prune', '--model', folder, '--method', 'magnitude,woodfisher', '--sweep', '0.2:0.8:0.3', '--gradients', '50', '--damp', '1e-3', '--out', out]);
    expect(code).toBe(0);
    const csv = readFileSync(join(out, 'prune.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('method,sparsity,seed,achieved_sparsity,pruned,prunable,test_loss,test_top1,test_top5,train_loss,train_top1,train_top5');
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['magnitude,0.2', 'magnitude,0.5', 'magnitude,0.8', 'woodfisher,0.2', 'woodfisher,0.5', 'woodfisher,0.8']);
    // round(0.5 · 288) = 144 pruned.
    expect(csv[2].split(',')[4]).toBe('144');
    const svg = readFileSync(join(out, 'prune.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('woodfisher');
    expect(svg).toContain('test top-1 accuracy (%)');
    expect(JSON.parse(readFileSync(join(out, 'prune.json'), 'utf8')).summary).toHaveLength(6);
    // Wall-clock times only in timings.json: prune.json and prune.csv are byte-identical on a second run.
    expect(JSON.parse(readFileSync(join(out, 'timings.json'), 'utf8')).points).toHaveLength(6);
    const json = readFileSync(join(out, 'prune.json'), 'utf8');
    const again = join(mkdtempSync(join(tmpdir(), 'intrinsic-prune-sweep-')), 'sweep');
    expect((await intrinsic(['prune', '--model', folder, '--method', 'magnitude,woodfisher', '--sweep', '0.2:0.8:0.3', '--gradients', '50', '--damp', '1e-3', '--out', again])).code).toBe(0);
    expect(readFileSync(join(again, 'prune.json'), 'utf8')).toBe(json);
    expect(readFileSync(join(again, 'prune.csv'), 'utf8')).toBe(csv.join('\n') + '\n');
    expect(json).not.toContain('seconds');
  }, 60_000);

  it('--joint and --recompute-steps reach the target exactly; --joint lowers the training loss of the superposed update here', async () => {
    const run = async (extra: string[]) => {
      const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'woodfisher', '--sparsity', '0.7', '--gradients', '250', '--damp', '1e-3', ...extra, '--json']);
      expect(code).toBe(0);
      return JSON.parse(stdout).points[0];
    };
    const superposed = await run([]);
    const joint = await run(['--joint']);
    const recomputed = await run(['--recompute-steps', '3']);
    expect(joint.details.updateRule).toBe('joint');
    expect(recomputed.details.recomputeSteps).toBe(3);
    for (const point of [superposed, joint, recomputed]) expect(point.mask.pruned).toBe(202);
    // The joint update minimises the quadratic model exactly for the chosen mask (measured when written: training loss
    // superposed 0.769, joint 0.722, 3 recomputations 0.945; n = 250 of 300 samples).
    expect(joint.train.loss).toBeLessThan(superposed.train.loss);
    // K-FAC's damping split: π (default) or √λ on each factor, as the WoodFisher repository's MNIST runs.
    const kfac = async (split: string) => {
      const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'kfac', '--sparsity', '0.7', '--damp', '1e-3', '--kfac-damping', split, '--json']);
      expect(code).toBe(0);
      const result = JSON.parse(stdout);
      expect(result.settings.kfacDamping).toBe(split);
      return result.points[0];
    };
    const [pi, equal] = [await kfac('pi'), await kfac('equal')];
    expect(equal.mask.pruned).toBe(202);
    expect(equal.train.loss).not.toBe(pi.train.loss);
    // The share of pruned weights that magnitude pruning also prunes, in [0, 1].
    expect(superposed.details.magnitudeOverlap).toBeGreaterThan(0);
    expect(superposed.details.magnitudeOverlap).toBeLessThanOrEqual(1);
  }, 30_000);

  it('--gradual prunes on the cubic schedule with tfjs fine-tuning; masks are nested and end at the target', async () => {
    const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'magnitude', '--sparsity', '0.75', '--gradual', '--steps', '2', '--finetune-epochs', '1', '--backend', 'cpu', '--json']);
    expect(code).toBe(0);
    const point = JSON.parse(stdout).points[0];
    // s_t = 0.75 (1 − (1 − t/2)³): 0, 0.65625, 0.75.
    expect(point.steps.map((s: { sparsity: number }) => s.sparsity)).toEqual([0, 0.65625, 0.75]);
    expect(point.mask.pruned).toBe(216);
    expect(point.steps[2].afterFineTuning.top1).toBe(point.test.top1);
  }, 60_000);

  it('--fisher-batch B: n mini-batch gradients of B samples each (WoodFisher --fisher-mini-bsz), reported in the JSON', async () => {
    const { code, stdout } = await intrinsic(['prune', '--model', folder, '--method', 'magnitude,woodfisher', '--sparsity', '0.5', '--gradients', '60', '--fisher-batch', '5', '--damp', '1e-3', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.settings.fisherBatch).toBe(5);
    const woodfisher = result.points.find((p: { method: string }) => p.method === 'woodfisher');
    expect(woodfisher.details.gradients).toBe(60);
    expect(woodfisher.details.fisherBatch).toBe(5);
    expect(woodfisher.mask.pruned).toBe(144);
    // Without the flag the settings carry no fisherBatch (earlier outputs stay byte-identical).
    const plain = JSON.parse((await intrinsic(['prune', '--model', folder, '--method', 'woodfisher', '--sparsity', '0.5', '--damp', '1e-3', '--json'])).stdout);
    expect(plain.settings.fisherBatch).toBeUndefined();
  }, 30_000);

  it('bad input: one line on stderr and exit code 2', async () => {
    const cases: [string[], string][] = [
      [['--sparsity', '1'], "intrinsic prune: --sparsity: '1' must be a sparsity in [0, 1)"],
      [['--sparsity=-0.1'], "intrinsic prune: --sparsity: '-0.1' must be a sparsity in [0, 1)"],
      [['--sparsity', '0.5', '--method', 'hessian-free'], "intrinsic prune: --method: unknown value 'hessian-free'; choose from magnitude, global-magnitude, random, diag-fisher, obd, obs, woodfisher, kfac"],
      [['--sweep', '0.9:0.1'], 'intrinsic prune: --sweep: the range 0.9:0.1 must be increasing'],
      [[], 'intrinsic prune: give exactly one of --sparsity S and --sweep a:b[:step]'],
      [['--sparsity', '0.5', '--block', '1000'], 'intrinsic prune: --block: 1000 is larger than p = 288; omit --block for one block per layer'],
      [['--sparsity', '0.5', '--gradients', '301'], `intrinsic prune: --gradients: 301 is more than the 300 training samples of ${folder}`],
      [['--sparsity', '0.5', '--block', '0'], 'intrinsic prune: --block: 0 is out of range (1 … 1000000000)'],
      [['--sparsity', '0.5', '--update', '2'], "intrinsic prune: --update: '2' must be in [0, 1]"],
      [['--sparsity', '0.5', '--method', 'magnitude,woodfisher', '--joint'], "intrinsic prune: --joint: the exact multi-weight update is for woodfisher only; run the other methods ('magnitude,woodfisher') without it"],
      [['--sparsity', '0.5', '--recompute-steps', '0'], 'intrinsic prune: --recompute-steps: 0 is out of range (1 … 1000)'],
      [['--sparsity', '0.5', '--kfac-damping', 'half'], "intrinsic prune: --kfac-damping: unknown value 'half'; choose pi or equal"],
      [['--sparsity', '0.5', '--gradients', '61', '--fisher-batch', '5'], `intrinsic prune: --gradients × --fisher-batch: 61 × 5 = 305 is more than the 300 training samples of ${folder}`],
      [['--sparsity', '0.5', '--method', 'woodfisher,kfac', '--fisher-batch', '2'], 'intrinsic prune: --fisher-batch: mini-batch gradients are for diag-fisher and woodfisher; run kfac without it'],
      [['--sparsity', '0.5', '--fisher-batch', '0'], 'intrinsic prune: --fisher-batch: 0 is out of range (1 … 10000000)'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await intrinsic(['prune', '--model', folder, ...args]);
      expect(code).toBe(2);
      expect(stderr).toBe(`${message}\n`);
    }
    const missing = await intrinsic(['prune', '--model', join(folder, 'nope'), '--sparsity', '0.5']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`intrinsic prune: --model: run folder '${join(folder, 'nope')}' does not exist\n`);
    expect(existsSync(folder)).toBe(true);
  }, 30_000);

  it('--nullity: p − rank(H) of a linear network equals the closed form; the tolerated sparsity is read off the sweep', async () => {
    // Deep linear 8-6-4 without bias on a 4-class mixture (N = 100 > d = 8, so r = 8): rank(H) = 2qM − Lq² + q(r + K)
    // with K → K − 1 = 3 for softmax, q = 3: 36 − 18 + 33 = 51 of p = 72 (Singh et al., NeurIPS 2021).
    const linear = join(mkdtempSync(join(tmpdir(), 'intrinsic-prune-linear-')), 'run');
    const trained = await intrinsic(['train', '--data', 'mixture', '--classes', '0,1,2,3', '--widths', '8,6,4', '--activation', 'linear', '--no-bias', '--train-samples', '100', '--test-samples', '100', '--epochs', '20', '--lr', '0.01', '--backend', 'cpu', '--seed', '1', '--out', linear, '--json']);
    expect(trained.code).toBe(0);
    const { code, stdout } = await intrinsic(['prune', '--model', linear, '--method', 'magnitude,woodfisher', '--sweep', '0.1:0.9', '--gradients', '50', '--damp', '1e-3', '--nullity', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const prediction = linearNetworkRankPrediction({ widths: [8, 6, 4], dataRank: 8, loss: 'cross-entropy' });
    expect(prediction.applies && prediction.ranks.hessian).toBe(51);
    expect(result.redundancy.hessian.size).toBe(72);
    expect(result.redundancy.hessian.nullity).toBe(72 - 51);
    // Tolerated: the largest grid sparsity with mean test top-1 at most one point below dense.
    const dense = result.before.test.top1;
    for (const method of ['magnitude', 'woodfisher']) {
      const ok = result.summary.filter((s: { method: string; top1: { mean: number } }) => s.method === method && s.top1.mean >= dense - 0.01);
      const expected = ok.length ? Math.max(...ok.map((s: { sparsity: number }) => s.sparsity)) : null;
      expect(result.redundancy.tolerated.find((t: { method: string }) => t.method === method).sparsity).toBe(expected);
    }
    const text = await intrinsic(['prune', '--model', linear, '--method', 'magnitude', '--sparsity', '0.5', '--nullity']);
    expect(text.stdout).toMatch(/redundancy from curvature: rank\(H\) = 51 of p = 72, nullity p − rank = 21 \(29\.2 %\)/);
  }, 60_000);

  it('Ctrl-C: no new pruning starts, the finished ones are written, exit code 130', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'intrinsic-prune-interrupt-')), 'out');
    let sent = false;
    // 100 seeds × 11 sparsities: long enough for the progress line (after 0.5 s), where the SIGINT is sent.
    const { code, stdout, stderr } = await intrinsic(['prune', '--model', folder, '--method', 'woodfisher', '--sweep', '0.1:0.98', '--seeds', '100', '--gradients', '100', '--damp', '1e-3', '--json', '--out', out], (text) => {
      if (!sent && /woodfisher at .*, seed \d+: \d+\/1100/.test(text)) {
        sent = true;
        process.emit('SIGINT', 'SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(code).toBe(130);
    const result = JSON.parse(stdout);
    expect(result.interrupted.planned).toBe(1100);
    expect(result.interrupted.completed).toBeGreaterThan(0);
    expect(result.interrupted.completed).toBeLessThan(1100);
    expect(result.points).toHaveLength(result.interrupted.completed);
    expect(readFileSync(join(out, 'prune.csv'), 'utf8').trim().split('\n')).toHaveLength(result.interrupted.completed + 1);
    expect(stderr).toContain(`intrinsic prune: interrupted after ${result.interrupted.completed} of 1100 prunings; the output covers those`);
  }, 60_000);

  it('parses sweep grids', () => {
    expect(parseSparsityGrid('0.1:0.98', 'sweep')).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98]);
    expect(parseSparsityGrid('0.5:0.9:0.2', 'sweep')).toEqual([0.5, 0.7, 0.9]);
    expect(parseSparsityGrid('0.5:0.8:0.2', 'sweep')).toEqual([0.5, 0.7, 0.8]);
    expect(parseSparsityGrid('0.9,0.5,0.9', 'sweep')).toEqual([0.5, 0.9]);
  });
});
