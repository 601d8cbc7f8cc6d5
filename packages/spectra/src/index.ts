export * from './errors.js';
export { requirePeers } from './require-peers.js';
export * from './memory.js';
export * from './random.js';
export * from './symmetric-eigen.js';
export * from './numerical-rank.js';
export * from './dense/index.js';
export * from './iterative/index.js';
