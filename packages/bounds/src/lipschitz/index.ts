export { activationLipschitzConstant, GELU_LIPSCHITZ_CONSTANT } from './activation-lipschitz-constant.js';
export { inputJacobian, type InputJacobianOptions } from './input-jacobian.js';
export { lipschitzUpperBound, type LipschitzUpperBoundResult } from './lipschitz-upper-bound.js';
export {
  lipschitzLowerBound,
  type JacobianNormStatistics,
  type LipschitzLowerBoundOptions,
  type LipschitzLowerBoundResult,
} from './lipschitz-lower-bound.js';
