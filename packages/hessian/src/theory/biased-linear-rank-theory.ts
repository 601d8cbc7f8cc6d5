import { InvalidArgumentError } from '@intrinsic/spectra';
import type { Loss } from '@intrinsic/models';
import { linearNetworkRankPrediction, type HessianRanks } from '../linear-rank-theory.js';
import { claimValues, weakestClaimKind, type PartRankClaims, type RankClaimKind } from './rank-claim.js';

/** Inputs of {@link biasedLinearNetworkRankPrediction}. */
export interface BiasedLinearRankInputs {
  /** Widths [d, M_1, …, M_{L−1}, K]; a bias vector in every layer. */
  widths: number[];
  /** r′ = rank([X; 1ᵀ]) of the inputs with a constant 1 appended ({@link augmentedDataRank}); min(d + 1, N) for generic data. */
  augmentedDataRank: number;
  loss: Loss;
}

/** The quantities of the with-bias formulas, for reports. */
export interface BiasedLinearRankTerms {
  /** r′ = rank([X; 1ᵀ]). */
  rAugmented: number;
  /** r₀ = r′ − 1 = rank of the centred data. */
  rCentered: number;
  /** q₀ = min(r₀, M_1, …, M_{L−1}, K). */
  q0: number;
  /** s′ = min(r′, K). */
  s: number;
  /** M = M_1 + … + M_{L−1}. */
  M: number;
  L: number;
  /** K, or K − 1 for cross-entropy. */
  K: number;
  /** True when every hidden width is at least s′ (the case with exact H_F and H formulas for L ≥ 3). */
  noBottleneck: boolean;
}

/** Result of {@link biasedLinearNetworkRankPrediction}. */
export interface BiasedLinearRankPrediction {
  /** `exact` when all three parts are exact, else `upper-bound`. */
  kind: Exclude<RankClaimKind, 'none'>;
  ranks: HessianRanks;
  parts: PartRankClaims;
  terms: BiasedLinearRankTerms;
}

const TEST_FILE = 'packages/hessian/src/theory/biased-linear-rank-theory.test.ts';
const OBSERVED = `observed here (float64, numpy tolerance, generic data and weights, biases zero or N(0, 1)), tested in ${TEST_FILE}`;

/**
 * Ranks of H, H_O, H_F for a deep linear network with a bias in every layer,
 * f(x) = W_L(⋯(W_1 x + b_1)⋯) + b_L, at generic data and weights (the default zero biases included).
 *
 * Notation: r′ = rank([X; 1ᵀ]), r₀ = r′ − 1 (the rank of the centred data X − x̄1ᵀ), K → K − 1 for
 * cross-entropy, hidden widths M_1 … M_{L−1} with sum M, q₀ = min(r₀, M_1, …, M_{L−1}, K),
 * s′ = min(r′, K); nb_F(r′), nb_H(r′) are the no-bias formulas of Singh, Bachmann & Hofmann (NeurIPS
 * 2021) evaluated at data rank r′ ({@link linearNetworkRankPrediction}).
 *
 * - rank(H_O) = q₀(r₀ + K − q₀) + K, every L (exact). Derivation (here): the network computes
 *   A(x − x̄) + c with A = W_L⋯W_1 and c free through b_L; the Jacobian splits into the no-bias Jacobian
 *   on the centred data (rank q₀(r₀ + K − q₀) by the paper's theorem) and K independent directions of c,
 *   whose contributions are orthogonal because X_c 1 = 0.
 * - L = 1: H_F = 0 and H = H_O (f is linear in θ).
 * - No bottleneck (every M_l ≥ s′), L ≥ 2: rank(H_F) = nb_F(r′) + (L − 2)s′ = 2s′M − (L − 2)s′(s′ − 1),
 *   rank(H) = nb_H(r′) + (L − 1)s′ (exact, observed): b_1 acts as an input column of ones (r → r′), each
 *   middle bias b_2 … b_{L−1} adds s′ to H_F and to H, b_L adds s′ to H.
 * - L = 2 with M_1 < s′: rank(H_F) = 2M_1 s′ and rank(H) = nb_H(r′) + K when M_1 < r′ (exact, observed).
 * - L ≥ 3 with a bottleneck (some M_l < s′): upper bounds only, the smaller of
 *   (a) nb(r′) + 2Σ_{l=2}^{L−1} M_l for H_F (and + 2Σ_{l=2}^{L} M_l, M_L = K, for H): the no-bias network
 *       on [X; 1ᵀ] is a principal block, and bordering a symmetric matrix with m rows and columns raises
 *       its rank by at most 2m;
 *   (b) the no-bias formulas of the augmented network with widths [d + 1, M_1 + 1, …, M_{L−1} + 1, K]
 *       at data rank r′: the biased network is that network with the constant unit's incoming weights
 *       frozen, so its Hessian is a principal submatrix at a special point, whose rank cannot exceed the
 *       generic rank;
 *   (c) rank(H) ≤ rank(H_O) + rank(H_F) with the exact H_O;  (d) p.
 *
 * Cost: O(L). Every statement is checked against exact float64 ranks on randomised families in the test
 * file named in each `source`.
 *
 * @throws InvalidArgumentError on fewer than 2 widths or an augmented data rank that is not a positive integer.
 * @example biasedLinearNetworkRankPrediction({ widths: [6, 4, 3], augmentedDataRank: 7, loss: 'mse' }).ranks
 *   // → { hessian: 39, outer: 21, functional: 24 }
 */
