import { InvalidArgumentError } from '@intrinsic/spectra';
import type { HessianPart, MlpEvaluation } from '@intrinsic/models';

/** Shape and position of one layer's parameters in the flat layout (W_l row-major, then b_l). */
export interface LayerGeometry {
  /** M_{l−1}. */
  fanIn: number;
  /** M_l. */
  fanOut: number;
  weightOffset: number;
  /** −1 without bias. */
  biasOffset: number;
  /** First flat index of the layer (= weightOffset). */
  start: number;
  /** Parameters of the layer, M_l·M_{l−1} (+ M_l with bias). */
  size: number;
}

/**
 * Per-sample factors from which every layer block of a curvature matrix is assembled (see
 * {@link curvatureFactors}). Arrays of layer l are at index l − 1; all are already divided by N.
 */
export interface CurvatureFactors {
  part: HessianPart;
  count: number;
  layers: LayerGeometry[];
  /** G_m per sample, N × M_m × M_m (sample-major), divided by N. */
  curvature: Float64Array[];
  /** cross[m−1][l−1] for l < m: S_{ml} = G_m ∂z_m/∂z_l per sample, N × M_m × M_l, divided by N. */
  cross: Float64Array[][];
  /** δ_m = ∂ℓ_i/∂z_m per sample, N × M_m, divided by N (second-order parts only, else empty). */
  deltas: Float64Array[];
  /**
   * activationJacobian[m−1][l−1] for l < m − 1: T_{ml} = ∂a_{m−1}/∂z_l per sample, N × M_{m−1} × M_l
   * (second-order parts only). For m = l + 1, T = diag σ′(z_l) is not stored (an empty array).
   */
  activationJacobian: Float64Array[][];
}

/** The parameter layout of an evaluation, layer by layer. */
export function layerGeometry(evaluation: MlpEvaluation): LayerGeometry[] {
  const layers: LayerGeometry[] = [];
  for (const view of evaluation.layout.views) {
    if (view.kind === 'weight') {
      layers.push({ fanIn: view.shape[1], fanOut: view.shape[0], weightOffset: view.offset, biasOffset: -1, start: view.offset, size: view.size });
    } else {
      const layer = layers[layers.length - 1];
      layer.biasOffset = view.offset;
      layer.size += view.size;
    }
  }
  return layers;
}

/** True for the parts whose blocks carry the second-order (activation-curvature) terms. */
export function isSecondOrderPart(part: HessianPart): boolean {
  return part === 'full' || part === 'functional';
}

/**
 * Per-sample factors of a curvature matrix of an MLP's mean loss, by one backward recursion per sample
 * over the layer pre-activations z_m (Singh et al., NeurIPS 2021, §2; the "backpropagated curvature" of
 * Dangel et al., ICLR 2020).
 *
 * With D′_m = diag σ′(z_m), e_m = W_{m+1}ᵀ δ_{m+1}, δ_m = D′_m e_m, δ_L = g = ∂ℓ/∂f:
 *   G_L = Λ (H, H_O) · 0 (H_F) · g gᵀ (empirical Fisher),
 *   G_m = D′_m W_{m+1}ᵀ G_{m+1} W_{m+1} D′_m + diag(σ″(z_m) ⊙ e_m) (the diagonal term for H and H_F only).
 * G_m is the second derivative of ℓ_i in z_m for H; for H_O it is J_{z_m}ᵀ Λ J_{z_m}; for H_F it is the
 * functional part Q_m. Across layers, ∂z_m/∂z_l = W_m T_{ml} with T_{ml} = ∂a_{m−1}/∂z_l =
 * D′_{m−1} ∂z_{m−1}/∂z_l (T_{l+1,l} = D′_l), and S_{ml} = G_m ∂z_m/∂z_l.
 *
 * The block of rows W_l[o, j] and columns W_m[o′, j′] (l ≤ m) is then
 *   Σ_i ã_{l−1}[j] (S_{ml}[o′, o] ã_{m−1}[j′] + δ_m[o′] T_{ml}[j′, o]),
 * with ã = (a, 1) when the bias is counted as an input of constant 1 and no T term in a bias column;
 * the T term is present for H and H_F only.
 *
 * Cost per sample O(Σ_m M_m² M_{m+1} + Σ_{l<m} M_m² M_l + M_m M_{m−1} M_l); memory N·Σ M_m M_l doubles.
 * @throws InvalidArgumentError for an unknown part.
 */
