import { defineConfig } from 'vitest/config';
import { tfjsPackageFolders } from './scripts/tfjs-aliases.js';

const folders = tfjsPackageFolders();

export default defineConfig({
  // The tfjs packages come through @intrinsic/models, as in vite.config.ts (the Node side of the tfjs e2e test uses the cpu backend).
  resolve: {
    alias: Object.entries(folders)
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([name, folder]) => ({ find: new RegExp(`^${name}$`), replacement: folder })),
  },
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser at a time: the machine is shared.
    fileParallelism: false,
  },
});
