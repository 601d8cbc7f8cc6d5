import type { ParameterLayout, ParameterView } from '../layout.js';
import { inferNetworkShapes, type NetworkLayerShape } from './network-shapes.js';
import type { LayerType, NetworkSpec } from './network-spec.js';

/** One named array of a network's flat parameter vector. */
export interface NetworkParameterView extends ParameterView {
  /** Index of the layer in `spec.layers`, from 0 (`layer` counts layers with parameters, from 1). */
  layerIndex: number;
  layerType: LayerType;
}

/** The flat parameter layout of a network, with the resolved shapes of all its layers. */
export interface NetworkParameterLayout extends ParameterLayout {
  views: NetworkParameterView[];
  shapes: NetworkLayerShape[];
}

/**
 * The documented flat parameter layout of a network.
 *
 * Layers with parameters are numbered j = 1, 2, … in order; each contributes `Wj` then, with a bias,
 * `bj`, every array row-major:
 * - dense: W [out, in] (PyTorch `nn.Linear.weight`), b [out];
 * - conv1d: W [filters, channels, k], conv2d: W [filters, channels, kh, kw] (PyTorch `nn.Conv1d/2d.weight`),
 *   b [filters];
 * - locally connected: W [positions, filters, channels, k] or [positions, filters, channels, kh, kw] with
 *   one kernel per output position (positions row-major over the output's height and width), b
 *   [positions, filters] (Keras' LocallyConnected bias).
 * Pooling, flatten and activation layers have no parameters. An MLP written as dense and activation
 * layers has exactly the layout of {@link parameterLayout}.
 * @throws InvalidArgumentError from {@link inferNetworkShapes} on an inconsistent spec.
 */
export function networkParameterLayout(spec: NetworkSpec): NetworkParameterLayout {
  const shapes = inferNetworkShapes(spec);
  const views: NetworkParameterView[] = [];
  let offset = 0;
  let j = 0;
  for (const s of shapes) {
    if (!s.weightShape) continue;
    j++;
    const size = s.weightShape.reduce((a, b) => a * b, 1);
    views.push({ name: `W${j}`, layer: j, layerIndex: s.index, layerType: s.type, kind: 'weight', shape: s.weightShape.slice(), offset, size });
    offset += size;
    if (s.biasShape) {
      const bSize = s.biasShape.reduce((a, b) => a * b, 1);
      views.push({ name: `b${j}`, layer: j, layerIndex: s.index, layerType: s.type, kind: 'bias', shape: s.biasShape.slice(), offset, size: bSize });
      offset += bSize;
    }
  }
  return { views, size: offset, shapes };
}

/** Parameter count p of a network spec. */
export function networkParameterCount(spec: NetworkSpec): number {
  return networkParameterLayout(spec).size;
}
