import { InvalidArgumentError, ShapeMismatchError } from '@intrinsic/spectra';
import type { ParameterLayout } from '@intrinsic/models';

/** Which parameters may be pruned. */
export interface PruningScopeOptions {
  /** Layers (1-based) whose parameters may be pruned; all layers by default. */
  layers?: number[];
  /** Prune biases too (default false: only weight matrices, the usual convention). */
  includeBiases?: boolean;
}

/** How the pruned set is chosen. */
export type PruningScope = 'global' | 'layerwise';

/** Options of {@link selectPruningMask}. */
export interface MaskSelectionOptions extends PruningScopeOptions {
  /**
   * Target sparsity s ∈ [0, 1]: the fraction of the prunable entries that are zero in the mask. In
   * layerwise scope also a map layer → sparsity (layers absent from the map are not pruned).
   */
  sparsity: number | Record<number, number>;
  /**
   * `global`: one threshold across all prunable entries (the lowest-saliency ones overall);
   * `layerwise`: each layer's prunable entries pruned to its own target.
   */
  scope: PruningScope;
  /** A mask from an earlier step (1 = kept, 0 = pruned): its pruned entries stay pruned. */
  previousMask?: Uint8Array;
}

/**
 * Eligibility mask over the flat parameter vector: 1 for the entries that may be pruned (weights of the
 * chosen layers, plus their biases when `includeBiases`), 0 otherwise.
 * @throws InvalidArgumentError on a layer that the layout does not have.
 */
export function prunableMask(layout: ParameterLayout, options: PruningScopeOptions = {}): Uint8Array {
  const layerCount = layout.views.reduce((m, v) => Math.max(m, v.layer), 0);
  const layers = options.layers ?? Array.from({ length: layerCount }, (_, i) => i + 1);
  for (const l of layers) {
    if (!Number.isInteger(l) || l < 1 || l > layerCount) throw new InvalidArgumentError(`prunableMask: layer ${l} outside 1…${layerCount}`);
  }
  const wanted = new Set(layers);
  const eligible = new Uint8Array(layout.size);
  for (const v of layout.views) {
    if (!wanted.has(v.layer) || (v.kind === 'bias' && !options.includeBiases)) continue;
    eligible.fill(1, v.offset, v.offset + v.size);
  }
  return eligible;
}

/** Number of entries to prune in a group of `size` prunable entries at sparsity s: round(s · size), halves up. */
export function prunedCount(size: number, sparsity: number): number {
  return Math.round(sparsity * size);
}

function checkSparsity(s: number, what: string): void {
  if (!(s >= 0 && s <= 1)) throw new InvalidArgumentError(`selectPruningMask: ${what} sparsity must be in [0, 1], got ${s}`);
}

/**
 * Selects the weights to prune: the lowest-saliency prunable entries, globally or per layer.
 *
 * Counting rule: a group (all prunable entries in global scope, one layer's prunable entries in layerwise
 * scope) of size m at sparsity s ends with exactly k = round(s·m) pruned entries (see {@link prunedCount}),
 * unless the previous mask already pruned more than k there (they stay pruned). Entries pruned by
 * `previousMask` count towards k and are never revived, also outside the prunable set. Saliency ties are
 * broken by index: the lower flat index is pruned first, so the result is deterministic.
 * O(p log p).
 *
 * @param layout - the parameter layout (`parameterLayout(spec)` of @intrinsic/models).
 * @param saliencies - ρ, length p; lower means less important.
 * @param options - sparsity, scope, layers, biases and the previous mask.
 * @returns the mask, length p: 1 = kept, 0 = pruned (multiply the parameters by it).
 * @throws ShapeMismatchError on lengths; InvalidArgumentError on a sparsity outside [0, 1], a NaN
 * saliency, or a layer map in global scope.
 */
