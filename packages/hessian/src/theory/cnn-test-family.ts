import { numericalRank, Random, symmetricEigenvalues } from '@intrinsic/spectra';
import { defaultDataset, initializeNetworkParameters, networkParameterCount, networkSpec, type Dataset, type LayerSpec, type Loss, type NetworkSpec } from '@intrinsic/models';
import type { HessianRanks } from '../linear-rank-theory.js';
import { networkHessianDecomposition } from '../network-hessian.js';

/** One member of a randomised family of bias-free linear CNNs (test support, not exported by the package). */
export interface CnnFamilyMember {
  spec: NetworkSpec;
  /** The same geometry with every convolution replaced by a locally connected layer. */
  localSpec: NetworkSpec;
  data: Dataset;
  loss: Loss;
  d: number;
  N: number;
  K: number;
}

const PADDINGS = ['valid', 'same', 0, 1] as const;

function withType(layers: LayerSpec[], local: boolean): LayerSpec[] {
  return layers.map((layer) => {
    if (layer.type !== 'conv1d' && layer.type !== 'conv2d') return layer;
    if (!local) return layer;
    return { ...layer, type: layer.type === 'conv1d' ? 'locally-connected1d' : 'locally-connected2d' };
  });
}

/**
 * A seeded random linear CNN: 1-D ([C, 4…12]) or 2-D ([C, 3…6, 3…6]) input with C = 1…3, 1–`maxDepth`
 * convolutions (1–4 filters, kernel 1–3, stride 1 mostly, else 2–3, padding valid / same / 0 / 1),
 * flatten, dense readout to K = 1…4; N = 1…2d (so N below and above d); MSE or, for K ≥ 2, CE.
 * Returns null for geometries the shape inference rejects or with more than `maxParameters` parameters
 * (of the convolutional version; the locally connected one has more).
 */
export function randomLinearCnn(rng: Random, seed: number, maxParameters: number, maxDepth = 3): CnnFamilyMember | null {
  const twoD = rng.integer(2) === 1;
  const C = 1 + rng.integer(3);
  const input = twoD ? [C, 3 + rng.integer(4), 3 + rng.integer(4)] : [C, 4 + rng.integer(9)];
  const depth = 1 + rng.integer(maxDepth);
  const layers: LayerSpec[] = [];
  for (let l = 0; l < depth; l++) {
    layers.push({
      type: twoD ? 'conv2d' : 'conv1d',
      filters: 1 + rng.integer(4),
      kernel: 1 + rng.integer(3),
      stride: rng.integer(4) === 0 ? 2 + rng.integer(2) : 1,
      padding: PADDINGS[rng.integer(4)],
    });
    if (rng.integer(6) === 0) layers.push({ type: 'activation', activation: 'linear' });
  }
  const K = 1 + rng.integer(4);
  layers.push({ type: 'flatten' }, { type: 'dense', units: K });
  let spec: NetworkSpec;
  let localSpec: NetworkSpec;
  try {
    spec = networkSpec({ input, layers, seed });
    localSpec = networkSpec({ input, layers: withType(layers, true), seed });
  } catch {
    return null;
  }
  if (networkParameterCount(spec) > maxParameters) return null;
  const loss: Loss = K >= 2 && rng.integer(2) === 1 ? 'cross-entropy' : 'mse';
  const d = input.reduce((a, b) => a * b, 1);
  const N = 1 + rng.integer(2 * d);
  return { spec, localSpec, data: defaultDataset('gaussian', loss, N, d, K, seed), loss, d, N, K };
}

/** Exact float64 ranks (numpy tolerance) of H, H_O, H_F of a layered network at its initial parameters. */
export function measuredNetworkRanks(spec: NetworkSpec, data: Dataset, loss: Loss): HessianRanks & { parameters: number } {
  const params = initializeNetworkParameters(spec);
  const { hessian, outer, functional, size } = networkHessianDecomposition(spec, params, data, loss);
  const rank = (m: Float64Array) => numericalRank(symmetricEigenvalues(m, size), size).rank;
  return { hessian: rank(hessian), outer: rank(outer), functional: rank(functional), parameters: size };
}