export function curvatureFactors(evaluation: MlpEvaluation, part: HessianPart): CurvatureFactors {
  if (part !== 'full' && part !== 'outer' && part !== 'functional' && part !== 'fisher') {
    throw new InvalidArgumentError(`curvatureFactors: unknown part '${String(part)}'; supported: full, outer, functional, fisher`);
  }
  const layers = layerGeometry(evaluation);
  const L = layers.length;
  const N = evaluation.count;
  const K = evaluation.outputSize;
  const W = evaluation.params;
  const secondOrder = isSecondOrderPart(part);
  const scale = 1 / N;

  // Unscaled δ_m (N × M_m) and e_m = W_{m+1}ᵀ δ_{m+1} (N × M_m) for hidden m (array index m − 1).
  const delta: Float64Array[] = new Array(L);
  const backward: Float64Array[] = new Array(L);
  delta[L - 1] = evaluation.outputGradients;
  for (let m = L - 1; m >= 1; m--) {
    const { fanIn: Mm, fanOut: Mn, weightOffset } = layers[m]; // W_{m+1}: Mn × Mm
    const e = backThroughWeights(delta[m], W, weightOffset, N, Mn, Mm);
    const s1 = evaluation.activationFirstDerivatives(m);
    const d = new Float64Array(N * Mm);
    for (let t = 0; t < d.length; t++) d[t] = s1[t] * e[t];
    backward[m - 1] = e;
    delta[m - 1] = d;
  }

  // G_m per sample, backward from the output.
  const curvature: Float64Array[] = new Array(L);
  const GL = new Float64Array(N * K * K);
  if (part === 'full' || part === 'outer') {
    const Lambda = evaluation.outputHessians;
    for (let t = 0; t < GL.length; t++) GL[t] = scale * Lambda[t];
  } else if (part === 'fisher') {
    const g = evaluation.outputGradients;
    for (let i = 0; i < N; i++) {
      for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) GL[(i * K + a) * K + b] = scale * g[i * K + a] * g[i * K + b];
    }
  }
  curvature[L - 1] = GL;
  for (let m = L - 1; m >= 1; m--) {
    const { fanIn: Mm, fanOut: Mn, weightOffset } = layers[m];
    const G = curvatureStep(curvature[m], W, weightOffset, N, Mn, Mm, evaluation.activationFirstDerivatives(m));
    if (secondOrder) addActivationCurvature(G, evaluation.activationSecondDerivatives(m), backward[m - 1], N, Mm, scale);
    curvature[m - 1] = G;
  }

  // Cross-layer factors: Jz = ∂z_m/∂z_l, T_{ml} = D′_{m−1} ∂z_{m−1}/∂z_l, S_{ml} = G_m Jz.
  // T_{l+1,l} = D′_l is diagonal: it is not stored (empty array), the assembly reads σ′(z_l) instead.
  const cross: Float64Array[][] = layers.map(() => []);
  const activationJacobian: Float64Array[][] = layers.map(() => []);
  for (let l = 1; l < L; l++) {
    const Ml = layers[l - 1].fanOut;
    let Jz = firstLayerJacobian(W, layers[l].weightOffset, N, layers[l].fanOut, Ml, evaluation.activationFirstDerivatives(l));
    cross[l][l - 1] = multiplyPerSample(curvature[l], Jz, N, layers[l].fanOut, Ml);
    if (secondOrder) activationJacobian[l][l - 1] = new Float64Array(0);
    for (let m = l + 2; m <= L; m++) {
      const { fanIn: Mp, fanOut: Mm, weightOffset } = layers[m - 1]; // W_m: Mm × Mp
      const T = scaleRows(Jz, evaluation.activationFirstDerivatives(m - 1), N, Mp, Ml);
      Jz = weightTimesPerSample(W, weightOffset, T, N, Mm, Mp, Ml);
      cross[m - 1][l - 1] = multiplyPerSample(curvature[m - 1], Jz, N, Mm, Ml);
      if (secondOrder) activationJacobian[m - 1][l - 1] = T;
    }
  }

  const deltas: Float64Array[] = [];
  if (secondOrder) {
    for (let m = 1; m <= L; m++) {
      const d = new Float64Array(delta[m - 1].length);
      for (let t = 0; t < d.length; t++) d[t] = scale * delta[m - 1][t];
      deltas.push(d);
    }
  }
  return { part, count: N, layers, curvature, cross, deltas, activationJacobian };
}

/** e_i = W ᵀ δ_i per sample: δ (N × rows), W (rows × cols at wOff) → e (N × cols). */
function backThroughWeights(delta: Float64Array, W: Float64Array, wOff: number, N: number, rows: number, cols: number): Float64Array {
  const e = new Float64Array(N * cols);
  for (let i = 0; i < N; i++) {
    const out = i * cols;
    for (let o = 0; o < rows; o++) {
      const x = delta[i * rows + o];
      const row = wOff + o * cols;
      for (let j = 0; j < cols; j++) e[out + j] += x * W[row + j];
    }
  }
  return e;
}

