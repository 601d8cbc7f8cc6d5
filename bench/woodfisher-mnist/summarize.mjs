// Prints the benchmark table: test top-1 at 95 % per method, mean ± std over networks × gradient subsets,
// with the share of the pruned weights that magnitude pruning also prunes, and the seconds per pruning
// (from timings.json, the only non-deterministic output).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
const rows = new Map();
const dense = [];
const perNetwork = [];
const runs = [
  ['', (m) => m],
  ['recompute-', () => 'woodfisher, 8 recomputations'],
  ['joint-', () => 'woodfisher, joint update'],
  ['kfac-equal-', () => 'kfac, equal damping split'],
  ['b10-', () => 'woodfisher, 100 mini-batch gradients of 10'],
  ['b10-n800-', () => 'woodfisher, 800 mini-batch gradients of 10'],
  ['full-', () => 'woodfisher, one block over all weights (--block full)'],
  ['full-n1000-', () => 'woodfisher, one block over all weights, 1,000 gradients'],
];
for (const seed of [0, 1, 2]) {
  const network = {};
  for (const [prefix, label] of runs) {
    const folder = join(out, `prune95-${prefix}${seed}`);
    if (!existsSync(join(folder, 'prune.json'))) continue;
    const result = JSON.parse(readFileSync(join(folder, 'prune.json'), 'utf8'));
    const timings = JSON.parse(readFileSync(join(folder, 'timings.json'), 'utf8'));
    if (prefix === '') dense.push(result.before.test.top1);
    result.points.forEach((point, i) => {
      const name = label(point.method);
      if (!rows.has(name)) rows.set(name, { top1: [], top5: [], loss: [], overlap: [], seconds: [] });
      const row = rows.get(name);
      row.top1.push(point.test.top1);
      row.top5.push(point.test.top5);
      row.loss.push(point.test.loss);
      row.overlap.push(point.details.magnitudeOverlap);
      row.seconds.push(timings.points[i].seconds);
      (network[name] ??= []).push(point.test.top1);
    });
  }
  perNetwork.push(network);
}
const stats = (xs) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std };
};
const pct = ({ mean, std }) => `${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}`;
console.log(`dense test top-1: ${pct(stats(dense))} % (3 networks)`);
console.log('| method | test top-1 at 95 % (%) | test top-5 (%) | test loss | pruned weights shared with magnitude | seconds per pruning |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [method, row] of rows) {
  const loss = stats(row.loss);
  console.log(`| ${method} | ${pct(stats(row.top1))} | ${pct(stats(row.top5))} | ${loss.mean.toFixed(3)} ± ${loss.std.toFixed(3)} | ${(100 * stats(row.overlap).mean).toFixed(2)} % | ${stats(row.seconds).mean.toFixed(2)} |`);
}
console.log('\nper network (mean of the 3 gradient subsets, test top-1 %):');
perNetwork.forEach((network, i) => {
  console.log(`network ${i}: ${Object.entries(network).map(([m, xs]) => `${m} ${(100 * stats(xs).mean).toFixed(2)}`).join(', ')}`);
});
