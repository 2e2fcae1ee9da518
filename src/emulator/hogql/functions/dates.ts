/**
 * Date and time functions. DateTimes are naive TIMESTAMPs holding a zone's wall clock (see translate.ts), so
 * truncation and date parts work on local days; zone changes go through `convertZone`.
 */
import { unsupported } from '../errors.js';
import { asDateTime, asNum, constantNumber, constantString, convertZone, type Expr } from '../expr.js';
import { own, sqlString } from '../sql.js';
import { T, type ChType } from '../types.js';
import { e, type FnContext, type FnDef, type FnTable } from './define.js';

const INTERVAL_FN: Record<string, (n: string) => string> = {
  second: (n) => `to_seconds(CAST(${n} AS BIGINT))`,
  minute: (n) => `to_minutes(CAST(${n} AS BIGINT))`,
  hour: (n) => `to_hours(CAST(${n} AS BIGINT))`,
  day: (n) => `to_days(CAST(${n} AS INTEGER))`,
  week: (n) => `to_weeks(CAST(${n} AS INTEGER))`,
  month: (n) => `to_months(CAST(${n} AS INTEGER))`,
  quarter: (n) => `to_months(CAST(3 * (${n}) AS INTEGER))`,
  year: (n) => `to_years(CAST(${n} AS INTEGER))`,
};

const UNIT_ALIASES: Record<string, string> = {
  s: 'second',
  ss: 'second',
  sec: 'second',
  second: 'second',
  seconds: 'second',
  mi: 'minute',
  n: 'minute',
  min: 'minute',
  minute: 'minute',
  minutes: 'minute',
  h: 'hour',
  hh: 'hour',
  hour: 'hour',
  hours: 'hour',
  d: 'day',
  dd: 'day',
  day: 'day',
  days: 'day',
  wk: 'week',
  ww: 'week',
  week: 'week',
  weeks: 'week',
  m: 'month',
  mm: 'month',
  month: 'month',
  months: 'month',
  q: 'quarter',
  qq: 'quarter',
  quarter: 'quarter',
  quarters: 'quarter',
  y: 'year',
  yy: 'year',
  yyyy: 'year',
  year: 'year',
  years: 'year',
};

export function normalizeUnit(raw: string): string {
  const unit = own(UNIT_ALIASES, raw.toLowerCase());
  if (!unit) throw unsupported(`Unsupported date unit: '${raw}'`);
  return unit;
}

export function intervalOf(unit: string, n: Expr): Expr {
  const make = own(INTERVAL_FN, unit);
  if (!make) throw unsupported(`Unsupported interval unit: ${unit}`);
  return e(make(asNum(n)), T.interval(unit));
}

const DAY_UNITS = new Set(['day', 'week', 'month', 'quarter', 'year']);

/**
 * Date/DateTime plus or minus an interval, keeping Dates as Dates for whole-day units like ClickHouse. Anything
 * else is read as a DateTime in the team zone first.
 */
export function shiftDate(base: Expr, interval: Expr, op: '+' | '-', tz: string): Expr {
  if (base.type.base === 'Date' && DAY_UNITS.has(interval.type.unit ?? '')) {
    return e(`CAST(${base.sql} ${op} ${interval.sql} AS DATE)`, base.type);
  }
  const dt = base.type.base === 'DateTime' ? base : asDateTime(base, tz);
  return e(`(${dt.sql} ${op} ${interval.sql})`, dt.type);
}

/** Argument `i` as a Date or DateTime (strings and numbers read as DateTimes in the team zone). */
function dt(args: Expr[], ctx: FnContext, i = 0): Expr {
  const a = args[i];
  if (!a) throw unsupported('Missing date argument');
  return a.type.base === 'DateTime' || a.type.base === 'Date' ? a : asDateTime(a, ctx.tz);
}

function dateTimeOnly(args: Expr[], ctx: FnContext, i = 0): Expr {
  const a = dt(args, ctx, i);
  return a.type.base === 'Date' ? asDateTime(a, ctx.tz) : a;
}

const zoneOf = (x: Expr, ctx: FnContext): string => x.type.tz ?? ctx.tz;

/** `sql(x)` over argument `i` as a DateTime, staying in that DateTime's zone. */
function onDateTime(sql: (x: string, args: Expr[]) => string, i = 0): NonNullable<FnDef['fn']> {
  return (args, ctx) => {
    const x = dateTimeOnly(args, ctx, i);
    return e(sql(x.sql, args), T.dateTime(zoneOf(x, ctx)));
  };
}

