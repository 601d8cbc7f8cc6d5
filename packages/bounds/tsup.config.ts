import { defineConfig } from 'tsup';

export default defineConfig({
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  entry: { index: 'src/index.ts', 'tfjs/index': 'src/tfjs/index.ts' },
  external: ['@tensorflow/tfjs-core', '@intrinsic/models', '@intrinsic/models/tfjs', '@intrinsic/hessian', '@intrinsic/spectra'],
});
