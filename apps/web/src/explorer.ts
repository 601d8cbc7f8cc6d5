import { divergingColor, scaleValue, type ColorScaleKind } from './color-scale.js';
import { BROWSER_MEMORY_BUDGET_BYTES, type RankReport } from './compute-ranks.js';
import { eigenvaluesCsv, numbersJson, sweepCsv } from './export-data.js';
import { formatCount, formatDuration, formatMagnitude } from './format-number.js';
import type { HeatmapData } from './heatmap-data.js';
import type { MatrixFreeReport } from './matrix-free.js';
import { samePageState, serializePageState, type PageState } from './page-state.js';
import { renderChart } from './svg-chart.js';
import { parseSweepRange, parseViewFields, type MatrixPart, type ViewState } from './view-state.js';
import type { SweepPoint } from './width-sweep.js';
import type { TrainingCheckpoint } from './training-checkpoints.js';
import type { PageTfjsBackend } from './tfjs-training.js';
import type { PruningCurve } from './pruning-curve.js';
import type { BoundTable } from './bound-table.js';
import type { ComputeRequest, WorkerMessage } from './worker-protocol.js';

const PART_LABEL: Record<MatrixPart, string> = { hessian: 'H', outer: 'H_O', functional: 'H_F' };
const PART_TITLE: Record<MatrixPart, string> = { hessian: 'H (full Hessian)', outer: 'H_O (outer product)', functional: 'H_F (functional)' };
/** Problems of the training fields. */
const TRAIN_PROBLEM = /^(epochs|checkpoints|learning rate)/;
const COLORS = { hessian: '#2f5bd3', outer: '#d9822b', functional: '#17794a', null: '#9aa3b2', negative: '#b3261e' };

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`page is missing #${id}`);
  return found as T;
}

