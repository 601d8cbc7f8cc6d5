import { ACTIVATIONS, INITIALIZERS } from '@intrinsic/models';
import { BROWSER_MEMORY_BUDGET_BYTES, type RankReport } from './compute-ranks.js';
import { formatCount, formatDuration, formatMagnitude } from './format-number.js';
import {
  pageStateFields,
  parsePageFields,
  parsePageQuery,
  PAGE_LIMITS,
  parseClasses,
  parseWidths,
  samePageState,
  serializePageState,
  widthsForMnist,
  type PageFields,
  type PageState,
  type PageStateKey,
} from './page-state.js';
import { Explorer } from './explorer.js';
import { parseViewQuery, serializeViewState } from './view-state.js';
import type { ComputeRequest, WorkerMessage } from './worker-protocol.js';
import './style.css';

/** Text inputs recompute after the user pauses typing; selects and the checkbox at once. */
const TYPING_DELAY_MS = 450;

/** Share of the progress bar given to each stage of analyzeHessianRanks (H columns, H_O, H_F columns, eigenvalues). */
const STAGES: { match: RegExp; start: number; end: number }[] = [
  { match: /^H columns/, start: 0, end: 0.35 },
  { match: /^H_O/, start: 0.35, end: 0.45 },
  { match: /^H_F columns/, start: 0.45, end: 0.8 },
  { match: /^eigenvalues/, start: 0.8, end: 1 },
];

const PART_NAMES = ['hessian', 'outer', 'functional'] as const;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`page is missing #${id}`);
  return found as T;
}

const form = element<HTMLFormElement>('controls');
const controls: Record<PageStateKey, HTMLInputElement | HTMLSelectElement> = {
  widths: element('widths'),
  n: element('samples'),
  loss: element('loss'),
  activation: element('activation'),
  bias: element('bias'),
  seed: element('seed'),
  tolerance: element('tolerance'),
  data: element('data'),
  init: element('init'),
  arch: element('arch'),
  classes: element('classes'),
};
const cancelButton = element<HTMLButtonElement>('cancel');
const results = element('results');
const statusBox = element('status');
const statusText = element('status-text');
const progress = element<HTMLProgressElement>('progress');
const errorLine = element('error');
/** Screen-reader announcements: start, end and errors only, not every progress step. */
const announce = element('announce');
const report = element('report');
const theoryTerms = element('theory-terms');

for (const [select, names] of [[controls.activation, ACTIVATIONS], [controls.init, INITIALIZERS]] as const) {
  for (const name of names) {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    select.append(option);
  }
}

// ---- form <-> state ----------------------------------------------------------------------------

function showState(state: PageState): void {
  const fields = pageStateFields(state);
  for (const key of Object.keys(controls) as PageStateKey[]) {
    const control = controls[key];
    if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = state.bias;
    else control.value = fields[key];
    control.removeAttribute('aria-invalid');
  }
  renderLayerEditor(state.widths);
  controls.classes.disabled = state.data !== 'mnist';
}

// ---- hidden-layer editor -------------------------------------------------------------------------

const layerList = element<HTMLOListElement>('layer-list');
const addLayerButton = element<HTMLButtonElement>('add-layer');
/** Width given to a new hidden layer when there is none to copy. */
const NEW_LAYER_WIDTH = 5;

/** The widths the text field holds, or null while it does not parse. */
function fieldWidths(): number[] | null {
  try {
    return parseWidths(controls.widths.value);
  } catch {
    return null;
  }
}

/**
 * One row per hidden layer: its width and a Remove button. Rows are rebuilt only when the number of hidden layers
 * changes (so typing in a row keeps its focus); otherwise the values are updated in place.
 */
function renderLayerEditor(widths: number[]): void {
  const hidden = widths.slice(1, -1);
  const rows = Array.from(layerList.children) as HTMLLIElement[];
  if (rows.length !== hidden.length) {
    layerList.replaceChildren(
      ...hidden.map((_, index) => {
        const row = document.createElement('li');
        row.className = 'layer-row';
        const label = document.createElement('label');
        label.htmlFor = `layer-width-${index + 1}`;
        label.textContent = `M${index + 1}`;
        const input = document.createElement('input');
        input.id = `layer-width-${index + 1}`;
        input.type = 'number';
        input.min = '1';
        input.step = '1';
        input.inputMode = 'numeric';
        input.dataset.layer = String(index + 1);
        input.setAttribute('aria-label', `width of hidden layer ${index + 1}`);
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'secondary small-button';
        remove.dataset.removeLayer = String(index + 1);
        remove.textContent = 'Remove';
        remove.setAttribute('aria-label', `remove hidden layer ${index + 1}`);
        row.append(label, input, remove);
        return row;
      }),
    );
  }
  hidden.forEach((width, index) => {
    const input = layerList.querySelector<HTMLInputElement>(`#layer-width-${index + 1}`)!;
    if (document.activeElement !== input) input.value = String(width);
  });
  addLayerButton.disabled = widths.length >= PAGE_LIMITS.maxLayers + 1;
}

