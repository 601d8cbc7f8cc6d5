/**
 * A small, dependency-free SVG line plot for reports: several series on shared axes, optional log
 * scales, vertical markers, axis ticks at "nice" values, and a legend.
 */

/** One line (or set of points) of a plot. */
export interface PlotSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Draw points instead of a line. */
  points?: boolean;
  color?: string;
  dashed?: boolean;
}

/** A vertical marker line (e.g. an eigenvalue). */
export interface PlotMarker {
  x: number;
  label?: string;
  color?: string;
}

/** What to draw. */
export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  markers?: PlotMarker[];
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "Nice" tick values covering [min, max] (linear scale). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

function formatTick(value: number, log: boolean): string {
  if (log) return `1e${Math.round(value)}`;
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

/**
 * Renders the plot as a standalone SVG document. Non-finite points (and non-positive ones on a log
 * axis) are skipped, splitting lines there.
 */
export function renderSvgPlot(options: PlotOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 440;
  const margin = { left: 78, right: 24, top: 44, bottom: 58 };
  const tx = (v: number) => (options.logX ? Math.log10(v) : v);
  const ty = (v: number) => (options.logY ? Math.log10(v) : v);
  const valid = (x: number, y: number) =>
    Number.isFinite(x) && Number.isFinite(y) && (!options.logX || x > 0) && (!options.logY || y > 0);
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of options.series) {
    for (let i = 0; i < s.x.length; i++) {
      if (!valid(s.x[i], s.y[i])) continue;
      xMin = Math.min(xMin, tx(s.x[i]));
      xMax = Math.max(xMax, tx(s.x[i]));
      yMin = Math.min(yMin, ty(s.y[i]));
      yMax = Math.max(yMax, ty(s.y[i]));
    }
  }
  for (const m of options.markers ?? []) {
    if (Number.isFinite(m.x) && (!options.logX || m.x > 0)) {
      xMin = Math.min(xMin, tx(m.x));
      xMax = Math.max(xMax, tx(m.x));
    }
  }
  if (!Number.isFinite(xMin)) [xMin, xMax] = [0, 1];
  if (!Number.isFinite(yMin)) [yMin, yMax] = [0, 1];
  if (!options.logY && yMin > 0) yMin = 0;
  if (xMax === xMin) [xMin, xMax] = [xMin - 0.5, xMax + 0.5];
  if (yMax === yMin) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const yPad = (yMax - yMin) * 0.05;
  yMax += yPad;
  if (options.logY) yMin -= yPad;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const px = (v: number) => margin.left + ((v - xMin) / (xMax - xMin)) * plotWidth;
  const py = (v: number) => margin.top + plotHeight - ((v - yMin) / (yMax - yMin)) * plotHeight;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  // Axes and ticks.
  const xTicks = options.logX ? niceTicks(Math.floor(xMin), Math.ceil(xMax)).filter((t) => Number.isInteger(t) && t >= xMin && t <= xMax) : niceTicks(xMin, xMax);
  const yTicks = options.logY ? niceTicks(Math.floor(yMin), Math.ceil(yMax)).filter((t) => Number.isInteger(t) && t >= yMin && t <= yMax) : niceTicks(yMin, yMax);
  for (const t of xTicks) {
    parts.push(`<line x1="${px(t).toFixed(1)}" y1="${margin.top}" x2="${px(t).toFixed(1)}" y2="${margin.top + plotHeight}" stroke="#eee"/>`);
    parts.push(`<text x="${px(t).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${formatTick(t, Boolean(options.logX))}</text>`);
  }
  for (const t of yTicks) {
    parts.push(`<line x1="${margin.left}" y1="${py(t).toFixed(1)}" x2="${margin.left + plotWidth}" y2="${py(t).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${formatTick(t, Boolean(options.logY))}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  // Markers.
  for (const m of options.markers ?? []) {
    if (!Number.isFinite(m.x) || (options.logX && m.x <= 0)) continue;
    const x = px(tx(m.x)).toFixed(1);
    parts.push(`<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotHeight}" stroke="${m.color ?? '#d62728'}" stroke-width="1" stroke-dasharray="3 3" opacity="0.8"><title>${escapeXml(m.label ?? String(m.x))}</title></line>`);
  }
  // Series.
  options.series.forEach((s, index) => {
    const color = s.color ?? PALETTE[index % PALETTE.length];
    if (s.points) {
      for (let i = 0; i < s.x.length; i++) {
        if (!valid(s.x[i], s.y[i])) continue;
        parts.push(`<circle cx="${px(tx(s.x[i])).toFixed(1)}" cy="${py(ty(s.y[i])).toFixed(1)}" r="3" fill="${color}"/>`);
      }
    } else {
      let path = '';
      let pen = false;
      for (let i = 0; i < s.x.length; i++) {
        if (!valid(s.x[i], s.y[i])) {
          pen = false;
          continue;
        }
        path += `${pen ? 'L' : 'M'}${px(tx(s.x[i])).toFixed(1)} ${py(ty(s.y[i])).toFixed(1)} `;
        pen = true;
      }
      parts.push(`<path d="${path.trim()}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
  });
  // Legend.
  const legend = [...options.series.map((s, i) => ({ label: s.label, color: s.color ?? PALETTE[i % PALETTE.length] }))];
  if (options.markers?.length) legend.push({ label: options.markers[0].label ?? `${options.markers.length} markers`, color: options.markers[0].color ?? '#d62728' });
  legend.forEach((entry, i) => {
    const y = margin.top + 14 + i * 16;
    const x = margin.left + plotWidth - 190;
    parts.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="${entry.color}" stroke-width="2"/>`);
    parts.push(`<text x="${x + 24}" y="${y}">${escapeXml(entry.label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
