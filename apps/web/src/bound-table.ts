import { effectiveDimension, lipschitzLowerBound, lipschitzUpperBound, marginQuantile, normMeasures, outputMargins } from '@intrinsic/bounds';
import { analyzeHessianRanks } from '@intrinsic/hessian';
import { mlpForward } from '@intrinsic/models';
import { IntrinsicError, InvalidArgumentError } from '@intrinsic/spectra';
import type { PageState } from './page-state.js';
import { panelModel, type PanelModel, type PanelModelOptions } from './pruning-curve.js';

/** One row of the bound table. */
export interface BoundRow {
  key: string;
  name: string;
  /** NaN when the row does not apply (then `assumptions` says why). */
  value: number;
  formula: string;
  assumptions: string;
  /** `true`/`false` for a bound on the error rate (vacuous when ≥ 1); `null` for a measure or a Lipschitz bound. */
  vacuous: boolean | null;
}

/** The bound table of one model. */
export interface BoundTable {
  model: PanelModel;
  rows: BoundRow[];
  elapsedMs: number;
}

/** α of the effective dimension N_eff(α) = Σ λ_i/(λ_i + α). */
export const EFFECTIVE_DIMENSION_ALPHA = 1e-3;
/** Seeded pairs of data points whose segments the Lipschitz lower bound also samples. */
export const LIPSCHITZ_PAIRS = 20;
/** Quantile of the output margins used as γ (Jiang et al. 2020). */
export const MARGIN_QUANTILE = 0.1;

/** Options of {@link boundTable}. */
export interface BoundTableOptions extends PanelModelOptions {
  memoryBudgetBytes?: number;
}

/**
 * The bound table of the panel's model ({@link panelModel}) from `@intrinsic/bounds`: the Lipschitz upper bound
 * Π_l‖W_l‖₂·c_σ^{L−1} and the lower bound max‖∂f/∂x‖₂ over the data and {@link LIPSCHITZ_PAIRS} seeded segments
 * (Khromov & Singh, ICLR 2024), the norm measures of Jiang et al. (ICLR 2020: Π‖W‖₂, Π‖W‖_F, path norm,
 * ‖θ − θ₀‖₂), with labels the 10 % output margin γ, Π‖W‖₂²·Σ‖W‖_F²/‖W‖₂² / γ² (spec-orig; Bartlett et al. 2017)
 * and the Bartlett-type error bound √(spec-orig / N) (vacuous when ≥ 1; constants and log factors dropped), and
 * the effective dimension Σ λ_i/(λ_i + α) of the exact Hessian (MacKay 1992; Maddox et al. 2020).
 * Cost: the model's training, O(N p² + p³) for the dense Hessian's eigenvalues, O(N d K) Jacobians.
 * @throws InvalidArgumentError for a bad epoch count; the memory message of the dense Hessian is put in its row.
 */
