/**
 * DuckDB values -> the JSON PostHog sends: DateTimes as ISO strings with the zone's offset ("Z" for UTC, microseconds
 * only when non-zero, as Python's isoformat), Dates as "YYYY-MM-DD", 64-bit integers as plain numbers, UInt8 flags
 * as 0/1, tuples as arrays.
 */
import {
  DuckDBArrayValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUUIDValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ChType } from './types.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Minutes the zone is ahead of UTC at a UTC instant. */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  if (zone === 'UTC') return 0;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

function offsetSuffix(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A wall-clock timestamp (microseconds, naive) in `zone`, printed ISO-8601 with that zone's offset. */
export function formatWallClock(micros: bigint, zone: string): string {
  const ms = Number(micros / 1000n);
  const fraction = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const d = new Date(ms - (((ms % 1000) + 1000) % 1000));
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  // The wall clock is local: find the instant whose local time it is (two passes settle DST edges).
  let offset = zoneOffsetMinutes(zone, ms);
  offset = zoneOffsetMinutes(zone, ms - offset * 60_000);
  return `${base}${fraction ? `.${pad(fraction, 6)}` : ''}${offsetSuffix(offset)}`;
}

function formatDate(days: number): string {
  const d = new Date(days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function toNumber(value: bigint): number {
  return Number(value);
}

export function toJson(value: DuckDBValue, type: ChType | undefined): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return type?.base === 'UInt8' ? (value ? 1 : 0) : value;
    case 'bigint':
      return toNumber(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string':
      return value;
  }
  if (value instanceof DuckDBTimestampValue) {
    if (type?.base === 'Date') return formatWallClock(value.micros, 'UTC').slice(0, 10);
    return formatWallClock(value.micros, type?.tz ?? 'UTC');
  }
  if (value instanceof DuckDBTimestampTZValue) {
    const zone = type?.tz ?? 'UTC';
    const utcMs = Number(value.micros / 1000n);
    const local = value.micros + BigInt(zoneOffsetMinutes(zone, utcMs)) * 60_000_000n;
    return formatWallClock(local, zone);
  }
  if (value instanceof DuckDBDateValue) return formatDate(value.days);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map((item) => toJson(item, type?.elem));
  if (value instanceof DuckDBStructValue) return Object.values(value.entries).map((item, i) => toJson(item, type?.items?.[i]));
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBIntervalValue) return value.months * 30 * 86_400 + value.days * 86_400 + Number(value.micros) / 1e6;
  if (value instanceof DuckDBUUIDValue) return value.toString();
  return String(value);
}
