import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, intrinsic } from './run-cli.test-helper.js';
import { analyzeHessianRanks, hessianDecomposition, networkHessianDecomposition } from '@intrinsic/hessian';
import { defaultDataset, initializeNetworkParameters, networkSpec, validateMlpSpec, type LayerSpec } from '@intrinsic/models';
import { numericalRank, symmetricEigenvalues } from '@intrinsic/spectra';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { directorySaveHandler, networkToLayersModel } from '@intrinsic/models/tfjs';

describe('intrinsic rank', () => {
  it('prints 250 / 150 / 175 for p = 275 with the defaults, within 5 seconds', async () => {
    expect(existsSync(bin), 'build the CLI first (pnpm build)').toBe(true);
    const started = performance.now();
    const { code, stdout } = await intrinsic(['rank']);
    const seconds = (performance.now() - started) / 1000;
    expect(code).toBe(0);
    expect(stdout).toMatch(/parameters p = 275/);
    expect(stdout).toMatch(/^H\s+250\s+250\s/m);
    expect(stdout).toMatch(/^H_O \(outer\)\s+150\s+150\s/m);
    expect(stdout).toMatch(/^H_F \(functional\)\s+175\s+175\s/m);
    expect(seconds).toBeLessThan(5);
  });

  it('--json gives params, ranks, predictions and the tolerance', async () => {
    const { code, stdout } = await intrinsic(['rank', '--json', '--loss', 'ce']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.params).toBe(275);
    expect(result.rank).toEqual({ hessian: 245, outer: 145, functional: 165 });
    expect(result.predicted).toEqual({ hessian: 245, outer: 145, functional: 165 });
    expect(result.tolerance.policy).toBe('numpy');
    expect(result.tolerance.hessian).toBeGreaterThan(0);
  });

  it('reports no prediction, with the reason, for a non-linear network', async () => {
    const { code, stdout } = await intrinsic(['rank', '--json', '--activation', 'relu', '--widths', '6,8,3', '--samples', '10']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.predicted).toBeNull();
    expect(result.prediction.reason).toMatch(/relu/);
  });

  it.each([['5,4,3'], ['8,5,3'], ['6,10,10,4']])('with bias, linear %s: measured ranks equal the exact biased-network theory', async (widths) => {
    const result = JSON.parse((await intrinsic(['rank', '--bias', '--widths', widths, '--samples', '20', '--json'])).stdout);
    expect(result.theory.kind).toBe('exact');
    expect(result.predicted).toEqual(result.rank);
  });

  it('--save-run writes enough to recompute the same Hessian with another tool', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'intrinsic-run-')), 'run');
    const { code } = await intrinsic(['rank', '--widths', '5,4,3', '--samples', '7', '--activation', 'tanh', '--bias', '--save-run', folder, '--json']);
    expect(code).toBe(0);
    const spec = JSON.parse(readFileSync(join(folder, 'spec.json'), 'utf8'));
    const params = JSON.parse(readFileSync(join(folder, 'params.json'), 'utf8'));
    const data = JSON.parse(readFileSync(join(folder, 'data.json'), 'utf8'));
    const result = JSON.parse(readFileSync(join(folder, 'result.json'), 'utf8'));
    const eigen = JSON.parse(readFileSync(join(folder, 'eigenvalues.json'), 'utf8'));
    validateMlpSpec(spec.model);
    expect(params.order).toEqual(['W1', 'b1', 'W2', 'b2']);
    expect(params.arrays.W1.shape).toEqual([4, 5]);
    // Rebuild everything from the saved files only, and recompute.
    const flat = Float64Array.from(params.flat as number[]);
    expect(Array.from(flat.subarray(0, 5))).toEqual(params.arrays.W1.values[0]);
    const dataset = {
      inputs: Float64Array.from((data.inputs as number[][]).flat()),
      targets: Float64Array.from((data.targets as number[][]).flat()),
      count: data.count,
      inputSize: data.inputSize,
      outputSize: data.outputSize,
      description: data.description,
    };
    const again = analyzeHessianRanks(spec.model, flat, dataset, spec.loss);
    expect(again.rank).toEqual(result.rank);
    expect(eigen.hessian).toHaveLength(result.params);
    const { hessian } = hessianDecomposition(spec.model, flat, dataset, spec.loss);
    // The sum of eigenvalues is the trace of the recomputed H.
    let trace = 0;
    for (let i = 0; i < result.params; i++) trace += hessian[i * result.params + i];
    expect((eigen.hessian as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 10);
  });

  it('--model re-analyses a saved run folder and gives the same ranks and eigenvalues', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'intrinsic-rank-model-')), 'run');
    const first = JSON.parse((await intrinsic(['rank', '--widths', '6,5,4', '--samples', '9', '--activation', 'gelu', '--bias', '--save-run', folder, '--json'])).stdout);
    const again = JSON.parse((await intrinsic(['rank', '--model', folder, '--json'])).stdout);
    expect(again.rank).toEqual(first.rank);
    expect(again.params).toBe(first.params);
    expect(again.parts.hessian.largest).toBe(first.parts.hessian.largest);
  });

  it.each([
    [['--widths', '25,0,10'], /--widths: entry 2 is 0/],
    [['--activation', 'swish'], /--activation: unknown value 'swish'/],
    [['--samples', '1e2x'], /--samples: '1e2x' is not a whole number/],
    [['--tolerance', 'rel:-1'], /--tolerance: .*not a positive finite number/],
    [['--loss', 'hinge'], /--loss: unknown value 'hinge'/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--widths', '784,2000,10'], /p = 1588000 parameters .* needs 60\.5 TB .* over the budget/],
  ])('bad input %j: one line on stderr, exit code 2', async (args, message) => {
    const { code, stdout, stderr } = await intrinsic(['rank', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });

  it('--model reports the run folder\'s own data, and a damaged data.json is a one-line error', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'intrinsic-rank-data-'));
    const saved = await intrinsic(['rank', '--widths', '4,3,2', '--samples', '6', '--data', 'mixture', '--save-run', folder, '--json']);
    expect(saved.code).toBe(0);
    const again = JSON.parse((await intrinsic(['rank', '--model', folder, '--json'])).stdout);
    expect(again.data).not.toBe('gaussian');
    expect(again.data).toMatch(/mixture/);
    for (const [content, message] of [
      ['{"train": ', /data\.json: not valid JSON/],
      ['null', /data\.json: must hold a JSON object, found null/],
      [JSON.stringify({ inputs: [[1, 2, 3, 4]], targets: [[0, 1]], labels: ['x'] }), /'labels' must be 1 integers in \[0, 1\]/],
    ] as const) {
      writeFileSync(join(folder, 'data.json'), content);
      const { code, stderr } = await intrinsic(['rank', '--model', folder]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('an unknown command is a one-line error', async () => {
    const { code, stderr } = await intrinsic(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'frobnicate'/);
  });

  describe('layered networks (--spec, --model with conv layers)', () => {
    const layers: LayerSpec[] = [
      { type: 'conv2d', filters: 2, kernel: 3, padding: 'same' },
      { type: 'activation', activation: 'tanh' },
      { type: 'maxpool', size: 2 },
      { type: 'locally-connected2d', filters: 1, kernel: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ];
    const folder = mkdtempSync(join(tmpdir(), 'intrinsic-rank-spec-'));
    const specFile = join(folder, 'cnn.json');
    writeFileSync(specFile, JSON.stringify({ input: [1, 6, 6], layers, bias: true, seed: 4 }));

    /** numpy-rule ranks of the dense H, H_O, H_F of network-hessian, computed here. */
    function denseRanks(spec: ReturnType<typeof networkSpec>, params: Float64Array, data: ReturnType<typeof defaultDataset>, loss: 'mse' | 'cross-entropy') {
      const m = networkHessianDecomposition(spec, params, data, loss);
      const rank = (A: Float64Array) => numericalRank(symmetricEigenvalues(A, m.size), m.size).rank;
      return { hessian: rank(m.hessian), outer: rank(m.outer), functional: rank(m.functional) };
    }

    it.each(['mse', 'ce'] as const)('--spec FILE.json, --loss %s: the ranks of the dense network-hessian matrices', async (lossFlag) => {
      const loss = lossFlag === 'ce' ? 'cross-entropy' : 'mse';
      const { code, stdout } = await intrinsic(['rank', '--spec', specFile, '--samples', '7', '--loss', lossFlag, '--json']);
      expect(code).toBe(0);
      const result = JSON.parse(stdout);
      const spec = networkSpec({ input: [1, 6, 6], layers, bias: true, seed: 4 });
      const data = defaultDataset('gaussian', loss, 7, 36, 3, 0);
      const expected = denseRanks(spec, initializeNetworkParameters(spec), data, loss);
      expect(result.params).toBe(2 * 9 + 2 + (4 * 1 * 2 * 4 + 4) + (4 * 3 + 3)); // conv, locally connected (4 positions), dense
      expect(result.rank).toEqual(expected);
      expect(result.network.layers).toEqual(layers);
      expect(result).not.toHaveProperty('seconds');
    });

    it('--save-run of a --spec network, re-read with --model, gives the same ranks; the human table names the layers', async () => {
      const run = join(folder, 'run');
      const first = JSON.parse((await intrinsic(['rank', '--spec', specFile, '--samples', '5', '--save-run', run, '--json'])).stdout);
      const again = JSON.parse((await intrinsic(['rank', '--model', run, '--json'])).stdout);
      expect(again.rank).toEqual(first.rank);
      expect(again.parts.hessian.largest).toBe(first.parts.hessian.largest);
      const { stdout } = await intrinsic(['rank', '--spec', specFile, '--samples', '5']);
      expect(stdout).toMatch(/network \[1, 6, 6\] → conv2d 2 \(k 3, pad same\) → tanh → maxpool 2 → locally-connected2d 1 \(k 2\) → flatten → dense 3, with bias/);
    });

    it('--model with a tfjs model.json of conv layers: the ranks of the dense matrices of the imported network', async () => {
      await tf.setBackend('cpu');
      const spec = networkSpec({ input: [2, 5, 5], layers: [{ type: 'conv2d', filters: 2, kernel: 2, stride: 2 }, { type: 'activation', activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }], bias: true, seed: 9 });
      const params = initializeNetworkParameters(spec);
      const dir = join(folder, 'tfjs-cnn');
      await networkToLayersModel(spec, params).save(directorySaveHandler(dir));
      const { code, stdout } = await intrinsic(['rank', '--model', join(dir, 'model.json'), '--samples', '6', '--json']);
      expect(code).toBe(0);
      const result = JSON.parse(stdout);
      const data = defaultDataset('gaussian', 'mse', 6, 50, 2, 0);
      expect(result.rank).toEqual(denseRanks(spec, Float64Array.from(params, Math.fround), data, 'mse'));
    });

    it('--spec with --widths or --activation is a one-line usage error', async () => {
      for (const flag of [['--widths', '4,2'], ['--activation', 'relu']]) {
        const { code, stderr } = await intrinsic(['rank', '--spec', specFile, ...flag]);
        expect(code).toBe(2);
        expect(stderr.trim()).toBe(`intrinsic rank: --spec and ${flag[0]} are exclusive: the spec file gives the layers and their activations`);
      }
    });

    it.each([
      ['missing.json', null, /--spec .*missing\.json: no such file/],
      ['broken.json', '{"input": [1, 4', /--spec .*broken\.json: cannot read it as JSON/],
      ['unknown-layer.json', JSON.stringify({ input: [1, 4, 4], layers: [{ type: 'conv3d', filters: 1, kernel: 2 }] }), /unknown-layer\.json: layer 0: unknown type "conv3d"; supported: dense, conv1d/],
      ['too-large.json', JSON.stringify({ input: [1, 4, 4], layers: [{ type: 'conv2d', filters: 1, kernel: 5 }, { type: 'flatten' }] }), /too-large\.json: layer 0 \(conv2d\): kernel 5 is larger than the input height 4/],
      ['mlp.json', JSON.stringify({ kind: 'mlp', widths: [3, 2] }), /mlp\.json: kind must be 'network'/],
      ['not-object.json', '[1, 2]', /not-object\.json: must be a JSON object/],
      ['huge.json', JSON.stringify({ input: [10], layers: [{ type: 'dense', units: 1e8 }, { type: 'dense', units: 1 }] }), /huge\.json: p = 1100000000 parameters .* over the budget/],
    ])('a bad spec file (%s) is one line on stderr, exit code 2', async (name, content, message) => {
      const file = join(folder, name);
      if (content !== null) writeFileSync(file, content);
      const { code, stdout, stderr } = await intrinsic(['rank', '--spec', file]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
    });
  });
});
