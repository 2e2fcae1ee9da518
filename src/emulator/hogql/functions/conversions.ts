/**
 * Type conversions (`toInt`, `toString`, `toDateTime`...) and the names `CAST(x AS type)` / `x::type` map onto.
 * The `OrNull` variants are the plain ones: a failed DuckDB TRY_CAST is already NULL.
 */
import { asDate, asDateTime, asNum, asStr, constantNumber, constantString, convertZone, parseDateTimeSql, type Expr } from '../expr.js';
import { T, isInt, isNumeric, isString, nullable } from '../types.js';
import { unixSeconds } from './dates.js';
import { e, type FnContext, type FnDef, type FnTable } from './define.js';

function toIntSql(a: Expr, ctx: FnContext): string {
  if (a.boolRepr || a.type.base === 'Bool') return `CAST(${a.sql} AS BIGINT)`;
  if (isInt(a.type)) return `CAST(${a.sql} AS BIGINT)`;
  // accurateCastOrNull: a float converts only when it is a whole number in range; 1.5 is NULL, not 1.
  if (a.type.base === 'Float64') return `(CASE WHEN ${a.sql} = trunc(${a.sql}) THEN TRY_CAST(${a.sql} AS BIGINT) END)`;
  if (a.type.base === 'DateTime' || a.type.base === 'Date') return unixSeconds(a, ctx);
  // ClickHouse parses only whole integers here: '1.5' is NULL, not 1.
  const s = asStr(a);
  return `(CASE WHEN regexp_full_match(trim(${s}), '[-+]?[0-9]+') THEN TRY_CAST(trim(${s}) AS BIGINT) END)`;
}

function toFloatSql(a: Expr): string {
  if (isNumeric(a.type) || a.boolRepr || a.type.base === 'Bool') return `CAST(${asNum(a)} AS DOUBLE)`;
  return `TRY_CAST(${asStr(a)} AS DOUBLE)`;
}

/** A string argument is parsed in the given zone; anything else is converted there from the team zone. */
function toDateTimeFn(args: Expr[], ctx: FnContext): Expr {
  const tzArg = args[1] ? constantString(args[1], 'The time zone') : undefined;
  const a = args[0]!;
  if (!tzArg) return asDateTime(a, ctx.tz);
  if (isString(a.type)) return e(parseDateTimeSql(a.sql, tzArg), nullable(T.dateTime(tzArg)));
  const inTeam = asDateTime(a, ctx.tz);
  return e(convertZone(inTeam.sql, ctx.tz, tzArg), T.dateTime(tzArg));
}

// PostHog's toInt / toFloat are accurateCastOrNull, whose result is Nullable whatever the input.
const toInt: FnDef = { min: 1, max: 1, fn: ([a], ctx) => e(toIntSql(a!, ctx), nullable(T.int64)) };
const toIntOrZero: FnDef = { min: 1, max: 1, fn: ([a], ctx) => e(`coalesce(${toIntSql(a!, ctx)}, 0)`, T.int64) };
const toFloat: FnDef = { min: 1, max: 1, fn: ([a]) => e(toFloatSql(a!), nullable(T.float)) };
const toFloatOrZero: FnDef = { min: 1, max: 1, fn: ([a]) => e(`coalesce(${toFloatSql(a!)}, 0)`, T.float) };
// A named constant: TypeScript does not contextually type an inline `toString` entry's callback.
const toStringFn: FnDef = { min: 1, max: 2, fn: ([a]) => e(asStr(a!), nullable(T.string, !!a!.type.nullable)) };
const toDate: FnDef = { min: 1, max: 2, fn: ([a], ctx) => asDate(a!, ctx.tz) };
const toDateTime: FnDef = { min: 1, max: 2, fn: (args, ctx) => toDateTimeFn(args, ctx) };
const parseBestEffort: FnDef = {
  min: 1,
  max: 2,
  fn: (args, ctx) => {
    const zone = args[1] ? constantString(args[1], 'The time zone') : ctx.tz;
    return e(parseDateTimeSql(asStr(args[0]!), zone), nullable(T.dateTime(zone)));
  },
};

export const CONVERSION_FUNCTIONS: FnTable = {
  toInt,
  toInt8: toInt,
  toInt16: toInt,
  toInt32: toInt,
  toInt64: toInt,
  toUInt8: toInt,
  toUInt16: toInt,
  toUInt32: toInt,
  toUInt64: toInt,
  toIntOrNull: toInt,
  toInt64OrNull: toInt,
  toInt32OrNull: toInt,
  toIntOrZero,
  toInt64OrZero: toIntOrZero,
  toInt32OrZero: toIntOrZero,
  toFloat,
  toFloat64: toFloat,
  toFloat32: toFloat,
  toFloatOrNull: toFloat,
  toFloat64OrNull: toFloat,
  toFloatOrZero,
  toFloat64OrZero: toFloatOrZero,
  toDecimal: {
    min: 1,
    max: 2,
    fn: ([a, s]) => e(s ? `round(${toFloatSql(a!)}, ${constantNumber(s, 'Decimal scale')})` : toFloatSql(a!), T.float),
  },
  toString: toStringFn,
  toUUID: { min: 1, max: 1, fn: ([a]) => e(asStr(a!), T.uuid) },
  toBool: { min: 1, max: 1, fn: ([a]) => e(isNumeric(a!.type) ? `(${asNum(a!)} <> 0)` : `TRY_CAST(${a!.sql} AS BOOLEAN)`, T.bool) },
  toJSONString: { min: 1, max: 1, fn: ([a]) => e(`CAST(to_json(${a!.boolRepr ? asNum(a!) : a!.sql}) AS VARCHAR)`, T.string) },
  toDate,
  toDate32: toDate,
  toDateOrNull: toDate,
  toDateTime,
  toDateTime64: { min: 1, max: 3, fn: (args, ctx) => toDateTimeFn([args[0]!, ...(args[2] ? [args[2]] : [])], ctx) },
  toDateTimeOrNull: toDateTime,
  parseDateTimeBestEffort: parseBestEffort,
  parseDateTimeBestEffortOrNull: parseBestEffort,
  parseDateTime64BestEffort: parseBestEffort,
  parseDateTime64BestEffortOrNull: parseBestEffort,
};

/** `CAST(x AS type)` and `x::type`: the conversion function each (lower-cased) type name stands for. */
export const CAST_FUNCTIONS: Record<string, string> = {
  string: 'toString',
  varchar: 'toString',
  text: 'toString',
  int: 'toInt',
  int8: 'toInt',
  int16: 'toInt',
  int32: 'toInt',
  int64: 'toInt',
  integer: 'toInt',
  bigint: 'toInt',
  uint8: 'toInt',
  uint16: 'toInt',
  uint32: 'toInt',
  uint64: 'toInt',
  float: 'toFloat',
  float32: 'toFloat',
  float64: 'toFloat',
  double: 'toFloat',
  decimal: 'toFloat',
  date: 'toDate',
  datetime: 'toDateTime',
  datetime64: 'toDateTime',
  timestamp: 'toDateTime',
  bool: 'toBool',
  boolean: 'toBool',
  uuid: 'toUUID',
};
