/**
 * A TrendsQuery evaluated over the project's demo dataset, answered in the shape PostHog gives an insight's `result`:
 * one entry per series (per breakdown value) with `data`, `days`, `labels`, `count`. Buckets follow the project's
 * timezone, as PostHog's do; relative dates (`-7d`, `-24h`, `mStart`, `all`) start at the beginning of their unit.
 */
import { TZDate } from '@date-fns/tz';
import {
  addDays,
  addHours,
  addMonths,
  addWeeks,
  format,
  startOfDay,
  startOfHour,
  startOfMonth,
  startOfWeek,
  startOfYear,
  subDays,
  subHours,
  subMonths,
  subWeeks,
  subYears,
} from 'date-fns';
import type { DemoDataset, DemoEvent, DemoPerson } from '../dataset-types.js';
import { invalid } from './validate.js';
import { matches, type PropertyFilter, isPropertyFilter } from './property-filter.js';

export type Interval = 'hour' | 'day' | 'week' | 'month';
const INTERVALS: readonly Interval[] = ['hour', 'day', 'week', 'month'];
const MATHS = ['total', 'dau', 'weekly_active', 'monthly_active', 'unique_session', 'sum', 'avg', 'min', 'max', 'median'] as const;
type MathKind = (typeof MATHS)[number];
const PROPERTY_MATHS: readonly MathKind[] = ['sum', 'avg', 'min', 'max', 'median'];

/** PostHog's marker for events without the breakdown property, and for values past the breakdown limit. */
export const BREAKDOWN_NULL = '$$_posthog_breakdown_null_$$';
export const BREAKDOWN_OTHER = '$$_posthog_breakdown_other_$$';
const MAX_BUCKETS = 2000;

interface Series {
  event: string | null;
  name: string;
  customName: string | null;
  math: MathKind;
  mathProperty: string | null;
  properties: PropertyFilter[];
}

export interface TrendsOptions {
  now: Date;
  timezone: string;
}

