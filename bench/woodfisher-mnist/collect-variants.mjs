// Concatenates the prune.csv files of the 95 % runs of a results folder into one CSV with the network and the
// variant in front (the figures/prune95-*.csv files).
// usage: node collect-variants.mjs RESULTS_DIR > figure.csv
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
const variants = [
  ['', 'one-shot'],
  ['recompute-', 'recompute-8'],
  ['joint-', 'joint'],
  ['kfac-equal-', 'kfac-damping-equal'],
  ['b10-', 'fisher-batch-10-n100'],
  ['b10-n800-', 'fisher-batch-10-n800'],
  ['full-', 'block-full-n100'],
  ['full-n1000-', 'block-full-n1000'],
];
let header = null;
const rows = [];
for (const seed of [0, 1, 2]) {
  for (const [prefix, variant] of variants) {
    const file = join(out, `prune95-${prefix}${seed}`, 'prune.csv');
    if (!existsSync(file)) continue;
    const [first, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
    header ??= `network,variant,${first}`;
    for (const line of lines) rows.push(`${seed},${variant},${line}`);
  }
}
if (!header) {
  console.error(`no prune95-*/prune.csv under ${out}`);
  process.exit(2);
}
console.log([header, ...rows].join('\n'));
