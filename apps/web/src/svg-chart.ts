/** One data series of a {@link renderChart} chart. */
export interface ChartSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color: string;
  /** `line`, `points` or both (default `line`). */
  style?: 'line' | 'points' | 'line+points';
  dashed?: boolean;
  /** Point marker: `circle` (default) or `square`; squares are drawn hollow so they show under circles. */
  marker?: 'circle' | 'square';
}

/** A horizontal reference line (e.g. the rank tolerance). */
export interface ChartRule {
  y: number;
  label: string;
  color: string;
}

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Accessible title, also the SVG `<title>`. */
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  /** Axis ranges; by default the data's range (log axes: positive data only). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  rules?: ChartRule[];
  width?: number;
  height?: number;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Compact tick text: 0, 5, 0.25, 1e-12 (with a real minus sign). */
export function tickLabel(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  const text = a >= 1e-3 && a < 1e5 ? String(Number(value.toPrecision(6))) : value.toExponential(0).replace('e+', 'e');
  return text.replace(/-/g, '−');
}

/** About `count` round linear ticks over [lo, hi] (steps 1, 2 or 5 × 10^k). */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  return ticks;
}

/** Powers of ten over [lo, hi] (positive), every k-th decade so that there are at most `count`; 1-2-5 steps when that gives fewer than three. */
export function logTicks(lo: number, hi: number, count = 8): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const every = Math.max(1, Math.ceil((b - a + 1) / count));
  const ticks: number[] = [];
  for (let e = Math.ceil(a / every) * every; e <= b; e += every) {
    const t = 10 ** e;
    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
  }
  if (ticks.length >= 3) return ticks;
  // A range of a decade or two: 1, 2 and 5 times the powers of ten.
  const dense: number[] = [];
  for (let e = a; e <= b; e++) for (const m of [1, 2, 5]) {
    const t = Number((m * 10 ** e).toPrecision(12));
    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) dense.push(t);
  }
  return dense.length > ticks.length ? dense : ticks;
}

function dataDomain(arrays: ArrayLike<number>[], log: boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v) || (log && !(v > 0))) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi >= lo)) return log ? [1e-16, 1] : [0, 1];
  if (hi === lo) return log ? [lo / 10, hi * 10] : [lo - 1, hi + 1];
  return [lo, hi];
}

/**
 * A self-contained SVG line/scatter chart (inline styles and its own white background, so the exported file
 * looks like the page). Non-finite points and, on a log axis, non-positive ones are left out; points outside
 * the domain are clamped to its edge.
 * @returns the SVG document text, with `role="img"` and a `<title>`.
 */
export function renderChart(options: ChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  // Legend entries along the top, wrapped into rows; the plot starts below them.
  const legend: { x: number; row: number; series: ChartSeries }[] = [];
  let lx = 64;
  let row = 0;
  for (const series of options.series) {
    const w = 30 + series.name.length * 6.6;
    if (lx + w > width - 16 && lx > 64) {
      row += 1;
      lx = 64;
    }
    legend.push({ x: lx, row, series });
    lx += w;
  }
  const margin = { left: 64, right: 16, top: 34 + 16 * row, bottom: 46 };
  const xLog = options.xScale === 'log';
  const yLog = options.yScale === 'log';
  const [x0, x1] = options.xDomain ?? dataDomain(options.series.map((s) => s.x), xLog);
  const [y0, y1] = options.yDomain ?? dataDomain([...options.series.map((s) => s.y), ...(options.rules ?? []).map((r) => [r.y])], yLog);
  const fx = xLog ? Math.log10 : (v: number) => v;
  const fy = yLog ? Math.log10 : (v: number) => v;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sx = (v: number) => margin.left + (Math.min(Math.max(fx(v), fx(x0)), fx(x1)) - fx(x0)) / (fx(x1) - fx(x0) || 1) * plotW;
  const sy = (v: number) => margin.top + plotH - (Math.min(Math.max(fy(v), fy(y0)), fy(y1)) - fy(y0)) / (fy(y1) - fy(y0) || 1) * plotH;
  const ok = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}" font-family="${escapeXml(FONT)}" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  const xTicks = xLog ? logTicks(x0, x1) : linearTicks(x0, x1);
  const yTicks = yLog ? logTicks(y0, y1, 7) : linearTicks(y0, y1, 5);
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y}" y2="${y}" stroke="#e6e9ef"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#5b6475">${tickLabel(t)}</text>`);
  }
  for (const t of xTicks) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#f0f2f5"/>`);
    parts.push(`<text x="${x}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#5b6475">${tickLabel(t)}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9aa3b2"/>`);
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#1c2230">${escapeXml(options.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#1c2230">${escapeXml(options.yLabel)}</text>`,
  );
  for (const rule of options.rules ?? []) {
    if (!ok(rule.y, yLog)) continue;
    const y = sy(rule.y).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y}" y2="${y}" stroke="${rule.color}" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    parts.push(`<text x="${width - margin.right - 4}" y="${Number(y) - 5}" text-anchor="end" fill="${rule.color}">${escapeXml(rule.label)}</text>`);
  }
  for (const series of options.series) {
    const style = series.style ?? 'line';
    const points: string[] = [];
    for (let i = 0; i < series.x.length; i++) {
      const x = series.x[i];
      const y = series.y[i];
      if (!ok(x, xLog) || !ok(y, yLog)) continue;
      points.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    }
    const group = [`<g data-series="${escapeXml(series.name)}">`];
    if (style !== 'points' && points.length > 1) {
      group.push(
        `<polyline points="${points.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
      );
    }
    if (style !== 'line') {
      const r = points.length > 300 ? 1.6 : 3;
      for (const point of points) {
        const [px, py] = point.split(',');
        group.push(
          series.marker === 'square'
            ? `<rect x="${(Number(px) - r - 1).toFixed(1)}" y="${(Number(py) - r - 1).toFixed(1)}" width="${2 * r + 2}" height="${2 * r + 2}" fill="none" stroke="${series.color}" stroke-width="1.5"/>`
            : `<circle cx="${px}" cy="${py}" r="${r}" fill="${series.color}"/>`,
        );
      }
    }
    group.push('</g>');
    parts.push(group.join(''));
  }
  for (const { x, row: r, series } of legend) {
    const y = 10 + 16 * r;
    parts.push(
      `<rect x="${x}" y="${y}" width="12" height="12" fill="${series.style === 'line' || series.style === undefined ? 'none' : series.color}" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="3 2"' : ''}/>`,
      `<text x="${x + 17}" y="${y + 10}" fill="#1c2230">${escapeXml(series.name)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
