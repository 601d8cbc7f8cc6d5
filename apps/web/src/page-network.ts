import { networkSpec, type LayerSpec, type NetworkSpec } from '@intrinsic/models';
import { InvalidArgumentError } from '@intrinsic/spectra';
import { MNIST_SIDE } from './mnist-pool.js';
import type { PageState } from './page-state.js';

/** Kernel size of every convolution of the page's CNN. */
export const CONV_KERNEL = 3;

/**
 * The page's convolutional network for `widths` [d, M_1, …, M_{L−1}, K]: the input as one channel — a signal
 * of length d (1-D, synthetic data) or the 8 × 8 image (2-D, MNIST) — then for each hidden width M_l a
 * convolution with M_l filters of size 3 (3 × 3 in 2-D), stride 1, 'same' zero padding, followed by the
 * activation, then flatten and a dense layer to K outputs:
 *   y = W_L · vec(σ(conv_{L−1}(… σ(conv_1(x))))),  p = Σ_l M_l·M_{l−1}·k (+ M_l) + K·M_{L−1}·d (+ K)
 * with k = 3 or 9 and M_0 = 1 (the layered engine of `@intrinsic/models`, as the CNN Hessian paper, Singh et al.
 * ICML 2023). A network without hidden layer is the dense map x ↦ W x.
 * @throws InvalidArgumentError when a 2-D input is asked for data that is not 8 × 8 MNIST.
 */
export function convNetworkSpec(state: PageState): NetworkSpec {
  const d = state.widths[0];
  const K = state.widths[state.widths.length - 1];
  const twoD = state.data === 'mnist';
  if (twoD && d !== MNIST_SIDE * MNIST_SIDE) throw new InvalidArgumentError(`the 2-D CNN needs d = 64 (8 × 8 MNIST), got d = ${d}`);
  const layers: LayerSpec[] = [];
  for (const filters of state.widths.slice(1, -1)) {
    layers.push({ type: twoD ? 'conv2d' : 'conv1d', filters, kernel: CONV_KERNEL, padding: 'same' });
    layers.push({ type: 'activation', activation: state.activation });
  }
  layers.push({ type: 'flatten' });
  layers.push({ type: 'dense', units: K });
  return networkSpec({
    input: twoD ? [1, MNIST_SIDE, MNIST_SIDE] : [1, d],
    layers,
    init: state.init,
    seed: state.seed,
    bias: state.bias,
  });
}

/** One line describing the CNN, e.g. `conv1d 1→5→10 (k = 3, same), flatten, dense 250→10`. */
export function describeConvNetwork(state: PageState): string {
  const d = state.widths[0];
  const hidden = state.widths.slice(1, -1);
  const K = state.widths[state.widths.length - 1];
  const twoD = state.data === 'mnist';
  if (hidden.length === 0) return `dense ${d}→${K}`;
  const kernel = twoD ? '3×3' : '3';
  return `${twoD ? 'conv2d' : 'conv1d'} 1→${hidden.join('→')} (kernel ${kernel}, same padding), flatten, dense ${hidden[hidden.length - 1] * d}→${K}`;
}
