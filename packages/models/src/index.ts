export * from './activations.js';
export * from './losses.js';
export * from './spec.js';
export * from './layout.js';
export * from './init.js';
export * from './data.js';
export * from './mlp-engine.js';
export * from './train-mlp.js';
