import { describe, expect, it } from 'vitest';
import { chartSpec, ChartError, fieldRef, guessXType, renderChart, renderSvg } from '../../src/charts/render.js';
import { chartData } from '../../src/hogql/chart-data.js';

function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const daily = Array.from({ length: 14 }, (_, i) => ({
  day: `2026-03-${String(i + 1).padStart(2, '0')}`,
  views: 100 + i * 7,
  browser: i % 2 ? 'Chrome' : 'Safari',
}));

describe('renderChart', () => {
  it('renders a line chart to a PNG at twice the plot size', async () => {
    const png = await renderChart({ kind: 'line', x: 'day', y: 'views', series: 'browser', rows: daily, title: 'Views per day' });
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThan(2 * 720);
    expect(height).toBeGreaterThan(2 * 320);
  });

  it('labels axes, title and legend with real text (DejaVu), not boxes', async () => {
    const svg = await renderSvg({
      kind: 'bar',
      x: 'properties.$browser',
      y: 'count()',
      rows: [
        { 'properties.$browser': 'Chrome', 'count()': 5 },
        { 'properties.$browser': 'Safari', 'count()': 3 },
      ],
      title: 'By browser',
    });
    for (const label of ['By browser', 'Chrome', 'Safari', 'count()', 'properties.$browser']) expect(svg).toContain(`>${label}<`);
    expect(svg).toContain('DejaVu Sans');
    expect(pngSize(await renderChart({ kind: 'bar', x: 'e', y: 'n', rows: [{ e: 'a', n: 1 }], title: 't' })).width).toBeGreaterThan(0);
  });

  it('refuses an empty chart', async () => {
    await expect(renderChart({ kind: 'bar', x: 'a', y: 'b', rows: [], title: 't' })).rejects.toBeInstanceOf(ChartError);
  });

  it('reads flat column names literally and picks the x scale from the values', () => {
    expect(fieldRef('properties.$os[0]')).toBe('properties\\.$os\\[0\\]');
    expect(guessXType('line', ['2026-03-01', '2026-03-02T10:00:00Z'])).toBe('temporal');
    expect(guessXType('bar', ['Chrome', 'Safari'])).toBe('nominal');
    expect(guessXType('line', [1, 2, 3])).toBe('quantitative');
    const spec = chartSpec({ kind: 'line', x: 'day', y: 'views', rows: daily, title: 't' }) as {
      encoding: { x: { scale?: { type: string } } };
    };
    expect(spec.encoding.x.scale).toEqual({ type: 'utc' });
  });
});

describe('chartData', () => {
  it('moves DateTimes to the reader’s wall clock and keeps day buckets as dates', () => {
    const hourly = chartData('line', ['hour', 'n'], ["DateTime64(6, 'UTC')", 'UInt64'], [['2026-03-04T17:00:00Z', 3]], 'America/New_York');
    expect(hourly.input.rows).toEqual([{ hour: '2026-03-04T12:00:00Z', n: 3 }]);
    const days = chartData('bar', ['day', 'n'], ["DateTime64(6, 'UTC')", 'UInt64'], [['2026-03-04T00:00:00Z', 3]], 'America/New_York');
    expect(days.input.rows).toEqual([{ day: '2026-03-04', n: 3 }]);
  });

  it('needs x then a numeric y, and caps bars', () => {
    expect(() => chartData('bar', ['event'], ['String'], [['a']], 'UTC')).toThrow('needs at least two columns');
    expect(() => chartData('bar', ['a', 'b'], ['String', 'String'], [['x', 'y']], 'UTC')).toThrow('is not a number');
    const many = chartData(
      'bar',
      ['e', 'n', 's'],
      ['String', 'UInt64', 'String'],
      Array.from({ length: 80 }, (_, i) => [`e${i}`, i, 'web']),
      'UTC',
    );
    expect(many.input.rows).toHaveLength(60);
    expect(many.input.series).toBe('s');
    expect(many.note).toBe('The chart shows the first 60 of 80 rows.');
  });
});