export function selectPruningMask(layout: ParameterLayout, saliencies: Float64Array, options: MaskSelectionOptions): Uint8Array {
  const p = layout.size;
  if (saliencies.length !== p) throw new ShapeMismatchError(`selectPruningMask: ${saliencies.length} saliencies for p = ${p} parameters`);
  const previous = options.previousMask;
  if (previous && previous.length !== p) throw new ShapeMismatchError(`selectPruningMask: previous mask has length ${previous.length}, expected ${p}`);
  if (options.scope !== 'global' && options.scope !== 'layerwise') {
    throw new InvalidArgumentError(`selectPruningMask: scope must be global or layerwise, got '${String(options.scope)}'`);
  }
  for (let q = 0; q < p; q++) if (Number.isNaN(saliencies[q])) throw new InvalidArgumentError(`selectPruningMask: saliency ${q} is NaN`);
  const eligible = prunableMask(layout, options);
  const mask = new Uint8Array(p).fill(1);
  if (previous) for (let q = 0; q < p; q++) if (previous[q] === 0) mask[q] = 0;

  const groups: { indices: number[]; sparsity: number }[] = [];
  if (options.scope === 'global') {
    if (typeof options.sparsity !== 'number') throw new InvalidArgumentError('selectPruningMask: global scope needs one sparsity number, not a per-layer map');
    checkSparsity(options.sparsity, 'the');
    const indices: number[] = [];
    for (let q = 0; q < p; q++) if (eligible[q]) indices.push(q);
    groups.push({ indices, sparsity: options.sparsity });
  } else {
    const byLayer = new Map<number, number[]>();
    for (const v of layout.views) {
      for (let q = v.offset; q < v.offset + v.size; q++) {
        if (!eligible[q]) continue;
        if (!byLayer.has(v.layer)) byLayer.set(v.layer, []);
        byLayer.get(v.layer)!.push(q);
      }
    }
    const map = typeof options.sparsity === 'number' ? null : options.sparsity;
    if (map) {
      for (const key of Object.keys(map)) {
        if (!byLayer.has(Number(key))) throw new InvalidArgumentError(`selectPruningMask: layer ${key} in the sparsity map has no prunable entries`);
      }
    }
    for (const [layer, indices] of byLayer) {
      const s = map ? map[layer] : (options.sparsity as number);
      if (s === undefined) continue;
      checkSparsity(s, `layer ${layer}`);
      groups.push({ indices, sparsity: s });
    }
  }

  for (const { indices, sparsity } of groups) {
    const target = prunedCount(indices.length, sparsity);
    let already = 0;
    const candidates: number[] = [];
    for (const q of indices) {
      if (mask[q] === 0) already++;
      else candidates.push(q);
    }
    const more = Math.max(0, target - already);
    if (more === 0) continue;
    candidates.sort((a, b) => saliencies[a] - saliencies[b] || a - b);
    for (let i = 0; i < more; i++) mask[candidates[i]] = 0;
  }
  return mask;
}

/** Pruned count and sparsity of one named array of the layout. */
export interface ViewSparsity {
  name: string;
  layer: number;
  kind: 'weight' | 'bias';
  size: number;
  pruned: number;
  sparsity: number;
}

/** Sparsity of a mask: per named array, over the prunable entries, and over all p parameters. */
export interface MaskSparsity {
  views: ViewSparsity[];
  /** Over the entries eligible under the scope options. */
  prunable: { size: number; pruned: number; sparsity: number };
  /** Over all p parameters. */
  total: { size: number; pruned: number; sparsity: number };
}

/**
 * Counts the zeros of a mask (1 = kept, 0 = pruned) per named array (W1, b1, …), over the prunable set,
 * and overall. Sparsity of an empty set is 0.
 * @throws ShapeMismatchError when the mask length is not p.
 */
export function maskSparsity(layout: ParameterLayout, mask: Uint8Array, options: PruningScopeOptions = {}): MaskSparsity {
  if (mask.length !== layout.size) throw new ShapeMismatchError(`maskSparsity: mask has length ${mask.length}, expected ${layout.size}`);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const views = layout.views.map((v) => {
    let pruned = 0;
    for (let q = v.offset; q < v.offset + v.size; q++) if (mask[q] === 0) pruned++;
    return { name: v.name, layer: v.layer, kind: v.kind, size: v.size, pruned, sparsity: ratio(pruned, v.size) };
  });
  const eligible = prunableMask(layout, options);
  let size = 0;
  let pruned = 0;
  let totalPruned = 0;
  for (let q = 0; q < layout.size; q++) {
    if (mask[q] === 0) totalPruned++;
    if (eligible[q]) {
      size++;
      if (mask[q] === 0) pruned++;
    }
  }
  return {
    views,
    prunable: { size, pruned, sparsity: ratio(pruned, size) },
    total: { size: layout.size, pruned: totalPruned, sparsity: ratio(totalPruned, layout.size) },
  };
}