/** Evaluates `source` (a TrendsQuery); throws the 400 PostHog would give for a query it cannot run. */
export function computeTrends(source: Record<string, unknown>, dataset: DemoDataset, opts: TrendsOptions): Record<string, unknown>[] {
  if (source.kind !== 'TrendsQuery') invalid('query', `Only TrendsQuery results are computed here, not ${String(source.kind)}.`);
  const interval = readInterval(source.interval);
  const series = readSeries(source.series);
  const globalFilters = filterList(source.properties);
  const { from, to } = dateRange(source.dateRange, interval, opts, dataset);
  const buckets = bucketStarts(from, to, interval);
  const breakdown = readBreakdown(source.breakdownFilter);
  const persons = personIndex(dataset);

  const days = buckets.map((b) => format(b, interval === 'hour' ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd'));
  const labels = buckets.map((b) => format(b, interval === 'hour' ? 'd-MMM-yyyy HH:mm' : 'd-MMM-yyyy'));
  const edges = [...buckets.map((b) => b.getTime()), nextBucket(buckets[buckets.length - 1]!, interval).getTime()];
  // Active-user maths look back past the first bucket.
  const lookback = Math.max(...series.map((s) => (s.math === 'weekly_active' ? 7 : s.math === 'monthly_active' ? 30 : 0)));
  const scanFrom = subDays(buckets[0]!, lookback).getTime();
  const scanTo = edges[edges.length - 1]!;

  const out: Record<string, unknown>[] = [];
  series.forEach((s, order) => {
    const events = dataset.events.filter((e) => {
      const t = e.timestamp.getTime();
      if (t < scanFrom || t >= scanTo) return false;
      if (s.event !== null && e.event !== s.event) return false;
      const person = persons.get(e.personId);
      return [...globalFilters, ...s.properties].every((f) => matchesEvent(e, person, f));
    });
    const groups = groupByBreakdown(events, breakdown, persons, edges[0]!);
    for (const [value, groupEvents] of groups) {
      const data = evaluate(s, groupEvents, edges);
      const action = {
        id: s.event,
        type: 'events',
        order,
        name: s.name,
        custom_name: s.customName,
        math: s.math,
        math_property: s.mathProperty,
        properties: s.properties,
      };
      out.push({
        action,
        label: s.customName ?? s.name,
        count: round(data.reduce((a, b) => a + b, 0)),
        data,
        labels,
        days,
        order,
        ...(breakdown ? { breakdown_value: value } : {}),
        filter: { interval, date_from: source.dateRange ?? null },
      });
    }
  });
  return out;
}

/** What PostHog's query schema rejects at save time: no series, an unknown interval or math. */
export function checkTrendsQuery(source: Record<string, unknown>): void {
  readInterval(source.interval);
  readSeries(source.series);
}

function readInterval(raw: unknown): Interval {
  if (raw === undefined || raw === null) return 'day';
  if (!INTERVALS.includes(raw as Interval)) invalid('interval', `"${String(raw)}" is not a valid choice.`, 'invalid_choice');
  return raw as Interval;
}

function readSeries(raw: unknown): Series[] {
  if (!Array.isArray(raw) || raw.length === 0) invalid('series', 'A TrendsQuery needs at least one series.');
  return raw.map((node: unknown) => {
    const n = (node ?? {}) as Record<string, unknown>;
    if (n.kind !== 'EventsNode') invalid('series', `Series of kind ${String(n.kind)} are not supported here; use EventsNode.`);
    const event = typeof n.event === 'string' ? n.event : null;
    const math = (n.math ?? 'total') as MathKind;
    if (!MATHS.includes(math)) invalid('series', `Math "${String(n.math)}" is not supported here.`);
    const mathProperty = typeof n.math_property === 'string' ? n.math_property : null;
    if (PROPERTY_MATHS.includes(math) && !mathProperty) invalid('series', `Math "${math}" needs a math_property.`);
    return {
      event,
      name: typeof n.name === 'string' ? n.name : (event ?? 'All events'),
      customName: typeof n.custom_name === 'string' ? n.custom_name : null,
      math,
      mathProperty,
      properties: filterList(n.properties),
    };
  });
}

function filterList(raw: unknown): PropertyFilter[] {
  if (Array.isArray(raw)) return raw.filter(isPropertyFilter);
  // A property group ({type, values: [...]}) is flattened: the emulator applies its leaves with AND.
  const values = (raw as { values?: unknown } | null | undefined)?.values;
  return Array.isArray(values) ? values.flatMap(filterList) : [];
}

function matchesEvent(event: DemoEvent, person: DemoPerson | undefined, filter: PropertyFilter): boolean {
  if (filter.type === 'person') return matches(person?.properties ?? {}, filter);
  if (filter.type === 'event' || filter.type === undefined) return matches(event.properties, filter);
  return true;
}

function readBreakdown(raw: unknown): { property: string; type: 'event' | 'person'; limit: number } | null {
  const filter = (raw ?? {}) as Record<string, unknown>;
  if (typeof filter.breakdown !== 'string' || filter.breakdown === '') return null;
  const type = filter.breakdown_type === 'person' ? 'person' : 'event';
  const limit = typeof filter.breakdown_limit === 'number' && filter.breakdown_limit > 0 ? filter.breakdown_limit : 25;
  return { property: filter.breakdown, type, limit };
}

/** Breakdown values ordered by event count (PostHog's default), the tail past the limit folded into "other". */
function groupByBreakdown(
  events: DemoEvent[],
  breakdown: ReturnType<typeof readBreakdown>,
  persons: Map<string, DemoPerson>,
  windowStart: number,
): Map<string, DemoEvent[]> {
  if (!breakdown) return new Map([['', events]]);
  const groups = new Map<string, DemoEvent[]>();
  for (const e of events) {
    const bag = breakdown.type === 'person' ? (persons.get(e.personId)?.properties ?? {}) : e.properties;
    const raw = bag[breakdown.property];
    const value = raw === undefined || raw === null || raw === '' ? BREAKDOWN_NULL : String(raw);
    const list = groups.get(value);
    if (list) list.push(e);
    else groups.set(value, [e]);
  }
  const inWindow = (list: DemoEvent[]) => list.filter((e) => e.timestamp.getTime() >= windowStart).length;
  const ranked = [...groups.entries()].sort((a, b) => inWindow(b[1]) - inWindow(a[1]) || a[0].localeCompare(b[0]));
  const kept = new Map(ranked.slice(0, breakdown.limit));
  const rest = ranked.slice(breakdown.limit).flatMap(([, list]) => list);
  if (rest.length > 0) kept.set(BREAKDOWN_OTHER, rest);
  return kept;
}

function evaluate(s: Series, events: DemoEvent[], edges: number[]): number[] {
  const sorted = [...events].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  const times = sorted.map((e) => e.timestamp.getTime());
  const data: number[] = [];
  for (let i = 0; i + 1 < edges.length; i += 1) {
    const end = edges[i + 1]!;
    const start = s.math === 'weekly_active' ? end - 7 * 86_400_000 : s.math === 'monthly_active' ? end - 30 * 86_400_000 : edges[i]!;
    data.push(aggregate(s, sorted.slice(lowerBound(times, start), lowerBound(times, end))));
  }
  return data;
}

/** The first index whose time is >= t. */
function lowerBound(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function aggregate(s: Series, events: DemoEvent[]): number {
  switch (s.math) {
    case 'total':
      return events.length;
    case 'dau':
    case 'weekly_active':
    case 'monthly_active':
      return new Set(events.map((e) => e.personId)).size;
    case 'unique_session':
      return new Set(events.map((e) => e.properties.$session_id).filter((id) => id !== undefined)).size;
    default: {
      const values = events.map((e) => Number(e.properties[s.mathProperty!])).filter((v) => Number.isFinite(v));
      if (values.length === 0) return 0;
      if (s.math === 'sum') return round(values.reduce((a, b) => a + b, 0));
      if (s.math === 'avg') return round(values.reduce((a, b) => a + b, 0) / values.length);
      if (s.math === 'min') return Math.min(...values);
      if (s.math === 'max') return Math.max(...values);
      const sorted = [...values].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2);
    }
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

function dateRange(raw: unknown, interval: Interval, opts: TrendsOptions, dataset: DemoDataset): { from: TZDate; to: TZDate } {
  const range = (raw ?? {}) as { date_from?: unknown; date_to?: unknown };
  const now = new TZDate(opts.now.getTime(), opts.timezone);
  const earliest = () =>
    new TZDate(
      dataset.events.reduce((min, e) => Math.min(min, e.timestamp.getTime()), now.getTime()),
      opts.timezone,
    );
  const from = parseDate(range.date_from ?? '-7d', now, opts.timezone, earliest, 'date_from');
  const to =
    range.date_to === undefined || range.date_to === null ? now : parseDate(range.date_to, now, opts.timezone, earliest, 'date_to', true);
  if (from.getTime() > to.getTime()) invalid('dateRange', 'date_from must be before date_to.');
  return { from: floor(from, interval), to };
}

function parseDate(raw: unknown, now: TZDate, tz: string, earliest: () => TZDate, attr: string, endOfDay = false): TZDate {
  if (typeof raw !== 'string' || raw.trim() === '') return invalid(attr, 'Not a valid date.');
  const value = raw.trim();
  if (value === 'all') return startOfDay(earliest());
  if (value === 'dStart') return startOfDay(now);
  if (value === 'mStart') return startOfMonth(now);
  if (value === 'yStart') return startOfYear(now);
  const relative = /^-(\d+)([hdwmy])$/.exec(value);
  if (relative) {
    const n = Number(relative[1]);
    switch (relative[2]) {
      case 'h':
        return startOfHour(subHours(now, n));
      case 'd':
        return startOfDay(subDays(now, n));
      case 'w':
        return startOfDay(subWeeks(now, n));
      case 'm':
        return startOfDay(subMonths(now, n));
      default:
        return startOfDay(subYears(now, n));
    }
  }
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = dateOnly ? new TZDate(`${value}T00:00:00`, tz) : new TZDate(new Date(value).getTime(), tz);
  if (Number.isNaN(parsed.getTime())) return invalid(attr, `"${value}" is not a valid date.`);
  return dateOnly && endOfDay ? new TZDate(addDays(parsed, 1).getTime() - 1, tz) : parsed;
}

function floor(date: TZDate, interval: Interval): TZDate {
  switch (interval) {
    case 'hour':
      return startOfHour(date);
    case 'day':
      return startOfDay(date);
    case 'week':
      // PostHog's default week starts on Sunday.
      return startOfWeek(date, { weekStartsOn: 0 });
    case 'month':
      return startOfMonth(date);
  }
}

function nextBucket(date: TZDate, interval: Interval): TZDate {
  switch (interval) {
    case 'hour':
      return addHours(date, 1);
    case 'day':
      return addDays(date, 1);
    case 'week':
      return addWeeks(date, 1);
    case 'month':
      return addMonths(date, 1);
  }
}

function bucketStarts(from: TZDate, to: TZDate, interval: Interval): TZDate[] {
  const buckets: TZDate[] = [];
  for (let b = from; b.getTime() <= to.getTime(); b = nextBucket(b, interval)) {
    buckets.push(b);
    if (buckets.length > MAX_BUCKETS) invalid('interval', `That range has more than ${MAX_BUCKETS} ${interval}s; pick a longer interval.`);
  }
  return buckets;
}

const personCache = new WeakMap<DemoDataset, Map<string, DemoPerson>>();

function personIndex(dataset: DemoDataset): Map<string, DemoPerson> {
  let index = personCache.get(dataset);
  if (!index) {
    index = new Map(dataset.persons.map((p) => [p.id, p]));
    personCache.set(dataset, index);
  }
  return index;
}
