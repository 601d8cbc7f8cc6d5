// Public API of @intrinsic/pruning (float64). Masks: 1 = kept, 0 = pruned, over the flat parameter layout.
export { cholesky, choleskySolve, choleskyInverse } from './cholesky.js';
export {
  blockDiagonalInverse,
  denseInverseCurvature,
  diagonalBlocks,
  inverseColumn,
  type InverseBlock,
  type InverseCurvature,
} from './inverse-curvature.js';
export { empiricalFisher, empiricalFisherDiagonal, type GradientMatrixOptions } from './empirical-fisher.js';
export { woodburyFisherInverse } from './woodbury-fisher-inverse.js';
export { lowRankFisherInverse } from './low-rank-fisher-inverse.js';
export { woodFisherInverse, woodFisherMemory, type WoodFisherOptions, type WoodFisherSolver } from './woodfisher-inverse.js';
export { magnitudeSaliency } from './magnitude-saliency.js';
export { randomSaliency } from './random-saliency.js';
export { diagonalFisherSaliency, type DiagonalFisherSaliencyOptions } from './diagonal-fisher-saliency.js';
export { matrixDiagonal, obdSaliency } from './obd-saliency.js';
export { obsSaliency } from './obs-saliency.js';
export { obsPrune, obsUpdate, type ObsPruneOptions } from './obs-update.js';
export {
  maskSparsity,
  prunableMask,
  prunedCount,
  selectPruningMask,
  type MaskSelectionOptions,
  type MaskSparsity,
  type PruningScope,
  type PruningScopeOptions,
  type ViewSparsity,
} from './pruning-mask.js';
export { hessianNullity, type HessianNullity } from './hessian-nullity.js';
export { curvatureRedundancy, type CurvatureRedundancyOptions } from './curvature-redundancy.js';
export { jointObsPrune, type JointObsPruneOptions } from './joint-obs-update.js';
export { cubicSparsity, cubicSparsitySchedule, type CubicSparsityOptions } from './cubic-sparsity-schedule.js';
export { topKAccuracy } from './top-k-accuracy.js';
export { kfacFactors, kfacInverse, type KfacDampingSplit, type KfacLayerFactors } from './kfac-inverse.js';
export {
  PRUNING_METHODS,
  pruneOneShot,
  type Accuracy,
  type PruneOneShotOptions,
  type PruneOneShotResult,
  type PruningMethod,
} from './prune-one-shot.js';
export { pruneGradually, type PruneGraduallyOptions, type PruneGraduallyResult } from './prune-gradually.js';
