export * from './dense-hessian.js';
export * from './layer-blocks.js';
export * from './linear-rank-theory.js';
export * from './rank-analysis.js';
export * from './parameter-selection.js';
export * from './curvature-operators.js';
export * from './assembly/index.js';
export * from './theory/index.js';
