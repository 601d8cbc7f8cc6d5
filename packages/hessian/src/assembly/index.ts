export { curvatureFactors, layerGeometry, type CurvatureFactors, type LayerGeometry } from './curvature-factors.js';
export { structuredCurvature, structuredCurvatureWorkDoubles, type StructuredCurvatureOptions } from './structured-curvature.js';
export {
  lossHessianFactors,
  outerGramMatrix,
  outerRankViaGram,
  type OuterGramOptions,
  type OuterGramRank,
  type OuterRankViaGramOptions,
} from './outer-rank-via-gram.js';
export { KernelWorkspace, packPanels, roundUp4, type KernelKind, type KernelPreference } from './kernel-workspace.js';
