/** How matrix entries map to colours: linearly in x / vmax, or by a symmetric logarithm over `decades` decades. */
export type ColorScaleKind = 'linear' | 'symlog';

/** Options of {@link scaleValue}. */
export interface ScaleOptions {
  kind: ColorScaleKind;
  /** The magnitude drawn at full colour. */
  maxMagnitude: number;
  /** symlog: decades below maxMagnitude that still get colour (default 6). */
  decades?: number;
}

/**
 * Position of a value on a diverging scale, in [−1, 1]: linear t = x / vmax, or symmetric-log
 * t = sign(x) · max(0, 1 + log10(|x| / vmax) / decades), so |x| = vmax maps to ±1 and everything below
 * vmax · 10^−decades to 0. Values beyond vmax are clipped.
 */
export function scaleValue(value: number, options: ScaleOptions): number {
  const vmax = options.maxMagnitude;
  if (!(vmax > 0) || value === 0 || !Number.isFinite(value)) return 0;
  let t: number;
  if (options.kind === 'linear') t = value / vmax;
  else {
    const decades = options.decades ?? 6;
    t = Math.sign(value) * Math.max(0, 1 + Math.log10(Math.abs(value) / vmax) / decades);
  }
  return Math.max(-1, Math.min(1, t));
}

/** Ends and middle of the diverging map (blue for negative, white at zero, red for positive; ColorBrewer RdBu). */
const NEGATIVE = [33, 102, 172];
const MIDDLE = [247, 247, 247];
const POSITIVE = [178, 24, 43];

/** RGB of a scale position t ∈ [−1, 1] on the blue–white–red diverging map (linear interpolation in RGB). */
export function divergingColor(t: number): [number, number, number] {
  const s = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const end = s < 0 ? NEGATIVE : POSITIVE;
  const a = Math.abs(s);
  return [0, 1, 2].map((k) => Math.round(MIDDLE[k] + (end[k] - MIDDLE[k]) * a)) as [number, number, number];
}
