// The TensorFlow.js part of @intrinsic/bounds (subpath `@intrinsic/bounds/tfjs`): the Dziugaite–Roy
// optimisation and certification of a Gaussian posterior. Needs the peer dependency @tensorflow/tfjs-core
// with a backend chosen by the app.
export { gaussianKlTensor } from './gaussian-kl-tensor.js';
export { bitsCrossEntropy, stochasticLogits } from './stochastic-logits.js';
export { klInverseObjective, type KlInverseObjective } from './kl-inverse-objective.js';
export { optimizeDziugaiteRoyPosterior, type DziugaiteRoyHistoryEntry, type DziugaiteRoyObjective, type OptimizeDziugaiteRoyOptions, type OptimizeDziugaiteRoyResult } from './optimize-dziugaite-roy-posterior.js';
export { posteriorErrorMonteCarlo, type PosteriorErrorMonteCarloOptions, type PosteriorErrorMonteCarloResult } from './posterior-error-monte-carlo.js';
export { certifyDziugaiteRoyPosterior, type CertifyDziugaiteRoyOptions, type CertifyDziugaiteRoyResult } from './certify-dziugaite-roy-posterior.js';
export {
  certifyDziugaiteRoyPosteriorLayerwise,
  type CertifyDziugaiteRoyLayerwiseOptions,
  type CertifyDziugaiteRoyLayerwiseResult,
} from './certify-dziugaite-roy-posterior-layerwise.js';
export {
  trainDataDependentPrior,
  type TrainDataDependentPriorOptions,
  type TrainDataDependentPriorResult,
} from './train-data-dependent-prior.js';
export {
  certifyDataDependentPriorPosterior,
  type CertifyDataDependentPriorOptions,
  type CertifyDataDependentPriorResult,
} from './certify-data-dependent-prior-posterior.js';
