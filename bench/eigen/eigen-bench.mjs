// Node side of bench/eigen: times @intrinsic/spectra's symmetricEigenvalues / symmetricEigen and ml-matrix's
// EigenvalueDecomposition on DIR/sym-<n>.f64 (written by generate.py), writes DIR/node.json and our results
// (DIR/ours-<n>-*.f64) for numpy_eigen.py to check. Usage: node eigen-bench.mjs DIR 250,500,1000,2000
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { symmetricEigen, symmetricEigenvalues } = await import(pathToFileURL(join(here, '.build', 'spectra.mjs')).href);
// ml-matrix is a dependency of @intrinsic/spectra: resolve it from there (pnpm keeps it out of the root).
const requireFromSpectra = createRequire(join(root, 'packages', 'spectra', 'package.json'));
const { EigenvalueDecomposition, Matrix } = await import(pathToFileURL(requireFromSpectra.resolve('ml-matrix')).href);

const dir = process.argv[2];
const sizes = process.argv[3].split(',').map(Number);
const ML_MATRIX_LIMIT_SECONDS = 60;

function read(n) {
  const buffer = readFileSync(join(dir, `sym-${n}.f64`));
  return new Float64Array(buffer.buffer, buffer.byteOffset, n * n).slice();
}

/** Best wall-clock and best CPU (user + system) seconds over `repeats` runs: on a shared machine the CPU
 * time of this single-threaded process is the steadier figure. */
function bestOf(fn, repeats) {
  let best = Infinity;
  let bestCpu = Infinity;
  let result;
  for (let r = 0; r < repeats; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    result = fn();
    best = Math.min(best, (performance.now() - t) / 1000);
    const used = process.cpuUsage(c);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  return { seconds: best, cpu: bestCpu, result };
}

function mlMatrixEigen(a, n) {
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)));
  return new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
}

// Warm up the JIT on a small matrix first, so that the first size is not charged for compilation.
{
  const warm = read(sizes[0]);
  for (let r = 0; r < 2; r++) {
    symmetricEigenvalues(warm, sizes[0]);
    symmetricEigen(warm, sizes[0]);
  }
  mlMatrixEigen(warm, sizes[0]);
}

const out = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: os.loadavg(), sizes: {} };
let mlSecondsAt = null;
for (const n of sizes) {
  const a = read(n);
  const repeats = n <= 500 ? 5 : n <= 1000 ? 3 : 2;
  const values = bestOf(() => symmetricEigenvalues(a, n), repeats);
  const pairs = bestOf(() => symmetricEigen(a, n), repeats);
  writeFileSync(join(dir, `ours-${n}-values.f64`), values.result);
  writeFileSync(join(dir, `ours-${n}-pair-values.f64`), pairs.result.values);
  writeFileSync(join(dir, `ours-${n}-vectors.f64`), pairs.result.vectors);
  let ml = null;
  let mlCpu = null;
  let mlNote = '';
  const predicted = mlSecondsAt ? mlSecondsAt.seconds * (n / mlSecondsAt.n) ** 3 : 0;
  if (predicted > ML_MATRIX_LIMIT_SECONDS) {
    mlNote = `skipped: predicted ${predicted.toFixed(0)} s > ${ML_MATRIX_LIMIT_SECONDS} s (n³ scaling from n = ${mlSecondsAt.n})`;
  } else {
    const timing = bestOf(() => mlMatrixEigen(a, n), n <= 500 ? 3 : 1);
    ml = timing.seconds;
    mlCpu = timing.cpu;
    mlSecondsAt = { n, seconds: Math.min(ml, mlCpu * 1.5) }; // predict from CPU time when the machine is busy
  }
  out.sizes[n] = {
    oursValues: values.seconds,
    oursPairs: pairs.seconds,
    mlMatrix: ml,
    oursValuesCpu: values.cpu,
    oursPairsCpu: pairs.cpu,
    mlMatrixCpu: mlCpu,
    mlMatrixNote: mlNote,
  };
  console.error(
    `node n=${n}: values ${values.seconds.toFixed(3)}s pairs ${pairs.seconds.toFixed(3)}s ml-matrix ${ml === null ? mlNote : ml.toFixed(3) + 's'}`,
  );
}
out.loadavgEnd = os.loadavg();
writeFileSync(join(dir, 'node.json'), JSON.stringify(out, null, 1));
