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
  const wasmFolder = () => (folders['@tensorflow/tfjs-backend-wasm'] ? join(folders['@tensorflow/tfjs-backend-wasm']!, 'dist') : null);
  return {
    name: 'intrinsic-tfjs-wasm-files',
    // The development server serves the same files at the same relative path.
    configureServer(server) {
      server.middlewares.use('/tfjs-wasm', (request, response, next) => {
        const name = (request.url ?? '').replace(/^\//, '').split('?')[0];
        const folder = wasmFolder();
        if (!folder || !/^tfjs-backend-wasm[a-z-]*\.wasm$/.test(name)) return next();
        response.setHeader('content-type', 'application/wasm');
        response.end(readFileSync(join(folder, name)));
      });
    },
    generateBundle() {
      const dist = wasmFolder();
      if (!dist) return;
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
