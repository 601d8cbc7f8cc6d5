import { influencePopulationLoss, lipschitzLowerBound, lipschitzUpperBound, perSampleLosses, smallestPositiveEigenvalue } from '@intrinsic/bounds';
import { denseHessian, denseHessianMemoryBytes, outerProductHessian } from '@intrinsic/hessian';
import { initializeParameters, mlpLoss, MlpEvaluation, mlpSpec, parameterCount, trainMlp, type Activation, type Dataset, type Loss } from '@intrinsic/models';
import { assertMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, symmetricEigen } from '@intrinsic/spectra';

/** Settings shared by every point of a double-descent sweep. */
export interface DoubleDescentSettings {
  loss: Loss;
  activation: Activation;
  epochs: number;
  learningRate: number;
  targetGradientNorm: number;
}

/** One (width, seed) point: what `intrinsic double-descent` writes per point. */
export interface DoubleDescentPoint {
  width: number;
  seed: number;
  params: number;
  trainLoss: number;
  testLoss: number;
  gradientNorm: number;
  epochs: number;
  converged: boolean;
  /** λ_min⁺ of the dense Hessian of the mean training loss (numpy tolerance), null when H has no positive eigenvalue. */
  lambdaMinPositive: number | null;
  lambdaMax: number;
  hessianRank: number;
  negativeEigenvalues: number;
  /** Influence (add-one-in) estimate of the population loss with z over the test samples, and its 1/λ_min⁺ lower bound. */
  influenceEstimate: number;
  influenceLowerBound: number;
  /** λ_min⁺ of the outer-product (Gauss–Newton) part H_O = (1/N) Σ J_iᵀ Λ_i J_i (numpy tolerance): σ_min⁺(J)²/N for MSE. */
  lambdaMinPositiveOuter: number | null;
  /** Rank of H_O (numpy tolerance). */
  outerRank: number;
  /** The influence estimate and its 1/λ_min⁺ lower bound with H_O in place of H. */
  influenceEstimateOuter: number;
  influenceLowerBoundOuter: number;
  lipschitzUpper: number;
  lipschitzLower: number;
}

/**
 * Trains the one-hidden-layer network d-width-K (no bias) to convergence with the float64 full-batch Adam
 * trainer, then computes the dense Hessian H of the training loss and its outer-product part H_O with their
 * eigendecompositions, λ_min⁺ of both, the
 * influence estimate of the population loss (Singh et al., ICLR 2022) over the test samples, and the
 * Lipschitz upper and lower bounds. Dense: refuses (MemoryBudgetError) beyond the default memory budget.
 */
export function doubleDescentPoint(width: number, seed: number, train: Dataset, test: Dataset, settings: DoubleDescentSettings): DoubleDescentPoint {
  const spec = mlpSpec({ widths: [train.inputSize, width, train.outputSize], activation: settings.activation, bias: false, init: 'glorot-normal', seed });
  const p = parameterCount(spec);
  assertMemoryBudget(
    denseHessianMemoryBytes(p, Math.max(train.count, test.count), train.outputSize) / 8 + 2 * p * p,
    `intrinsic double-descent: the dense Hessian and eigenvectors of p = ${p} parameters (width ${width})`,
    DEFAULT_MEMORY_BUDGET_BYTES,
    'use smaller widths or fewer inputs',
  );
  const trained = trainMlp(spec, initializeParameters(spec), train, settings.loss, {
    optimizer: 'adam',
    learningRate: settings.learningRate,
    epochs: settings.epochs,
    targetGradientNorm: settings.targetGradientNorm,
    seed,
  });
  const params = trained.params;
  const H = denseHessian(spec, params, train, settings.loss);
  const eigen = symmetricEigen(H, p);
  const spectrum = smallestPositiveEigenvalue(eigen.values);
  const outer = symmetricEigen(outerProductHessian(new MlpEvaluation(spec, params, train, settings.loss)), p);
  const outerSpectrum = smallestPositiveEigenvalue(outer.values);
  const evaluation = new MlpEvaluation(spec, params, test, settings.loss);
  const gradients = evaluation.perSampleGradients();
  const losses = perSampleLosses(evaluation);
  const influence = influencePopulationLoss({ eigenvalues: eigen.values, eigenvectors: eigen.vectors, gradients, losses, trainingSetSize: train.count });
  const influenceOuter = influencePopulationLoss({ eigenvalues: outer.values, eigenvectors: outer.vectors, gradients, losses, trainingSetSize: train.count });
  const lower = lipschitzLowerBound({ spec, params, inputs: train.inputs, pairs: 0 });
  return {
    width,
    seed,
    params: p,
    trainLoss: mlpLoss(spec, params, train, settings.loss),
    testLoss: mlpLoss(spec, params, test, settings.loss),
    gradientNorm: trained.gradientNorm,
    epochs: trained.epochs,
    converged: trained.converged,
    lambdaMinPositive: Number.isFinite(spectrum.value) ? spectrum.value : null,
    lambdaMax: eigen.values[p - 1],
    hessianRank: influence.rank,
    negativeEigenvalues: influence.negativeCount,
    influenceEstimate: influence.estimate,
    influenceLowerBound: influence.lowerBound,
    lambdaMinPositiveOuter: Number.isFinite(outerSpectrum.value) ? outerSpectrum.value : null,
    outerRank: outerSpectrum.positiveCount,
    influenceEstimateOuter: influenceOuter.estimate,
    influenceLowerBoundOuter: influenceOuter.lowerBound,
    lipschitzUpper: lipschitzUpperBound(spec, params).bound,
    lipschitzLower: lower.bound,
  };
}
