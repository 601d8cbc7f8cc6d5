/**
 * Geometry of a windowed layer (convolution, locally connected, pooling) for the gather-based ("im2col")
 * tfjs forms: which input entry each kernel tap of each output position reads.
 */
export interface WindowGeometry {
  channels: number;
  /** Spatial input size per axis (1 or 2 entries). */
  input: number[];
  /** Spatial output size per axis. */
  output: number[];
  kernel: number[];
  stride: number[];
  /** Zeros before the input on each axis. */
  padBefore: number[];
}

/**
 * Index table of the patches of a windowed layer, row-major [positions, taps]: entry (q, t) is the index
 * into one sample's flat input of tap t of output position q, or `size` (one past the input, a zero
 * appended by the caller) where the tap falls into the zero padding. Positions q run row-major over
 * the output's height and width.
 *
 * Tap order and input layout:
 * - `channels-first` (the float64 engine's [C, H, W] input): taps (c, ky, kx), input index (c·H + y)·W + x —
 *   the order of the engine's conv weights [F, C, kh, kw], so patches · Wᵀ is the convolution;
 * - `channels-last` (tfjs' [H, W, C] input): taps (ky, kx, c), input index (y·W + x)·C + c — the patch
 *   order of Keras' LocallyConnected kernels [positions, kh·kw·C, F].
 * `perChannel` (pooling) gives [C · positions, kh·kw] rows instead, row c·positions + q, channel-first.
 * 1-D layers are read as 2-D with height 1.
 */
export function windowPatchIndex(geometry: WindowGeometry, order: 'channels-first' | 'channels-last', perChannel = false): { index: Int32Array; rows: number; taps: number; size: number } {
  const twoD = geometry.input.length === 2;
  const C = geometry.channels;
  const [H, W] = twoD ? geometry.input : [1, geometry.input[0]];
  const [Ho, Wo] = twoD ? geometry.output : [1, geometry.output[0]];
  const [kh, kw] = twoD ? geometry.kernel : [1, geometry.kernel[0]];
  const [sh, sw] = twoD ? geometry.stride : [1, geometry.stride[0]];
  const [ph, pw] = twoD ? geometry.padBefore : [0, geometry.padBefore[0]];
  const size = C * H * W;
  const positions = Ho * Wo;
  const at = (c: number, y: number, x: number) => (y < 0 || y >= H || x < 0 || x >= W ? size : order === 'channels-first' ? (c * H + y) * W + x : (y * W + x) * C + c);
  if (perChannel) {
    const taps = kh * kw;
    const index = new Int32Array(C * positions * taps);
    let n = 0;
    for (let c = 0; c < C; c++) {
      for (let oy = 0; oy < Ho; oy++) {
        for (let ox = 0; ox < Wo; ox++) {
          for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) index[n++] = at(c, oy * sh - ph + ky, ox * sw - pw + kx);
        }
      }
    }
    return { index, rows: C * positions, taps, size };
  }
  const taps = C * kh * kw;
  const index = new Int32Array(positions * taps);
  let n = 0;
  for (let oy = 0; oy < Ho; oy++) {
    for (let ox = 0; ox < Wo; ox++) {
      if (order === 'channels-first') {
        for (let c = 0; c < C; c++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) index[n++] = at(c, oy * sh - ph + ky, ox * sw - pw + kx);
      } else {
        for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) for (let c = 0; c < C; c++) index[n++] = at(c, oy * sh - ph + ky, ox * sw - pw + kx);
      }
    }
  }
  return { index, rows: positions, taps, size };
}
