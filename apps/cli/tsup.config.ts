import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts', 'commands/bound': 'src/commands/bound.ts', 'commands/double-descent': 'src/commands/double-descent.ts', 'commands/prune': 'src/commands/prune.ts', 'commands/rank': 'src/commands/rank.ts', 'commands/sweep': 'src/commands/sweep.ts', 'commands/spectrum': 'src/commands/spectrum.ts', 'commands/train': 'src/commands/train.ts', 'sweep/sweep-worker': 'src/sweep/sweep-worker.ts' },
  format: ['esm'],
  dts: false,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  banner: { js: '#!/usr/bin/env node' },
});
