/**
 * Text of a magnitude for the results table: four significant digits in plain notation between 1e-3 and
 * 1e5, scientific notation outside (`1.466e-3` would read `0.001466`, `1.300e-12` stays scientific),
 * an en dash for NaN (no such value, e.g. the smallest non-zero eigenvalue of a zero matrix).
 */
export function formatMagnitude(value: number): string {
  if (Number.isNaN(value)) return '–';
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const a = Math.abs(value);
  const text = a >= 1e-3 && a < 1e5 ? String(Number(value.toPrecision(4))) : value.toExponential(3);
  return text.replace(/-/g, '−');
}

/** An integer with thin-space thousands separators, e.g. `1 588 000`. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** A duration in milliseconds as `830 ms` or `2.4 s`. */
export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}
