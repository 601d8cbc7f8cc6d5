import { MemoryBudgetError } from './errors.js';

/** Default budget for dense float64 allocations: 4 GiB (the machine has 24 GiB; several copies may live at once). */
export const DEFAULT_MEMORY_BUDGET_BYTES = 4 * 1024 ** 3;

/** Human-readable size, e.g. `1.2 GB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/**
 * Checks, before allocating, that `count` float64 values fit in the budget.
 *
 * @param count - number of doubles about to be allocated (may be fractional from a formula).
 * @param what - what they are for, named in the message (e.g. `dense Hessian 5000 × 5000`).
 * @param budgetBytes - the budget; {@link DEFAULT_MEMORY_BUDGET_BYTES} when omitted.
 * @param alternative - what to use instead, appended to the message.
 * @throws MemoryBudgetError naming the size and the budget.
 */
export function assertMemoryBudget(
  count: number,
  what: string,
  budgetBytes: number = DEFAULT_MEMORY_BUDGET_BYTES,
  alternative?: string,
): void {
  const bytes = count * 8;
  if (!(bytes <= budgetBytes)) {
    throw new MemoryBudgetError(
      `${what} needs ${formatBytes(bytes)} of float64 memory, over the budget of ${formatBytes(budgetBytes)}` +
        (alternative ? `; ${alternative}` : ''),
      bytes,
      budgetBytes,
    );
  }
}
