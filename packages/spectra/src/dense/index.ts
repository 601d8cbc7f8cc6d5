// Fast dense float64 eigensolvers (issue 4).
export { householderTridiagonal, type HouseholderTridiagonalResult } from './householder-tridiagonal.js';
export { tridiagonalEigenvalues } from './tridiagonal-ql.js';
export { tridiagonalEigen, type TridiagonalEigenResult } from './tridiagonal-eigen.js';
