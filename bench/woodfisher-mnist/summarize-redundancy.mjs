// Prints the redundancy table: per network, p, rank(H), nullity p − rank (and its fraction), dense test top-1, and the
// largest sparsity of the grid within one point of dense for magnitude and WoodFisher (with the pruned count).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
console.log('| network | seed | p | rank(H) | p − rank (share of p) | dense test top-1 | tolerated sparsity, magnitude | tolerated sparsity, WoodFisher |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
const files = readdirSync(out).filter((f) => f.endsWith('.prune.json'));
files.sort((a, b) => Number(a.match(/^h(\d+)/)[1]) - Number(b.match(/^h(\d+)/)[1]) || a.localeCompare(b));
for (const file of files) {
  const result = JSON.parse(readFileSync(join(out, file), 'utf8'));
  const { hessian, tolerated } = result.redundancy;
  const p = result.network.params;
  const cell = (method) => {
    const t = tolerated.find((x) => x.method === method);
    return t.sparsity === null ? 'none' : `${(100 * t.sparsity).toFixed(0)} % (${Math.round(t.sparsity * p)} weights)`;
  };
  console.log(`| ${result.network.widths.join('-')} | ${file.match(/-s(\d+)/)[1]} | ${p} | ${hessian.rank} | ${hessian.nullity} (${(100 * hessian.nullityFraction).toFixed(1)} %) | ${(100 * result.before.test.top1).toFixed(2)} % | ${cell('magnitude')} | ${cell('woodfisher')} |`);
}