/** Writes new widths into the text field and recomputes (the editor's own changes). */
function setWidths(widths: number[]): void {
  controls.widths.value = widths.join(',');
  renderLayerEditor(widths);
  update(false);
}

layerList.addEventListener('input', (event) => {
  const input = event.target as HTMLInputElement;
  const widths = fieldWidths();
  if (!widths || !input.dataset.layer) return;
  const index = Number(input.dataset.layer);
  // The text field follows at once; the form's input handler recomputes after the typing pause.
  controls.widths.value = widths.map((w, i) => (i === index ? input.value.trim() || '0' : String(w))).join(',');
});
layerList.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-remove-layer]');
  const widths = fieldWidths();
  if (!button || !widths) return;
  const index = Number(button.dataset.removeLayer);
  widths.splice(index, 1);
  setWidths(widths);
  // Keep the keyboard in the editor: the next row's Remove button, else the Add button.
  const next = layerList.querySelector<HTMLButtonElement>(`button[data-remove-layer="${Math.min(index, widths.length - 2)}"]`);
  (next ?? addLayerButton).focus();
});
addLayerButton.addEventListener('click', () => {
  const widths = fieldWidths();
  if (!widths) return;
  const hidden = widths.slice(1, -1);
  widths.splice(widths.length - 1, 0, hidden.length > 0 ? hidden[hidden.length - 1] : NEW_LAYER_WIDTH);
  setWidths(widths);
  layerList.querySelector<HTMLInputElement>(`#layer-width-${widths.length - 2}`)?.focus();
});
controls.widths.addEventListener('input', () => {
  const widths = fieldWidths();
  if (widths) renderLayerEditor(widths);
});

/** MNIST fixes d = 64 and K = the number of classes: the widths follow the data and class choice. */
function followMnist(): void {
  controls.classes.disabled = controls.data.value !== 'mnist';
  if (controls.data.value !== 'mnist') return;
  const widths = fieldWidths();
  let classes: number[];
  try {
    classes = parseClasses(controls.classes.value);
  } catch {
    return;
  }
  if (widths) {
    const fixed = widthsForMnist(widths, classes);
    controls.widths.value = fixed.join(',');
    renderLayerEditor(fixed);
  }
}
controls.data.addEventListener('change', followMnist);
// While typing the class list too, so the recomputation after the typing pause already has the right K.
controls.classes.addEventListener('input', followMnist);

function readForm(): { state: PageState; problems: string[]; invalid: PageStateKey[] } {
  const fields: PageFields = {};
  for (const key of Object.keys(controls) as PageStateKey[]) {
    const control = controls[key];
    fields[key] = control instanceof HTMLInputElement && control.type === 'checkbox' ? (control.checked ? '1' : '0') : control.value;
  }
  const { state, problems } = parsePageFields(fields);
  // Which controls were rejected: parse each field alone against the defaults.
  const invalid = (Object.keys(controls) as PageStateKey[]).filter((key) => parsePageFields({ [key]: fields[key] }).problems.length > 0);
  return { state, problems, invalid };
}

function markInvalid(invalid: PageStateKey[]): void {
  for (const key of Object.keys(controls) as PageStateKey[]) {
    if (invalid.includes(key)) controls[key].setAttribute('aria-invalid', 'true');
    else controls[key].removeAttribute('aria-invalid');
  }
}

// ---- worker ------------------------------------------------------------------------------------

let worker: Worker | null = null;
let nextId = 1;
/** The request in flight, or null when idle. */
let running: { id: number; state: PageState; started: number } | null = null;
/** The state whose results (or error) the page shows or is computing. */
let current: PageState | null = null;

function startWorker(): Worker {
  const created = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  created.onmessage = (event: MessageEvent<WorkerMessage>) => onWorkerMessage(event.data);
  created.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    finishWithError(`the worker failed to run: ${event.message || 'could not load the numerics'}`);
    worker?.terminate();
    worker = null;
  };
  return created;
}

function setStatus(state: 'idle' | 'computing' | 'done' | 'error', text: string): void {
  statusBox.dataset.state = state;
  statusText.textContent = text;
  announce.textContent = text;
  results.setAttribute('aria-busy', state === 'computing' ? 'true' : 'false');
  cancelButton.disabled = state !== 'computing';
}

