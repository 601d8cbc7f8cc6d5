import { InvalidArgumentError } from '@intrinsic/spectra';
import { parameterLayout, type MlpSpec, type ParameterView } from '@intrinsic/models';

/**
 * Which parameters a restricted operator acts on: a text filter, explicit flat indices, or a predicate
 * on each named array.
 *
 * Text filters (comma-separated, combined by union): `all`, a layer number `2`, a layer range `1-3`,
 * an array name `W1` / `b2`, `weights`, `biases`. Layer pairs are written `1,2`.
 */
export type ParameterSelector = string | ArrayLike<number> | ((view: ParameterView) => boolean);

/**
 * Flat indices (ascending) selected by a {@link ParameterSelector}.
 * @throws InvalidArgumentError when the filter is malformed or matches no parameter (naming the filter
 * and the available arrays).
 */
export function selectParameters(spec: MlpSpec, selector: ParameterSelector): Int32Array {
  const layout = parameterLayout(spec);
  const L = spec.widths.length - 1;
  let predicate: (view: ParameterView) => boolean;
  if (typeof selector === 'function') {
    predicate = selector;
  } else if (typeof selector === 'string') {
    const terms = selector.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
    if (terms.length === 0) throw new InvalidArgumentError(`parameter filter '${selector}' is empty`);
    const tests = terms.map((term) => termPredicate(term, L, selector));
    predicate = (view) => tests.some((t) => t(view));
  } else {
    const indices = Int32Array.from(selector as ArrayLike<number>);
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= layout.size) throw new InvalidArgumentError(`parameter index ${i} is outside 0…${layout.size - 1}`);
    }
    if (indices.length === 0) throw new InvalidArgumentError('the parameter index list is empty');
    return indices.sort();
  }
  const out: number[] = [];
  for (const view of layout.views) if (predicate(view)) for (let i = 0; i < view.size; i++) out.push(view.offset + i);
  if (out.length === 0) {
    throw new InvalidArgumentError(
      `parameter filter '${typeof selector === 'string' ? selector : 'predicate'}' matches no parameters; arrays: ${layout.views.map((v) => v.name).join(', ')}`,
    );
  }
  return Int32Array.from(out);
}

function termPredicate(term: string, L: number, whole: string): (view: ParameterView) => boolean {
  if (term === 'all') return () => true;
  if (term === 'weights') return (v) => v.kind === 'weight';
  if (term === 'biases') return (v) => v.kind === 'bias';
  if (/^[Wb]\d+$/.test(term)) return (v) => v.name === term;
  const range = /^(\d+)(?:-(\d+))?$/.exec(term);
  if (range) {
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (from < 1 || to > L || from > to) throw new InvalidArgumentError(`parameter filter '${whole}': layer ${term} is outside 1…${L}`);
    return (v) => v.layer >= from && v.layer <= to;
  }
  throw new InvalidArgumentError(`parameter filter '${whole}': '${term}' is not a layer (2), a range (1-3), an array (W1, b2), all, weights or biases`);
}