const truncTo = (part: string): FnDef => ({ min: 1, max: 2, fn: onDateTime((x) => `date_trunc('${part}', ${x})`) });
const truncToDate = (part: string): FnDef => ({
  min: 1,
  max: 2,
  fn: (args, ctx) => e(`CAST(date_trunc('${part}', ${dt(args, ctx).sql}) AS DATE)`, T.date),
});
const bucketMinutes = (minutes: number): FnDef => ({
  min: 1,
  max: 2,
  fn: onDateTime((x) => `time_bucket(INTERVAL ${minutes} MINUTE, ${x}, TIMESTAMP '1970-01-01')`),
});
const datePart = (part: string, type: ChType = { base: 'UInt16' }): FnDef => ({
  min: 1,
  max: 2,
  fn: (args, ctx) => e(`CAST(${part}(${dt(args, ctx).sql}) AS INTEGER)`, type),
});

const FORMAT_MAP: Record<string, string> = {
  i: '%M',
  M: '%B',
  h: '%I',
  e: '%-d',
  f: '%f',
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  D: '%m/%d/%y',
  R: '%H:%M',
  Q: '%Q',
};

/** ClickHouse's formatDateTime codes that differ from strftime's. */
function clickhouseFormat(format: string): string {
  return format.replace(/%(.)/g, (all, c: string) => own(FORMAT_MAP, c) ?? all);
}

export function unixSeconds(x: Expr, ctx: FnContext): string {
  const zone = zoneOf(x, ctx);
  const value = x.type.base === 'Date' ? `CAST(${x.sql} AS TIMESTAMP)` : x.sql;
  return zone === 'UTC' ? `CAST(epoch(${value}) AS BIGINT)` : `CAST(epoch(timezone(${sqlString(zone)}, ${value})) AS BIGINT)`;
}

/** `dateAdd(unit, n, date)`, or `dateAdd(date, INTERVAL n unit)` with the two in either order. */
function dateShift(op: '+' | '-'): FnDef {
  return {
    min: 2,
    max: 3,
    fn: (args, ctx) => {
      if (args.length === 2) {
        const [d, i] = args[0]!.type.base === 'Interval' ? [args[1]!, args[0]!] : [args[0]!, args[1]!];
        return shiftDate(d, i, op, ctx.tz);
      }
      const unit = normalizeUnit(constantString(args[0]!, 'The unit'));
      return shiftDate(dt(args, ctx, 2), intervalOf(unit, args[1]!), op, ctx.tz);
    },
  };
}

const zoneCache = new Map<string, boolean>();
export function isKnownZone(zone: string): boolean {
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    zoneCache.set(zone, known);
  }
  return known;
}

const capitalized = (unit: string): string => unit[0]!.toUpperCase() + unit.slice(1);
const UNITS = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

/** toIntervalSecond ... toIntervalYear, addSeconds ... addYears, subtractSeconds ... subtractYears. */
const UNIT_FUNCTIONS: FnTable = Object.fromEntries([
  ...UNITS.map((unit): [string, FnDef] => [`toInterval${capitalized(unit)}`, { min: 1, max: 1, fn: ([n]) => intervalOf(unit, n!) }]),
  ...(['+', '-'] as const).flatMap((sign) =>
    UNITS.map((unit): [string, FnDef] => [
      `${sign === '+' ? 'add' : 'subtract'}${capitalized(unit)}s`,
      { min: 2, max: 2, fn: (args, ctx) => shiftDate(dt(args, ctx), intervalOf(unit, args[1]!), sign, ctx.tz) },
    ]),
  ),
]);