function compute(state: PageState): void {
  if (running && worker) {
    // The computation is synchronous inside the worker: the only way to stop it is to end the worker.
    worker.terminate();
    worker = null;
  }
  worker ??= startWorker();
  const id = nextId++;
  running = { id, state, started: performance.now() };
  current = state;
  errorLine.textContent = '';
  report.dataset.stale = 'true';
  theoryTerms.dataset.stale = 'true';
  explorer.markStale();
  explorer.hideOffer();
  progress.value = 0;
  setStatus('computing', `Computing H, H_O and H_F for ${state.arch === 'conv' ? 'the CNN ' : ''}${state.widths.join('-')}…`);
  const request: ComputeRequest = { id, state, memoryBudgetBytes: BROWSER_MEMORY_BUDGET_BYTES };
  worker.postMessage(request);
}

function cancel(): void {
  if (!running) return;
  worker?.terminate();
  worker = null;
  running = null;
  current = null;
  progress.value = 0;
  setStatus('idle', 'Cancelled. Change a setting or press Compute.');
}

function onWorkerMessage(message: WorkerMessage): void {
  if (!running || message.id !== running.id) return;
  if (message.type !== 'progress' && message.type !== 'result' && message.type !== 'error') return;
  if (message.type === 'progress') {
    const stage = STAGES.find((s) => s.match.test(message.stage));
    const fraction = message.total > 0 ? message.done / message.total : 0;
    progress.value = stage ? stage.start + (stage.end - stage.start) * fraction : progress.value;
    const counter = message.total > 1 ? ` ${message.done} / ${message.total}` : '';
    statusText.textContent = `Computing: ${message.stage}${counter}…`;
    return;
  }
  const state = running.state;
  running = null;
  if (message.type === 'error') {
    finishWithError(message.message, message.code);
    return;
  }
  showReport(message.report, state);
  explorer.showReport(message.report, state);
  progress.value = 1;
  setStatus('done', `Done in ${formatDuration(message.report.elapsedMs)}: p = ${formatCount(message.report.params)}.`);
}

function finishWithError(message: string, code = 'internal'): void {
  running = null;
  explorer.showDenseError(message, code);
  progress.value = 0;
  errorLine.textContent = message;
  report.dataset.stale = 'true';
  results.dataset.query = '';
  theoryTerms.replaceChildren(paragraph('No result for these settings.'));
  theoryTerms.dataset.stale = 'false';
  setStatus('error', 'Not computed: see the message below.');
}

// ---- results -----------------------------------------------------------------------------------

function setText(id: string, text: string): void {
  element(id).textContent = text;
}

function showReport(result: RankReport, state: PageState): void {
  setText('network-info', result.network);
  element('network-info').title = result.network;
  setText('param-count', formatCount(result.params));
  setText('data-info', `${formatCount(result.samples)} · ${result.dataRank}`);
  setText('tolerance-used', result.toleranceDescription);
  setText('split-residual', formatMagnitude(result.splitResidual));
  setText('loss-value', formatMagnitude(result.lossValue));
  setText('cost', `${formatBytesShort(result.memoryBytes)} · ${formatDuration(result.elapsedMs)}`);
  for (const name of PART_NAMES) {
    const part = result.parts[name];
    setText(`rank-${name}`, String(part.rank));
    const cell = element(`pred-${name}`);
    if (result.prediction.applies) {
      const predicted = result.prediction.ranks[name];
      const agrees = predicted === part.rank;
      cell.textContent = String(predicted);
      cell.dataset.agrees = String(agrees);
      cell.dataset.claim = 'exact';
      cell.title = agrees ? 'the measured rank equals the closed form' : 'the measured rank differs from the closed form';
    } else if (result.theory && result.theory.parts[name].kind !== 'none') {
      // A CNN: predictNetworkRank's exact value or upper bound for this part.
      const claim = result.theory.parts[name];
      const value = claim.value!;
      const exact = claim.kind === 'exact';
      const agrees = exact ? value === part.rank : part.rank <= value;
      cell.textContent = exact ? String(value) : `≤ ${value}`;
      cell.dataset.agrees = String(agrees);
      cell.dataset.claim = claim.kind;
      cell.title = exact
        ? agrees ? 'the measured rank equals the CNN theory' : 'the measured rank differs from the CNN theory'
        : agrees ? 'the measured rank is within the CNN upper bound' : 'the measured rank exceeds the CNN upper bound';
    } else {
      cell.textContent = 'n/a';
      delete cell.dataset.agrees;
      delete cell.dataset.claim;
      cell.title = 'no closed form for these settings';
    }
    setText(`min-${name}`, formatMagnitude(part.smallestNonzero));
    setText(`max-${name}`, formatMagnitude(part.largest));
    setText(`thr-${name}`, formatMagnitude(part.threshold));
  }
  const note = element('prediction-note');
  const terms = theoryTerms;
  if (result.prediction.applies && result.prediction.terms === null) {
    note.textContent = `Closed form: ${result.prediction.source}.`;
    terms.replaceChildren(paragraph(`Predicted ranks: H ${result.prediction.ranks.hessian}, H_O ${result.prediction.ranks.outer}, H_F ${result.prediction.ranks.functional}.`));
  } else if (result.prediction.applies && result.prediction.terms) {
    const { q, s, r, M, L, K } = result.prediction.terms;
    const matches = PART_NAMES.every((name) => result.prediction.applies && result.prediction.ranks[name] === result.rank[name]);
    note.textContent = matches
      ? 'All three measured ranks equal the closed form.'
      : 'A measured rank differs from the closed form: look at the gap between the threshold and the smallest non-zero eigenvalue.';
    const kLabel = state.loss === 'cross-entropy' ? 'K − 1' : 'K';
    terms.replaceChildren(
      paragraph(`With these settings: r = ${r}, q = ${q}, s = ${s}, M = ${M}, L = ${L}, ${kLabel} = ${K}.`),
      list([
        `rank(H_O) = ${q}·(${r} + ${K} − ${q}) = ${result.prediction.ranks.outer}`,
        `rank(H_F) = 2·${q}·${M} + 2·${q}·${s} − ${L}·${q}² = ${result.prediction.ranks.functional}`,
        `rank(H) = 2·${q}·${M} − ${L}·${q}² + ${q}·(${r} + ${K}) = ${result.prediction.ranks.hessian}`,
      ]),
    );
  } else if (result.theory && result.theory.kind !== 'none') {
    note.textContent = `${result.theory.reason} (predictNetworkRank).`;
    const describe = (name: (typeof PART_NAMES)[number], label: string) => {
      const claim = result.theory!.parts[name];
      return claim.kind === 'exact' ? `rank(${label}) = ${claim.value} (exact)` : claim.kind === 'upper-bound' ? `rank(${label}) ≤ ${claim.value} (upper bound)` : `rank(${label}): no statement`;
    };
    terms.replaceChildren(
      paragraph(`Rank theory for linear CNNs, ${result.theory.source}:`),
      list([describe('outer', 'H_O'), describe('functional', 'H_F'), describe('hessian', 'H')]),
    );
  } else if (!result.prediction.applies) {
    note.textContent = result.prediction.reason + '.';
    terms.replaceChildren(paragraph('With these settings no closed form applies; the table shows the measured ranks only.'));
  }
  report.dataset.stale = 'false';
  terms.dataset.stale = 'false';
  results.dataset.query = serializePageState(state);
}

