import { describe, expect, it } from 'vitest';
import { linearTicks, logTicks, renderChart } from './svg-chart.js';

describe('renderChart', () => {
  it('draws one marker per finite point and leaves out non-positive values on a log axis', () => {
    const svg = renderChart({
      title: 'test <chart>',
      xLabel: 'x',
      yLabel: 'y',
      yScale: 'log',
      series: [{ name: 'a', x: [1, 2, 3, 4], y: [1e-3, 0, 10, NaN], color: '#000', style: 'points' }],
      rules: [{ y: 1e-2, label: 'tol', color: '#f00' }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>test &lt;chart&gt;</title>');
    expect(svg.match(/<circle /g)?.length).toBe(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
  });

  it('picks round ticks', () => {
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // 17 decades, at most 8 ticks → every third power of ten.
    expect(logTicks(1.5, 15)).toEqual([2, 5, 10]);
    expect(logTicks(1e-15, 10).map((t) => Math.round(Math.log10(t)))).toEqual([-15, -12, -9, -6, -3, 0]);
  });
});