export const DATE_FUNCTIONS: FnTable = {
  now: { min: 0, max: 1, fn: (_args, ctx) => e(ctx.nowSql, T.dateTime(ctx.tz)) },
  today: { min: 0, max: 0, fn: (_args, ctx) => e(`CAST(${ctx.nowSql} AS DATE)`, T.date) },
  yesterday: { min: 0, max: 0, fn: (_args, ctx) => e(`CAST(${ctx.nowSql} AS DATE) - 1`, T.date) },
  toTimeZone: {
    min: 2,
    max: 2,
    fn: (args, ctx) => {
      const zone = constantString(args[1]!, 'The time zone');
      if (!isKnownZone(zone)) throw unsupported(`Unknown time zone: ${zone}`);
      const x = dateTimeOnly(args, ctx);
      return e(convertZone(x.sql, zoneOf(x, ctx), zone), T.dateTime(zone));
    },
  },
  toStartOfSecond: truncTo('second'),
  toStartOfMinute: truncTo('minute'),
  toStartOfHour: truncTo('hour'),
  toStartOfDay: truncTo('day'),
  toStartOfFiveMinutes: bucketMinutes(5),
  toStartOfFiveMinute: bucketMinutes(5),
  toStartOfTenMinutes: bucketMinutes(10),
  toStartOfFifteenMinutes: bucketMinutes(15),
  toStartOfMonth: truncToDate('month'),
  toStartOfQuarter: truncToDate('quarter'),
  toStartOfYear: truncToDate('year'),
  toMonday: truncToDate('week'),
  toStartOfWeek: {
    min: 1,
    max: 3,
    fn: (args, ctx) => {
      const mode = args[1] ? constantNumber(args[1], 'The week mode') : 0;
      const x = dt(args, ctx);
      // Odd modes start weeks on Monday, even ones (the default 0) on Sunday.
      if (mode % 2 === 1) return e(`CAST(date_trunc('week', ${x.sql}) AS DATE)`, T.date);
      return e(`(CAST(${x.sql} AS DATE) - CAST(dayofweek(${x.sql}) AS INTEGER))`, T.date);
    },
  },
  toStartOfInterval: {
    min: 2,
    max: 3,
    fn: (args, ctx) => {
      const x = dateTimeOnly(args, ctx);
      const interval = args[1]!;
      if (interval.type.base !== 'Interval') throw unsupported('toStartOfInterval expects an INTERVAL as its second argument');
      // ClickHouse counts weeks from Monday 1969-12-29, other units from the epoch.
      const origin = interval.type.unit === 'week' ? "TIMESTAMP '1969-12-29'" : "TIMESTAMP '1970-01-01'";
      const bucket = `time_bucket(${interval.sql}, ${x.sql}, ${origin})`;
      return DAY_UNITS.has(interval.type.unit ?? '') && interval.type.unit !== 'day'
        ? e(`CAST(${bucket} AS DATE)`, T.date)
        : e(bucket, T.dateTime(zoneOf(x, ctx)));
    },
  },
  dateTrunc: {
    min: 2,
    max: 3,
    fn: onDateTime((x, args) => `date_trunc('${normalizeUnit(constantString(args[0]!, 'The unit'))}', ${x})`, 1),
  },
  toLastDayOfMonth: { min: 1, max: 1, fn: (args, ctx) => e(`last_day(${dt(args, ctx).sql})`, T.date) },
  toYear: datePart('year'),
  toISOYear: datePart('isoyear'),
  toQuarter: datePart('quarter', T.uint8),
  toMonth: datePart('month', T.uint8),
  toDayOfMonth: datePart('day', T.uint8),
  toDayOfYear: datePart('dayofyear'),
  toDayOfWeek: datePart('isodow', T.uint8),
  toHour: datePart('hour', T.uint8),
  toMinute: datePart('minute', T.uint8),
  toSecond: datePart('second', T.uint8),
  toISOWeek: datePart('weekofyear', T.uint8),
  toYYYYMM: {
    min: 1,
    max: 2,
    fn: (args, ctx) => {
      const x = dt(args, ctx).sql;
      return e(`CAST(year(${x}) * 100 + month(${x}) AS INTEGER)`, { base: 'UInt32' });
    },
  },
  toYYYYMMDD: {
    min: 1,
    max: 2,
    fn: (args, ctx) => {
      const x = dt(args, ctx).sql;
      return e(`CAST(year(${x}) * 10000 + month(${x}) * 100 + day(${x}) AS INTEGER)`, { base: 'UInt32' });
    },
  },
  toUnixTimestamp: { min: 1, max: 2, fn: (args, ctx) => e(unixSeconds(dt(args, ctx), ctx), { base: 'UInt32' }) },
  fromUnixTimestamp: { min: 1, max: 1, fn: ([a], ctx) => asDateTime({ ...a!, type: T.int64 }, ctx.tz) },
  dateDiff: {
    min: 3,
    max: 4,
    fn: (args, ctx) => {
      const unit = normalizeUnit(constantString(args[0]!, 'The dateDiff unit'));
      const both = [dt(args, ctx, 1), dt(args, ctx, 2)];
      const anyTime = both.some((x) => x.type.base === 'DateTime');
      const [a, b] = anyTime ? both.map((x) => asDateTime(x, ctx.tz)) : both;
      return e(`date_diff('${unit}', ${a!.sql}, ${b!.sql})`, T.int64);
    },
  },
  dateAdd: dateShift('+'),
  dateSub: dateShift('-'),
  timestampAdd: dateShift('+'),
  timestampSub: dateShift('-'),
  formatDateTime: {
    min: 2,
    max: 3,
    fn: (args, ctx) => {
      let x = dateTimeOnly(args, ctx);
      if (args[2]) {
        const zone = constantString(args[2], 'The time zone');
        x = e(convertZone(x.sql, zoneOf(x, ctx), zone), T.dateTime(zone));
      }
      return e(`strftime(${x.sql}, ${sqlString(clickhouseFormat(constantString(args[1]!, 'The format')))})`, T.string);
    },
  },
  ...UNIT_FUNCTIONS,
};
