export * from './augmented-data-rank.js';
export * from './biased-linear-rank-theory.js';
export * from './predict-rank.js';
export * from './rank-claim.js';
export * from './spectral-gap.js';
export * from './cnn-structure.js';
export * from './cnn-structural-ranks.js';
export * from './cnn-rank-theory.js';
