// Builds the benchmark matrices, writes them for scipy, and runs @intrinsic/spectra's Lanczos on them.
// Usage: node generate-and-run.mjs <dataDir>   (run.sh bundles the TypeScript sources to .build/spectra.mjs first)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random, denseOperator, lanczosEigenpairs } from './.build/spectra.mjs';

const dataDir = process.argv[2] ?? join(import.meta.dirname, '.data');
mkdirSync(dataDir, { recursive: true });
const n = Number(process.env.BENCH_N ?? 1000);
const k = 10;
const basisSize = 21; // ARPACK's default ncv for k = 10: max(2k + 1, 20)
const tolerance = 1e-8; // residual ≤ 1e-8 · ‖A‖₂ (‖A‖₂ = max |λ|, known from the construction)
const seeds = [1, 2, 3];

function randomOrthogonalRows(size, seed) {
  const random = new Random(seed);
  const G = random.fillGaussian(new Float64Array(size * size));
  for (let j = 0; j < size; j++) {
    const row = G.subarray(j * size, (j + 1) * size);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const prev = G.subarray(i * size, (i + 1) * size);
        let h = 0;
        for (let r = 0; r < size; r++) h += prev[r] * row[r];
        for (let r = 0; r < size; r++) row[r] -= h * prev[r];
      }
    }
    let s = 0;
    for (let r = 0; r < size; r++) s += row[r] * row[r];
    s = Math.sqrt(s);
    for (let r = 0; r < size; r++) row[r] /= s;
  }
  return G;
}

function matrixWithSpectrum(values, seed) {
  const size = values.length;
  const G = randomOrthogonalRows(size, seed);
  const A = new Float64Array(size * size);
  for (let q = 0; q < size; q++) {
    const g = G.subarray(q * size, (q + 1) * size);
    for (let i = 0; i < size; i++) {
      const gi = values[q] * g[i];
      const row = i * size;
      for (let j = 0; j < size; j++) A[row + j] += gi * g[j];
    }
  }
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) {
    const s = 0.5 * (A[i * size + j] + A[j * size + i]);
    A[i * size + j] = s;
    A[j * size + i] = s;
  }
  return A;
}

const spectra = {
  'decay i^-2': Array.from({ length: n }, (_, i) => 1 / (i + 1) ** 2),
  'geometric 0.9^i': Array.from({ length: n }, (_, i) => 0.9 ** i),
  'linear 1..n': Array.from({ length: n }, (_, i) => i + 1),
  'outliers + bulk': Array.from({ length: n }, (_, i) => (i < 10 ? 20 / (1 + i) ** 0.5 : -1 + (2 * (i - 10)) / (n - 11))),
  'cluster at top': Array.from({ length: n }, (_, i) => (i < 10 ? 10 + 1e-2 * i : (9 * (i - 10)) / (n - 11))),
  'slow decay log(n+1-i)': Array.from({ length: n }, (_, i) => Math.log(n + 1 - i)),
};

const manifest = { n, k, basisSize, tolerance, seeds, matrices: [] };
for (const [name, values] of Object.entries(spectra)) {
  const file = `${name.replace(/[^a-z0-9]+/gi, '-')}.bin`;
  const A = matrixWithSpectrum(values, 7);
  writeFileSync(join(dataDir, file), Buffer.from(A.buffer, A.byteOffset, A.byteLength));
  const sorted = values.slice().sort((a, b) => b - a);
  const normA = Math.max(...values.map(Math.abs));
  const op = denseOperator(A, n, { symmetric: true });
  const runs = [];
  for (const seed of seeds) {
    const start = new Random(1000 + seed).fillGaussian(new Float64Array(n));
    writeFileSync(join(dataDir, `${file}.v0-${seed}.bin`), Buffer.from(start.buffer));
    for (const multiplicityCheck of [false, true]) {
      const t0 = performance.now();
      const r = lanczosEigenpairs(op, { k, basisSize, tolerance: tolerance * 1, startVector: start, returnVectors: true, multiplicityCheck });
      const ms = performance.now() - t0;
      // True residuals and eigenvalue errors.
      let maxResidual = 0;
      let maxValueError = 0;
      const y = new Float64Array(n);
      for (let j = 0; j < k; j++) {
        const v = r.vectors.subarray(j * n, (j + 1) * n);
        op.apply(v, y);
        let s = 0;
        for (let i = 0; i < n; i++) s += (y[i] - r.values[j] * v[i]) ** 2;
        maxResidual = Math.max(maxResidual, Math.sqrt(s) / normA);
        maxValueError = Math.max(maxValueError, Math.abs(r.values[j] - sorted[j]) / normA);
      }
      runs.push({ seed, multiplicityCheck, matvecs: r.matvecs, iterations: r.iterations, allConverged: r.allConverged, maxResidual, maxValueError, ms });
    }
  }
  manifest.matrices.push({ name, file, normA, top: sorted.slice(0, k), runs });
  const line = (mc) => runs.filter((r) => r.multiplicityCheck === mc).map((r) => r.matvecs).join('/');
  console.error(`${name}: lanczos matvecs ${line(false)} (with multiplicity check ${line(true)})`);
}
writeFileSync(join(dataDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
