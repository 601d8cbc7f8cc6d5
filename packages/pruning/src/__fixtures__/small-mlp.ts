import { Random, symmetricEigenvalues } from '@intrinsic/spectra';
import { initializeParameters, mlpSpec, parameterLayout, syntheticDataset } from '@intrinsic/models';
import { denseHessian } from '@intrinsic/hessian';

/** MLP 4-3-2, tanh, biases (p = 23, biases set to seeded N(0, 0.1²) so that no weight is 0), MSE on Gaussian data. */
export function smallMlp(count = 10) {
  const spec = mlpSpec({ widths: [4, 3, 2], activation: 'tanh', bias: true, seed: 7 });
  const data = syntheticDataset({ kind: 'gaussian', count, inputSize: 4, outputSize: 2, seed: 8 });
  const params = initializeParameters(spec);
  const rng = new Random(9);
  for (const v of parameterLayout(spec).views) if (v.kind === 'bias') rng.fillGaussian(params.subarray(v.offset, v.offset + v.size), 0.1);
  return { spec, data, params, loss: 'mse' as const, p: params.length };
}

/**
 * The dense Hessian of {@link smallMlp} made positive definite: C = H + λI with
 * λ = max(0, −λ_min(H)) + 0.1, so that C's smallest eigenvalue is at least 0.1.
 */
export function dampedHessian() {
  const model = smallMlp();
  const H = denseHessian(model.spec, model.params, model.data, model.loss);
  const eigenvalues = symmetricEigenvalues(H, model.p);
  const damping = Math.max(0, -eigenvalues[0]) + 0.1;
  const C = Float64Array.from(H);
  for (let i = 0; i < model.p; i++) C[i * model.p + i] += damping;
  return { ...model, H, C, damping };
}