function paragraph(text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

function list(items: string[]): HTMLUListElement {
  const ul = document.createElement('ul');
  ul.className = 'formulas';
  for (const item of items) {
    const li = document.createElement('li');
    li.textContent = item;
    ul.append(li);
  }
  return ul;
}

function formatBytesShort(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

// ---- events ------------------------------------------------------------------------------------

let typingTimer: ReturnType<typeof setTimeout> | undefined;

/** Reads the form; on a valid state writes the URL and computes (unless it is already shown, when `force` is false). */
function update(force: boolean): void {
  clearTimeout(typingTimer);
  const { state, problems, invalid } = readForm();
  markInvalid(invalid);
  if (problems.length > 0) {
    errorLine.textContent = problems.join('; ');
    return;
  }
  if (!force && current && samePageState(state, current) && statusBox.dataset.state !== 'error') {
    errorLine.textContent = '';
    return;
  }
  writeUrl(state);
  compute(state);
}

/** The address bar: the computation's state, then the view keys that differ from the default. */
function writeUrl(state: PageState): void {
  history.replaceState(null, '', serializePageState(state) + serializeViewState(explorer.view) + location.hash);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  update(true);
});
form.addEventListener('input', (event) => {
  const target = event.target as HTMLElement;
  clearTimeout(typingTimer);
  if (target instanceof HTMLInputElement && (target.type === 'text' || target.type === 'number')) {
    typingTimer = setTimeout(() => update(false), TYPING_DELAY_MS);
  }
});
form.addEventListener('change', () => update(false));
cancelButton.addEventListener('click', cancel);

// ---- start -------------------------------------------------------------------------------------

const initial = parsePageQuery(location.search);
const initialView = parseViewQuery(location.search);
const explorer = new Explorer(
  {
    // The settings shown in the form when valid, else the last computed ones.
    state: () => {
      const read = readForm();
      return read.problems.length === 0 ? read.state : (current ?? initial.state);
    },
    viewChanged: () => writeUrl(current ?? readForm().state),
  },
  initialView.view,
);
element('open-matrix-free').addEventListener('click', () => {
  element('matrix-free-view').scrollIntoView({ block: 'start' });
  element<HTMLButtonElement>('free-run').focus({ preventScroll: true });
  explorer.runMatrixFree();
});
showState(initial.state);
writeUrl(initial.state);
compute(initial.state);
const ignored = [...initial.problems, ...initialView.problems];
if (ignored.length > 0) errorLine.textContent = `Ignored from the link: ${ignored.join('; ')}`;
