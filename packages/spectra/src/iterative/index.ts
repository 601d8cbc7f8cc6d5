// LinearOperator and iterative spectral methods (issue 3).
export { linearOperator, type LinearOperator, type LinearOperatorDefinition } from './linear-operator.js';
export { denseOperator, type DenseOperatorOptions } from './dense-operator.js';
export { sumOperator } from './sum-operator.js';
export { scaledOperator } from './scaled-operator.js';
export { subBlockOperator } from './sub-block-operator.js';
export { checkedOperator, type CheckedOperatorOptions } from './checked-operator.js';
export { checkOperatorDeterminism, type OperatorDeterminismOptions, type OperatorDeterminismReport } from './check-operator-determinism.js';
export { lanczosEigenpairs, type LanczosOptions, type LanczosResult, type LanczosTarget } from './lanczos-eigenpairs.js';
