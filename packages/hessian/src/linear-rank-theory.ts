import { InvalidArgumentError } from '@intrinsic/spectra';
import type { Loss, MlpSpec } from '@intrinsic/models';

/** Ranks of H, H_O, H_F. */
export interface HessianRanks {
  hessian: number;
  outer: number;
  functional: number;
}

/** A closed-form prediction with the quantities it was computed from, or the reason there is none. */
export type RankPrediction =
  | {
      applies: true;
      ranks: HessianRanks;
      /** The quantities of the formula, for reports. */
      terms: { q: number; s: number; r: number; M: number; L: number; K: number };
      /** Which statement it rests on. */
      source: string;
      /** `exact` for generic data and weights; the H formula is an upper bound that is tight generically. */
      kind: 'exact';
    }
  | { applies: false; reason: string };

/** Inputs of {@link linearNetworkRankPrediction}. */
export interface LinearRankInputs {
  /** Widths [d, M_1, …, M_{L−1}, K]. */
  widths: number[];
  /** r = rank(Σ_i x_i x_iᵀ); min(d, N) for generic data. */
  dataRank: number;
  loss: Loss;
}

/**
 * Closed-form ranks of the loss Hessian of a deep linear network without bias (Singh, Bachmann,
 * Hofmann, NeurIPS 2021, Theorems on rank(H_O), rank(H_F), rank(H); SCIENCE.md §2):
 *
 *   q = min(r, M_1, …, M_{L−1}, K),  s = min(r, K),  M = M_1 + … + M_{L−1},
 *   rank(H_O) = q (r + K − q),
 *   rank(H_F) = 2qM + 2qs − Lq²,
 *   rank(H)   = 2qM − Lq² + q(r + K),
 *
 * with K replaced by K − 1 for softmax cross-entropy (the softmax is invariant to shifting the logits).
 * For L = 1 (no hidden layer) f is linear in θ, so H_F = 0 and H = H_O = q(r + K − q) (derived here; the
 * general H_F formula does not apply at L = 1).
 */
export function linearNetworkRankPrediction({ widths, dataRank, loss }: LinearRankInputs): RankPrediction {
  if (widths.length < 2) throw new InvalidArgumentError(`widths must have at least 2 entries, got ${widths.length}`);
  if (!Number.isInteger(dataRank) || dataRank < 0) throw new InvalidArgumentError(`data rank must be a non-negative integer, got ${dataRank}`);
  const L = widths.length - 1;
  const K = widths[L] - (loss === 'cross-entropy' ? 1 : 0);
  const hidden = widths.slice(1, L);
  const r = dataRank;
  const q = Math.min(r, K, ...hidden);
  const s = Math.min(r, K);
  const M = hidden.reduce((a, b) => a + b, 0);
  const outer = q * (r + K - q);
  const functional = L === 1 ? 0 : 2 * q * M + 2 * q * s - L * q * q;
  const hessian = L === 1 ? outer : 2 * q * M - L * q * q + q * (r + K);
  return {
    applies: true,
    ranks: { hessian, outer, functional },
    terms: { q, s, r, M, L, K },
    source:
      'Singh, Bachmann, Hofmann (NeurIPS 2021), deep linear networks without bias' +
      (loss === 'cross-entropy' ? ', K → K − 1 for cross-entropy' : '') +
      (L === 1 ? '; L = 1: H_F = 0 since f is linear in θ' : ''),
    kind: 'exact',
  };
}

/**
 * The prediction for a spec, or the reason none applies: the closed forms hold for linear activations
 * without bias. (Closed forms with bias and bounds for other cases belong to the rank-theory issue.)
 */
export function predictHessianRanks(spec: MlpSpec, dataRank: number, loss: Loss): RankPrediction {
  if (spec.activation !== 'linear') {
    return {
      applies: false,
      reason: `no closed form for the ${spec.activation} activation: the formulas are for deep linear networks; the measured rank depends on the tolerance`,
    };
  }
  if (spec.bias) {
    return {
      applies: false,
      reason: 'no closed form with bias: the formulas are for linear networks without bias (the paper’s bias case is not implemented)',
    };
  }
  return linearNetworkRankPrediction({ widths: spec.widths, dataRank, loss });
}
