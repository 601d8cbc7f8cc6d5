export { klDivergenceBernoulli } from './kl-divergence-bernoulli.js';
export { klInverseUpper, klInverseLower } from './kl-inverse.js';
export { klInverseUpperGradient, type KlInverseUpperGradient } from './kl-inverse-upper-gradient.js';
export type { PacBayesBoundOptions } from './pac-bayes-options.js';
export { mcAllesterBound } from './mc-allester-bound.js';
export { seegerMaurerBound } from './seeger-maurer-bound.js';
export { catoniBound, type CatoniBoundOptions, type CatoniBoundResult } from './catoni-bound.js';
export { gaussianKl, type GaussianKlOptions } from './gaussian-kl.js';
export {
  DZIUGAITE_ROY_PRIOR_GRID,
  priorVarianceGridPoint,
  priorVarianceGridIndices,
  type PriorVarianceGridOptions,
  type PriorVarianceGridPoint,
} from './prior-variance-grid.js';
export { monteCarloErrorBound, type MonteCarloErrorBoundOptions } from './monte-carlo-error-bound.js';
export {
  dziugaiteRoyBound,
  type DziugaiteRoyBoundOptions,
  type DziugaiteRoyBoundResult,
  type PacBayesKlForm,
} from './dziugaite-roy-bound.js';
export {
  pacBayesBoundForPosterior,
  type PacBayesPosteriorBoundOptions,
  type PacBayesPosteriorBoundResult,
} from './pac-bayes-bound-for-posterior.js';
export {
  layerwisePriorBound,
  roundLayerwisePriorVariances,
  type LayerwisePriorBoundOptions,
  type LayerwisePriorBoundResult,
  type PriorGroup,
} from './layerwise-prior-bound.js';
export { splitPriorBoundData, type PriorBoundSplit, type SplitPriorBoundOptions } from './split-prior-bound-data.js';