export function boundTable(state: PageState, options: BoundTableOptions): BoundTable {
  const started = performance.now();
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new InvalidArgumentError(`bounds: epochs must be a positive integer, got ${options.epochs}`);
  const { spec, data, initial, params } = panelModel(state, options);
  const rows: BoundRow[] = [];
  const upper = lipschitzUpperBound(spec, params);
  const lower = lipschitzLowerBound({ spec, params, inputs: data.inputs, pairs: Math.min(LIPSCHITZ_PAIRS, data.count), seed: state.seed });
  const L = upper.spectralNorms.length;
  rows.push({
    key: 'lipschitz-upper',
    name: 'Lipschitz upper bound',
    value: upper.bound,
    formula: `Π‖W_l‖₂ · c_σ^(L−1), c_σ = ${upper.activationConstant}, L = ${L}`,
    assumptions: `holds for every input; c_σ = sup|σ′| of ${spec.activation}; ‖W_l‖₂ by power iteration${upper.converged ? '' : ' (not converged)'}`,
    vacuous: null,
  });
  rows.push({
    key: 'lipschitz-lower',
    name: 'Lipschitz lower bound',
    value: lower.bound,
    formula: 'max ‖∂f/∂x‖₂ over the data and λx₁ + (1 − λ)x₂',
    assumptions: `${lower.data.count} data points and ${lower.interpolation.count} points on ${Math.min(LIPSCHITZ_PAIRS, data.count)} seeded segments; the true constant lies between the two bounds`,
    vacuous: null,
  });
  const norms = normMeasures(spec, params, { initialParams: initial });
  rows.push({ key: 'spectral-product', name: 'Spectral product', value: norms.spectralProduct, formula: 'Π‖W_l‖₂', assumptions: 'a measure (Jiang et al. 2020), not a bound', vacuous: null });
  rows.push({ key: 'frobenius-product', name: 'Frobenius product', value: norms.frobeniusProduct, formula: 'Π‖W_l‖_F', assumptions: 'a measure, not a bound', vacuous: null });
  rows.push({ key: 'path-norm', name: 'Path norm', value: norms.pathNorm, formula: '√(Σ_paths Π w²) (Neyshabur et al. 2015)', assumptions: 'a measure, not a bound', vacuous: null });
  rows.push({
    key: 'distance',
    name: 'Distance to initialisation',
    value: norms.distanceToInitialization,
    formula: '‖θ − θ₀‖₂',
    assumptions: options.model === 'initial' ? 'zero at the initial model' : 'θ₀ the seeded initialisation',
    vacuous: null,
  });
  if (data.labels && data.outputSize >= 2) {
    const gamma = marginQuantile(outputMargins(mlpForward(spec, params, data), data.labels), MARGIN_QUANTILE);
    rows.push({ key: 'margin', name: 'Margin γ', value: gamma, formula: '10th percentile of f_y(x) − max_{k≠y} f_k(x)', assumptions: 'over the training data', vacuous: null });
    if (gamma > 0) {
      const measured = normMeasures(spec, params, { margin: gamma });
      const bound = Math.sqrt(measured.spectralOriginalOverMargin / data.count);
      rows.push({
        key: 'spec-orig',
        name: 'Spectral complexity / γ²',
        value: measured.spectralOriginalOverMargin,
        formula: 'Π‖W_l‖₂² · Σ‖W_l‖_F²/‖W_l‖₂² / γ²',
        assumptions: 'a measure (Jiang et al. `spec.orig`, Bartlett et al. 2017 without log factors)',
        vacuous: null,
      });
      rows.push({
        key: 'margin-bound',
        name: 'Margin bound on the error gap',
        value: bound,
        formula: '√(spec-orig / N)',
        assumptions: `Bartlett et al. 2017 up to constants and log factors, N = ${data.count}; vacuous when ≥ 1`,
        vacuous: bound >= 1,
      });
    } else {
      rows.push({
        key: 'margin-bound',
        name: 'Margin bound on the error gap',
        value: NaN,
        formula: '√(spec-orig / N)',
        assumptions: `n/a: γ = ${gamma.toPrecision(4)} ≤ 0, more than 10 % of the training points are misclassified`,
        vacuous: null,
      });
    }
  }
  let effective = NaN;
  let effectiveNote = `α = ${EFFECTIVE_DIMENSION_ALPHA}; all p eigenvalues of the exact H; negative ones count 0`;
  try {
    const analysis = analyzeHessianRanks(spec, params, data, state.loss, { memoryBudgetBytes: options.memoryBudgetBytes });
    effective = effectiveDimension(analysis.parts.hessian.eigenvalues, EFFECTIVE_DIMENSION_ALPHA);
    effectiveNote += `; p = ${analysis.params}, rank(H) = ${analysis.rank.hessian}`;
  } catch (error) {
    if (!IntrinsicError.isInstance(error)) throw error;
    effectiveNote = `n/a: ${error.message}`;
  }
  rows.push({ key: 'effective-dimension', name: 'Effective dimension', value: effective, formula: 'Σ λ_i / (λ_i + α)', assumptions: effectiveNote, vacuous: null });
  return { model: options.model, rows, elapsedMs: performance.now() - started };
}