export function biasedLinearNetworkRankPrediction({ widths, augmentedDataRank, loss }: BiasedLinearRankInputs): BiasedLinearRankPrediction {
  if (widths.length < 2) throw new InvalidArgumentError(`biasedLinearNetworkRankPrediction: widths must have at least 2 entries, got ${widths.length}`);
  if (!Number.isInteger(augmentedDataRank) || augmentedDataRank < 1) {
    throw new InvalidArgumentError(`biasedLinearNetworkRankPrediction: augmented data rank must be a positive integer, got ${augmentedDataRank}`);
  }
  const L = widths.length - 1;
  const K = widths[L] - (loss === 'cross-entropy' ? 1 : 0);
  const hidden = widths.slice(1, L);
  const rAugmented = augmentedDataRank;
  const rCentered = rAugmented - 1;
  const q0 = Math.min(rCentered, K, ...hidden);
  const s = Math.min(rAugmented, K);
  const M = hidden.reduce((a, b) => a + b, 0);
  const noBottleneck = hidden.every((w) => w >= s);
  const p = widths.slice(1).reduce((sum, w, i) => sum + w * (widths[i] + 1), 0);
  const terms: BiasedLinearRankTerms = { rAugmented, rCentered, q0, s, M, L, K, noBottleneck };
  const ce = loss === 'cross-entropy' ? ' (K → K − 1 for cross-entropy)' : '';

  const outer = {
    kind: 'exact' as const,
    value: q0 * (rCentered + K - q0) + K,
    source: `q₀(r₀ + K − q₀) + K${ce}: Singh et al. (NeurIPS 2021) H_O theorem on the centred data plus the free output offset (derived here); ${OBSERVED}`,
  };
  let parts: PartRankClaims;
  if (L === 1) {
    parts = {
      outer,
      functional: { kind: 'exact', value: 0, source: 'L = 1: f is linear in θ, so H_F = 0' },
      hessian: { kind: 'exact', value: outer.value, source: 'L = 1: H = H_O' },
    };
  } else {
    const nb = linearNetworkRankPrediction({ widths, dataRank: rAugmented, loss });
    if (!nb.applies) throw new InvalidArgumentError('biasedLinearNetworkRankPrediction: the no-bias formula does not apply');
    const nbRanks = nb.ranks;
    if (noBottleneck) {
      parts = {
        outer,
        functional: { kind: 'exact', value: nbRanks.functional + (L - 2) * s, source: `nb_F(r′) + (L − 2)s′ (every hidden width ≥ s′)${ce}; ${OBSERVED}` },
        hessian: { kind: 'exact', value: nbRanks.hessian + (L - 1) * s, source: `nb_H(r′) + (L − 1)s′ (every hidden width ≥ s′)${ce}; ${OBSERVED}` },
      };
    } else if (L === 2) {
      const M1 = hidden[0];
      parts = {
        outer,
        functional: { kind: 'exact', value: 2 * M1 * s, source: `2M₁s′ (one hidden layer)${ce}; ${OBSERVED}` },
        hessian: {
          kind: 'exact',
          value: nbRanks.hessian + (M1 < rAugmented ? K : s),
          source: `nb_H(r′) + (M₁ < r′ ? K : s′) (one hidden layer)${ce}; ${OBSERVED}`,
        },
      };
    } else {
      const middle = hidden.slice(1).reduce((a, b) => a + b, 0);
      const augmented = linearNetworkRankPrediction({ widths: [widths[0] + 1, ...hidden.map((w) => w + 1), widths[L]], dataRank: rAugmented, loss });
      if (!augmented.applies) throw new InvalidArgumentError('biasedLinearNetworkRankPrediction: the augmented formula does not apply');
      const functional = Math.min(p, nbRanks.functional + 2 * middle, augmented.ranks.functional);
      const hessian = Math.min(p, nbRanks.hessian + 2 * (middle + widths[L]), augmented.ranks.hessian, outer.value + functional);
      const bounds = 'min(p, no-bias formula at r′ + 2 × bias rows (bordering), no-bias formula of the network with every input and hidden width + 1 (principal submatrix)';
      parts = {
        outer,
        functional: { kind: 'upper-bound', value: functional, source: `${bounds}) — derived here, holds on every architecture of ${TEST_FILE}` },
        hessian: { kind: 'upper-bound', value: hessian, source: `${bounds}, rank(H_O) + rank(H_F) bound) — derived here, holds on every architecture of ${TEST_FILE}` },
      };
    }
  }
  const ranks = claimValues(parts);
  if (!ranks) throw new InvalidArgumentError('biasedLinearNetworkRankPrediction: internal error, missing value');
  return { kind: weakestClaimKind(parts) as 'exact' | 'upper-bound', ranks, parts, terms };
}
