/**
 * `--chart line|bar`: the result's columns read as x, y (a number) and optionally a series. DateTimes are moved to the
 * reader's wall clock (the chart draws wall-clock text as written); day buckets keep their calendar date.
 */
import type { ChartInput, ChartKind } from '../charts/render.js';
import { CommandError } from '../errors.js';
import { columnKind, isNumericKind } from './columns.js';
import { isDayBuckets, parseInstant, wallClock } from './format.js';

/** Bars past this many are unreadable at 720 px; lines past this many points only cost render time. */
export const CHART_MAX_ROWS = { bar: 60, line: 5_000 } as const;

export interface ChartData {
  input: ChartInput;
  /** Set when only the first rows were drawn. */
  note: string | null;
}

export function chartData(kind: ChartKind, columns: string[], types: string[], rows: unknown[][], timeZone: string): ChartData {
  if (columns.length < 2) {
    throw new CommandError('`--chart` needs at least two columns: x first, then y (a number), then optionally a series.');
  }
  const [x, y, series] = [columns[0]!, columns[1]!, columns[2]];
  const yKind = columnKind(types[1]);
  const yNumbers = rows.every(
    (r) => r[1] === null || typeof r[1] === 'number' || (typeof r[1] === 'string' && r[1] !== '' && !Number.isNaN(Number(r[1]))),
  );
  if (!isNumericKind(yKind) && !(yKind === 'other' && yNumbers)) {
    throw new CommandError(
      `\`--chart\` draws the second column as y, and \`${y}\` is not a number. Put x first and a count or sum second.`,
    );
  }
  const max = CHART_MAX_ROWS[kind];
  const drawn = rows.slice(0, max);
  const xKind = columnKind(types[0]);
  const buckets = xKind === 'datetime' && isDayBuckets(drawn.map((r) => r[0]));
  const toX = (value: unknown): unknown => {
    if (value === null || value === undefined) return 'null';
    if (xKind === 'datetime' && typeof value === 'string') {
      if (buckets) return value.slice(0, 10);
      const ms = parseInstant(value);
      return Number.isNaN(ms) ? value : `${wallClock(ms, timeZone).replace(' ', 'T')}Z`;
    }
    if (xKind === 'date' || typeof value === 'number') return value;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const data = drawn.map((r) => ({
    [x]: toX(r[0]),
    [y]: r[1] === null ? null : Number(r[1]),
    ...(series !== undefined ? { [series]: r[2] === null || r[2] === undefined ? 'null' : String(r[2]) } : {}),
  }));
  const title = `${y} by ${x}${series !== undefined ? ` and ${series}` : ''}`;
  const input: ChartInput = {
    kind,
    x,
    y,
    rows: data,
    title: title.length > 90 ? `${title.slice(0, 89)}…` : title,
    ...(series !== undefined ? { series } : {}),
  };
  const note =
    rows.length > max ? `The chart shows the first ${max.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows.` : null;
  return { input, note };
}