/** G_i = D′_i Wᵀ Gn_i W D′_i per sample; Gn (N × Mn × Mn), W (Mn × Mm at wOff), σ′ (N × Mm). */
function curvatureStep(Gn: Float64Array, W: Float64Array, wOff: number, N: number, Mn: number, Mm: number, s1: Float64Array): Float64Array {
  const G = new Float64Array(N * Mm * Mm);
  const U = new Float64Array(Mn * Mm);
  for (let i = 0; i < N; i++) {
    // U = Gn_i W (Mn × Mm)
    U.fill(0);
    const gBase = i * Mn * Mn;
    for (let a = 0; a < Mn; a++) {
      const out = a * Mm;
      for (let b = 0; b < Mn; b++) {
        const x = Gn[gBase + a * Mn + b];
        const row = wOff + b * Mm;
        for (let j = 0; j < Mm; j++) U[out + j] += x * W[row + j];
      }
    }
    // Upper triangle of Wᵀ U (symmetric), scaled by σ′ on both sides, then mirrored.
    const base = i * Mm * Mm;
    for (let a = 0; a < Mn; a++) {
      const row = wOff + a * Mm;
      const u = a * Mm;
      for (let j = 0; j < Mm; j++) {
        const w = W[row + j];
        const out = base + j * Mm;
        for (let k = j; k < Mm; k++) G[out + k] += w * U[u + k];
      }
    }
    const sBase = i * Mm;
    for (let j = 0; j < Mm; j++) {
      const sj = s1[sBase + j];
      const out = base + j * Mm;
      for (let k = j; k < Mm; k++) G[out + k] *= sj * s1[sBase + k];
      for (let k = 0; k < j; k++) G[out + k] = G[base + k * Mm + j];
    }
  }
  return G;
}

/** G_i += scale · diag(σ″_i ⊙ e_i) per sample. */
function addActivationCurvature(G: Float64Array, s2: Float64Array, e: Float64Array, N: number, M: number, scale: number): void {
  for (let i = 0; i < N; i++) {
    const base = i * M * M;
    for (let j = 0; j < M; j++) G[base + j * M + j] += scale * s2[i * M + j] * e[i * M + j];
  }
}

/** Jz_i = W D′_i per sample (rows × cols): W (rows × cols at wOff), σ′ (N × cols). */
function firstLayerJacobian(W: Float64Array, wOff: number, N: number, rows: number, cols: number, s1: Float64Array): Float64Array {
  const Jz = new Float64Array(N * rows * cols);
  for (let i = 0; i < N; i++) {
    const base = i * rows * cols;
    const sBase = i * cols;
    for (let a = 0; a < rows; a++) {
      const row = wOff + a * cols;
      const out = base + a * cols;
      for (let o = 0; o < cols; o++) Jz[out + o] = W[row + o] * s1[sBase + o];
    }
  }
  return Jz;
}

/** T_i = D′_i J_i per sample: J (N × rows × cols), σ′ (N × rows). */
function scaleRows(J: Float64Array, s1: Float64Array, N: number, rows: number, cols: number): Float64Array {
  const T = new Float64Array(N * rows * cols);
  for (let i = 0; i < N; i++) {
    const base = i * rows * cols;
    for (let j = 0; j < rows; j++) {
      const sj = s1[i * rows + j];
      const at = base + j * cols;
      for (let o = 0; o < cols; o++) T[at + o] = sj * J[at + o];
    }
  }
  return T;
}

/** (W T_i) per sample: W (rows × inner at wOff), T (N × inner × cols) → N × rows × cols. */
function weightTimesPerSample(W: Float64Array, wOff: number, T: Float64Array, N: number, rows: number, inner: number, cols: number): Float64Array {
  const out = new Float64Array(N * rows * cols);
  for (let i = 0; i < N; i++) {
    const tBase = i * inner * cols;
    const oBase = i * rows * cols;
    for (let a = 0; a < rows; a++) {
      const row = wOff + a * inner;
      const at = oBase + a * cols;
      for (let j = 0; j < inner; j++) {
        const w = W[row + j];
        const t = tBase + j * cols;
        for (let o = 0; o < cols; o++) out[at + o] += w * T[t + o];
      }
    }
  }
  return out;
}

/** (G_i J_i) per sample: G (N × rows × rows), J (N × rows × cols) → N × rows × cols. */
function multiplyPerSample(G: Float64Array, J: Float64Array, N: number, rows: number, cols: number): Float64Array {
  const S = new Float64Array(N * rows * cols);
  for (let i = 0; i < N; i++) {
    const gBase = i * rows * rows;
    const jBase = i * rows * cols;
    for (let a = 0; a < rows; a++) {
      const at = jBase + a * cols;
      for (let b = 0; b < rows; b++) {
        const x = G[gBase + a * rows + b];
        const src = jBase + b * cols;
        for (let o = 0; o < cols; o++) S[at + o] += x * J[src + o];
      }
    }
  }
  return S;
}
