// LinearOperator and iterative spectral methods (issue 3): operators, Lanczos, power iteration, SLQ
// spectral density, trace and diagonal estimators. Everything takes a LinearOperator; blocks of vectors are
// stored one vector after another (count × n). Numerical rank of operators too large for a dense
// decomposition is out of scope: use the dense path (numericalRank on symmetricEigenvalues) for ranks.
export { linearOperator, type LinearOperator, type LinearOperatorDefinition } from './linear-operator.js';
export { denseOperator, type DenseOperatorOptions } from './dense-operator.js';
export { sumOperator } from './sum-operator.js';
export { scaledOperator } from './scaled-operator.js';
export { subBlockOperator } from './sub-block-operator.js';
export { checkedOperator, type CheckedOperatorOptions } from './checked-operator.js';
export { checkOperatorDeterminism, type OperatorDeterminismOptions, type OperatorDeterminismReport } from './check-operator-determinism.js';
export { lanczosEigenpairs, type LanczosOptions, type LanczosResult, type LanczosTarget } from './lanczos-eigenpairs.js';
export { powerIterationEigenpairs, type PowerIterationOptions, type PowerIterationResult } from './power-iteration-eigenpairs.js';
export { slqSpectralDensity, trapezoidIntegral, type SlqOptions, type SlqResult } from './slq-spectral-density.js';
export { type TraceEstimatorOptions, type TimeLimitOptions, type TraceEstimate, type DiagonalEstimate, type ProbeDistribution } from './trace-estimate.js';
export { hutchinsonTrace } from './hutchinson-trace.js';
export { hutchppTrace } from './hutchpp-trace.js';
export { xtraceTrace } from './xtrace-trace.js';
export { hutchinsonDiagonal } from './hutchinson-diagonal.js';
export { xdiagDiagonal } from './xdiag-diagonal.js';
