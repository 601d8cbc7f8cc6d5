import { klInverseUpper, lipschitzLowerBound, lipschitzUpperBound, pacBayesBoundForPosterior, seegerMaurerBound } from '../index.js';
import { initializeParameters, mlpSpec } from '@intrinsic/models';

export function readmeExample() {
  // PAC-Bayes-kl: 3 % training error, KL(Q‖P) = 5000 nats, m = 55 000 samples, δ = 0.025.
  const seeger = seegerMaurerBound({ empiricalError: 0.03, kl: 5000, sampleCount: 55000, delta: 0.025 });
  const sameByHand = klInverseUpper(0.03, (5000 + Math.log((2 * Math.sqrt(55000)) / 0.025)) / 55000);

  // Dziugaite–Roy: Gaussian posterior N(w, σ²) around trained weights, prior N(w₀, λ_j I) on the grid.
  const spec = mlpSpec({ widths: [4, 8, 3], activation: 'relu', bias: true, seed: 1 });
  const w0 = initializeParameters(spec);
  const w = w0.map((v, i) => v + 0.05 * Math.sin(i));
  const dr = pacBayesBoundForPosterior({
    mean: w,
    std: new Float64Array(w.length).fill(0.02),
    priorMean: w0,
    priorGridIndex: 200, // λ = 0.1·e^{−2}
    sampledError: 0.03,
    monteCarloSamples: 10000,
    trainingSetSize: 55000,
    delta: 0.025,
    deltaMonteCarlo: 0.01,
  });

  // Lipschitz constant of the network: product of spectral norms vs. Jacobian norms at data points.
  const inputs = Float64Array.of(1, 0, -1, 2, 0.5, 0.5, 0.5, 0.5, -1, 1, 0, 0);
  const upper = lipschitzUpperBound(spec, w).bound;
  const lower = lipschitzLowerBound({ spec, params: w, inputs, pairs: 2 }).bound;

  return { seeger, sameByHand, dr, upper, lower };
}
