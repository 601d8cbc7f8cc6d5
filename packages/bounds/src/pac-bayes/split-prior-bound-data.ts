import { InvalidArgumentError, Random } from '@intrinsic/spectra';
import type { Dataset } from '@intrinsic/models';
import { assertInteger } from '../internal/guards.js';

/** Options of {@link splitPriorBoundData}. */
export interface SplitPriorBoundOptions {
  /** α, the fraction of the rows given to S_prior, in (0, 1): |S_prior| = round(α m). */
  priorFraction: number;
  /** Seed of the row permutation. Default 0. */
  seed?: number;
}

/** The two disjoint parts of a data set for a data-dependent PAC-Bayes prior. */
export interface PriorBoundSplit {
  /** S_prior: the rows the prior may be built from (and the posterior too). */
  prior: Dataset;
  /** S_bound: the rows the bound is evaluated on; m = `bound.count`. */
  bound: Dataset;
  /** Row indices into the original data of S_prior, ascending. */
  priorRows: Int32Array;
  /** Row indices into the original data of S_bound, ascending. */
  boundRows: Int32Array;
  /** α as given. */
  priorFraction: number;
  /** The permutation seed used. */
  seed: number;
}

/** The rows `rows` of `data`, in that order. */
function selectRows(data: Dataset, rows: Int32Array, part: string): Dataset {
  const d = data.inputSize;
  const K = data.outputSize;
  const inputs = new Float64Array(rows.length * d);
  const targets = new Float64Array(rows.length * K);
  const labels = data.labels ? new Int32Array(rows.length) : undefined;
  rows.forEach((r, i) => {
    inputs.set(data.inputs.subarray(r * d, (r + 1) * d), i * d);
    targets.set(data.targets.subarray(r * K, (r + 1) * K), i * K);
    if (labels) labels[i] = data.labels![r];
  });
  return {
    inputs,
    targets,
    ...(labels ? { labels } : {}),
    count: rows.length,
    inputSize: d,
    outputSize: K,
    description: `${data.description}, ${part} (${rows.length} of ${data.count} rows)`,
  };
}

/**
 * Splits S (m rows) into S_prior (⌊α m⌉ rows) and S_bound (the rest) by a seeded uniform permutation
 * (Fisher–Yates, `Random(seed)`), for a data-dependent PAC-Bayes prior.
 *
 * Why: a PAC-Bayes bound holds for every posterior Q at once provided the prior P does not depend on the
 * sample it is evaluated on. A prior mean w_P trained on S_prior only is independent of S_bound (the rows are
 * i.i.d. and the split does not look at them), so the PAC-Bayes-kl bound
 *   kl(ê_{S_bound}(Q) ‖ e(Q)) ≤ (KL(Q‖P) + ln(2√m′/δ)) / m′,  m′ = |S_bound|,
 * holds with the empirical error on S_bound and m′ in place of m, while Q may depend on all of S
 * (Parrado-Hernández, Ambroladze, Shawe-Taylor & Sun, JMLR 2012; Dziugaite, Hsu, Gharbieh, Arpino & Roy,
 * AISTATS 2021; Pérez-Ortiz, Rivasplata, Shawe-Taylor & Szepesvári, JMLR 2021). α, the seed and the prior's
 * training settings must be fixed before S_bound is looked at (or paid for by a union bound).
 *
 * Cost O(m (d + K)) copies.
 * @param data - S (any data set; labels kept when present).
 * @returns both parts with their row indices (each ascending, disjoint, together 0 … m − 1).
 * @throws InvalidArgumentError when α ∉ (0, 1), the seed is not an integer ≥ 0, or either part would be empty.
 * @example splitPriorBoundData(tenRows, { priorFraction: 0.3, seed: 1 }).bound.count // → 7
 */
export function splitPriorBoundData(data: Dataset, options: SplitPriorBoundOptions): PriorBoundSplit {
  const fn = 'splitPriorBoundData';
  const alpha = options.priorFraction;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) throw new InvalidArgumentError(`${fn}: priorFraction must be in (0, 1), got ${alpha}`);
  const seed = options.seed ?? 0;
  assertInteger(fn, 'seed', seed, 0);
  const m = data.count;
  const priorCount = Math.round(alpha * m);
  if (priorCount < 1 || priorCount > m - 1) {
    throw new InvalidArgumentError(`${fn}: priorFraction ${alpha} of ${m} rows leaves an empty part (${priorCount} prior rows)`);
  }
  const order = Int32Array.from({ length: m }, (_, i) => i);
  new Random(seed).shuffle(order);
  const priorRows = order.slice(0, priorCount).sort();
  const boundRows = order.slice(priorCount).sort();
  return {
    prior: selectRows(data, priorRows, 'prior part'),
    bound: selectRows(data, boundRows, 'bound part'),
    priorRows,
    boundRows,
    priorFraction: alpha,
    seed,
  };
}
