import { UsageError } from '../cli-error.js';

function sparsityValue(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(`--${flag}: '${text}' must be a sparsity in [0, 1)`);
  }
  return value;
}

/** Rounds away float noise of repeated additions (0.1 + 0.2 → 0.3). */
function clean(x: number): number {
  return Number(x.toFixed(10));
}

/**
 * Parses `--sparsity` (one value in [0, 1)) or `--sweep`: `a:b` (a, a + 0.1, … below b, then 0.95 when
 * it lies between, then b), `a:b:step` (a, a + step, … up to b, and b itself), or a list `0.5,0.9,0.95`.
 * The result is sorted ascending without duplicates.
 *
 * @throws UsageError naming the flag on a value outside [0, 1), a bad range or a non-positive step.
 */
export function parseSparsityGrid(text: string, flag: 'sparsity' | 'sweep'): number[] {
  const trimmed = text.trim();
  let values: number[];
  if (flag === 'sweep' && trimmed.includes(':')) {
    const parts = trimmed.split(':');
    if (parts.length > 3) throw new UsageError(`--sweep: '${text}' must be a:b, a:b:step or a list a,b,c`);
    const a = sparsityValue(parts[0], flag);
    const b = sparsityValue(parts[1], flag);
    if (!(b > a)) throw new UsageError(`--sweep: the range ${a}:${b} must be increasing`);
    values = [];
    if (parts.length === 3) {
      const step = Number(parts[2]);
      if (!(step > 0) || !Number.isFinite(step)) throw new UsageError(`--sweep: step '${parts[2]}' must be a positive number`);
      if ((b - a) / step > 1000) throw new UsageError(`--sweep: ${a}:${b}:${step} has more than 1000 points`);
      for (let k = 0; a + k * step <= b + 1e-12; k++) values.push(clean(a + k * step));
    } else {
      for (let k = 0; a + k * 0.1 < b - 1e-12; k++) values.push(clean(a + k * 0.1));
      if (a < 0.95 && b > 0.95) values.push(0.95);
    }
    values.push(b);
  } else {
    values = trimmed.split(',').map((part) => sparsityValue(part, flag));
    if (flag === 'sparsity' && values.length !== 1) throw new UsageError(`--sparsity: '${text}' must be one value; use --sweep for several`);
  }
  return [...new Set(values)].sort((x, y) => x - y);
}
