import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Random, ShapeMismatchError } from '@intrinsic/spectra';
import { parameterCount, parameterLayout, type Dataset, type MlpSpec } from '@intrinsic/models';
import { assertDelta, assertFiniteArray, assertInteger, assertPositive } from '../internal/guards.js';
import { DZIUGAITE_ROY_PRIOR_GRID, type PriorVarianceGridOptions } from '../pac-bayes/prior-variance-grid.js';
import { gaussianKlTensor } from './gaussian-kl-tensor.js';
import { klInverseObjective } from './kl-inverse-objective.js';
import { bitsCrossEntropy, stochasticLogits } from './stochastic-logits.js';

/** Options of {@link optimizeDziugaiteRoyPosterior}. */
export interface OptimizeDziugaiteRoyOptions {
  spec: MlpSpec;
  /** w, the trained weights: the starting posterior mean (length p). */
  params: Float64Array;
  /** w₀, the initial weights: the prior mean (length p). */
  initialParams: Float64Array;
  /** The training set S (classification: `labels` required), m = `data.count`. */
  data: Dataset;
  /** Starting σ: a number (the same for every weight) or `abs-weights` (σ = max(|w|, 1e-3), Dziugaite & Roy's σ = |w| kept away from 0 for zero biases). Default 0.01. */
  initialStd?: number | 'abs-weights';
  /** Starting prior variance λ (Dziugaite & Roy: e⁻⁶). Default e⁻⁶. */
  initialPriorVariance?: number;
  /** Adam steps. Default 2000. */
  iterations?: number;
  /** Rows per step (each row sees its own network drawn from Q). Default 100. */
  batchSize?: number;
  /** Adam learning rate of s = ln σ and ρ = ln λ. Default 1e-3. */
  learningRate?: number;
  /** Adam learning rate of the mean w (a separate Adam). Default: `learningRate`. */
  meanLearningRate?: number;
  /** Both learning rates decay linearly to this fraction of their start over the run. Default 0.1. */
  finalLearningRateFraction?: number;
  /** δ of the PAC-Bayes bound being optimised (Dziugaite & Roy: 0.025). */
  delta?: number;
  /** The prior-variance grid λ_j = c·e^{−j/b}; λ is kept below c. */
  priorGrid?: PriorVarianceGridOptions;
  /**
   * The objective: `pinsker` (default; Dziugaite & Roy's ŝ + √(c/(2(m − 1))), see below) or `kl-inverse`, the
   * certificate's own form kl⁻¹(ŝ, (KL + 2 ln(b ln(c/λ)) + ln(π²/6) + ln(2√m/δ))/m) with ŝ the sampled
   * surrogate, differentiated by the implicit-function theorem ({@link klInverseObjective}).
   */
  objective?: DziugaiteRoyObjective;
  /**
   * One prior variance λ_l per parameter array (W1, b1, W2, …; `parameterLayout` order), each on the same
   * grid, instead of one λ for all: the penalty becomes Σ_l 2 ln(b ln(c/λ_l)) + G ln(π²/6) (union bound over
   * the product grid; certify with `certifyDziugaiteRoyPosteriorLayerwise`). Default false.
   */
  priorVariancePerArray?: boolean;
  /** Seed of the batches and the noise. Default 0. */
  seed?: number;
  /** Steps between entries of `history` (full-batch objective estimates are not computed; entries are the running mean over the interval). Default 100. */
  recordEvery?: number;
  /** Called with the step (from 1) and the total after every step. */
  onIteration?: (iteration: number, total: number) => void;
}

/** Which form of the PAC-Bayes bound {@link optimizeDziugaiteRoyPosterior} minimises. */
export type DziugaiteRoyObjective = 'pinsker' | 'kl-inverse';

/** One entry of the optimisation history. */
export interface DziugaiteRoyHistoryEntry {
  iteration: number;
  /** Mean over the interval of the optimised objective (Pinsker: ŝ + √(c/(2(m − 1))); kl-inverse: kl⁻¹(min(ŝ, 1), c′)). */
  objective: number;
  /** Mean over the interval of the sampled surrogate (cross-entropy in bits). */
  surrogate: number;
  /** KL(Q‖P) at the end of the interval (nats). */
  kl: number;
  /** λ at the end of the interval (per array: that of the largest array). */
  priorVariance: number;
  /** With `priorVariancePerArray`: every λ_l at the end of the interval. */
  priorVariances?: number[];
}

