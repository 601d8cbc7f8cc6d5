import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { IntrinsicError } from '@intrinsic/spectra';
import { initializeNetworkParameters } from '../network/network-init.js';
import { networkSpec, validateNetworkSpec } from '../network/network-spec.js';
import { useCpuBackend } from './__fixtures__/cpu-backend.js';
import { SUPPORTED_NETWORK_LAYERS } from './network-from-layers.js';
import { networkFromModelJson } from './network-model-json.js';
import { networkToLayersModel } from './network-to-layers-model.js';

type Json = Record<string, unknown>;

/** A valid model.json (+ weight data) of a small CNN with every supported layer kind, saved by tfjs itself. */
async function validModel(): Promise<{ json: Json; weights: Uint8Array }> {
  const spec = networkSpec({
    input: [2, 7, 7],
    layers: [
      { type: 'conv2d', filters: 2, kernel: 3, padding: 1 },
      { type: 'activation', activation: 'relu' },
      { type: 'maxpool', size: 2 },
      { type: 'locally-connected2d', filters: 2, kernel: 2 },
      { type: 'avgpool', size: 1 },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ],
    bias: true,
  });
  let captured: tf.io.ModelArtifacts | null = null;
  await networkToLayersModel(spec, initializeNetworkParameters(spec)).save({
    async save(artifacts) {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  const artifacts = captured as unknown as tf.io.ModelArtifacts;
  const json = { modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
  return { json: JSON.parse(JSON.stringify(json)) as Json, weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData!)) };
}

/** Every path (list of keys) into a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return remove ? undefined : value;
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

/** Odd values: wrong types, NaN and infinite numbers, negative and fractional sizes, huge sizes, empty things. */
const odd = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 0.5, 2.5, 1e9, 2 ** 40, '', 'same', 'causal', 'channelsFirst', null, [], {}, [NaN], [1, NaN], [-2, 3], [[1, 2], [0, 0]], true, 'softmax', 'swish'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 40 }),
  fc.anything({ maxDepth: 2 }),
);

const unknownLayers = fc.oneof(fc.constantFrom('Conv3D', 'BatchNormalization', 'LSTM', 'Embedding', 'GlobalAveragePooling2D', 'SeparableConv2D', 'Add', 'Concatenate'), fc.string({ maxLength: 10 }));

type Mutation =
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'delete'; pick: number }
  | { kind: 'class'; pick: number; name: string }
  | { kind: 'drop-weight'; pick: number }
  | { kind: 'truncate-data'; fraction: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: odd }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('class' as const), pick: fc.nat(), name: unknownLayers }),
  fc.record({ kind: fc.constant('drop-weight' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('truncate-data' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function apply(base: { json: Json; weights: Uint8Array }, mutations: Mutation[]): { json: unknown; weights: Uint8Array } {
  let json: unknown = structuredClone(base.json);
  let weights = base.weights;
  for (const m of mutations) {
    if (json === undefined || typeof json !== 'object' || json === null) break;
    const all = paths(json);
    switch (m.kind) {
      case 'set':
        json = setAt(json, all[m.pick % all.length], m.value, false);
        break;
      case 'delete':
        json = setAt(json, all[m.pick % all.length], undefined, true);
        break;
      case 'class': {
        const classes = all.filter((p) => p[p.length - 1] === 'class_name' && p.includes('layers'));
        if (classes.length) json = setAt(json, classes[m.pick % classes.length], m.name, false);
        break;
      }
      case 'drop-weight': {
        const entries = all.filter((p) => p.length === 4 && p[0] === 'weightsManifest' && p[2] === 'weights');
        if (entries.length) json = setAt(json, entries[m.pick % entries.length], undefined, true);
        break;
      }
      case 'truncate-data':
        weights = weights.slice(0, Math.floor(m.fraction * weights.length));
        break;
    }
  }
  return { json, weights };
}

/** The contract: a valid network, or an IntrinsicError with one clear line. */
function check(json: unknown, weights: Uint8Array): void {
  let result;
  try {
    result = networkFromModelJson(json, weights, 'model.json');
  } catch (error) {
    expect(error, `not an IntrinsicError: ${String(error)}`).toBeInstanceOf(IntrinsicError);
    const message = (error as Error).message;
    expect(message).toMatch(/^model\.json: \S/);
    expect(message).not.toMatch(/[\n\r]/);
    expect(message.length).toBeLessThan(600);
    return;
  }
  validateNetworkSpec(result.spec);
  expect(result.params.every(Number.isFinite)).toBe(true);
}

let base: { json: Json; weights: Uint8Array };
beforeAll(async () => {
  await useCpuBackend();
  base = await validModel();
});

describe('networkFromModelJson on malformed and odd model.json inputs', () => {
  it('reads the unmutated model', () => {
    const { spec, params } = networkFromModelJson(base.json, base.weights);
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'activation', 'maxpool', 'locally-connected2d', 'avgpool', 'flatten', 'dense']);
    expect(params.length).toBeGreaterThan(0);
  });

  it('1,000 mutated model.json files (wrong types, missing fields, NaN shapes, unknown layers, truncated manifests and weights): a network or one clear IntrinsicError line', () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const { json, weights } = apply(base, mutations);
        try {
          networkFromModelJson(json, weights, 'model.json');
        } catch {
          rejected++;
        }
        check(json, weights);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 1000), seed: Number(process.env.PROPERTY_SEED ?? 20261127) },
    );
    // Most mutations break the file; the property must have exercised the error paths.
    expect(rejected).toBeGreaterThan(500);
  });

  it('200 arbitrary JSON values in place of the whole file', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (value) => check(value, base.weights)),
      { numRuns: 200, seed: 7 },
    );
  });

  it('names an unsupported layer and lists the supported ones', () => {
    const json = structuredClone(base.json) as { modelTopology: { config: { layers: { class_name: string; config: { name: string } }[] } } };
    const layer = json.modelTopology.config.layers[2];
    layer.class_name = 'BatchNormalization';
    expect(() => networkFromModelJson(json, base.weights, 'model.json')).toThrow(
      `model.json: layer '${layer.config.name}' (BatchNormalization) is not supported; supported layers: ${SUPPORTED_NETWORK_LAYERS.join(', ')}`,
    );
  });

  it('a truncated weight file and a NaN shape give their own messages', () => {
    expect(() => networkFromModelJson(base.json, base.weights.slice(0, 10))).toThrow(/the weight data hold 10 bytes, the manifest needs \d+/);
    const json = structuredClone(base.json) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    json.weightsManifest[0].weights[0].shape = [NaN, 2];
    expect(() => networkFromModelJson(json, base.weights)).toThrow(/shape must be an array of non-negative integers, got \[NaN, 2\]|got \[null,2\]/);
  });
});
