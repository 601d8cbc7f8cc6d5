export { curvatureFactors, layerGeometry, type CurvatureFactors, type LayerGeometry } from './curvature-factors.js';
export { structuredCurvature, structuredCurvatureWorkDoubles, type StructuredCurvatureOptions } from './structured-curvature.js';