/** Result of {@link optimizeDziugaiteRoyPosterior}. */
export interface OptimizeDziugaiteRoyResult {
  /** Optimised posterior mean w (float32 values in float64). */
  mean: Float64Array;
  /** Optimised posterior standard deviations σ = e^s. */
  std: Float64Array;
  /** Optimised continuous prior variance λ (round it onto the grid to certify); per array: that of the largest array. */
  priorVariance: number;
  /** With `priorVariancePerArray`: the optimised λ_l per parameter array (`parameterLayout` order). */
  priorVariances?: number[];
  history: DziugaiteRoyHistoryEntry[];
  iterations: number;
  seconds: number;
  /** The tfjs backend that ran it. */
  backend: string;
}

/**
 * Dziugaite & Roy's optimisation (UAI 2017, §4) on TensorFlow.js: minimises over w, s = ln σ and
 * ρ = ln λ the relaxed PAC-Bayes objective
 *   B(w, s, ρ) = E_{θ~Q}[ℓ̃(θ; S)] + √( (KL(Q‖P) + 2 ln(b ln(c/λ)) + ln(π² m / (6δ))) / (2(m − 1)) ),
 * with Q = N(w, diag σ²), P = N(w₀, λI), KL = ½ [ (Σσ² + ‖w − w₀‖²)/λ − p + p ln λ − Σ ln σ² ],
 * ℓ̃ the cross-entropy in bits ({@link bitsCrossEntropy}, an upper bound on the 0-1 loss), and the
 * expectation estimated on a mini-batch where each row has its own draw of θ (local reparameterisation,
 * {@link stochasticLogits}; unbiased, differentiable in w and s). The square root is the Pinsker relaxation
 * of the Langford–Seeger kl bound with the grid's union-bound penalty, as in the paper. The result still has
 * to be certified ({@link certifyDziugaiteRoyPosterior}). With `objective: 'kl-inverse'` it minimises instead
 * q = kl⁻¹(ŝ, B), B = (KL + 2 ln(b ln(c/λ)) + ln(π²/6) + ln(2√m/δ))/m (the certificate's form, without the
 * Monte-Carlo term), where ŝ is the batch surrogate clamped to [0, 1]: q is computed in float64 by
 * klInverseUpper, and the step follows the gradient of the scalar (∂q/∂ŝ)·ŝ + (∂q/∂B)·B with the two
 * coefficients held fixed (implicit-function theorem, {@link klInverseObjective}) — the same gradient as
 * q's. In a step where q rounds to 1 (ŝ ≥ 1) the Pinsker objective is used instead. Two Adam optimisers (w at `meanLearningRate`; s and ρ at
 * `learningRate`), both decaying linearly to `finalLearningRateFraction` of their start. Cost per step: two forward and backward passes
 * on `batchSize` rows plus O(p) for the KL.
 * @throws InvalidArgumentError / ShapeMismatchError on bad sizes, missing labels, or non-positive settings.
 */