/** Saves a file through a temporary link (works offline, from any static host). */
function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Rasterises an SVG document to a PNG at twice its size. */
async function svgToPng(svg: string): Promise<Blob> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((done, fail) => {
      image.onload = () => done();
      image.onerror = () => fail(new Error('could not rasterise the chart'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth * 2;
    canvas.height = image.naturalHeight * 2;
    const context = canvas.getContext('2d')!;
    context.scale(2, 2);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((done, fail) => canvas.toBlob((blob) => (blob ? done(blob) : fail(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((done, fail) => canvas.toBlob((blob) => (blob ? done(blob) : fail(new Error('PNG encoding failed'))), 'image/png'));
}

/** A worker used for one kind of request, restarted on cancel (a synchronous computation cannot be interrupted otherwise). */
class Task {
  private worker: Worker | null = null;
  private id = 0;
  running = false;
  constructor(private readonly onMessage: (message: WorkerMessage) => void, private readonly onFailure: (message: string) => void) {}

  start(request: ComputeRequest extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never): void {
    this.cancel();
    if (!this.worker) {
      this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        if (!this.running || event.data.id !== this.id) return;
        const last = ['error', 'sweep-done', 'matrix-free', 'result', 'train-done', 'bounds'];
        if (last.includes(event.data.type)) this.running = false;
        this.onMessage(event.data);
      };
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.running = false;
        this.worker?.terminate();
        this.worker = null;
        this.onFailure(`the worker failed to run: ${event.message || 'could not load the numerics'}`);
      };
    }
    this.id += 1;
    this.running = true;
    this.worker.postMessage({ ...request, id: this.id } as ComputeRequest);
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.worker?.terminate();
    this.worker = null;
    this.running = false;
    return true;
  }
}

/** What the explorer needs from the page: the current settings and a way to rewrite the URL. */
export interface ExplorerHost {
  state(): PageState;
  viewChanged(): void;
}

/** The views below the rank table: heatmap, spectrum, width sweep, matrix-free Lanczos/SLQ, exports. */
export class Explorer {
  view: ViewState;
  private report: RankReport | null = null;
  private reportState: PageState | null = null;
  private sweepPoints: SweepPoint[] = [];
  private matrixFree: MatrixFreeReport | null = null;
  private readonly heatmap = element<HTMLCanvasElement>('heatmap');
  private readonly spectrum = element('spectrum');
  private readonly sweepTask: Task;
  private readonly freeTask: Task;
  private readonly trainTask: Task;
  private checkpoints: TrainingCheckpoint[] = [];
  private trainState: PageState | null = null;
  private readonly panelsTask: Task;
  private pruning: PruningCurve | null = null;
  private bounds: BoundTable | null = null;
  private panelsState: PageState | null = null;

  constructor(private readonly host: ExplorerHost, initial: ViewState) {
    this.view = initial;
    this.sweepTask = new Task((m) => this.onSweepMessage(m), (text) => this.sweepStatus('error', text));
    this.freeTask = new Task((m) => this.onFreeMessage(m), (text) => this.freeStatus('error', text));
    this.trainTask = new Task((m) => this.onTrainMessage(m), (text) => this.trainStatus('error', text));
    this.panelsTask = new Task((m) => this.onPanelsMessage(m), (text) => this.panelsStatus('error', text));
    this.showView();
    this.bind();
    this.bindHeatmap();
  }

  // ---- view controls ----

  private showView(): void {
    element<HTMLSelectElement>('matrix').value = this.view.matrix;
    element<HTMLSelectElement>('color-scale').value = this.view.color;
    element<HTMLInputElement>('sweep-layer').value = String(this.view.sweepLayer);
    element<HTMLInputElement>('sweep-range').value = `${this.view.sweepFrom}-${this.view.sweepTo}`;
    element<HTMLInputElement>('top-k').value = String(this.view.topK);
    element<HTMLInputElement>('train-epochs').value = String(this.view.trainEpochs);
    element<HTMLInputElement>('train-checkpoints').value = String(this.view.trainCheckpoints);
    element<HTMLInputElement>('learning-rate').value = String(this.view.learningRate);
    element<HTMLSelectElement>('panel-model').value = this.view.panelModel;
    element<HTMLSelectElement>('train-engine').value = this.view.trainEngine;
  }

  private readView(): string[] {
    const { view, problems } = parseViewFields({
      matrix: element<HTMLSelectElement>('matrix').value,
      color: element<HTMLSelectElement>('color-scale').value,
      sweeplayer: element<HTMLInputElement>('sweep-layer').value,
      sweep: element<HTMLInputElement>('sweep-range').value,
      topk: element<HTMLInputElement>('top-k').value,
      epochs: element<HTMLInputElement>('train-epochs').value,
      checkpoints: element<HTMLInputElement>('train-checkpoints').value,
      lr: element<HTMLInputElement>('learning-rate').value,
      model: element<HTMLSelectElement>('panel-model').value,
      engine: element<HTMLSelectElement>('train-engine').value,
    }, this.view);
    this.view = view;
    const fields = [
      ['sweep-layer', 'sweep layer'],
      ['sweep-range', 'sweep'],
      ['top-k', 'top k'],
      ['train-epochs', 'epochs'],
      ['train-checkpoints', 'checkpoints'],
      ['learning-rate', 'learning rate'],
    ] as const;
    for (const [id, key] of fields) {
      const bad = problems.some((p) => p.startsWith(key));
      if (bad) element(id).setAttribute('aria-invalid', 'true');
      else element(id).removeAttribute('aria-invalid');
    }
    this.host.viewChanged();
    return problems;
  }

  private bind(): void {
    for (const id of ['matrix', 'color-scale']) {
      element(id).addEventListener('change', () => {
        this.readView();
        this.drawMatrixViews();
      });
    }
    for (const id of ['sweep-layer', 'sweep-range', 'top-k', 'train-epochs', 'train-checkpoints', 'learning-rate']) {
      element(id).addEventListener('change', () => {
        const problems = this.readView();
        if (id === 'top-k') element('free-error').textContent = problems.filter((p) => p.startsWith('top k')).join('; ');
        else if (id.startsWith('sweep')) element('sweep-error').textContent = problems.filter((p) => p.startsWith('sweep')).join('; ');
        else element('train-error').textContent = problems.filter((p) => TRAIN_PROBLEM.test(p)).join('; ');
      });
    }
    element('panel-model').addEventListener('change', () => this.readView());
    element('train-engine').addEventListener('change', () => this.readView());
    element('panels-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.runPanels();
    });
    element('panels-cancel').addEventListener('click', () => {
      if (this.panelsTask.cancel()) this.panelsStatus('idle', 'Cancelled. Press Prune and bound to start again.');
    });
    element('train-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.runTraining();
    });
    element('train-cancel').addEventListener('click', () => {
      if (this.trainTask.cancel()) this.trainStatus('idle', `Cancelled after ${this.checkpoints.length} checkpoints.`);
    });
    for (const [box, name] of [['train-loss', 'export-loss'], ['train-top', 'export-top'], ['train-spectrum', 'export-train-spectrum']] as const) {
      element(`${name}-svg`).addEventListener('click', () => {
        const svg = element(box).innerHTML;
        if (svg) download(`intrinsic-${box}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
      });
      element(`${name}-png`).addEventListener('click', async () => {
        const svg = element(box).innerHTML;
        if (svg) download(`intrinsic-${box}.png`, await svgToPng(svg));
      });
    }
    element('sweep-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.runSweep();
    });
    element('sweep-cancel').addEventListener('click', () => {
      if (this.sweepTask.cancel()) this.sweepStatus('idle', `Cancelled after ${this.sweepPoints.length} widths.`);
    });
    element('free-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.runMatrixFree();
    });
    element('free-cancel').addEventListener('click', () => {
      if (this.freeTask.cancel()) this.freeStatus('idle', 'Cancelled. Press Run to start again.');
    });
    element('export-json').addEventListener('click', () => {
      const json = numbersJson({ state: this.host.state(), view: this.view, report: this.report, sweep: this.sweepPoints, matrixFree: this.matrixFree, training: this.checkpoints, pruning: this.pruning, bounds: this.bounds });
      download('intrinsic-numbers.json', new Blob([json], { type: 'application/json' }));
    });
    element('export-csv').addEventListener('click', () => {
      if (this.report) download('intrinsic-eigenvalues.csv', new Blob([eigenvaluesCsv(this.report)], { type: 'text/csv' }));
    });
    element('export-heatmap-png').addEventListener('click', async () => download(`intrinsic-heatmap-${this.view.matrix}.png`, await canvasPng(this.heatmap)));
    const svgExports: [string, string, string][] = [
      ['spectrum', 'export-spectrum-svg', 'export-spectrum-png'],
      ['sweep-chart', 'export-sweep-svg', 'export-sweep-png'],
      ['sweep-ratio', 'export-ratio-svg', 'export-ratio-png'],
      ['density', 'export-density-svg', 'export-density-png'],
    ];
    for (const [box, svgButton, pngButton] of svgExports) {
      element(svgButton).addEventListener('click', () => {
        const svg = element(box).innerHTML;
        if (svg) download(`intrinsic-${box}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
      });
      element(pngButton).addEventListener('click', async () => {
        const svg = element(box).innerHTML;
        if (svg) download(`intrinsic-${box}.png`, await svgToPng(svg));
      });
    }
    element('export-sweep-csv').addEventListener('click', () => {
      if (this.sweepPoints.length > 0) download('intrinsic-width-sweep.csv', new Blob([sweepCsv(this.sweepPoints)], { type: 'text/csv' }));
    });
  }

  // ---- dense views: heatmap and spectrum ----

  /** Called when a new dense computation starts: the views fade until its result arrives. */
  markStale(): void {
    element('matrix-view').dataset.stale = 'true';
    // The pruning and bounds panel shows the model it was computed for; it fades when the settings move away.
    if (this.pruning) element('pruning-view').dataset.stale = 'true';
  }

  showReport(report: RankReport, state: PageState): void {
    this.report = report;
    this.reportState = state;
    this.drawMatrixViews();
    element('matrix-view').dataset.stale = 'false';
    element('pruning-view').dataset.stale = String(this.panelsState !== null && this.pruning !== null && !samePageState(state, this.panelsState));
    (element('export-csv') as HTMLButtonElement).disabled = false;
  }

  /** The dense path failed (e.g. the memory budget): say so in the views and point to the matrix-free one. */
  showDenseError(message: string, code: string): void {
    this.report = null;
    element('matrix-view').dataset.stale = 'true';
    (element('export-csv') as HTMLButtonElement).disabled = true;
    const offer = element('matrix-free-offer');
    offer.hidden = code !== 'memory-budget';
    element('matrix-note').textContent = code === 'memory-budget' ? `No dense matrices: ${message}` : 'No dense matrices for these settings.';
  }

  hideOffer(): void {
    element('matrix-free-offer').hidden = true;
  }

  private drawMatrixViews(): void {
    const report = this.report;
    if (!report || !this.reportState) return;
    const part = this.view.matrix;
    const started = performance.now();
    this.drawHeatmap(report.heatmaps[part], report, part, this.view.color);
    this.drawSpectrum(report, part);
    const query = serializePageState(this.reportState);
    this.heatmap.dataset.query = query;
    this.heatmap.dataset.part = part;
    this.spectrum.dataset.query = query;
    this.spectrum.dataset.part = part;
    element('matrix-view').dataset.drawMs = (performance.now() - started).toFixed(1);
    const h = report.heatmaps[part];
    element('matrix-note').textContent =
      `${PART_TITLE[part]}: p = ${formatCount(report.params)}, drawn ${h.blockSize === 1 ? 'entry by entry' : `in ${h.blockSize} × ${h.blockSize} blocks (the entry of largest magnitude of each)`}; ` +
      `rank ${report.parts[part].rank}, so ${report.params - report.parts[part].rank} eigenvalues lie at or below the threshold ${formatMagnitude(report.parts[part].threshold)}.`;
  }

  /** Where the cells sit on the canvas (canvas pixels), for the pointer and keyboard readout. */
  private heatmapGeometry = { left: 56, top: 40, side: 1 };
  /** The cell under the keyboard cursor. */
  private cursor = { row: 0, column: 0 };

  /** Name of parameter index k in the flat layout: `W2[3, 1]` or `b1[4]`. */
  private parameterName(k: number): string {
    const block = this.report?.blocks.find((b) => k >= b.offset && k < b.offset + b.size);
    if (!block) return `θ${k}`;
    const local = k - block.offset;
    return block.shape.length === 2 ? `${block.name}[${Math.floor(local / block.shape[1])}, ${local % block.shape[1]}]` : `${block.name}[${local}]`;
  }

  private readout(row: number, column: number): void {
    const report = this.report;
    if (!report) return;
    const data = report.heatmaps[this.view.matrix];
    const r = Math.max(0, Math.min(data.size - 1, row));
    const c = Math.max(0, Math.min(data.size - 1, column));
    this.cursor = { row: r, column: c };
    const b = data.blockSize;
    const value = data.cells[r * data.size + c];
    const rows = [r * b, Math.min(data.sourceSize, (r + 1) * b) - 1];
    const columns = [c * b, Math.min(data.sourceSize, (c + 1) * b) - 1];
    const where =
      b === 1
        ? `∂²L / ∂${this.parameterName(rows[0])} ∂${this.parameterName(columns[0])} (entry ${rows[0]}, ${columns[0]})`
        : `rows ${rows[0]}–${rows[1]} (${this.parameterName(rows[0])} …), columns ${columns[0]}–${columns[1]} (${this.parameterName(columns[0])} …), largest |entry|`;
    element('heatmap-readout').textContent = `${PART_LABEL[this.view.matrix]}: ${where} = ${formatMagnitude(value)}`;
  }

  private bindHeatmap(): void {
    const canvas = this.heatmap;
    const cellAt = (event: MouseEvent): [number, number] | null => {
      const report = this.report;
      if (!report) return null;
      const box = canvas.getBoundingClientRect();
      const x = ((event.clientX - box.left) * canvas.width) / box.width;
      const y = ((event.clientY - box.top) * canvas.height) / box.height;
      const { left, top, side } = this.heatmapGeometry;
      if (x < left || y < top || x >= left + side || y >= top + side) return null;
      const n = report.heatmaps[this.view.matrix].size;
      return [Math.floor(((y - top) / side) * n), Math.floor(((x - left) / side) * n)];
    };
    canvas.addEventListener('mousemove', (event) => {
      const cell = cellAt(event);
      if (cell) this.readout(cell[0], cell[1]);
    });
    canvas.addEventListener('keydown', (event) => {
      const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      const move = moves[event.key];
      if (!move || !this.report) return;
      event.preventDefault();
      const step = event.shiftKey ? 10 : 1;
      this.readout(this.cursor.row + move[0] * step, this.cursor.column + move[1] * step);
    });
    canvas.addEventListener('focus', () => this.readout(this.cursor.row, this.cursor.column));
  }

  private drawHeatmap(data: HeatmapData, report: RankReport, part: MatrixPart, kind: ColorScaleKind): void {
    const canvas = this.heatmap;
    const context = canvas.getContext('2d')!;
    const W = canvas.width;
    const H = canvas.height;
    const left = 56;
    const top = 40;
    const side = Math.min(W - left - 150, H - top - 20);
    this.heatmapGeometry = { left, top, side };
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, W, H);
    // Cells into an image of size × size, then scaled without smoothing.
    const n = data.size;
    const image = new ImageData(n, n);
    const scale = { kind, maxMagnitude: data.maxMagnitude };
    for (let i = 0; i < n * n; i++) {
      const [r, g, b] = divergingColor(scaleValue(data.cells[i], scale));
      image.data[4 * i] = r;
      image.data[4 * i + 1] = g;
      image.data[4 * i + 2] = b;
      image.data[4 * i + 3] = 255;
    }
    const buffer = document.createElement('canvas');
    buffer.width = n;
    buffer.height = n;
    buffer.getContext('2d')!.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(buffer, left, top, side, side);
    // Layer-block grid: a line where each named parameter array starts.
    const p = report.params;
    context.strokeStyle = '#1c2230';
    context.lineWidth = 1;
    context.font = '13px system-ui, sans-serif';
    context.fillStyle = '#1c2230';
    context.textAlign = 'center';
    for (const block of report.blocks) {
      const a = left + (block.offset / p) * side;
      const b = left + ((block.offset + block.size) / p) * side;
      if (block.offset > 0) {
        context.beginPath();
        context.moveTo(Math.round(a) + 0.5, top);
        context.lineTo(Math.round(a) + 0.5, top + side);
        context.moveTo(left, Math.round(top + (a - left)) + 0.5);
        context.lineTo(left + side, Math.round(top + (a - left)) + 0.5);
        context.stroke();
      }
      if (b - a >= 16) {
        context.textAlign = 'center';
        context.fillText(block.name, (a + b) / 2, top - 10);
        context.save();
        context.translate(left - 12, top + ((a + b) / 2 - left));
        context.rotate(-Math.PI / 2);
        context.fillText(block.name, 0, 0);
        context.restore();
      }
    }
    context.strokeStyle = '#9aa3b2';
    context.strokeRect(left + 0.5, top + 0.5, side - 1, side - 1);
    // Colour legend.
    const lx = left + side + 28;
    const lh = side;
    for (let y = 0; y < lh; y++) {
      const t = 1 - (2 * y) / (lh - 1);
      const [r, g, b] = divergingColor(t);
      context.fillStyle = `rgb(${r},${g},${b})`;
      context.fillRect(lx, top + y, 18, 1);
    }
    context.strokeStyle = '#9aa3b2';
    context.strokeRect(lx + 0.5, top + 0.5, 17, lh - 1);
    context.fillStyle = '#1c2230';
    context.textAlign = 'left';
    const vmax = data.maxMagnitude;
    const labels: [number, string][] =
      kind === 'linear'
        ? [[1, `+${formatMagnitude(vmax)}`], [0.5, `+${formatMagnitude(vmax / 2)}`], [0, '0'], [-0.5, `−${formatMagnitude(vmax / 2)}`], [-1, `−${formatMagnitude(vmax)}`]]
        : [[1, `+${formatMagnitude(vmax)}`], [0.5, `+${formatMagnitude(vmax * 1e-3)}`], [0, `|x| ≤ ${formatMagnitude(vmax * 1e-6)}`], [-0.5, `−${formatMagnitude(vmax * 1e-3)}`], [-1, `−${formatMagnitude(vmax)}`]];
    for (const [t, label] of labels) {
      const y = top + ((1 - t) / 2) * (lh - 1);
      context.fillRect(lx + 18, Math.round(y), 4, 1);
      context.fillText(label, lx + 25, y + 4);
    }
    context.textAlign = 'left';
    context.fillText(`${PART_LABEL[part]}  ·  ${kind === 'linear' ? 'linear' : 'symmetric log, 6 decades'}`, left, 20);
    canvas.setAttribute('aria-label', `Heatmap of ${PART_TITLE[part]}, ${p} × ${p}, ${kind} colour scale from −${formatMagnitude(vmax)} (blue) to +${formatMagnitude(vmax)} (red), layer blocks ${report.blocks.map((b) => b.name).join(', ')}`);
  }

  private drawSpectrum(report: RankReport, part: MatrixPart): void {
    const values = report.eigenvalues[part];
    const threshold = report.parts[part].threshold;
    const p = values.length;
    const magnitudes = Array.from(values, (v) => ({ a: Math.abs(v), negative: v < 0 })).sort((x, y) => y.a - x.a);
    const largest = magnitudes[0]?.a ?? 1;
    const positive = magnitudes.filter((m) => m.a > 0).map((m) => m.a);
    // Exact zeros cannot sit on a log axis: they are drawn on the floor, one decade under the smallest value shown.
    const floor = Math.max(Math.min(positive.length ? Math.min(...positive) : threshold, threshold) / 10, largest * 1e-20);
    const series = { above: { x: [] as number[], y: [] as number[] }, negative: { x: [] as number[], y: [] as number[] }, zero: { x: [] as number[], y: [] as number[] } };
    magnitudes.forEach((m, i) => {
      const target = m.a <= threshold ? series.zero : m.negative ? series.negative : series.above;
      target.x.push(i + 1);
      target.y.push(Math.max(m.a, floor));
    });
    const svg = renderChart({
      title: `Eigenvalue magnitudes of ${PART_LABEL[part]}, sorted, log scale`,
      xLabel: 'index i (sorted by |λ|, largest first)',
      yLabel: '|λ_i|',
      yScale: 'log',
      xDomain: [1, Math.max(2, p)],
      yDomain: [floor, largest * 2],
      series: [
        { name: `λ > 0 (${series.above.x.length})`, ...series.above, color: COLORS.hessian, style: 'points' },
        { name: `λ < 0 (${series.negative.x.length})`, ...series.negative, color: COLORS.negative, style: 'points' },
        { name: `null space (${series.zero.x.length})`, ...series.zero, color: COLORS.null, style: 'points' },
      ],
      rules: [{ y: threshold, label: `tolerance ${formatMagnitude(threshold)}`, color: '#b3261e' }],
    });
    this.spectrum.innerHTML = svg;
    this.spectrum.dataset.nullCount = String(series.zero.x.length);
    this.spectrum.dataset.rank = String(report.parts[part].rank);
  }

  // ---- width sweep ----

  private sweepStatus(state: 'idle' | 'computing' | 'done' | 'error', text: string): void {
    const box = element('sweep-status');
    box.dataset.state = state;
    element('sweep-status-text').textContent = text;
    (element('sweep-cancel') as HTMLButtonElement).disabled = state !== 'computing';
    if (state === 'error') element('sweep-error').textContent = text;
  }

  runSweep(): void {
    const problems = this.readView();
    const sweepProblems = problems.filter((p) => p.startsWith('sweep'));
    if (sweepProblems.length > 0) {
      element('sweep-error').textContent = sweepProblems.join('; ');
      return;
    }
    let range: [number, number];
    try {
      range = parseSweepRange(element<HTMLInputElement>('sweep-range').value);
    } catch (error) {
      element('sweep-error').textContent = (error as Error).message;
      return;
    }
    element('sweep-error').textContent = '';
    const state = this.host.state();
    const widths: number[] = [];
    for (let w = range[0]; w <= range[1]; w++) widths.push(w);
    this.sweepPoints = [];
    this.renderSweep(state);
    element('sweep-view').dataset.query = '';
    (element('sweep-progress') as HTMLProgressElement).value = 0;
    this.sweepStatus('computing', `Sweeping M${this.view.sweepLayer} over ${range[0]} … ${range[1]}…`);
    this.sweepState = state;
    this.sweepTask.start({ kind: 'sweep', state, layer: this.view.sweepLayer, widths, memoryBudgetBytes: BROWSER_MEMORY_BUDGET_BYTES });
  }

  private sweepState: PageState | null = null;

  private onSweepMessage(message: WorkerMessage): void {
    const progress = element<HTMLProgressElement>('sweep-progress');
    if (message.type === 'progress') {
      progress.value = message.total > 0 ? message.done / message.total : 0;
      element('sweep-status-text').textContent = `Computing ${message.stage} (${message.done + 1} / ${message.total})…`;
    } else if (message.type === 'sweep-point') {
      this.sweepPoints.push(message.point);
      progress.value = (message.index + 1) / message.total;
      this.renderSweep(this.sweepState!);
    } else if (message.type === 'sweep-done') {
      progress.value = 1;
      element('sweep-view').dataset.query = serializePageState(this.sweepState!) + `#sweep=${this.view.sweepLayer}:${this.view.sweepFrom}-${this.view.sweepTo}`;
      const agree = this.sweepPoints.every((p) => p.predicted && (['hessian', 'outer', 'functional'] as const).every((k) => p.predicted![k] === p.rank[k]));
      this.sweepStatus('done', `Done: ${this.sweepPoints.length} widths.${this.sweepPoints.every((p) => p.predicted) ? (agree ? ' Every measured rank equals the closed form.' : ' Some measured ranks differ from the closed form.') : ''}`);
    } else if (message.type === 'error') {
      this.sweepStatus('error', message.message);
    }
  }

  private renderSweep(state: PageState): void {
    const points = this.sweepPoints;
    const x = points.map((p) => p.width);
    const parts = ['hessian', 'outer', 'functional'] as const;
    const series = parts.flatMap((part) => [
      { name: `rank ${PART_LABEL[part]}`, x, y: points.map((p) => p.rank[part]), color: COLORS[part], style: 'points' as const },
      ...(points.some((p) => p.predicted)
        ? [{ name: `closed form ${PART_LABEL[part]}`, x, y: points.map((p) => (p.predicted ? p.predicted[part] : NaN)), color: COLORS[part], style: 'line' as const, dashed: true }]
        : []),
    ]);
    const layer = this.view.sweepLayer;
    const xDomain: [number, number] = [this.view.sweepFrom, Math.max(this.view.sweepTo, this.view.sweepFrom + 1)];
    element('sweep-chart').innerHTML = renderChart({
      title: `Measured and closed-form ranks vs width M${layer} of ${state.widths.join('-')}`,
      xLabel: `width M${layer}`,
      yLabel: 'rank',
      xDomain,
      series,
    });
    element('sweep-ratio').innerHTML = renderChart({
      title: `rank(H)/p vs width M${layer}`,
      xLabel: `width M${layer}`,
      yLabel: 'rank / p',
      xDomain,
      yDomain: [0, 1],
      series: [
        { name: 'rank(H) / p', x, y: points.map((p) => p.rank.hessian / p.params), color: COLORS.hessian, style: 'line+points' },
        { name: 'rank(H_O) / p', x, y: points.map((p) => p.rank.outer / p.params), color: COLORS.outer, style: 'line+points' },
        { name: 'rank(H_F) / p', x, y: points.map((p) => p.rank.functional / p.params), color: COLORS.functional, style: 'line+points' },
      ],
    });
    const body = element('sweep-rows');
    body.replaceChildren(
      ...points.map((p) => {
        const row = document.createElement('tr');
        row.dataset.width = String(p.width);
        const cells = [
          String(p.width),
          formatCount(p.params),
          ...parts.map((part) => `${p.rank[part]}${p.predicted ? ` / ${p.predicted[part]}` : ''}`),
          (p.rank.hessian / p.params).toFixed(3),
        ];
        cells.forEach((text, i) => {
          const cell = document.createElement(i === 0 ? 'th' : 'td');
          if (i === 0) cell.setAttribute('scope', 'row');
          cell.className = 'num';
          cell.textContent = text;
          if (i >= 2 && i <= 4) {
            const part = parts[i - 2];
            cell.dataset.part = part;
            cell.dataset.rank = String(p.rank[part]);
            if (p.predicted) cell.dataset.predicted = String(p.predicted[part]);
          }
          row.append(cell);
        });
        return row;
      }),
    );
  }

  // ---- matrix-free ----

  private freeStatus(state: 'idle' | 'computing' | 'done' | 'error', text: string): void {
    element('free-status').dataset.state = state;
    element('free-status-text').textContent = text;
    (element('free-cancel') as HTMLButtonElement).disabled = state !== 'computing';
    element('free-error').textContent = state === 'error' ? text : '';
  }

  private freeState: PageState | null = null;

  runMatrixFree(): void {
    const problems = this.readView().filter((p) => p.startsWith('top k'));
    if (problems.length > 0) {
      element('free-error').textContent = problems.join('; ');
      return;
    }
    const state = this.host.state();
    this.freeState = state;
    this.matrixFree = null;
    element('matrix-free-view').dataset.query = '';
    element('matrix-free-view').dataset.stale = 'true';
    (element('free-progress') as HTMLProgressElement).removeAttribute('value');
    this.freeStatus('computing', `Lanczos on H of ${state.widths.join('-')} by Hessian-vector products…`);
    this.freeTask.start({ kind: 'matrix-free', state, topK: this.view.topK, memoryBudgetBytes: BROWSER_MEMORY_BUDGET_BYTES });
  }

  private onFreeMessage(message: WorkerMessage): void {
    const progress = element<HTMLProgressElement>('free-progress');
    if (message.type === 'progress') {
      if (message.total > 0) progress.value = message.done / message.total;
      element('free-status-text').textContent = `${message.stage}: ${message.done}${message.total > 0 ? ` / ${message.total}` : ''}…`;
    } else if (message.type === 'matrix-free') {
      this.matrixFree = message.report;
      progress.value = 1;
      this.renderMatrixFree(message.report);
      element('matrix-free-view').dataset.query = serializePageState(this.freeState!);
      element('matrix-free-view').dataset.stale = 'false';
      this.freeStatus(
        'done',
        `Done in ${formatDuration(message.report.elapsedMs)}: ${message.report.lanczos.matvecs} + ${message.report.slq.matvecs} Hessian-vector products, p = ${formatCount(message.report.params)}.`,
      );
    } else if (message.type === 'error') {
      this.freeStatus('error', message.message);
    }
  }

  private renderMatrixFree(report: MatrixFreeReport): void {
    const body = element('free-rows');
    body.replaceChildren(
      ...Array.from(report.lanczos.values, (value, i) => {
        const row = document.createElement('tr');
        const cells = [String(i + 1), formatMagnitude(value), formatMagnitude(report.lanczos.residualNorms[i]), report.lanczos.converged[i] ? 'yes' : 'no'];
        cells.forEach((text, j) => {
          const cell = document.createElement(j === 0 ? 'th' : 'td');
          cell.className = 'num';
          cell.textContent = text;
          if (j === 1) cell.dataset.value = String(value);
          row.append(cell);
        });
        return row;
      }),
    );
    const { grid, density } = report.slq;
    element('density').innerHTML = renderChart({
      title: 'SLQ density of log10 |λ| of H',
      xLabel: 'log10 |λ|',
      yLabel: 'density per decade',
      series: [{ name: `SLQ (${report.slq.probes} probes × ${report.slq.steps} steps)`, x: grid, y: density, color: COLORS.hessian }],
      yDomain: [0, Math.max(...density) * 1.05 || 1],
    });
    element('density-note').textContent =
      `Mass below |λ| = ${formatMagnitude(report.slq.logFloor)}: ${(100 * report.slq.massBelowFloor).toFixed(1)} % (the null space and near-zero eigenvalues); negative eigenvalues folded onto |λ|: ${(100 * report.slq.negativeMass).toFixed(1)} %.`;
  }

  // ---- training ----

  private trainStatus(state: 'idle' | 'computing' | 'done' | 'error', text: string): void {
    element('train-status').dataset.state = state;
    element('train-status-text').textContent = text;
    (element('train-cancel') as HTMLButtonElement).disabled = state !== 'computing';
    element('train-error').textContent = state === 'error' ? text : '';
  }

  runTraining(): void {
    const problems = this.readView().filter((p) => TRAIN_PROBLEM.test(p));
    if (problems.length > 0) {
      element('train-error').textContent = problems.join('; ');
      return;
    }
    const state = this.host.state();
    this.trainState = state;
    this.checkpoints = [];
    this.renderTraining();
    element('train-view').dataset.query = '';
    (element('train-progress') as HTMLProgressElement).value = 0;
    this.trainStatus('computing', `Training ${state.widths.join('-')} for ${this.view.trainEpochs} epochs…`);
    const engine = this.view.trainEngine;
    const backendOutput = element('train-backend');
    backendOutput.textContent = engine === 'float64' ? 'none (float64 engine)' : 'starting…';
    backendOutput.dataset.backend = engine === 'float64' ? 'float64' : '';
    const common = { state, epochs: this.view.trainEpochs, checkpoints: this.view.trainCheckpoints, learningRate: this.view.learningRate, memoryBudgetBytes: BROWSER_MEMORY_BUDGET_BYTES };
    if (engine === 'float64') this.trainTask.start({ kind: 'train', ...common });
    else this.trainTask.start({ kind: 'train-tfjs', ...common, backend: engine === 'tfjs' ? 'auto' : (engine.slice('tfjs-'.length) as PageTfjsBackend) });
  }

  private onTrainMessage(message: WorkerMessage): void {
    const progress = element<HTMLProgressElement>('train-progress');
    if (message.type === 'progress') {
      progress.value = message.total > 0 ? message.done / message.total : 0;
    } else if (message.type === 'backend') {
      const output = element('train-backend');
      output.dataset.backend = message.backend;
      const skipped = message.skipped.map((s) => `${s.backend} skipped: ${s.reason}`).join('; ');
      output.textContent = skipped ? `${message.backend} (${skipped})` : message.backend;
      output.title = output.textContent;
    } else if (message.type === 'checkpoint') {
      this.checkpoints.push(message.checkpoint);
      element('train-status-text').textContent = `Checkpoint ${message.index + 1} / ${message.total}: epoch ${message.checkpoint.epoch}…`;
      this.renderTraining();
    } else if (message.type === 'train-done') {
      progress.value = 1;
      element('train-view').dataset.query =
        serializePageState(this.trainState!) + `#train=${this.view.trainEpochs}:${this.view.trainCheckpoints}:${this.view.learningRate}:${this.view.trainEngine}`;
      const first = this.checkpoints[0];
      const last = this.checkpoints[this.checkpoints.length - 1];
      this.trainStatus('done', `Done: loss ${formatMagnitude(first.loss)} → ${formatMagnitude(last.loss)} in ${last.epoch} epochs; rank(H) ${first.rank.hessian} → ${last.rank.hessian}.`);
    } else if (message.type === 'error') {
      this.trainStatus('error', message.message);
    }
  }

  private renderTraining(): void {
    const points = this.checkpoints;
    const x = points.map((c) => c.epoch);
    const xDomain: [number, number] = [0, Math.max(1, this.view.trainEpochs)];
    element('train-loss').innerHTML = renderChart({
      title: 'Training loss and gradient norm',
      xLabel: 'epoch',
      yLabel: 'value (log scale)',
      yScale: 'log',
      xDomain,
      series: [
        { name: 'loss', x, y: points.map((c) => c.loss), color: COLORS.hessian, style: 'line+points' },
        { name: '‖∇L‖', x, y: points.map((c) => c.gradientNorm), color: COLORS.outer, style: 'line+points' },
        { name: 'smallest non-zero |λ| of H', x, y: points.map((c) => c.smallestNonzero), color: COLORS.functional, style: 'line+points' },
      ],
    });
    const k = Math.max(0, ...points.map((c) => c.top.length));
    const palette = ['#2f5bd3', '#d9822b', '#17794a', '#8e44ad', '#b3261e'];
    element('train-top').innerHTML = renderChart({
      title: 'Top eigenvalue magnitudes of H along training',
      xLabel: 'epoch',
      yLabel: '|λ_i| (log scale)',
      yScale: 'log',
      xDomain,
      series: Array.from({ length: k }, (_, i) => ({
        name: `|λ${i + 1}|`,
        x,
        y: points.map((c) => Math.abs(c.top[i] ?? NaN)),
        color: palette[i % palette.length],
        style: 'line+points' as const,
      })),
    });
    // The whole spectrum at each checkpoint, from light (initial) to dark (last): the null space stays below the threshold.
    const last = points[points.length - 1];
    element('train-spectrum').innerHTML = renderChart({
      title: 'Spectrum of H along training: all |λ_i|, largest first, one line per checkpoint',
      xLabel: 'index i (sorted by |λ|, largest first)',
      yLabel: '|λ_i| (log scale)',
      yScale: 'log',
      series: points.map((c, i) => ({
        name: `epoch ${c.epoch}`,
        // Exact zeros have no place on a log axis: the line stops at the last non-zero |λ|.
        x: Array.from(c.spectrum, (_, j) => j + 1).filter((_, j) => c.spectrum[j] > 0),
        y: Array.from(c.spectrum).filter((v) => v > 0),
        color: `hsl(${220 - (200 * i) / Math.max(1, points.length - 1)}, 70%, ${62 - (30 * i) / Math.max(1, points.length - 1)}%)`,
        style: 'line' as const,
      })),
      rules: last ? [{ y: last.threshold, label: `threshold ${formatMagnitude(last.threshold)} (last checkpoint)`, color: '#b3261e' }] : [],
    });
    element('train-spectrum').dataset.checkpoints = String(points.length);
    const body = element('train-rows');
    body.replaceChildren(
      ...points.map((c) => {
        const row = document.createElement('tr');
        row.dataset.epoch = String(c.epoch);
        const cells: [string, string | null][] = [
          [String(c.epoch), null],
          [formatMagnitude(c.loss), 'loss'],
          [formatMagnitude(c.gradientNorm), null],
          [String(c.rank.hessian), 'hessian'],
          [String(c.rank.outer), 'outer'],
          [String(c.rank.functional), 'functional'],
          [formatMagnitude(c.top[0] ?? NaN), 'top'],
        ];
        cells.forEach(([text, key], i) => {
          const cell = document.createElement(i === 0 ? 'th' : 'td');
          if (i === 0) cell.setAttribute('scope', 'row');
          cell.className = 'num';
          cell.textContent = text;
          if (key === 'loss') cell.dataset.value = String(c.loss);
          else if (key === 'top') cell.dataset.value = String(c.top[0]);
          else if (key) cell.dataset.rank = String(c.rank[key as MatrixPart]);
          if (key && key !== 'loss' && key !== 'top') cell.dataset.part = key;
          row.append(cell);
        });
        return row;
      }),
    );
  }

  // ---- pruning and bounds ----

  private panelsStatus(state: 'idle' | 'computing' | 'done' | 'error', text: string): void {
    element('panels-status').dataset.state = state;
    element('panels-status-text').textContent = text;
    (element('panels-cancel') as HTMLButtonElement).disabled = state !== 'computing';
    element('panels-error').textContent = state === 'error' ? text : '';
  }

  runPanels(): void {
    const problems = this.readView().filter((p) => TRAIN_PROBLEM.test(p));
    if (this.view.panelModel === 'trained' && problems.length > 0) {
      element('panels-error').textContent = problems.join('; ');
      return;
    }
    const state = this.host.state();
    this.panelsState = state;
    this.pruning = null;
    this.bounds = null;
    this.renderPruning();
    this.renderBounds();
    element('pruning-view').dataset.query = '';
    (element('panels-progress') as HTMLProgressElement).value = 0;
    const what = this.view.panelModel === 'trained' ? `the model trained for ${this.view.trainEpochs} epochs` : 'the initial model';
    this.panelsStatus('computing', `Pruning ${what}…`);
    this.panelsTask.start({
      kind: 'panels',
      state,
      model: this.view.panelModel,
      epochs: this.view.trainEpochs,
      learningRate: this.view.learningRate,
      memoryBudgetBytes: BROWSER_MEMORY_BUDGET_BYTES,
    });
  }

  private onPanelsMessage(message: WorkerMessage): void {
    const progress = element<HTMLProgressElement>('panels-progress');
    if (message.type === 'progress') {
      progress.value = message.total > 0 ? message.done / message.total : 0;
    } else if (message.type === 'pruning') {
      this.pruning = message.curve;
      element('panels-status-text').textContent = 'Pruned; computing the bounds…';
      this.renderPruning();
    } else if (message.type === 'bounds') {
      this.bounds = message.table;
      progress.value = 1;
      this.renderBounds();
      const suffix = this.view.panelModel === 'trained' ? `&model=trained&epochs=${this.view.trainEpochs}&lr=${this.view.learningRate}` : '&model=initial';
      element('pruning-view').dataset.query = serializePageState(this.panelsState!) + suffix;
      element('pruning-view').dataset.stale = 'false';
      const total = (this.pruning?.elapsedMs ?? 0) + message.table.elapsedMs;
      this.panelsStatus('done', `Done in ${Math.round(total)} ms.`);
    } else if (message.type === 'error') {
      this.panelsStatus('error', message.message);
    }
  }

  private renderPruning(): void {
    const curve = this.pruning;
    const chart = element('pruning-chart');
    const body = element('pruning-rows');
    if (!curve) {
      chart.innerHTML = '';
      body.replaceChildren();
      return;
    }
    const accuracy = curve.hasLabels;
    const value = (p: { lossAfter: number; accuracyAfter: number }) => (accuracy ? p.accuracyAfter : p.lossAfter);
    const x = curve.methods.magnitude.map((p) => p.sparsity);
    chart.innerHTML = renderChart({
      title: accuracy ? 'Top-1 accuracy after one-shot pruning' : 'Loss after one-shot pruning',
      xLabel: 'sparsity of the weights',
      yLabel: accuracy ? 'training accuracy' : 'loss (log scale)',
      yScale: accuracy ? 'linear' : 'log',
      xDomain: [0, 1],
      series: [
        { name: 'WoodFisher', x, y: curve.methods.woodfisher.map(value), color: COLORS.hessian, style: 'line+points' },
        { name: 'magnitude', x, y: curve.methods.magnitude.map(value), color: COLORS.outer, style: 'line+points', dashed: true },
      ],
    });
    body.replaceChildren(
      ...curve.methods.magnitude.map((m, i) => {
        const w = curve.methods.woodfisher[i];
        const row = document.createElement('tr');
        row.dataset.sparsity = String(m.sparsity);
        const cells: [string, string | null][] = [
          [m.sparsity.toFixed(1), null],
          [`${m.pruned} / ${m.prunable}`, null],
          [formatMagnitude(m.lossAfter), String(m.lossAfter)],
          [formatMagnitude(w.lossAfter), String(w.lossAfter)],
          [Number.isNaN(m.accuracyAfter) ? 'n/a' : m.accuracyAfter.toFixed(3), String(m.accuracyAfter)],
          [Number.isNaN(w.accuracyAfter) ? 'n/a' : w.accuracyAfter.toFixed(3), String(w.accuracyAfter)],
        ];
        const keys = [null, null, 'magnitude-loss', 'woodfisher-loss', 'magnitude-accuracy', 'woodfisher-accuracy'];
        cells.forEach(([text, exact], j) => {
          const cell = document.createElement(j === 0 ? 'th' : 'td');
          if (j === 0) cell.setAttribute('scope', 'row');
          cell.className = 'num';
          cell.textContent = text;
          if (exact !== null) cell.dataset.value = exact;
          if (keys[j]) cell.dataset.key = keys[j]!;
          row.append(cell);
        });
        return row;
      }),
    );
  }

  private renderBounds(): void {
    const body = element('bounds-rows');
    if (!this.bounds) {
      body.replaceChildren();
      return;
    }
    body.replaceChildren(
      ...this.bounds.rows.map((r) => {
        const row = document.createElement('tr');
        row.dataset.key = r.key;
        const name = document.createElement('th');
        name.setAttribute('scope', 'row');
        name.textContent = r.name;
        const value = document.createElement('td');
        value.className = 'num';
        value.dataset.value = String(r.value);
        value.textContent = Number.isNaN(r.value) ? 'n/a' : formatMagnitude(r.value);
        const formula = document.createElement('td');
        formula.textContent = r.formula;
        const assumptions = document.createElement('td');
        assumptions.textContent = r.assumptions;
        const vacuous = document.createElement('td');
        vacuous.dataset.vacuous = String(r.vacuous);
        vacuous.textContent = r.vacuous === null ? '—' : r.vacuous ? 'yes (≥ 1)' : 'no';
        row.append(name, value, formula, assumptions, vacuous);
        return row;
      }),
    );
  }
}
