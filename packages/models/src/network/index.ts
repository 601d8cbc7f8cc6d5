export * from './network-spec.js';
export * from './network-shapes.js';
export * from './network-layout.js';
export * from './network-init.js';
export * from './network-engine.js';
export * from './convolution-matrix.js';
