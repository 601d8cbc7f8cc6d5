export { smallestPositiveEigenvalue, type PositiveSpectrum } from './smallest-positive-eigenvalue.js';
export { perSampleLosses } from './per-sample-losses.js';
export {
  influencePopulationLoss,
  type InfluencePopulationLossOptions,
  type InfluencePopulationLossResult,
} from './influence-population-loss.js';
export { leaveOneOutEstimate, type LeaveOneOutOptions, type LeaveOneOutResult } from './leave-one-out-estimate.js';
