export * from './pac-bayes/index.js';
export * from './measures/index.js';
export * from './lipschitz/index.js';
export * from './double-descent/index.js';
