import { IntrinsicError, InvalidArgumentError } from '@intrinsic/spectra';
import { networkFromLayers, oneLine, safeJson, SUPPORTED_NETWORK_LAYERS, type ImportedNetwork, type LayerDescription } from './network-from-layers.js';

/** One weight of a tfjs weights manifest, with its place in the concatenated weight data. */
interface ManifestWeight {
  name: string;
  shape: number[];
  byteOffset: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = safeJson;

/**
 * The layers of a model.json `modelTopology`: a `Sequential` (config `{ layers }` or the older bare
 * array) or a functional `Model` / `Functional` whose layers form a chain (each layer's single inbound
 * node is the previous layer). Keras nests the topology under `model_config`.
 */
function topologyLayers(topology: unknown, where: string): { layers: LayerDescription[]; inputShape: unknown } {
  if (!isRecord(topology)) throw new InvalidArgumentError(`${where}: modelTopology must be an object, got ${text(topology)}`);
  const model = isRecord(topology.model_config) ? topology.model_config : topology;
  const className = model.class_name;
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') {
    throw new InvalidArgumentError(`${where}: modelTopology class ${text(className)} is not supported; supported: Sequential, Model (a chain of layers)`);
  }
  const config = model.config;
  const raw = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw new InvalidArgumentError(`${where}: modelTopology.config.layers must be a non-empty array, got ${text(raw)}`);
  const layers: LayerDescription[] = raw.map((entry: unknown, i: number) => {
    if (!isRecord(entry)) throw new InvalidArgumentError(`${where}: layer ${i} must be an object, got ${text(entry)}`);
    const cls = entry.class_name;
    const layerConfig = entry.config;
    if (typeof cls !== 'string') throw new InvalidArgumentError(`${where}: layer ${i} has no class_name (got ${text(cls)})`);
    if (!isRecord(layerConfig)) throw new InvalidArgumentError(`${where}: layer ${i} (${cls}) has no config object (got ${text(layerConfig)})`);
    const name = typeof layerConfig.name === 'string' ? layerConfig.name : typeof entry.name === 'string' ? entry.name : `#${i}`;
    if (!(SUPPORTED_NETWORK_LAYERS as readonly string[]).includes(cls)) {
      throw new InvalidArgumentError(`${where}: layer '${name}' (${cls}) is not supported; supported layers: ${SUPPORTED_NETWORK_LAYERS.join(', ')}`);
    }
    if (className !== 'Sequential' && i > 0) {
      const inbound = entry.inbound_nodes;
      const previous = (raw[i - 1] as Record<string, unknown>).config as Record<string, unknown>;
      const chain = Array.isArray(inbound) && inbound.length === 1 && Array.isArray(inbound[0]) && inbound[0].length === 1 && Array.isArray(inbound[0][0]) && inbound[0][0][0] === previous?.name;
      if (!chain) throw new InvalidArgumentError(`${where}: layer '${name}' does not take the previous layer's output; only chains of layers are supported`);
    }
    return { className: cls, name, config: layerConfig };
  });
  const first = layers[0].config;
  const batchShape = first.batch_input_shape ?? first.batchInputShape ?? first.batch_shape;
  const inputShape = Array.isArray(batchShape) ? batchShape.slice(1) : Array.isArray(first.input_shape) ? first.input_shape : undefined;
  if (inputShape === undefined) throw new InvalidArgumentError(`${where}: the first layer ('${layers[0].name}') has no batch_input_shape`);
  return { layers, inputShape };
}

