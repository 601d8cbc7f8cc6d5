export { powerIterationSpectralNorm, type PowerIterationOptions, type PowerIterationResult } from './power-iteration-spectral-norm.js';
export { frobeniusNorms } from './frobenius-norms.js';
export { spectralNorms, type SpectralNormsOptions, type SpectralNormsResult } from './spectral-norms.js';
export { pathNorm, type PathNormOptions, type PathNormResult } from './path-norm.js';
export { distanceToInitialization } from './distance-to-initialization.js';
export { outputMargins, marginQuantile } from './output-margins.js';
export { effectiveDimension } from './effective-dimension.js';
export { normMeasures, type NormMeasures, type NormMeasuresOptions } from './norm-measures.js';
export { pacBayesSharpness, type PacBayesSharpnessOptions, type PacBayesSharpnessResult } from './pac-bayes-sharpness.js';
