/**
 * One result cell as a person reads it in Slack: numbers with thousands separators, DateTimes on the reader's clock,
 * JSON and long text shortened. Pure; the CSV keeps the raw values.
 */
import { truncate } from '../../views/blocks.js';
import { type ColumnKind, columnKind } from './columns.js';

export interface CellFormat {
  /** IANA zone of the reader (from Slack's users.info). */
  timeZone: string;
  /** Longest text cell. Default 80. */
  maxText?: number;
  /** Longest JSON / array cell. Default 60. */
  maxJson?: number;
}

const NULL_TEXT = 'null';
/** Slack's raw_text cells need at least one character. */
const EMPTY_TEXT = '""';

const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const smallFloats = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const floats = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatNumber(value: number, kind: 'integer' | 'float'): string {
  if (!Number.isFinite(value)) return String(value);
  if (kind === 'integer' && Number.isInteger(value)) return integers.format(value);
  return (Math.abs(value) < 1 ? smallFloats : floats).format(value);
}

/** UInt64/Int64 beyond 2^53 may arrive as digit strings: group them without going through a float. */
function groupDigits(text: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!match) return text;
  return `${match[1]}${match[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${match[3] ?? ''}`;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** A formatter for the zone, or UTC's when Slack reported a zone this runtime does not know. */
function clockFor(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    };
    try {
      clock = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      clock = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    clocks.set(timeZone, clock);
  }
  return clock;
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** ISO text from PostHog; one without an offset is UTC (ClickHouse's naive DateTime). */
export function parseInstant(text: string): number {
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  const withZone = /(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`;
  return Date.parse(withZone);
}

/** `2026-03-04 17:05:09` on the given zone's wall clock. */
export function wallClock(ms: number, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const part of clockFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

const MIDNIGHT = /^\d{4}-\d\d-\d\d[T ]00:00:00(\.0+)?(Z|[+-]\d\d:?\d\d)?$/;

/**
 * A column of day buckets (`toStartOfDay`, `toStartOfWeek` ...) is about calendar days in the project's zone: moved to
 * the reader's clock, "2026-03-04 00:00 UTC" would read as the evening of the 3rd. Such columns show the date alone.
 */
export function isDayBuckets(values: Iterable<unknown>): boolean {
  let seen = false;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' || !MIDNIGHT.test(value)) return false;
    seen = true;
  }
  return seen;
}

export function formatCell(value: unknown, kind: ColumnKind, format: CellFormat, dayBuckets = false): string {
  if (value === null || value === undefined) return NULL_TEXT;
  switch (kind) {
    case 'integer':
    case 'float':
      if (typeof value === 'number') return formatNumber(value, kind);
      if (typeof value === 'string') return groupDigits(value);
      break;
    case 'datetime':
      if (typeof value === 'string') {
        if (dayBuckets) return value.slice(0, 10);
        const ms = parseInstant(value);
        return Number.isNaN(ms) ? truncate(value, format.maxText ?? 80) : wallClock(ms, format.timeZone);
      }
      break;
    case 'bool':
      if (typeof value === 'boolean' || typeof value === 'number') return value ? 'true' : 'false';
      break;
  }
  return formatText(value, format);
}

function formatText(value: unknown, format: CellFormat): string {
  if (typeof value === 'string') {
    if (value === '') return EMPTY_TEXT;
    const flat = value.replace(/\s+/g, ' ');
    const looksJson = /^[[{]/.test(flat);
    return truncate(flat, looksJson ? (format.maxJson ?? 60) : (format.maxText ?? 80));
  }
  if (typeof value === 'number') return formatNumber(value, Number.isInteger(value) ? 'integer' : 'float');
  if (typeof value === 'boolean') return String(value);
  return truncate(JSON.stringify(value) ?? String(value), format.maxJson ?? 60);
}

/** Formatters per column, with day-bucket detection over the rows that will be shown. */
export function rowFormatter(
  types: readonly string[],
  rows: readonly unknown[][],
  format: CellFormat,
): (row: readonly unknown[]) => string[] {
  const kinds = types.map(columnKind);
  const buckets = kinds.map((kind, i) => kind === 'datetime' && isDayBuckets(rows.map((r) => r[i])));
  return (row) => kinds.map((kind, i) => formatCell(row[i], kind, format, buckets[i]));
}