/** The weights of a manifest, in order, with their byte offsets in the concatenated weight data. */
function manifestWeights(manifest: unknown, where: string): { weights: ManifestWeight[]; bytes: number } {
  if (!Array.isArray(manifest)) throw new InvalidArgumentError(`${where}: weightsManifest must be an array, got ${text(manifest)}`);
  const weights: ManifestWeight[] = [];
  let offset = 0;
  manifest.forEach((group: unknown, g: number) => {
    if (!isRecord(group) || !Array.isArray(group.weights)) throw new InvalidArgumentError(`${where}: weightsManifest[${g}] needs a 'weights' array, got ${text(group)}`);
    group.weights.forEach((w: unknown, j: number) => {
      const at = `${where}: weightsManifest[${g}].weights[${j}]`;
      if (!isRecord(w) || typeof w.name !== 'string') throw new InvalidArgumentError(`${at} needs a name, got ${text(w)}`);
      if (!Array.isArray(w.shape) || !w.shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0 && s <= 1e9)) {
        throw new InvalidArgumentError(`${at} ('${w.name}'): shape must be an array of non-negative integers, got ${text(w.shape)}`);
      }
      if (w.dtype !== undefined && w.dtype !== 'float32') throw new InvalidArgumentError(`${at} ('${w.name}'): dtype ${text(w.dtype)} is not supported; only float32`);
      if (w.quantization !== undefined) throw new InvalidArgumentError(`${at} ('${w.name}'): quantized weights are not supported`);
      const shape = w.shape as number[];
      weights.push({ name: w.name, shape, byteOffset: offset });
      offset += 4 * shape.reduce((a, b) => a * b, 1);
    });
  });
  return { weights, bytes: offset };
}

/**
 * Reads a user's tfjs `model.json` (already parsed) and its concatenated weight data into a network
 * spec and float64 parameters, without building a tfjs model: the topology is checked and read layer by
 * layer ({@link networkFromLayers}), and each layer's `kernel` / `bias` is taken from the manifest by
 * name (`<layer>/kernel`, `<layer>/bias`), checked against the shape the spec needs, and upcast from
 * float32. Every problem — not an object, missing or mistyped fields, unknown or unsupported layers
 * (named, with the supported list), bad shapes, a manifest or weight data shorter than needed — is one
 * InvalidArgumentError line starting with `where`.
 */
export function networkFromModelJson(json: unknown, weightData: ArrayBuffer | Uint8Array | null, where = 'model.json'): ImportedNetwork {
  try {
    return readModelJson(json, weightData, where);
  } catch (error) {
    // Names and classes come from the file: keep every message on one line.
    if (error instanceof IntrinsicError) error.message = oneLine(error.message);
    throw error;
  }
}

function readModelJson(json: unknown, weightData: ArrayBuffer | Uint8Array | null, where: string): ImportedNetwork {
  if (!isRecord(json)) throw new InvalidArgumentError(`${where}: a tfjs model.json must be an object, got ${text(json)}`);
  if (json.modelTopology === undefined) throw new InvalidArgumentError(`${where}: no modelTopology (is it a tfjs layers model.json?)`);
  if (json.format !== undefined && json.format !== 'layers-model') throw new InvalidArgumentError(`${where}: format ${text(json.format)} is not supported; only layers-model`);
  const { layers, inputShape } = topologyLayers(json.modelTopology, where);
  const { weights, bytes } = manifestWeights(json.weightsManifest ?? [], where);
  const data = weightData === null ? new Uint8Array(0) : weightData instanceof Uint8Array ? weightData : new Uint8Array(weightData);
  if (data.byteLength < bytes) throw new InvalidArgumentError(`${where}: the weight data hold ${data.byteLength} bytes, the manifest needs ${bytes}`);
  const used = new Set<ManifestWeight>();
  try {
    return networkFromLayers(inputShape, layers, (layer, kind, expected) => {
      const weight =
        weights.find((w) => !used.has(w) && w.name === `${layer.name}/${kind}`) ??
        weights.find((w) => !used.has(w) && w.name.startsWith(`${layer.name}/`) && w.name.slice(layer.name.length + 1).startsWith(kind));
      if (!weight) throw new InvalidArgumentError(`layer '${layer.name}' (${layer.className}): the weights manifest has no '${layer.name}/${kind}'`);
      if (weight.shape.join(',') !== expected.join(',')) {
        throw new InvalidArgumentError(`layer '${layer.name}' (${layer.className}): weight '${weight.name}' has shape [${weight.shape.join(', ')}], expected [${expected.join(', ')}]`);
      }
      used.add(weight);
      const count = expected.reduce((a, b) => a * b, 1);
      const copy = data.slice(weight.byteOffset, weight.byteOffset + 4 * count);
      return new Float32Array(copy.buffer, copy.byteOffset, count);
    });
  } catch (error) {
    if (error instanceof InvalidArgumentError && !error.message.startsWith(where)) throw new InvalidArgumentError(oneLine(`${where}: ${error.message}`));
    throw error;
  }
}
