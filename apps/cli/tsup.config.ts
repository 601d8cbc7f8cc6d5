import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts', 'commands/rank': 'src/commands/rank.ts' },
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  banner: { js: '#!/usr/bin/env node' },
});
