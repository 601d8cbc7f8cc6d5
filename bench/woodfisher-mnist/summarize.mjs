// Prints the benchmark table: test top-1 at 95 % per method, mean ± std over networks × gradient subsets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
const rows = new Map();
const dense = [];
for (const seed of [0, 1, 2]) {
  const result = JSON.parse(readFileSync(join(out, `prune95-${seed}`, 'prune.json'), 'utf8'));
  dense.push(result.before.test.top1);
  for (const point of result.points) {
    if (!rows.has(point.method)) rows.set(point.method, { top1: [], top5: [], loss: [], seconds: [] });
    const row = rows.get(point.method);
    row.top1.push(point.test.top1);
    row.top5.push(point.test.top5);
    row.loss.push(point.test.loss);
    row.seconds.push(point.seconds);
  }
}
const stats = (xs) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std };
};
const pct = ({ mean, std }) => `${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}`;
console.log(`dense test top-1: ${pct(stats(dense))} % (3 networks)`);
console.log('| method | test top-1 at 95 % (%) | test top-5 (%) | test loss | seconds per pruning |');
console.log('| --- | --- | --- | --- | --- |');
for (const [method, row] of rows) {
  const loss = stats(row.loss);
  console.log(`| ${method} | ${pct(stats(row.top1))} | ${pct(stats(row.top5))} | ${loss.mean.toFixed(3)} ± ${loss.std.toFixed(3)} | ${stats(row.seconds).mean.toFixed(2)} |`);
}
