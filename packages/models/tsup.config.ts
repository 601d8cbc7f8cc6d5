import { defineConfig } from 'tsup';
// @ts-expect-error plain ESM helper without types
import { tfjsPeerDependencies, writeTfjsNodeEntry } from '../../scripts/packaging/tfjs-node-entry.mjs';

export default defineConfig({
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  entry: { index: 'src/index.ts', 'tfjs/index': 'src/tfjs/index.ts', 'tfjs/require-peer': 'src/tfjs/require-peer.ts' },
  // dist/tfjs/node.js: the Node entry of `./tfjs`, which names the missing TensorFlow.js peers.
  onSuccess: async () => {
    writeTfjsNodeEntry({ distDir: 'dist', subpath: '@intrinsic/models/tfjs', peers: tfjsPeerDependencies('.') });
  },
});
