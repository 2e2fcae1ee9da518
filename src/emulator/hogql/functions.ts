/**
 * HogQL (ClickHouse) functions mapped onto DuckDB. Each entry checks its arity, emits SQL and says what ClickHouse
 * type comes back. Aggregates live in aggregates.ts; comparison and arithmetic forms (`equals`, `plus`...) are
 * rewritten to operator nodes by the translator.
 */
import type { AstNode, CallNode } from './ast.js';
import { unsupported } from './errors.js';
import {
  asCond,
  asDate,
  asDateTime,
  asNum,
  asStr,
  constantNumber,
  constantString,
  convertZone,
  literal,
  numType,
  parseDateTimeSql,
  type Expr,
} from './expr.js';
import { jsonPointer, own, sqlString } from './sql.js';
import { T, isInt, isNumeric, isString, nullable, printType, type ChType } from './types.js';

export interface FnContext {
  tz: string;
  /** SQL for the (fixed) current time as the team zone's wall clock. */
  nowSql: string;
  translate(node: AstNode): Expr;
  /** Translates a Lambda node for DuckDB, given the element types its parameters receive. */
  lambda(node: AstNode, params: ChType[]): Expr;
}

export interface FnDef {
  min: number;
  max?: number;
  /** Receives translated arguments. */
  fn?: (args: Expr[], ctx: FnContext, call: CallNode) => Expr;
  /** Receives the raw call (for lambdas and operator rewrites). */
  raw?: (call: CallNode, ctx: FnContext) => Expr;
}

const e = (sql: string, type: ChType, boolRepr = false): Expr => (boolRepr ? { sql, type, boolRepr } : { sql, type });
const flag = (sql: string): Expr => ({ sql, type: T.uint8, boolRepr: true });
const anyNullable = (args: Expr[]): boolean => args.some((a) => a.type.nullable || a.type.base === 'Nothing');

function unify(branches: Expr[]): ChType {
  const typed = branches.find((b) => b.type.base !== 'Nothing');
  const base = typed?.type ?? T.nothing;
  return anyNullable(branches) ? nullable(base) : base;
}

function unifyBranches(branches: Expr[]): { sqls: string[]; type: ChType; boolRepr: boolean } {
  const allBool = branches.every((b) => b.boolRepr || b.type.base === 'Nothing');
  const anyString = branches.some((b) => isString(b.type));
  const sqls = branches.map((b) => (allBool ? b.sql : anyString && b.type.base !== 'Nothing' ? asStr(b) : asNum(b)));
  const type = allBool ? T.uint8 : unify(branches.map((b) => (b.boolRepr ? { ...b, type: T.uint8 } : b)));
  return { sqls, type, boolRepr: allBool && branches.some((b) => b.boolRepr) };
}

// ---------------------------------------------------------------- dates

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
  s: 'second', ss: 'second', sec: 'second', second: 'second', seconds: 'second',
  mi: 'minute', n: 'minute', min: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hh: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', dd: 'day', day: 'day', days: 'day',
  wk: 'week', ww: 'week', week: 'week', weeks: 'week',
  m: 'month', mm: 'month', month: 'month', months: 'month',
  q: 'quarter', qq: 'quarter', quarter: 'quarter', quarters: 'quarter',
  y: 'year', yy: 'year', yyyy: 'year', year: 'year', years: 'year',
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

/** Date/DateTime plus or minus an interval, keeping Dates as Dates for whole-day units like ClickHouse. */
export function shiftDate(base: Expr, interval: Expr, op: '+' | '-', tz: string): Expr {
  if (base.type.base === 'Date' && DAY_UNITS.has(interval.type.unit ?? '')) {
    return e(`CAST(${base.sql} ${op} ${interval.sql} AS DATE)`, base.type);
  }
  const dt = base.type.base === 'DateTime' ? base : asDateTime(base, tz);
  return e(`(${dt.sql} ${op} ${interval.sql})`, dt.type);
}

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

function truncTo(part: string): FnDef {
  return { min: 1, max: 2, fn: (args, ctx) => { const x = dateTimeOnly(args, ctx); return e(`date_trunc('${part}', ${x.sql})`, T.dateTime(zoneOf(x, ctx))); } };
}

function truncToDate(part: string): FnDef {
  return { min: 1, max: 2, fn: (args, ctx) => e(`CAST(date_trunc('${part}', ${dt(args, ctx).sql}) AS DATE)`, T.date) };
}

function bucketMinutes(minutes: number): FnDef {
  return {
    min: 1,
    max: 2,
    fn: (args, ctx) => {
      const x = dateTimeOnly(args, ctx);
      return e(`time_bucket(INTERVAL ${minutes} MINUTE, ${x.sql}, TIMESTAMP '1970-01-01')`, T.dateTime(zoneOf(x, ctx)));
    },
  };
}

function datePart(part: string, type: ChType = { base: 'UInt16' }): FnDef {
  return { min: 1, max: 2, fn: (args, ctx) => e(`CAST(${part}(${dt(args, ctx).sql}) AS INTEGER)`, type) };
}

function addUnit(unit: string, sign: '+' | '-'): FnDef {
  return { min: 2, max: 2, fn: (args, ctx) => shiftDate(dt(args, ctx), intervalOf(unit, args[1]!), sign, ctx.tz) };
}

const FORMAT_MAP: Record<string, string> = { i: '%M', M: '%B', h: '%I', e: '%-d', f: '%f', F: '%Y-%m-%d', T: '%H:%M:%S', D: '%m/%d/%y', R: '%H:%M', Q: '%Q' };

function clickhouseFormat(format: string): string {
  return format.replace(/%(.)/g, (all, c: string) => own(FORMAT_MAP, c) ?? all);
}

