import { Random } from '@intrinsic/spectra';
import { orthogonalInto } from '../init.js';
import { networkParameterLayout } from './network-layout.js';
import type { NetworkSpec } from './network-spec.js';

/**
 * Initial parameters of a network, seeded (flat layout of {@link networkParameterLayout}).
 *
 * Fans as Keras: dense fan_in = in, fan_out = out; convolution and locally connected fan_in =
 * channels · kernel size, fan_out = filters · kernel size. glorot-normal N(0, 2/(fan_in + fan_out)),
 * glorot-uniform U(±√(6/(fan_in + fan_out))), he-normal N(0, 2/fan_in), orthogonal: orthonormal rows or
 * columns of each [filters, channels · kernel] matrix (one per position for locally connected layers),
 * pytorch-uniform U(±1/√fan_in) (PyTorch's default for `nn.Linear` and `nn.Conv*`). Biases start at zero. The random stream visits the weight arrays in layout order, so a dense-only
 * network gets the same parameters as {@link initializeParameters} of the equivalent MLP.
 */
export function initializeNetworkParameters(spec: NetworkSpec): Float64Array {
  const layout = networkParameterLayout(spec);
  const params = new Float64Array(layout.size);
  const rng = new Random(spec.seed);
  for (const view of layout.views) {
    if (view.kind === 'bias') continue;
    const s = view.shape;
    const local = view.layerType.startsWith('locally');
    const fanOut = local ? s[1] : s[0];
    const rest = s.slice(local ? 2 : 1).reduce((a, b) => a * b, 1);
    const kernelSize = view.layerType === 'dense' ? 1 : s.slice(local ? 3 : 2).reduce((a, b) => a * b, 1);
    const fanIn = rest;
    const fanOutTotal = fanOut * kernelSize;
    const w = params.subarray(view.offset, view.offset + view.size);
    switch (spec.init) {
      case 'glorot-normal':
        rng.fillGaussian(w, Math.sqrt(2 / (fanIn + fanOutTotal)));
        break;
      case 'glorot-uniform': {
        const limit = Math.sqrt(6 / (fanIn + fanOutTotal));
        for (let i = 0; i < w.length; i++) w[i] = limit * (2 * rng.uniform() - 1);
        break;
      }
      case 'he-normal':
        rng.fillGaussian(w, Math.sqrt(2 / fanIn));
        break;
      case 'orthogonal': {
        const blocks = local ? s[0] : 1;
        for (let b = 0; b < blocks; b++) orthogonalInto(w.subarray(b * fanOut * rest, (b + 1) * fanOut * rest), fanOut, rest, rng);
        break;
      }
      case 'pytorch-uniform': {
        const limit = 1 / Math.sqrt(fanIn);
        for (let i = 0; i < w.length; i++) w[i] = limit * (2 * rng.uniform() - 1);
        break;
      }
    }
  }
  return params;
}
