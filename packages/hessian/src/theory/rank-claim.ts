import type { HessianRanks } from '../linear-rank-theory.js';

/** How strong a statement about a rank is. */
export type RankClaimKind = 'exact' | 'upper-bound' | 'none';

/** A statement about the rank of one of H, H_O, H_F. */
export interface PartRankClaim {
  kind: RankClaimKind;
  /** The exact rank or the upper bound; null when kind is `none`. */
  value: number | null;
  /** The theorem, derivation or observation it rests on. */
  source: string;
}

/** Statements about the three ranks. */
export interface PartRankClaims {
  hessian: PartRankClaim;
  outer: PartRankClaim;
  functional: PartRankClaim;
}

/** The weakest kind among the parts: `exact` only if all three are exact; `none` if any is `none`. */
export function weakestClaimKind(parts: PartRankClaims): RankClaimKind {
  const kinds = [parts.hessian.kind, parts.outer.kind, parts.functional.kind];
  if (kinds.includes('none')) return 'none';
  return kinds.includes('upper-bound') ? 'upper-bound' : 'exact';
}

/** The values of the three claims, when every part has one. */
export function claimValues(parts: PartRankClaims): HessianRanks | undefined {
  const { hessian, outer, functional } = parts;
  if (hessian.value === null || outer.value === null || functional.value === null) return undefined;
  return { hessian: hessian.value, outer: outer.value, functional: functional.value };
}
