import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';

/** Options of {@link downsampleImages}. */
export interface DownsampleOptions {
  /** Number of images. */
  count: number;
  height: number;
  width: number;
  /** Output height and width (each at most the input's). */
  outputHeight: number;
  outputWidth: number;
}

/** Row-stochastic s × n matrix of the overlaps of output cell r, [r·n/s, (r+1)·n/s), with input cells [i, i+1). */
function areaWeights(n: number, s: number): Float64Array {
  const W = new Float64Array(s * n);
  const step = n / s;
  for (let r = 0; r < s; r++) {
    const start = r * step;
    const end = (r + 1) * step;
    for (let i = Math.floor(start); i < Math.min(n, Math.ceil(end)); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 0) W[r * n + i] = overlap / step;
    }
  }
  return W;
}

/**
 * Downsamples images by area averaging: output pixel (r, c) is the mean of the input over the rectangle
 * [r·h/s_h, (r+1)·h/s_h) × [c·w/s_w, (c+1)·w/s_w), with fractional pixels weighted by their overlap
 * (so 28 × 28 → 8 × 8 averages 3.5 × 3.5 pixel areas, as the rank papers' 8 × 8 MNIST; OpenCV's
 * INTER_AREA). Out = W_r · X · W_cᵀ with row-stochastic weights; a constant image stays constant and the
 * mean intensity is preserved. Cost O(count · s_h · h · w).
 *
 * @param images - row-major count × height × width.
 * @returns row-major count × outputHeight × outputWidth.
 * @throws ShapeMismatchError when `images.length` ≠ count·height·width; InvalidArgumentError for an output
 * size that is not an integer in [1, input size].
 */
export function downsampleImages(images: ArrayLike<number>, options: DownsampleOptions): Float64Array {
  const { count, height: h, width: w, outputHeight: sh, outputWidth: sw } = options;
  if (images.length !== count * h * w) throw new ShapeMismatchError(`downsampleImages: ${images.length} values, expected ${count} × ${h} × ${w}`);
  for (const [name, s, n] of [['outputHeight', sh, h], ['outputWidth', sw, w]] as const) {
    if (!Number.isInteger(s) || s < 1 || s > n) throw new InvalidArgumentError(`downsampleImages: ${name} must be an integer in [1, ${n}], got ${s}`);
  }
  const Wr = areaWeights(h, sh);
  const Wc = areaWeights(w, sw);
  const out = new Float64Array(count * sh * sw);
  const rows = new Float64Array(sh * w); // W_r X for one image
  for (let k = 0; k < count; k++) {
    rows.fill(0);
    const base = k * h * w;
    for (let r = 0; r < sh; r++) {
      for (let i = 0; i < h; i++) {
        const weight = Wr[r * h + i];
        if (weight === 0) continue;
        for (let j = 0; j < w; j++) rows[r * w + j] += weight * images[base + i * w + j];
      }
    }
    const target = k * sh * sw;
    for (let r = 0; r < sh; r++) {
      for (let c = 0; c < sw; c++) {
        let sum = 0;
        for (let j = 0; j < w; j++) sum += rows[r * w + j] * Wc[c * w + j];
        out[target + r * sw + c] = sum;
      }
    }
  }
  return out;
}
