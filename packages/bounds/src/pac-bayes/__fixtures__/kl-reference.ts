/**
 * Test-only references, deliberately naive: the textbook kl (log1p for the (1 − ·) logs) and 200 plain
 * bisection steps. Not exported from the package.
 */
export function naiveKl(q: number, p: number): number {
  const a = q === 0 ? 0 : q * Math.log(q / p);
  const b = q === 1 ? 0 : (1 - q) * (Math.log1p(-q) - Math.log1p(-p));
  return a + b;
}

/** Largest p ∈ [q, 1] with kl(q‖p) ≤ c by 200 bisection steps. */
export function referenceKlInverseUpper(q: number, c: number): number {
  let lo = q;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (naiveKl(q, mid) > c) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}
