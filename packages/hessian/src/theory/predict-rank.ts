import { InvalidArgumentError } from '@intrinsic/spectra';
import { parameterCount, validateMlpSpec, type Dataset, type Loss, type MlpSpec, type NetworkSpec } from '@intrinsic/models';
import { predictNetworkRank } from './cnn-rank-theory.js';
import { linearNetworkRankPrediction, type HessianRanks } from '../linear-rank-theory.js';
import { dataRank } from '../rank-analysis.js';
import { augmentedDataRank } from './augmented-data-rank.js';
import { biasedLinearNetworkRankPrediction } from './biased-linear-rank-theory.js';
import { claimValues, weakestClaimKind, type PartRankClaims, type RankClaimKind } from './rank-claim.js';

/** What {@link predictRank} needs to know about the data (computed from a Dataset when one is given). */
export interface DataRankSummary {
  /** N. */
  samples: number;
  /** r = rank(X) (numpy tolerance). */
  dataRank: number;
  /** r′ = rank([X; 1ᵀ]). */
  augmentedDataRank: number;
}

/** Any model spec: an MLP today; other kinds (convolutional, …) are answered with `none` until their theory exists. */
export type RankTheorySpec = MlpSpec | { kind: string };

/** Result of {@link predictRank}. */
export interface RankTheoryPrediction {
  /** `exact` when all three ranks are exact, `upper-bound` when all are at least bounded, else `none`. */
  kind: RankClaimKind;
  /** The three values (exact or bounds) when every part has one. */
  ranks?: HessianRanks;
  /** Per-part statements: H_O can be exact while H_F is only bounded. */
  parts: PartRankClaims;
  /** Why the kind is what it is, in one line. */
  reason: string;
  /** The theorem or observation the whole prediction rests on. */
  source: string;
  /**
   * Non-linear networks: the linear-network formula for the same widths and bias, a reference line and
   * not a prediction (docs/theory.md reports where it under- or over-estimates).
   */
  reference?: { ranks: HessianRanks; source: string };
  /** The quantities of the formula used. */
  terms?: Record<string, number | boolean>;
}

const NONE = (source: string) => ({ kind: 'none' as const, value: null, source });

function summarize(data: Dataset | DataRankSummary): DataRankSummary {
  if ('inputs' in data) return { samples: data.count, dataRank: dataRank(data), augmentedDataRank: augmentedDataRank(data) };
  for (const key of ['samples', 'dataRank', 'augmentedDataRank'] as const) {
    if (!Number.isInteger(data[key]) || data[key] < 0) throw new InvalidArgumentError(`predictRank: ${key} must be a non-negative integer, got ${data[key]}`);
  }
  return data;
}

/**
 * What rank theory says about H, H_O, H_F of a model's loss on a data set: exact values, upper bounds,
 * or `none` with the reason, each with the theorem or observation it rests on.
 *
 * - Linear MLP without bias: exact (Singh, Bachmann & Hofmann, NeurIPS 2021; {@link linearNetworkRankPrediction}).
 * - Linear MLP with bias: exact H_O always; exact H_F and H for one hidden layer or without a bottleneck,
 *   upper bounds otherwise ({@link biasedLinearNetworkRankPrediction}).
 * - Non-linear MLP: rank(H_O) ≤ min(p, N·K) (K − 1 for cross-entropy), since H_O is a sum of N terms
 *   JᵢᵀΛᵢJᵢ of rank ≤ rank(Λᵢ); nothing for H_F and H (kind `none`), with the linear formula as a
 *   `reference`. Their numerical rank depends on the tolerance policy.
 * - Layered networks (`kind: 'network'`, convolutional / locally connected): {@link predictNetworkRank}
 *   (exact H_O and H_F for one hidden linear conv layer, upper bounds deeper); they need the Dataset.
 *
 * Exact means: at generic data and weights (Gaussian data, random initialisation); at special points
 * (e.g. a minimum, where the residuals have structure) the measured rank can be lower.
 *
 * Cost: O(L) given a {@link DataRankSummary}; with a Dataset, two Gram eigendecompositions of order
 * min(N, d + 1).
 *
 * @param spec - the model spec.
 * @param data - the data set, or its sample count and ranks.
 * @param loss - `mse` or `cross-entropy`.
 * @throws InvalidArgumentError on an invalid MLP spec or data summary.
 * @example predictRank(mlpSpec({ widths: [25, 5, 10, 10] }), { samples: 50, dataRank: 25, augmentedDataRank: 26 }, 'mse').ranks
 *   // → { hessian: 250, outer: 150, functional: 175 }
 */
