import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initializeParameters } from '../init.js';
import { mlpSpec } from '../spec.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { loadMlpModel } from './load-mlp-model.js';
import { mlpToLayersModel } from './mlp-to-layers-model.js';
import { directorySaveHandler } from './tfjs-model-files.js';

beforeAll(useCpuBackend);

describe('loadMlpModel', () => {
  const spec = mlpSpec({ widths: [3, 4, 2], activation: 'tanh', bias: true, seed: 4 });
  const params = initializeParameters(spec);
  const root = mkdtempSync(join(tmpdir(), 'intrinsic-model-'));

  it('reads a run folder exactly in float64, with its loss', async () => {
    const folder = join(root, 'run');
    mkdirSync(folder);
    writeFileSync(join(folder, 'spec.json'), JSON.stringify({ model: spec, loss: 'ce' }));
    writeFileSync(join(folder, 'params.json'), JSON.stringify({ flat: Array.from(params) }));
    const model = await loadMlpModel(folder);
    expect(model.source).toBe('run-folder');
    expect(model.loss).toBe('cross-entropy');
    expect(Array.from(model.params)).toEqual(Array.from(params));
    writeFileSync(join(folder, 'params.json'), JSON.stringify({ flat: [1, 2] }));
    await expect(loadMlpModel(folder)).rejects.toThrow('params.json has 2 parameters, the spec has p = 26');
  });

  it('reads a tfjs model from checkpoint/, from a folder and from model.json', async () => {
    const model = mlpToLayersModel(spec, params);
    await model.save(directorySaveHandler(join(root, 'trained', 'checkpoint')));
    model.dispose();
    for (const path of [join(root, 'trained'), join(root, 'trained', 'checkpoint'), join(root, 'trained', 'checkpoint', 'model.json')]) {
      const loaded = await loadMlpModel(path);
      expect(loaded.source).toBe('tfjs');
      expect(loaded.spec.widths).toEqual([3, 4, 2]);
      expect(Array.from(loaded.params)).toEqual(Array.from(Float32Array.from(params)));
    }
    await expect(loadMlpModel(join(root, 'nothing'))).rejects.toThrow("model '" + join(root, 'nothing') + "' does not exist");
    mkdirSync(join(root, 'empty'));
    await expect(loadMlpModel(join(root, 'empty'))).rejects.toThrow('is neither a run folder (spec.json + params.json) nor a tfjs model (model.json)');
  });
});
