/**
 * What digests, alerts and unfurls draw: a small series model, built from an insight's trends result or a HogQL
 * result, that a chart renderer turns into a PNG. Pure, except for the renderer itself, which is injected.
 */
import { type ChartInput, renderChart } from '../charts/render.js';
import type { TrendSeries } from '../posthog/content-schemas.js';

export interface ChartSeries {
  name: string;
  /** Aligned with `ChartModel.x`; null where the bucket has no value. */
  values: Array<number | null>;
}

export interface ChartModel {
  title: string;
  kind: 'line' | 'bar';
  /** Category labels or ISO dates (`xIsTime`), one per point. */
  x: string[];
  xIsTime: boolean;
  series: ChartSeries[];
  /** A horizontal rule, e.g. an alert's threshold. */
  threshold?: { value: number; label: string };
  /** Axis titles. Default "date" / "label", and the series name (or "value" for several). */
  xTitle?: string;
  yTitle?: string;
  /** Plot size in CSS pixels; default the renderer's (720 x 320). */
  size?: { width: number; height: number };
}

/** Draws a chart as a PNG. */
export type ChartRenderer = (chart: ChartModel) => Promise<Buffer>;

/** The model as the shared renderer's rows (src/charts/render.ts); a threshold becomes a flat series of its own. */
export function toChartInput(model: ChartModel): ChartInput {
  const x = model.xTitle ?? (model.xIsTime ? 'date' : 'label');
  const single = model.series.length === 1 && !model.threshold;
  const y = model.yTitle ?? (single ? (model.series[0]?.name ?? 'value') : 'value');
  const lines = model.threshold
    ? [...model.series, { name: model.threshold.label, values: model.x.map(() => model.threshold!.value) }]
    : model.series;
  const rows: Array<Record<string, unknown>> = [];
  for (const s of lines) {
    s.values.forEach((value, i) => {
      if (value !== null && model.x[i] !== undefined) rows.push({ [x]: model.x[i], [y]: value, ...(single ? {} : { series: s.name }) });
    });
  }
  return {
    kind: model.kind,
    x,
    y,
    ...(single ? {} : { series: 'series' }),
    rows,
    title: model.title,
    ...(model.size ?? {}),
  };
}

/** The renderer Hogbot uses: vega-lite to SVG, resvg to PNG. */
export const renderChartModel: ChartRenderer = (model) => renderChart(toChartInput(model));

const MAX_SERIES = 8;
/** More categories than this read better as a table. */
const MAX_BARS = 12;

/** A trends insight's `result` (one entry per series or breakdown value) as a line chart. */
export function chartFromTrends(title: string, result: readonly TrendSeries[]): ChartModel | null {
  const series = result.filter((s) => Array.isArray(s.data) && s.data.length > 0).slice(0, MAX_SERIES);
  const first = series[0];
  if (!first) return null;
  const days = first.days ?? null;
  const x = days && days.length === first.data.length ? days : (first.labels ?? first.data.map((_, i) => String(i + 1)));
  return {
    title,
    kind: first.data.length === 1 ? 'bar' : 'line',
    x,
    xIsTime: days !== null && days.length === first.data.length,
    series: series.map((s, i) => ({ name: seriesName(s, i), values: s.data.slice(0, x.length) })),
  };
}

function seriesName(s: TrendSeries, index: number): string {
  const breakdown = s.breakdown_value;
  if (breakdown !== undefined && breakdown !== null && breakdown !== '')
    return String(breakdown).replace('$$_posthog_breakdown_null_$$', '(none)').replace('$$_posthog_breakdown_other_$$', '(other)');
  return s.action?.custom_name ?? s.label ?? s.action?.name ?? `Series ${index + 1}`;
}

const DATE_LIKE = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/**
 * A HogQL result that reads as a time series (first column dates, the others numbers, two or more rows) becomes a
 * line chart; a label column and one number column becomes a bar chart; anything else stays a table (null).
 */
export function chartFromRows(title: string, columns: readonly string[], rows: readonly unknown[][]): ChartModel | null {
  if (rows.length < 2 || columns.length < 2 || columns.length > MAX_SERIES + 1) return null;
  // Every value past the first column must be a number (or SQL null): a text cell there means this is a table.
  const numeric = columns.slice(1).map((_, c) => rows.map((r) => asNumber(r[c + 1])));
  if (rows.some((r, i) => r.slice(1, columns.length).some((cell, c) => cell !== null && cell !== undefined && numeric[c]![i] === null)))
    return null;
  const labels = rows.map((r) => r[0]);
  const isTime = labels.every((l) => typeof l === 'string' && DATE_LIKE.test(l));
  const isLabel = labels.every((l) => typeof l === 'string' || typeof l === 'number');
  if (!isTime && !(isLabel && columns.length === 2 && rows.length <= MAX_BARS)) return null;
  return {
    title,
    kind: isTime ? 'line' : 'bar',
    x: labels.map((l) => String(l)),
    xIsTime: isTime,
    series: columns.slice(1).map((name, c) => ({ name, values: numeric[c]! })),
  };
}

/** Recent values of a single number (an alert's history) as a line chart with its threshold. */
export function chartFromHistory(
  title: string,
  points: ReadonlyArray<{ at: string; value: number }>,
  threshold: { value: number; label: string },
): ChartModel {
  return {
    title,
    kind: 'line',
    x: points.map((p) => p.at),
    xIsTime: true,
    series: [{ name: 'value', values: points.map((p) => p.value) }],
    threshold,
  };
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line text picture of a series, for surfaces where an image can't go. */
export function sparkline(values: ReadonlyArray<number | null>, width = 24): string {
  const numbers = values.slice(-width);
  const present = numbers.filter((v): v is number => v !== null);
  if (present.length === 0) return '';
  const min = Math.min(...present);
  const max = Math.max(...present);
  return numbers
    .map((v) => (v === null ? ' ' : SPARKS[max === min ? 3 : Math.round(((v - min) / (max - min)) * (SPARKS.length - 1))]))
    .join('');
}
