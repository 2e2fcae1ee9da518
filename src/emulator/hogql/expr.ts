/**
 * A translated expression (DuckDB SQL plus its ClickHouse type) and the coercions ClickHouse applies implicitly
 * that DuckDB does not: comparisons yield UInt8 (kept as BOOLEAN in DuckDB, `boolRepr`), strings compared with
 * numbers or dates are parsed, integers in a condition mean "non-zero".
 */
import { unsupported } from './errors.js';
import { quoteIdent, sqlNumber, sqlString } from './sql.js';
import { T, intLiteralType, isNumeric, isString, type ChType } from './types.js';

export interface Expr {
  sql: string;
  type: ChType;
  /** DuckDB holds a BOOLEAN where ClickHouse would hold UInt8 0/1. */
  boolRepr?: boolean;
  /** Set for literals, so functions can read units, paths and parameters. */
  constant?: { value: unknown };
}

/** A condition: DuckDB BOOLEAN standing for ClickHouse's UInt8 0/1. */
export const flag = (sql: string): Expr => ({ sql, type: T.uint8, boolRepr: true });

export const isNullLiteral = (e: Expr): boolean => e.constant !== undefined && e.constant.value === null;

/** ClickHouse tuples as DuckDB structs with fields "1", "2"...: positional reads and ordered output. */
export function tupleOf(items: Expr[]): Expr {
  const fields = items.map((item, i) => `${quoteIdent(String(i + 1))} := ${item.sql}`);
  return { sql: `struct_pack(${fields.join(', ')})`, type: { base: 'Tuple', items: items.map((i) => (i.boolRepr ? T.uint8 : i.type)) } };
}

export function literal(value: unknown): Expr {
  if (value === null || value === undefined) return { sql: 'NULL', type: T.nothing, constant: { value: null } };
  if (typeof value === 'string') return { sql: sqlString(value), type: T.string, constant: { value } };
  if (typeof value === 'boolean') return { sql: value ? 'true' : 'false', type: T.bool, constant: { value } };
  if (typeof value === 'number') {
    const type = Number.isInteger(value) ? intLiteralType(value) : T.float;
    return { sql: sqlNumber(value), type, constant: { value } };
  }
  if (Array.isArray(value)) {
    const items = value.map(literal);
    return { sql: `[${items.map((i) => i.sql).join(', ')}]`, type: T.array(items[0]?.type ?? T.nothing), constant: { value } };
  }
  throw unsupported(`Unsupported constant value of type ${typeof value}`);
}

/** As a SQL condition (DuckDB BOOLEAN). */
export function asCond(e: Expr): string {
  if (e.boolRepr || e.type.base === 'Bool' || e.type.base === 'Nothing') return e.sql;
  if (isNumeric(e.type)) return `(${e.sql} <> 0)`;
  return `TRY_CAST(${e.sql} AS BOOLEAN)`;
}

/** As a SQL number. */
export function asNum(e: Expr): string {
  if (e.boolRepr || e.type.base === 'Bool') return `CAST(${e.sql} AS INTEGER)`;
  if (isString(e.type)) return `TRY_CAST(${e.sql} AS DOUBLE)`;
  return e.sql;
}

export function numType(e: Expr): ChType {
  if (e.boolRepr || e.type.base === 'Bool') return T.uint8;
  if (isString(e.type)) return T.nfloat;
  return e.type;
}

/** ClickHouse's toString: DateTime64(6) prints microseconds, whole floats print without ".0", UInt8 flags print 0/1. */
export function asStr(e: Expr): string {
  if (isString(e.type) || e.type.base === 'UUID') return e.sql;
  if (e.boolRepr) return `CAST(CAST(${e.sql} AS INTEGER) AS VARCHAR)`;
  switch (e.type.base) {
    case 'DateTime':
      return `strftime(${e.sql}, '%Y-%m-%d %H:%M:%S.%f')`;
    case 'Date':
      return `strftime(${e.sql}, '%Y-%m-%d')`;
    case 'Float64':
      return `(CASE WHEN ${e.sql} = trunc(${e.sql}) AND abs(${e.sql}) < 1e15 THEN CAST(CAST(${e.sql} AS BIGINT) AS VARCHAR) ELSE CAST(${e.sql} AS VARCHAR) END)`;
    default:
      return `CAST(${e.sql} AS VARCHAR)`;
  }
}

/** A string parsed as a timestamp in the team zone: naive text is already wall clock, text with an offset is converted. */
export function parseDateTimeSql(sql: string, tz: string): string {
  const withOffset = `timezone(${sqlString(tz)}, TRY_CAST(${sql} AS TIMESTAMPTZ))`;
  return `(CASE WHEN regexp_matches(${sql}, '(Z|[+-]\\d\\d:?\\d\\d)$') THEN ${withOffset} ELSE TRY_CAST(${sql} AS TIMESTAMP) END)`;
}

/** Moves a DateTime from one zone's wall clock to another's. */
export function convertZone(sql: string, from: string, to: string): string {
  if (from === to) return sql;
  return `timezone(${sqlString(to)}, timezone(${sqlString(from)}, ${sql}))`;
}

/** As a DateTime in zone `tz` (strings parsed, dates at midnight, numbers as unix seconds). */
export function asDateTime(e: Expr, tz: string): Expr {
  switch (e.type.base) {
    case 'DateTime':
      return { sql: convertZone(e.sql, e.type.tz ?? 'UTC', tz), type: T.dateTime(tz) };
    case 'Date':
      return { sql: `CAST(${e.sql} AS TIMESTAMP)`, type: T.dateTime(tz) };
    case 'String':
      return { sql: parseDateTimeSql(e.sql, tz), type: { ...T.dateTime(tz), nullable: true } };
    case 'Nothing':
      return { sql: 'CAST(NULL AS TIMESTAMP)', type: { ...T.dateTime(tz), nullable: true } };
    default:
      if (isNumeric(e.type)) return { sql: `timezone(${sqlString(tz)}, to_timestamp(${e.sql}))`, type: T.dateTime(tz) };
      throw unsupported(`Can not convert ${e.type.base} to DateTime`);
  }
}

export function asDate(e: Expr, tz: string): Expr {
  switch (e.type.base) {
    case 'Date':
      return e;
    case 'DateTime':
      return { sql: `CAST(${e.sql} AS DATE)`, type: T.date };
    case 'String':
      return { sql: `CAST(${parseDateTimeSql(e.sql, tz)} AS DATE)`, type: { ...T.date, nullable: true } };
    case 'Nothing':
      return { sql: 'CAST(NULL AS DATE)', type: { ...T.date, nullable: true } };
    default:
      if (isNumeric(e.type)) return { sql: `(DATE '1970-01-01' + CAST(${e.sql} AS INTEGER))`, type: T.date };
      throw unsupported(`Can not convert ${e.type.base} to Date`);
  }
}

export function constantString(e: Expr, what: string): string {
  if (!e.constant || typeof e.constant.value !== 'string') throw unsupported(`${what} must be a constant string`);
  return e.constant.value;
}

export function constantNumber(e: Expr, what: string): number {
  if (!e.constant || typeof e.constant.value !== 'number') throw unsupported(`${what} must be a constant number`);
  return e.constant.value;
}
