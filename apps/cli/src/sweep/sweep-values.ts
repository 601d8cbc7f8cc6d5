import { UsageError } from '../cli-error.js';

/** Most points one sweep may have (a guard against a typo such as 1:100000). */
export const MAX_SWEEP_POINTS = 1000;

/** Largest value a sweep may take (widths, samples, channels, … beyond this are typos). */
export const MAX_SWEEP_VALUE = 10_000_000;

/**
 * Parses `--values`: `start:stop:step` (inclusive of stop when it falls on the grid, e.g. `4:56:4` → 4, 8, …, 56),
 * `start:stop` (step 1), or a comma list `10,20,64,400`. Whole numbers ≥ `min`; duplicates removed, order kept.
 */
export function parseSweepValues(text: string, min = 1): number[] {
  const trimmed = text.trim();
  const whole = (part: string, what: string): number => {
    if (!/^\d+$/.test(part.trim())) throw new UsageError(`--values: ${what} '${part}' is not a whole number (write start:stop:step, e.g. 4:56:4, or a list 10,20,40)`);
    const value = Number(part.trim());
    // Past 2^53 `v += step` stops changing and the loop below would never end.
    if (!Number.isSafeInteger(value) || value > MAX_SWEEP_VALUE) throw new UsageError(`--values: ${what} '${part.trim().slice(0, 30)}' is larger than ${MAX_SWEEP_VALUE}`);
    return value;
  };
  let values: number[];
  if (trimmed.includes(':')) {
    const parts = trimmed.split(':');
    if (parts.length > 3) throw new UsageError(`--values: '${text}' has ${parts.length} fields; write start:stop:step, e.g. 4:56:4`);
    const [start, stop] = [whole(parts[0], 'start'), whole(parts[1], 'stop')];
    const step = parts.length === 3 ? whole(parts[2], 'step') : 1;
    if (step < 1) throw new UsageError(`--values: step must be at least 1, got ${step}`);
    if (stop < start) throw new UsageError(`--values: stop ${stop} is below start ${start}`);
    if ((stop - start) / step + 1 > MAX_SWEEP_POINTS) throw new UsageError(`--values: '${text}' gives more than ${MAX_SWEEP_POINTS} points`);
    values = [];
    for (let v = start; v <= stop; v += step) values.push(v);
  } else {
    values = trimmed.split(',').map((part, i) => whole(part, `entry ${i + 1}`));
    if (values.length > MAX_SWEEP_POINTS) throw new UsageError(`--values: more than ${MAX_SWEEP_POINTS} points`);
  }
  for (const v of values) if (v < min) throw new UsageError(`--values: ${v} is below the minimum ${min} for this sweep`);
  return [...new Set(values)];
}
