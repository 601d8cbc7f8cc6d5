export * from './pac-bayes/index.js';
