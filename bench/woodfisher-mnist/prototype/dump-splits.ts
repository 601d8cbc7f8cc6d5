// Writes the train and test splits of an `intrinsic train` run folder as raw float64 inputs and int32 labels,
// regenerated exactly as `intrinsic prune` does (runDataSplits), for the Python prototype beside this file.
// Bundle and run from apps/cli (so that its dependencies resolve), see README.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runDataSplits } from '../../../apps/cli/src/analysis-target.js';

const [run, out] = process.argv.slice(2);
if (!run || !out) {
  console.error('usage: node dump-splits.mjs RUN_FOLDER OUT_DIR');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(`${run}/spec.json`, 'utf8')).model;
const { train, test } = await runDataSplits(run, spec, 'cross-entropy');
mkdirSync(out, { recursive: true });
for (const [name, split] of [['train', train], ['test', test]] as const) {
  if (!split?.labels) throw new Error(`${run}: no labelled ${name} split`);
  writeFileSync(`${out}/${name}-x.f64`, Buffer.from(new Float64Array(split.inputs).buffer));
  writeFileSync(`${out}/${name}-y.i32`, Buffer.from(Int32Array.from(split.labels).buffer));
  console.log(`${name}: ${split.count} samples`);
}