export async function optimizeDziugaiteRoyPosterior(options: OptimizeDziugaiteRoyOptions): Promise<OptimizeDziugaiteRoyResult> {
  const fn = 'optimizeDziugaiteRoyPosterior';
  const { spec, data } = options;
  const p = parameterCount(spec);
  assertFiniteArray(fn, 'params', options.params, p);
  assertFiniteArray(fn, 'initialParams', options.initialParams, p);
  if (!data.labels) throw new InvalidArgumentError(`${fn}: the data need class labels (a classification data set)`);
  if (data.inputSize !== spec.widths[0] || data.outputSize !== spec.widths[spec.widths.length - 1]) {
    throw new ShapeMismatchError(`${fn}: data are ${data.inputSize} → ${data.outputSize}, the network ${spec.widths[0]} → ${spec.widths[spec.widths.length - 1]}`);
  }
  const m = data.count;
  assertInteger(fn, 'data.count', m, 2);
  const iterations = options.iterations ?? 2000;
  const batchSize = Math.min(options.batchSize ?? 100, m);
  const learningRate = options.learningRate ?? 1e-3;
  const meanLearningRate = options.meanLearningRate ?? learningRate;
  const finalFraction = options.finalLearningRateFraction ?? 0.1;
  const delta = options.delta ?? 0.025;
  const grid = options.priorGrid ?? DZIUGAITE_ROY_PRIOR_GRID;
  const initialPriorVariance = options.initialPriorVariance ?? Math.exp(-6);
  const recordEvery = options.recordEvery ?? 100;
  assertInteger(fn, 'iterations', iterations, 0);
  assertInteger(fn, 'batchSize', batchSize, 1);
  assertInteger(fn, 'recordEvery', recordEvery, 1);
  assertPositive(fn, 'learningRate', learningRate);
  assertPositive(fn, 'meanLearningRate', meanLearningRate);
  assertPositive(fn, 'finalLearningRateFraction', finalFraction);
  assertDelta(fn, 'delta', delta);
  assertPositive(fn, 'initialPriorVariance', initialPriorVariance);
  if (!(initialPriorVariance < grid.scale)) throw new InvalidArgumentError(`${fn}: initialPriorVariance ${initialPriorVariance} must be below the grid's largest variance ${grid.scale}`);
  const initialStd = options.initialStd ?? 0.01;
  if (initialStd !== 'abs-weights') assertPositive(fn, 'initialStd', initialStd);

  const logStd = new Float32Array(p);
  for (let i = 0; i < p; i++) logStd[i] = Math.log(initialStd === 'abs-weights' ? Math.max(Math.abs(options.params[i]), 1e-3) : initialStd);
  const w = tf.variable(tf.tensor1d(Float32Array.from(options.params)), true, undefined, 'float32');
  const s = tf.variable(tf.tensor1d(logStd), true);
  const perArray = options.priorVariancePerArray ?? false;
  const views = parameterLayout(spec).views;
  const groupCount = perArray ? views.length : 1;
  const largestGroup = perArray ? views.reduce((best, v, i) => (v.size > views[best].size ? i : best), 0) : 0;
  const rho = perArray
    ? tf.variable(tf.fill([groupCount], Math.log(initialPriorVariance)), true)
    : tf.variable(tf.scalar(Math.log(initialPriorVariance)), true);
  // ρ per coordinate as ρ_g broadcast over each array and concatenated (not gather: its gradient, UnsortedSegmentSum, has no wasm kernel).
  const perCoordinateLogPriorVariance = () =>
    tf.concat(views.map((v, g) => tf.add(tf.zeros([v.size]), tf.slice(rho, [g], [1])))) as tf.Tensor1D;
  // Each extra group pays one more ln(π²/6) (the constants below include one).
  const extraGroupsPenalty = (groupCount - 1) * Math.log((Math.PI * Math.PI) / 6);
  const w0 = tf.tensor1d(Float32Array.from(options.initialParams));
  const d = data.inputSize;
  const K = data.outputSize;
  const x = tf.tensor2d(Float32Array.from(data.inputs), [m, d]);
  const y = tf.cast(tf.oneHot(tf.tensor1d(data.labels, 'int32'), K), 'float32') as tf.Tensor2D;
  const rhoMax = Math.log(grid.scale) - 1 / grid.precision; // keeps b ln(c/λ) ≥ 1
  const constant = Math.log((Math.PI * Math.PI * m) / (6 * delta));

  const klTensor = () => (perArray ? tf.tidy(() => gaussianKlTensor(w, s, w0, perCoordinateLogPriorVariance())) : gaussianKlTensor(w, s, w0, rho as tf.Scalar));
  const readPriorVariances = async () => Array.from(await rho.data(), (r) => Math.exp(Math.min(r, rhoMax)));
  const objective = options.objective ?? 'pinsker';
  if (objective !== 'pinsker' && objective !== 'kl-inverse') throw new InvalidArgumentError(`${fn}: objective must be 'pinsker' or 'kl-inverse', got ${String(objective)}`);
  const klInverseConstant = Math.log((Math.PI * Math.PI) / 6) + Math.log((2 * Math.sqrt(m)) / delta);

  const optimizer = tf.train.adam(learningRate);
  const meanOptimizer = tf.train.adam(meanLearningRate);
  // The tfjs Adam optimizer reads its learning rate at every step; set it for the linear decay.
  const setRates = (fraction: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate * fraction;
    (meanOptimizer as unknown as { learningRate: number }).learningRate = meanLearningRate * fraction;
  };
  const random = new Random(options.seed ?? 0);
  const history: DziugaiteRoyHistoryEntry[] = [];
  let objectiveSum = 0;
  let surrogateSum = 0;
  let count = 0;
  const started = performance.now();
  try {
    for (let iteration = 1; iteration <= iterations; iteration++) {
      const rows = new Int32Array(batchSize);
      for (let i = 0; i < batchSize; i++) rows[i] = random.integer(m);
      const noiseSeed = random.integer(2 ** 30);
      let surrogateValue: tf.Scalar | undefined;
      let objectiveValue: number | undefined; // kl-inverse: q in float64 (the returned cost is the linearised scalar)
      setRates(1 - ((1 - finalFraction) * (iteration - 1)) / Math.max(1, iterations - 1));
      const { value: cost, grads } = tf.variableGrads(
        () => {
          const index = tf.tensor1d(rows, 'int32');
          const xb = tf.gather(x, index) as tf.Tensor2D;
          const yb = tf.gather(y, index) as tf.Tensor2D;
          const surrogate = bitsCrossEntropy(stochasticLogits(spec, w, tf.exp(tf.mul(s, 2)) as tf.Tensor1D, xb, noiseSeed, 1e-12), yb);
          surrogateValue = tf.keep(surrogate.clone());
          const gridPenalty = perArray
            ? tf.add(tf.sum(tf.mul(2, tf.log(tf.mul(grid.precision, tf.sub(Math.log(grid.scale), rho))))), extraGroupsPenalty)
            : tf.mul(2, tf.log(tf.mul(grid.precision, tf.sub(Math.log(grid.scale), rho))));
          const kl = klTensor();
          // Same operation order as before the kl-inverse option, so Pinsker runs reproduce bit for bit.
          const pinsker = () => tf.add(surrogate, tf.sqrt(tf.maximum(tf.div(tf.add(kl, tf.add(gridPenalty, constant)), 2 * (m - 1)), 1e-12))) as tf.Scalar;
          if (objective === 'pinsker') return pinsker();
          const b = tf.div(tf.add(kl, tf.add(gridPenalty, klInverseConstant)), m) as tf.Scalar;
          const q = klInverseObjective(surrogate, b);
          objectiveValue = q.value;
          return q.linearised ?? pinsker();
        },
        [w, s, rho],
      );
      meanOptimizer.applyGradients([{ name: w.name, tensor: grads[w.name] }]);
      optimizer.applyGradients([{ name: s.name, tensor: grads[s.name] }, { name: rho.name, tensor: grads[rho.name] }]);
      tf.dispose(Object.values(grads));
      // Projection onto ρ ≤ ln c − 1/b (no min() in the graph: its gradient, like relu's, is NaN on the wasm backend here).
      const rhoValues = await rho.data();
      if (rhoValues.some((r) => r > rhoMax)) {
        rho.assign(perArray ? tf.tensor1d(Float32Array.from(rhoValues, (r) => Math.min(r, rhoMax))) : tf.scalar(rhoMax));
      }
      objectiveSum += objectiveValue ?? (await cost.data())[0];
      surrogateSum += (await surrogateValue!.data())[0];
      cost.dispose();
      surrogateValue!.dispose();
      count++;
      if (iteration % recordEvery === 0 || iteration === iterations) {
        const kl = klTensor();
        history.push({
          iteration,
          objective: objectiveSum / count,
          surrogate: surrogateSum / count,
          kl: (await kl.data())[0],
          priorVariance: (await readPriorVariances())[largestGroup],
          ...(perArray ? { priorVariances: await readPriorVariances() } : {}),
        });
        kl.dispose();
        objectiveSum = surrogateSum = count = 0;
      }
      options.onIteration?.(iteration, iterations);
    }
    const mean = Float64Array.from(await w.data());
    const std = Float64Array.from(await s.data(), (v) => Math.exp(v));
    const priorVariances = await readPriorVariances();
    const priorVariance = priorVariances[largestGroup];
    return { mean, std, priorVariance, ...(perArray ? { priorVariances } : {}), history, iterations, seconds: (performance.now() - started) / 1000, backend: tf.getBackend() };
  } finally {
    optimizer.dispose();
    meanOptimizer.dispose();
    tf.dispose([w, s, rho, w0, x, y]);
  }
}
