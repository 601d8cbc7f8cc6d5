import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { tfjsPackageFolders } from './scripts/tfjs-aliases.js';

const folders = tfjsPackageFolders();
const missingBackend = fileURLToPath(new URL('./src/missing-tfjs-backend.ts', import.meta.url));

/**
 * Copies the wasm backend's binaries (tfjs-backend-wasm.wasm, -simd.wasm, -threaded-simd.wasm) into
 * dist/tfjs-wasm/, so the page loads them from the site itself by a relative URL.
 */
function tfjsWasmFiles(): Plugin {
  return {
    name: 'intrinsic-tfjs-wasm-files',
    apply: 'build',
    generateBundle() {
      const folder = folders['@tensorflow/tfjs-backend-wasm'];
      if (!folder) return;
      const dist = join(folder, 'dist');
      for (const name of readdirSync(dist).filter((file) => file.endsWith('.wasm'))) {
        this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${name}`, source: readFileSync(join(dist, name)) });
      }
    },
  };
}

export default defineConfig({
  // Relative asset paths: the built dist/ works from any folder of any static host.
  base: './',
  // The worker imports the numerics packages, so it is bundled as an ES module worker.
  worker: { format: 'es' },
  resolve: {
    alias: Object.entries(folders).map(([name, folder]) => ({ find: new RegExp(`^${name}$`), replacement: folder ?? missingBackend })),
  },
  plugins: [tfjsWasmFiles()],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});