function toDateTimeFn(args: Expr[], ctx: FnContext): Expr {
  const tzArg = args[1] ? constantString(args[1], 'The time zone') : undefined;
  const a = args[0]!;
  if (!tzArg) return asDateTime(a, ctx.tz);
  if (isString(a.type)) return e(parseDateTimeSql(a.sql, tzArg), nullable(T.dateTime(tzArg)));
  const inTeam = asDateTime(a, ctx.tz);
  return e(convertZone(inTeam.sql, ctx.tz, tzArg), T.dateTime(tzArg));
}

function unixSeconds(x: Expr, ctx: FnContext): string {
  const zone = zoneOf(x, ctx);
  const value = x.type.base === 'Date' ? `CAST(${x.sql} AS TIMESTAMP)` : x.sql;
  return zone === 'UTC' ? `CAST(epoch(${value}) AS BIGINT)` : `CAST(epoch(timezone(${sqlString(zone)}, ${value})) AS BIGINT)`;
}

// ---------------------------------------------------------------- strings and regexps

/** ClickHouse `extract` returns the first capture group when the pattern has one, else the whole match. */
function hasCaptureGroup(pattern: Expr): boolean {
  if (!pattern.constant || typeof pattern.constant.value !== 'string') return false;
  return /(^|[^\\])\((?!\?)/.test(pattern.constant.value);
}

function strArgs(args: Expr[]): string[] {
  return args.map(asStr);
}

function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const URL_SCHEME = '(?:[a-zA-Z][a-zA-Z0-9+.\\-]*:)?//';

function domainSql(url: string): string {
  return `regexp_extract(${url}, '^(?:${URL_SCHEME})?(?:[^@/?#]*@)?([^/:?#]+)', 1)`;
}

// ---------------------------------------------------------------- JSON

/** The JSON pointer of `JSONExtract*(json, key_or_index, ...)` arguments (1-based indexes, as ClickHouse). */
function jsonPath(keys: Expr[]): string {
  const path = keys.map((k) => {
    const v = k.constant?.value;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v - 1;
    throw unsupported('JSON paths must be constant keys or positive indexes');
  });
  return sqlString(path.length ? jsonPointer(path) : '$');
}

function jsonTyped(kind: 'string' | 'int' | 'float' | 'bool' | 'raw'): FnDef {
  return {
    min: 1,
    fn: (args) => {
      const doc = asStr(args[0]!);
      const path = jsonPath(args.slice(1));
      const type = `json_type(TRY_CAST(${doc} AS JSON), ${path})`;
      switch (kind) {
        case 'string':
          return e(`coalesce(CASE WHEN ${type} = 'VARCHAR' THEN json_extract_string(${doc}, ${path}) END, '')`, T.string);
        case 'int':
          return e(`coalesce(CASE WHEN ${type} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(trunc(CAST(json_extract(${doc}, ${path}) AS DOUBLE)) AS BIGINT) END, 0)`, T.int64);
        case 'float':
          return e(`coalesce(CASE WHEN ${type} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(json_extract(${doc}, ${path}) AS DOUBLE) END, 0)`, T.float);
        case 'bool':
          return flag(`coalesce(CASE WHEN ${type} = 'BOOLEAN' THEN CAST(json_extract(${doc}, ${path}) AS BOOLEAN) END, false)`);
        case 'raw':
          return e(`coalesce(CAST(json_extract(TRY_CAST(${doc} AS JSON), ${path}) AS VARCHAR), '')`, T.string);
      }
    },
  };
}

/** A JSON array in a string as Array(String): raw element texts, or unquoted strings for `asStrings`. */
export function jsonArray(docSql: string, path: string, asStrings: boolean): string {
  const list = `from_json(json_extract(TRY_CAST(${docSql} AS JSON), ${path}), '["JSON"]')`;
  return asStrings
    ? `coalesce(list_transform(${list}, json_item -> coalesce(json_extract_string(json_item, '$'), CAST(json_item AS VARCHAR))), [])`
    : `coalesce(list_transform(${list}, json_item -> CAST(json_item AS VARCHAR)), [])`;
}

// ---------------------------------------------------------------- conversions

function toIntSql(a: Expr, ctx: FnContext): string {
  if (a.boolRepr || a.type.base === 'Bool') return `CAST(${a.sql} AS BIGINT)`;
  if (isInt(a.type)) return `CAST(${a.sql} AS BIGINT)`;
  if (a.type.base === 'Float64') return `TRY_CAST(trunc(${a.sql}) AS BIGINT)`;
  if (a.type.base === 'DateTime' || a.type.base === 'Date') return unixSeconds(a, ctx);
  const s = asStr(a);
  return `(CASE WHEN regexp_full_match(trim(${s}), '[-+]?[0-9]+') THEN TRY_CAST(trim(${s}) AS BIGINT) END)`;
}

function toFloatSql(a: Expr): string {
  if (isNumeric(a.type) || a.boolRepr || a.type.base === 'Bool') return `CAST(${asNum(a)} AS DOUBLE)`;
  return `TRY_CAST(${asStr(a)} AS DOUBLE)`;
}

const toInt: FnDef = { min: 1, max: 1, fn: ([a], ctx) => e(toIntSql(a!, ctx), nullable(T.int64, !isNumeric(a!.type))) };
const toIntOrZero: FnDef = { min: 1, max: 1, fn: ([a], ctx) => e(`coalesce(${toIntSql(a!, ctx)}, 0)`, T.int64) };
const toFloat: FnDef = { min: 1, max: 1, fn: ([a]) => e(toFloatSql(a!), nullable(T.float, !isNumeric(a!.type))) };
const toFloatOrZero: FnDef = { min: 1, max: 1, fn: ([a]) => e(`coalesce(${toFloatSql(a!)}, 0)`, T.float) };
const toStringFn: FnDef = { min: 1, max: 2, fn: ([a]) => e(asStr(a!), nullable(T.string, !!a!.type.nullable)) };
const toDateFn: FnDef = { min: 1, max: 2, fn: ([a], ctx) => asDate(a!, ctx.tz) };
const toDateTimeDef: FnDef = { min: 1, max: 2, fn: (args, ctx) => toDateTimeFn(args, ctx) };
const parseBestEffort: FnDef = {
  min: 1,
  max: 2,
  fn: (args, ctx) => {
    const zone = args[1] ? constantString(args[1], 'The time zone') : ctx.tz;
    return e(parseDateTimeSql(asStr(args[0]!), zone), nullable(T.dateTime(zone)));
  },
};
const toBool: FnDef = { min: 1, max: 1, fn: ([a]) => e(isNumeric(a!.type) ? `(${asNum(a!)} <> 0)` : `TRY_CAST(${a!.sql} AS BOOLEAN)`, T.bool) };

/** `CAST(x AS type)` and `x::type`. */
export const CAST_FUNCTIONS: Record<string, string> = {
  string: 'toString', varchar: 'toString', text: 'toString',
  int: 'toInt', int8: 'toInt', int16: 'toInt', int32: 'toInt', int64: 'toInt', integer: 'toInt', bigint: 'toInt',
  uint8: 'toInt', uint16: 'toInt', uint32: 'toInt', uint64: 'toInt',
  float: 'toFloat', float32: 'toFloat', float64: 'toFloat', double: 'toFloat', decimal: 'toFloat',
  date: 'toDate', datetime: 'toDateTime', datetime64: 'toDateTime', timestamp: 'toDateTime',
  bool: 'toBool', boolean: 'toBool', uuid: 'toUUID',
};

// ---------------------------------------------------------------- arrays

function elemOf(a: Expr): ChType {
  return a.type.base === 'Array' ? (a.type.elem ?? T.string) : T.string;
}

function higherOrder(build: (lambdaSql: string, arr: Expr, body: Expr) => Expr, needsLambda = true): FnDef {
  return {
    min: needsLambda ? 2 : 1,
    max: 2,
    raw: (call, ctx) => {
      const first = call.args[0]!;
      if (first.node !== 'Lambda') {
        if (needsLambda) throw unsupported(`${call.name} expects a lambda as its first argument`);
        const arr = ctx.translate(first);
        return build('', arr, arr);
      }
      if (call.args.length !== 2) throw unsupported(`${call.name} with more than one array is not supported`);
      const arr = ctx.translate(call.args[1]!);
      const lambda = ctx.lambda(first, [elemOf(arr)]);
      return build(lambda.sql, arr, lambda);
    },
  };
}

/** `arrayJoin` over a String treats the text as a JSON array (PostHog properties hold arrays as JSON). */
export function arrayOperand(a: Expr): Expr {
  if (a.type.base === 'Array') return a;
  if (isString(a.type)) return e(jsonArray(a.sql, "'$'", true), T.array(T.string));
  throw unsupported(`Expected an array, got ${printType(a.type)}`);
}

// ---------------------------------------------------------------- the table

function passthrough(name: string, min: number, max: number | undefined, type: ChType | ((args: Expr[]) => ChType), numeric = false): FnDef {
  return {
    min,
    max,
    fn: (args) => e(`${name}(${args.map((a) => (numeric ? asNum(a) : a.sql)).join(', ')})`, typeof type === 'function' ? type(args) : type),
  };
}

const firstType = (args: Expr[]): ChType => args[0]?.type ?? T.nothing;
const floatType = (args: Expr[]): ChType => nullable(T.float, anyNullable(args));

const compare = (op: string): FnDef => ({
  min: 2,
  max: 2,
  raw: (call, ctx) => ctx.translate({ node: 'CompareOperation', op, left: call.args[0]!, right: call.args[1]! }),
});
const arithmetic = (op: string): FnDef => ({
  min: 2,
  max: 2,
  raw: (call, ctx) => ctx.translate({ node: 'ArithmeticOperation', op, left: call.args[0]!, right: call.args[1]! }),
});
const logical = (node: 'And' | 'Or'): FnDef => ({ min: 1, raw: (call, ctx) => ctx.translate({ node, exprs: call.args }) });

function rounding(fn: 'round' | 'floor' | 'ceil' | 'trunc' | 'round_even'): FnDef {
  return {
    min: 1,
    max: 2,
    fn: ([x, digits]) => {
      const n = digits ? constantNumber(digits, `${fn} precision`) : 0;
      const type = nullable(isInt(x!.type) ? x!.type : T.float, !!x!.type.nullable);
      if (fn === 'round' || fn === 'round_even') return e(`${fn}(${asNum(x!)}, ${n})`, type);
      if (n === 0) return e(`${fn}(${asNum(x!)})`, type);
      const scale = 10 ** n;
      return e(`(${fn}(${asNum(x!)} * ${scale}) / ${scale})`, T.float);
    },
  };
}

export const FUNCTIONS: Record<string, FnDef> = {
  // comparisons and logic written as functions
  equals: compare('=='), notEquals: compare('!='), less: compare('<'), greater: compare('>'),
  lessOrEquals: compare('<='), greaterOrEquals: compare('>='),
  like: compare('like'), ilike: compare('ilike'), notLike: compare('not like'), notILike: compare('not ilike'),
  in: compare('in'), notIn: compare('not in'), match: compare('=~'),
  and: logical('And'), or: logical('Or'),
  not: { min: 1, max: 1, raw: (call, ctx) => ctx.translate({ node: 'Not', expr: call.args[0]! }) },
  xor: { min: 2, max: 2, fn: ([a, b]) => flag(`(${asCond(a!)} <> ${asCond(b!)})`) },
  plus: arithmetic('+'), minus: arithmetic('-'), multiply: arithmetic('*'), divide: arithmetic('/'), modulo: arithmetic('%'),

  // conditionals and nulls
  if: {
    min: 3,
    max: 3,
    fn: ([c, a, b]) => {
      const u = unifyBranches([a!, b!]);
      return e(`(CASE WHEN ${asCond(c!)} THEN ${u.sqls[0]} ELSE ${u.sqls[1]} END)`, u.type, u.boolRepr);
    },
  },
  multiIf: {
    min: 3,
    fn: (args) => {
      if (args.length % 2 === 0) throw unsupported("Function 'multiIf' expects an odd number of arguments");
      const values = args.filter((_, i) => i % 2 === 1 || i === args.length - 1);
      const u = unifyBranches(values);
      const whens: string[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) whens.push(`WHEN ${asCond(args[i]!)} THEN ${u.sqls[i / 2]}`);
      return e(`(CASE ${whens.join(' ')} ELSE ${u.sqls[u.sqls.length - 1]} END)`, u.type, u.boolRepr);
    },
  },
  coalesce: { min: 1, fn: (args) => { const u = unifyBranches(args); return e(`coalesce(${u.sqls.join(', ')})`, args.every((a) => a.type.nullable || a.type.base === 'Nothing') ? u.type : nullable(u.type, false), u.boolRepr); } },
  ifNull: { min: 2, max: 2, fn: (args) => { const u = unifyBranches(args); return e(`coalesce(${u.sqls.join(', ')})`, nullable(u.type, !!args[1]!.type.nullable), u.boolRepr); } },
  nullIf: { min: 2, max: 2, fn: ([a, b]) => e(`nullif(${a!.sql}, ${b!.sql})`, nullable(a!.type)) },
  isNull: { min: 1, max: 1, fn: ([a]) => flag(`(${a!.sql} IS NULL)`) },
  isNotNull: { min: 1, max: 1, fn: ([a]) => flag(`(${a!.sql} IS NOT NULL)`) },
  assumeNotNull: { min: 1, max: 1, fn: ([a]) => ({ ...a!, type: nullable(a!.type, false) }) },
  toNullable: { min: 1, max: 1, fn: ([a]) => ({ ...a!, type: nullable(a!.type) }) },
  greatest: { min: 1, fn: (args) => { const u = unifyBranches(args); return e(`greatest(${u.sqls.join(', ')})`, u.type); } },
  least: { min: 1, fn: (args) => { const u = unifyBranches(args); return e(`least(${u.sqls.join(', ')})`, u.type); } },
  max2: { min: 2, max: 2, fn: (args) => e(`greatest(${args.map(asNum).join(', ')})`, T.float) },
  min2: { min: 2, max: 2, fn: (args) => e(`least(${args.map(asNum).join(', ')})`, T.float) },
  transform: {
    min: 3,
    max: 4,
    fn: ([x, from, to, dflt]) => {
      const picked = `list_extract(${to!.sql}, list_position(${from!.sql}, ${x!.sql}))`;
      return e(dflt ? `coalesce(${picked}, ${dflt.sql})` : `coalesce(${picked}, ${x!.sql})`, elemOf(to!));
    },
  },
  toTypeName: { min: 1, max: 1, fn: ([a]) => literal(printType(a!.boolRepr ? T.uint8 : a!.type)) },

  // arithmetic and math
  negate: { min: 1, max: 1, fn: ([a]) => e(`(-${asNum(a!)})`, numType(a!)) },
  abs: { min: 1, max: 1, fn: ([a]) => e(`abs(${asNum(a!)})`, numType(a!)) },
  intDiv: { min: 2, max: 2, fn: ([a, b]) => e(`CAST(trunc(CAST(${asNum(a!)} AS DOUBLE) / ${asNum(b!)}) AS BIGINT)`, T.int64) },
  intDivOrZero: { min: 2, max: 2, fn: ([a, b]) => e(`(CASE WHEN ${asNum(b!)} = 0 THEN 0 ELSE CAST(trunc(CAST(${asNum(a!)} AS DOUBLE) / ${asNum(b!)}) AS BIGINT) END)`, T.int64) },
  round: rounding('round'), roundBankers: rounding('round_even'), floor: rounding('floor'), ceil: rounding('ceil'), ceiling: rounding('ceil'), trunc: rounding('trunc'), truncate: rounding('trunc'),
  sqrt: passthrough('sqrt', 1, 1, floatType, true), cbrt: passthrough('cbrt', 1, 1, floatType, true),
  exp: passthrough('exp', 1, 1, floatType, true), log: passthrough('ln', 1, 1, floatType, true), ln: passthrough('ln', 1, 1, floatType, true),
  log2: passthrough('log2', 1, 1, floatType, true), log10: passthrough('log10', 1, 1, floatType, true),
  pow: passthrough('pow', 2, 2, floatType, true), power: passthrough('pow', 2, 2, floatType, true),
  sign: passthrough('sign', 1, 1, { base: 'Int8' }, true),
  sin: passthrough('sin', 1, 1, floatType, true), cos: passthrough('cos', 1, 1, floatType, true), tan: passthrough('tan', 1, 1, floatType, true),
  asin: passthrough('asin', 1, 1, floatType, true), acos: passthrough('acos', 1, 1, floatType, true), atan: passthrough('atan', 1, 1, floatType, true),
  pi: { min: 0, max: 0, fn: () => e('pi()', T.float) },
  e: { min: 0, max: 0, fn: () => e('exp(1)', T.float) },
  isNaN: { min: 1, max: 1, fn: ([a]) => flag(`isnan(${asNum(a!)})`) },
  isFinite: { min: 1, max: 1, fn: ([a]) => flag(`isfinite(${asNum(a!)})`) },

  // conversions
  toInt, toInt8: toInt, toInt16: toInt, toInt32: toInt, toInt64: toInt, toUInt8: toInt, toUInt16: toInt, toUInt32: toInt, toUInt64: toInt,
  toIntOrNull: toInt, toInt64OrNull: toInt, toInt32OrNull: toInt,
  toIntOrZero, toInt64OrZero: toIntOrZero, toInt32OrZero: toIntOrZero,
  toFloat, toFloat64: toFloat, toFloat32: toFloat, toFloatOrNull: toFloat, toFloat64OrNull: toFloat,
  toFloatOrZero, toFloat64OrZero: toFloatOrZero,
  toDecimal: { min: 1, max: 2, fn: ([a, s]) => e(s ? `round(${toFloatSql(a!)}, ${constantNumber(s, 'Decimal scale')})` : toFloatSql(a!), T.float) },
  toString: toStringFn,
  toUUID: { min: 1, max: 1, fn: ([a]) => e(asStr(a!), T.uuid) },
  toBool,
  toJSONString: { min: 1, max: 1, fn: ([a]) => e(`CAST(to_json(${a!.boolRepr ? asNum(a!) : a!.sql}) AS VARCHAR)`, T.string) },
  toDate: toDateFn, toDate32: toDateFn, toDateOrNull: toDateFn,
  toDateTime: toDateTimeDef, toDateTime64: { min: 1, max: 3, fn: (args, ctx) => toDateTimeFn([args[0]!, ...(args[2] ? [args[2]] : [])], ctx) },
  toDateTimeOrNull: toDateTimeDef,
  parseDateTimeBestEffort: parseBestEffort, parseDateTimeBestEffortOrNull: parseBestEffort,
  parseDateTime64BestEffort: parseBestEffort, parseDateTime64BestEffortOrNull: parseBestEffort,

  // dates and times
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
  toStartOfSecond: truncTo('second'), toStartOfMinute: truncTo('minute'), toStartOfHour: truncTo('hour'), toStartOfDay: truncTo('day'),
  toStartOfFiveMinutes: bucketMinutes(5), toStartOfFiveMinute: bucketMinutes(5), toStartOfTenMinutes: bucketMinutes(10), toStartOfFifteenMinutes: bucketMinutes(15),
  toStartOfMonth: truncToDate('month'), toStartOfQuarter: truncToDate('quarter'), toStartOfYear: truncToDate('year'), toMonday: truncToDate('week'),
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
      const origin = interval.type.unit === 'week' ? "TIMESTAMP '1969-12-29'" : "TIMESTAMP '1970-01-01'";
      const bucket = `time_bucket(${interval.sql}, ${x.sql}, ${origin})`;
      return DAY_UNITS.has(interval.type.unit ?? '') && interval.type.unit !== 'day'
        ? e(`CAST(${bucket} AS DATE)`, T.date)
        : e(bucket, T.dateTime(zoneOf(x, ctx)));
    },
  },
  dateTrunc: { min: 2, max: 3, fn: (args, ctx) => { const x = dateTimeOnly(args, ctx, 1); return e(`date_trunc('${normalizeUnit(constantString(args[0]!, 'The unit'))}', ${x.sql})`, T.dateTime(zoneOf(x, ctx))); } },
  toLastDayOfMonth: { min: 1, max: 1, fn: (args, ctx) => e(`last_day(${dt(args, ctx).sql})`, T.date) },
  toYear: datePart('year'), toISOYear: datePart('isoyear'), toQuarter: datePart('quarter', T.uint8), toMonth: datePart('month', T.uint8),
  toDayOfMonth: datePart('day', T.uint8), toDayOfYear: datePart('dayofyear'), toDayOfWeek: datePart('isodow', T.uint8),
  toHour: datePart('hour', T.uint8), toMinute: datePart('minute', T.uint8), toSecond: datePart('second', T.uint8),
  toISOWeek: datePart('weekofyear', T.uint8),
  toYYYYMM: { min: 1, max: 2, fn: (args, ctx) => { const x = dt(args, ctx).sql; return e(`CAST(year(${x}) * 100 + month(${x}) AS INTEGER)`, { base: 'UInt32' }); } },
  toYYYYMMDD: { min: 1, max: 2, fn: (args, ctx) => { const x = dt(args, ctx).sql; return e(`CAST(year(${x}) * 10000 + month(${x}) * 100 + day(${x}) AS INTEGER)`, { base: 'UInt32' }); } },
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
  toIntervalSecond: interval('second'), toIntervalMinute: interval('minute'), toIntervalHour: interval('hour'), toIntervalDay: interval('day'),
  toIntervalWeek: interval('week'), toIntervalMonth: interval('month'), toIntervalQuarter: interval('quarter'), toIntervalYear: interval('year'),
  addSeconds: addUnit('second', '+'), addMinutes: addUnit('minute', '+'), addHours: addUnit('hour', '+'), addDays: addUnit('day', '+'),
  addWeeks: addUnit('week', '+'), addMonths: addUnit('month', '+'), addQuarters: addUnit('quarter', '+'), addYears: addUnit('year', '+'),
  subtractSeconds: addUnit('second', '-'), subtractMinutes: addUnit('minute', '-'), subtractHours: addUnit('hour', '-'), subtractDays: addUnit('day', '-'),
  subtractWeeks: addUnit('week', '-'), subtractMonths: addUnit('month', '-'), subtractQuarters: addUnit('quarter', '-'), subtractYears: addUnit('year', '-'),

  // strings
  lower: { min: 1, max: 1, fn: ([a]) => e(`lower(${asStr(a!)})`, a!.type.nullable ? T.nstring : T.string) },
  upper: { min: 1, max: 1, fn: ([a]) => e(`upper(${asStr(a!)})`, a!.type.nullable ? T.nstring : T.string) },
  lowerUTF8: { min: 1, max: 1, fn: ([a]) => e(`lower(${asStr(a!)})`, a!.type.nullable ? T.nstring : T.string) },
  upperUTF8: { min: 1, max: 1, fn: ([a]) => e(`upper(${asStr(a!)})`, a!.type.nullable ? T.nstring : T.string) },
  length: { min: 1, max: 1, fn: ([a]) => (a!.type.base === 'Array' ? e(`len(${a!.sql})`, T.uint64) : e(`strlen(${asStr(a!)})`, T.uint64)) },
  lengthUTF8: { min: 1, max: 1, fn: ([a]) => e(`length(${asStr(a!)})`, T.uint64) },
  empty: { min: 1, max: 1, fn: ([a]) => flag(a!.type.base === 'Array' ? `(len(${a!.sql}) = 0)` : `(coalesce(${asStr(a!)}, '') = '')`) },
  notEmpty: { min: 1, max: 1, fn: ([a]) => flag(a!.type.base === 'Array' ? `(len(${a!.sql}) > 0)` : `(coalesce(${asStr(a!)}, '') <> '')`) },
  // PostHog prints concat's arguments as ifNull(toString(x), ''), so NULLs vanish instead of nulling the result.
  concat: { min: 1, fn: (args) => e(`concat(${args.map((a) => `coalesce(${asStr(a)}, '')`).join(', ')})`, T.string) },
  concatWithSeparator: { min: 1, fn: (args) => e(`concat_ws(${strArgs(args).join(', ')})`, T.string) },
  substring: { min: 2, max: 3, fn: ([s, o, l]) => e(l ? `substring(${asStr(s!)}, ${o!.sql}, ${l.sql})` : `substring(${asStr(s!)}, ${o!.sql})`, T.string) },
  left: { min: 2, max: 2, fn: ([s, n]) => e(`left(${asStr(s!)}, ${n!.sql})`, T.string) },
  right: { min: 2, max: 2, fn: ([s, n]) => e(`right(${asStr(s!)}, ${n!.sql})`, T.string) },
  trim: passthrough('trim', 1, 2, T.string), trimBoth: passthrough('trim', 1, 2, T.string),
  trimLeft: passthrough('ltrim', 1, 2, T.string), trimRight: passthrough('rtrim', 1, 2, T.string),
  ltrim: passthrough('ltrim', 1, 2, T.string), rtrim: passthrough('rtrim', 1, 2, T.string),
  reverse: { min: 1, max: 1, fn: ([a]) => (a!.type.base === 'Array' ? e(`list_reverse(${a!.sql})`, a!.type) : e(`reverse(${asStr(a!)})`, T.string)) },
  repeat: { min: 2, max: 2, fn: ([s, n]) => e(`repeat(${asStr(s!)}, ${n!.sql})`, T.string) },
  leftPad: { min: 2, max: 3, fn: ([s, n, p]) => e(`lpad(${asStr(s!)}, ${n!.sql}, ${p ? asStr(p) : "' '"})`, T.string) },
  rightPad: { min: 2, max: 3, fn: ([s, n, p]) => e(`rpad(${asStr(s!)}, ${n!.sql}, ${p ? asStr(p) : "' '"})`, T.string) },
  startsWith: { min: 2, max: 2, fn: ([s, p]) => flag(`starts_with(${asStr(s!)}, ${asStr(p!)})`) },
  endsWith: { min: 2, max: 2, fn: ([s, p]) => flag(`suffix(${asStr(s!)}, ${asStr(p!)})`) },
  position: { min: 2, max: 2, fn: ([s, p]) => e(`strpos(${asStr(s!)}, ${asStr(p!)})`, T.uint64) },
  locate: { min: 2, max: 2, fn: ([s, p]) => e(`strpos(${asStr(s!)}, ${asStr(p!)})`, T.uint64) },
  positionCaseInsensitive: { min: 2, max: 2, fn: ([s, p]) => e(`strpos(lower(${asStr(s!)}), lower(${asStr(p!)}))`, T.uint64) },
  replace: { min: 3, max: 3, fn: (args) => e(`replace(${strArgs(args).join(', ')})`, T.string) },
  replaceAll: { min: 3, max: 3, fn: (args) => e(`replace(${strArgs(args).join(', ')})`, T.string) },
  replaceOne: {
    min: 3,
    max: 3,
    fn: (args) => {
      const [s, a, b] = strArgs(args);
      return e(`(CASE WHEN strpos(${s}, ${a}) > 0 AND length(${a}) > 0 THEN concat(substring(${s}, 1, strpos(${s}, ${a}) - 1), ${b}, substring(${s}, strpos(${s}, ${a}) + length(${a}))) ELSE ${s} END)`, T.string);
    },
  },
  replaceRegexpOne: { min: 3, max: 3, fn: (args) => e(`regexp_replace(${strArgs(args).join(', ')})`, T.string) },
  replaceRegexpAll: { min: 3, max: 3, fn: (args) => e(`regexp_replace(${strArgs(args).join(', ')}, 'g')`, T.string) },
  extract: { min: 2, max: 2, fn: ([s, re]) => e(`regexp_extract(${asStr(s!)}, ${asStr(re!)}, ${hasCaptureGroup(re!) ? 1 : 0})`, T.string) },
  regexpExtract: { min: 2, max: 3, fn: ([s, re, g]) => e(`regexp_extract(${asStr(s!)}, ${asStr(re!)}, ${g ? g.sql : 1})`, T.string) },
  extractAll: { min: 2, max: 2, fn: ([s, re]) => e(`regexp_extract_all(${asStr(s!)}, ${asStr(re!)}, ${hasCaptureGroup(re!) ? 1 : 0})`, T.array(T.string)) },
  splitByChar: { min: 2, max: 3, fn: ([sep, s]) => e(`string_split(${asStr(s!)}, ${asStr(sep!)})`, T.array(T.string)) },
  splitByString: { min: 2, max: 3, fn: ([sep, s]) => e(`string_split(${asStr(s!)}, ${asStr(sep!)})`, T.array(T.string)) },
  splitByRegexp: { min: 2, max: 3, fn: ([re, s]) => e(`string_split_regex(${asStr(s!)}, ${asStr(re!)})`, T.array(T.string)) },
  arrayStringConcat: { min: 1, max: 2, fn: ([arr, sep]) => e(`array_to_string(${arrayOperand(arr!).sql}, ${sep ? asStr(sep) : "''"})`, T.string) },
  base64Encode: { min: 1, max: 1, fn: ([s]) => e(`to_base64(encode(${asStr(s!)}))`, T.string) },
  base64Decode: { min: 1, max: 1, fn: ([s]) => e(`decode(from_base64(${asStr(s!)}))`, T.string) },
  domain: { min: 1, max: 1, fn: ([u]) => e(domainSql(asStr(u!)), T.string) },
  domainWithoutWWW: { min: 1, max: 1, fn: ([u]) => e(`regexp_replace(${domainSql(asStr(u!))}, '^www\\.', '')`, T.string) },
  protocol: { min: 1, max: 1, fn: ([u]) => e(`regexp_extract(${asStr(u!)}, '^([a-zA-Z][a-zA-Z0-9+.\\-]*):', 1)`, T.string) },
  path: { min: 1, max: 1, fn: ([u]) => e(`regexp_extract(${asStr(u!)}, '^(?:${URL_SCHEME}[^/?#]*)?([^?#]*)', 1)`, T.string) },
  queryString: { min: 1, max: 1, fn: ([u]) => e(`regexp_extract(${asStr(u!)}, '\\?([^#]*)', 1)`, T.string) },
  fragment: { min: 1, max: 1, fn: ([u]) => e(`regexp_extract(${asStr(u!)}, '#(.*)$', 1)`, T.string) },
  cutQueryString: { min: 1, max: 1, fn: ([u]) => e(`regexp_replace(${asStr(u!)}, '\\?[^#]*', '')`, T.string) },
  extractURLParameter: {
    min: 2,
    max: 2,
    fn: ([u, name]) => e(`regexp_extract(${asStr(u!)}, ${sqlString(`[?&]${regexEscape(constantString(name!, 'The parameter name'))}=([^&#]*)`)}, 1)`, T.string),
  },
  generateUUIDv4: { min: 0, max: 0, fn: () => e('CAST(uuid() AS VARCHAR)', T.uuid) },

  // JSON
  JSONExtractString: jsonTyped('string'),
  JSONExtractInt: jsonTyped('int'),
  JSONExtractUInt: jsonTyped('int'),
  JSONExtractFloat: jsonTyped('float'),
  JSONExtractBool: jsonTyped('bool'),
  JSONExtractRaw: jsonTyped('raw'),
  JSONHas: { min: 2, fn: (args) => flag(`coalesce(json_exists(TRY_CAST(${asStr(args[0]!)} AS JSON), ${jsonPath(args.slice(1))}), false)`) },
  JSONLength: {
    min: 1,
    fn: (args) => {
      const doc = `TRY_CAST(${asStr(args[0]!)} AS JSON)`;
      const path = jsonPath(args.slice(1));
      return e(`coalesce(CASE json_type(${doc}, ${path}) WHEN 'ARRAY' THEN json_array_length(${doc}, ${path}) WHEN 'OBJECT' THEN len(json_keys(${doc}, ${path})) ELSE 0 END, 0)`, T.uint64);
    },
  },
  JSONArrayLength: { min: 1, fn: (args) => e(`json_array_length(TRY_CAST(${asStr(args[0]!)} AS JSON), ${jsonPath(args.slice(1))})`, nullable(T.uint64)) },
  JSONExtractArrayRaw: { min: 1, fn: (args) => e(jsonArray(asStr(args[0]!), jsonPath(args.slice(1)), false), T.array(T.string)) },
  JSONExtractKeys: { min: 1, fn: (args) => e(`coalesce(json_keys(TRY_CAST(${asStr(args[0]!)} AS JSON), ${jsonPath(args.slice(1))}), [])`, T.array(T.string)) },
  isValidJSON: { min: 1, max: 1, fn: ([a]) => flag(`coalesce(json_valid(${asStr(a!)}), false)`) },

  // arrays and tuples
  array: { min: 0, fn: (args) => e(`list_value(${args.map((a) => a.sql).join(', ')})`, T.array(args[0]?.type ?? T.nothing)) },
  range: {
    min: 1,
    max: 3,
    fn: (args) => e(args.length === 1 ? `range(0, ${args[0]!.sql})` : `range(${args.map((a) => a.sql).join(', ')})`, T.array(T.uint64)),
  },
  has: { min: 2, max: 2, fn: ([arr, x]) => flag(`list_contains(${arrayOperand(arr!).sql}, ${x!.sql})`) },
  hasAny: { min: 2, max: 2, fn: ([a, b]) => flag(`list_has_any(${arrayOperand(a!).sql}, ${arrayOperand(b!).sql})`) },
  hasAll: { min: 2, max: 2, fn: ([a, b]) => flag(`list_has_all(${arrayOperand(a!).sql}, ${arrayOperand(b!).sql})`) },
  indexOf: { min: 2, max: 2, fn: ([arr, x]) => e(`coalesce(list_position(${arrayOperand(arr!).sql}, ${x!.sql}), 0)`, T.uint64) },
  arrayElement: { min: 2, max: 2, fn: ([arr, i]) => { const a = arrayOperand(arr!); return e(`list_extract(${a.sql}, ${i!.sql})`, nullable(elemOf(a))); } },
  arrayMap: higherOrder((l, arr, body) => e(`list_transform(${arrayOperand(arr).sql}, ${l})`, T.array(body.type))),
  arrayFilter: higherOrder((l, arr) => e(`list_filter(${arrayOperand(arr).sql}, ${l})`, arrayOperand(arr).type)),
  arrayExists: higherOrder((l, arr) => flag(`(len(list_filter(${arrayOperand(arr).sql}, ${l})) > 0)`)),
  arrayAll: higherOrder((l, arr) => flag(`(len(list_filter(${arrayOperand(arr).sql}, ${l})) = len(${arrayOperand(arr).sql}))`)),
  arrayFirst: higherOrder((l, arr) => e(`list_extract(list_filter(${arrayOperand(arr).sql}, ${l}), 1)`, nullable(elemOf(arrayOperand(arr))))),
  arrayCount: higherOrder((l, arr) => e(l ? `len(list_filter(${arrayOperand(arr).sql}, ${l}))` : `len(list_filter(${arrayOperand(arr).sql}, array_item -> array_item <> 0))`, T.uint64), false),
  arraySum: higherOrder((l, arr) => e(`coalesce(list_sum(${l ? `list_transform(${arrayOperand(arr).sql}, ${l})` : arrayOperand(arr).sql}), 0)`, T.float), false),
  arrayAvg: higherOrder((l, arr) => e(`list_avg(${l ? `list_transform(${arrayOperand(arr).sql}, ${l})` : arrayOperand(arr).sql})`, T.float), false),
  arrayMin: higherOrder((l, arr, body) => e(`list_min(${l ? `list_transform(${arrayOperand(arr).sql}, ${l})` : arrayOperand(arr).sql})`, l ? body.type : elemOf(arr)), false),
  arrayMax: higherOrder((l, arr, body) => e(`list_max(${l ? `list_transform(${arrayOperand(arr).sql}, ${l})` : arrayOperand(arr).sql})`, l ? body.type : elemOf(arr)), false),
  arraySort: { min: 1, max: 1, fn: ([a]) => e(`list_sort(${arrayOperand(a!).sql})`, arrayOperand(a!).type) },
  arrayReverseSort: { min: 1, max: 1, fn: ([a]) => e(`list_reverse_sort(${arrayOperand(a!).sql})`, arrayOperand(a!).type) },
  arrayReverse: { min: 1, max: 1, fn: ([a]) => e(`list_reverse(${arrayOperand(a!).sql})`, arrayOperand(a!).type) },
  arrayDistinct: { min: 1, max: 1, fn: ([a]) => e(`list_distinct(${arrayOperand(a!).sql})`, arrayOperand(a!).type) },
  arrayUniq: { min: 1, max: 1, fn: ([a]) => e(`len(list_distinct(${arrayOperand(a!).sql}))`, T.uint64) },
  arrayConcat: { min: 1, fn: (args) => e(args.map((a) => arrayOperand(a).sql).reduce((acc, s) => `list_concat(${acc}, ${s})`), arrayOperand(args[0]!).type) },
  arrayPushBack: { min: 2, max: 2, fn: ([a, x]) => e(`list_append(${arrayOperand(a!).sql}, ${x!.sql})`, arrayOperand(a!).type) },
  arrayPushFront: { min: 2, max: 2, fn: ([a, x]) => e(`list_prepend(${x!.sql}, ${arrayOperand(a!).sql})`, arrayOperand(a!).type) },
  arraySlice: {
    min: 2,
    max: 3,
    fn: ([a, o, l]) => {
      const arr = arrayOperand(a!).sql;
      const end = l ? `(${o!.sql}) + (${l.sql}) - 1` : `len(${arr})`;
      return e(`list_slice(${arr}, ${o!.sql}, ${end})`, arrayOperand(a!).type);
    },
  },
  tuple: { min: 1, fn: (args) => ({ sql: `struct_pack(${args.map((a, i) => `"${i + 1}" := ${a.sql}`).join(', ')})`, type: { base: 'Tuple', items: args.map((a) => a.type) } }) },
  tupleElement: {
    min: 2,
    max: 2,
    fn: ([t, i]) => {
      const index = constantNumber(i!, 'The tuple index');
      return e(`struct_extract(${t!.sql}, '${index}')`, t!.type.items?.[index - 1] ?? T.string);
    },
  },
};

function interval(unit: string): FnDef {
  return { min: 1, max: 1, fn: ([n]) => intervalOf(unit, n!) };
}

function dateShift(op: '+' | '-'): FnDef {
  return {
    min: 2,
    max: 3,
    fn: (args, ctx) => {
      if (args.length === 2) {
        // date_add(date, INTERVAL n unit)
        const [d, i] = args[0]!.type.base === 'Interval' ? [args[1]!, args[0]!] : [args[0]!, args[1]!];
        return shiftDate(d.type.base === 'DateTime' || d.type.base === 'Date' ? d : asDateTime(d, ctx.tz), i, op, ctx.tz);
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

/** Lower-cased lookup, for the SQL-standard names ClickHouse matches case-insensitively (COUNT, LOWER, ...). */
const LOWER_INDEX = new Map(Object.keys(FUNCTIONS).map((k) => [k.toLowerCase(), k]));
const SNAKE_ALIASES: Record<string, string> = { date_diff: 'dateDiff', date_add: 'dateAdd', date_sub: 'dateSub', date_trunc: 'dateTrunc', substr: 'substring', mid: 'substring', lcase: 'lower', ucase: 'upper', ifnull: 'ifNull', nullif: 'nullIf', timestamp_add: 'timestampAdd', timestamp_sub: 'timestampSub' };

export function findFunction(name: string): FnDef | undefined {
  const direct = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (direct) return direct;
  const alias = Object.hasOwn(SNAKE_ALIASES, name.toLowerCase()) ? SNAKE_ALIASES[name.toLowerCase()] : undefined;
  if (alias) return FUNCTIONS[alias];
  const key = LOWER_INDEX.get(name.toLowerCase());
  return key ? FUNCTIONS[key] : undefined;
}

export const FUNCTION_NAMES = Object.keys(FUNCTIONS);
