import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset paths: the built dist/ works from any folder of any static host.
  base: './',
  // The worker imports the numerics packages, so it is bundled as an ES module worker.
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
});
