/**
 * A chart's description, shared by the event loop (which builds inputs) and the worker pool (which draws them, see
 * draw.ts): the Vega-Lite spec for a chart input. No Vega here.
 */
import type { TopLevelSpec } from 'vega-lite';

export const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export const FONT = 'DejaVu Sans';

export type ChartKind = 'line' | 'bar';
export type XType = 'temporal' | 'nominal' | 'ordinal' | 'quantitative';

export interface ChartInput {
  kind: ChartKind;
  /** Field names in `rows`. `y` must hold numbers; `series` splits the data into coloured lines or stacked bars. */
  x: string;
  y: string;
  series?: string;
  rows: ReadonlyArray<Record<string, unknown>>;
  title: string;
  /** Default: temporal when every x is ISO date text (drawn as UTC wall clock), else nominal for bars, ordinal for lines. */
  xType?: XType;
  /** Plot size in CSS pixels; the PNG is rendered at twice that for sharp text. Defaults 720 x 320. */
  width?: number;
  height?: number;
}

export class ChartError extends Error {
  override readonly name = 'ChartError' as const;
}

const ISO_DATE = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;

export function guessXType(kind: ChartKind, values: readonly unknown[]): XType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'string' && ISO_DATE.test(v))) return 'temporal';
  if (kind === 'line' && present.length > 0 && present.every((v) => typeof v === 'number')) return 'quantitative';
  return kind === 'bar' ? 'nominal' : 'ordinal';
}

/** Vega-Lite reads `a.b` and `a[0]` in a field name as nested access; column names like `properties.$browser` are flat. */
export function fieldRef(name: string): string {
  return name.replace(/[\\.[\]]/g, (c) => `\\${c}`);
}

export function chartSpec(input: ChartInput): TopLevelSpec {
  const xType =
    input.xType ??
    guessXType(
      input.kind,
      input.rows.map((r) => r[input.x]),
    );
  const temporal = xType === 'temporal';
  const x = {
    field: fieldRef(input.x),
    type: xType,
    title: input.x,
    // Wall-clock text is drawn as written, whatever the zone of the process that renders it.
    ...(temporal ? { scale: { type: 'utc' as const } } : {}),
    ...(xType === 'nominal' || xType === 'ordinal' ? { sort: null, axis: { labelLimit: 220, labelAngle: -40 } } : {}),
  };
  const y = { field: fieldRef(input.y), type: 'quantitative' as const, title: input.y };
  const color = input.series ? { color: { field: fieldRef(input.series), type: 'nominal' as const, title: input.series } } : {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: input.width ?? 720,
    height: input.height ?? 320,
    title: input.title,
    background: 'white',
    padding: 12,
    data: { values: input.rows.map((r) => ({ ...r })) },
    mark: input.kind === 'line' ? { type: 'line', point: input.rows.length <= 60 } : { type: 'bar' },
    encoding: { x, y, ...color },
    config: { font: FONT, title: { fontSize: 16 }, axis: { labelFontSize: 12, titleFontSize: 13 }, legend: { labelFontSize: 12 } },
  } as TopLevelSpec;
}