export function predictRank(spec: RankTheorySpec, data: Dataset | DataRankSummary, loss: Loss): RankTheoryPrediction {
  if (spec.kind === 'network') {
    if (!('inputs' in data)) {
      const reason = 'layered networks need the data set itself (the rank of the data each patch position reads), not a summary';
      return { kind: 'none', parts: { hessian: NONE(reason), outer: NONE(reason), functional: NONE(reason) }, reason, source: 'none' };
    }
    return predictNetworkRank(spec as NetworkSpec, data, loss);
  }
  if (spec.kind !== 'mlp') {
    const reason = `no rank theory for '${spec.kind}' models: rank theory covers MLPs (predictRank) and layered networks (predictNetworkRank)`;
    return { kind: 'none', parts: { hessian: NONE(reason), outer: NONE(reason), functional: NONE(reason) }, reason, source: 'none' };
  }
  validateMlpSpec(spec);
  const summary = summarize(data);
  const { widths } = spec;
  const L = widths.length - 1;
  const K = widths[L] - (loss === 'cross-entropy' ? 1 : 0);

  const linear = (): { parts: PartRankClaims; source: string; terms: Record<string, number | boolean>; reason: string } => {
    if (!spec.bias) {
      const prediction = linearNetworkRankPrediction({ widths, dataRank: summary.dataRank, loss });
      if (!prediction.applies) throw new InvalidArgumentError(`predictRank: ${prediction.reason}`);
      const claim = (value: number) => ({ kind: 'exact' as const, value, source: prediction.source });
      return {
        parts: { hessian: claim(prediction.ranks.hessian), outer: claim(prediction.ranks.outer), functional: claim(prediction.ranks.functional) },
        source: prediction.source,
        terms: prediction.terms,
        reason: 'deep linear network without bias: closed form, exact for generic data and weights',
      };
    }
    const prediction = biasedLinearNetworkRankPrediction({ widths, augmentedDataRank: summary.augmentedDataRank, loss });
    return {
      parts: prediction.parts,
      source: 'deep linear network with bias: formulas of docs/theory.md §2 (derived and observed here)',
      terms: { ...prediction.terms },
      reason:
        prediction.kind === 'exact'
          ? 'deep linear network with bias: exact (H_O derived; H_F and H observed on randomised families)'
          : 'deep linear network with bias and a hidden bottleneck narrower than min(r′, K): H_O exact, H_F and H bounded',
    };
  };

  if (spec.activation === 'linear') {
    const { parts, source, terms, reason } = linear();
    return { kind: weakestClaimKind(parts), ranks: claimValues(parts), parts, reason, source, terms };
  }
  const p = parameterCount(spec);
  const reference = linear();
  const referenceRanks = claimValues(reference.parts);
  const reason = `no closed form for the ${spec.activation} activation: the measured rank is numerical and depends on the tolerance policy`;
  const parts: PartRankClaims = {
    outer: {
      kind: 'upper-bound',
      value: Math.min(p, summary.samples * K),
      source: `rank(H_O) ≤ min(p, N·K${loss === 'cross-entropy' ? ' − N' : ''}): a sum of N terms JᵢᵀΛᵢJᵢ, rank(Λᵢ) ≤ ${loss === 'cross-entropy' ? 'K − 1' : 'K'} (any activation)`,
    },
    functional: NONE(reason),
    hessian: NONE(reason),
  };
  return {
    kind: 'none',
    parts,
    reason,
    source: 'none for H and H_F; H_O bounded by its construction',
    reference: referenceRanks ? { ranks: referenceRanks, source: `linear-network formula for the same widths (${reference.source}) — a reference, not a prediction` } : undefined,
  };
}
