// Bundled by run.sh: only the modules the benchmark needs, straight from the sources.
export { Random } from '../../packages/spectra/src/random.js';
export { denseOperator, lanczosEigenpairs } from '../../packages/spectra/src/iterative/index.js';
