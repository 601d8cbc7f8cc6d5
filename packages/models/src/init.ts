import { assertMemoryBudget, Random } from '@intrinsic/spectra';
import { parameterLayout } from './layout.js';
import type { MlpSpec } from './spec.js';

/**
 * Initial parameters of a spec, seeded (flat layout of {@link parameterLayout}).
 *
 * Weights W_l (fan_in = M_{l−1}, fan_out = M_l):
 * - glorot-normal: N(0, 2/(fan_in + fan_out)) (Glorot & Bengio 2010; Keras uses a truncated normal);
 * - glorot-uniform: U(±√(6/(fan_in + fan_out)));
 * - he-normal: N(0, 2/fan_in) (He et al. 2015);
 * - orthogonal: Q from the QR factorisation of a Gaussian matrix, signs fixed by diag(R) (Saxe et al. 2014);
 * - pytorch-uniform: U(±1/√fan_in), the default of PyTorch's `nn.Linear` (`kaiming_uniform_` with a = √5:
 *   bound = √(6/((1 + a²)·fan_in)) = 1/√fan_in); PyTorch also draws biases from that range, here they stay zero.
 * Biases start at zero.
 */
export function initializeParameters(spec: MlpSpec): Float64Array {
  const layout = parameterLayout(spec);
  assertMemoryBudget(layout.size, `initializeParameters: p = ${layout.size} parameters`);
  const params = new Float64Array(layout.size);
  const rng = new Random(spec.seed);
  for (const view of layout.views) {
    if (view.kind === 'bias') continue;
    const [fanOut, fanIn] = view.shape;
    const w = params.subarray(view.offset, view.offset + view.size);
    switch (spec.init) {
      case 'glorot-normal':
        rng.fillGaussian(w, Math.sqrt(2 / (fanIn + fanOut)));
        break;
      case 'glorot-uniform': {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        for (let i = 0; i < w.length; i++) w[i] = limit * (2 * rng.uniform() - 1);
        break;
      }
      case 'he-normal':
        rng.fillGaussian(w, Math.sqrt(2 / fanIn));
        break;
      case 'orthogonal':
        orthogonalInto(w, fanOut, fanIn, rng);
        break;
      case 'pytorch-uniform': {
        const limit = 1 / Math.sqrt(fanIn);
        for (let i = 0; i < w.length; i++) w[i] = limit * (2 * rng.uniform() - 1);
        break;
      }
    }
  }
  return params;
}

/**
 * Fills a rows × cols matrix with orthonormal rows (rows ≤ cols) or orthonormal columns (rows > cols):
 * Gram–Schmidt twice on a Gaussian matrix (Saxe et al. 2014). Shared by the MLP and layered initialisers.
 */
export function orthogonalInto(out: Float64Array, rows: number, cols: number, rng: Random): void {
  // Orthonormalise the longer side's vectors with modified Gram–Schmidt on a Gaussian matrix.
  const tall = rows > cols;
  const count = tall ? cols : rows; // number of orthonormal vectors
  const length = tall ? rows : cols; // their length
  assertMemoryBudget(count * length, `orthogonal initialisation: a ${rows} × ${cols} Gaussian matrix`);
  const vectors = new Float64Array(count * length);
  rng.fillGaussian(vectors);
  for (let a = 0; a < count; a++) {
    const va = vectors.subarray(a * length, (a + 1) * length);
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < a; b++) {
        const vb = vectors.subarray(b * length, (b + 1) * length);
        let dot = 0;
        for (let i = 0; i < length; i++) dot += va[i] * vb[i];
        for (let i = 0; i < length; i++) va[i] -= dot * vb[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < length; i++) norm += va[i] * va[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < length; i++) va[i] /= norm;
  }
  for (let a = 0; a < count; a++) {
    for (let i = 0; i < length; i++) {
      const value = vectors[a * length + i];
      if (tall) out[i * cols + a] = value;
      else out[a * cols + i] = value;
    }
  }
}
