/**
 * ClickHouse type names as PostHog returns them in `types`, tracked alongside each translated expression so the
 * response can say `UInt64` for a count or `DateTime64(6, 'UTC')` for a timestamp even though DuckDB computed it.
 */
export type ChBase =
  | 'String'
  | 'UInt8'
  | 'UInt16'
  | 'UInt32'
  | 'UInt64'
  | 'Int8'
  | 'Int16'
  | 'Int32'
  | 'Int64'
  | 'Float64'
  | 'Bool'
  | 'Date'
  | 'DateTime'
  | 'UUID'
  | 'Array'
  | 'Tuple'
  | 'Interval'
  | 'Nothing';

export interface ChType {
  base: ChBase;
  nullable?: boolean;
  /** DateTime only: the zone whose wall clock the value holds (see translate.ts on time zones). */
  tz?: string;
  /** Array only. */
  elem?: ChType;
  /** Tuple only. */
  items?: ChType[];
  /** String only: the text is a JSON document (properties columns), so `.key` access is allowed. */
  json?: boolean;
  /** Interval only: the unit, for Date arithmetic that must stay a Date. */
  unit?: string;
}

export const T = {
  string: { base: 'String' } as ChType,
  nstring: { base: 'String', nullable: true } as ChType,
  json: { base: 'String', json: true } as ChType,
  uint8: { base: 'UInt8' } as ChType,
  uint64: { base: 'UInt64' } as ChType,
  int64: { base: 'Int64' } as ChType,
  float: { base: 'Float64' } as ChType,
  nfloat: { base: 'Float64', nullable: true } as ChType,
  bool: { base: 'Bool' } as ChType,
  date: { base: 'Date' } as ChType,
  uuid: { base: 'UUID' } as ChType,
  nothing: { base: 'Nothing', nullable: true } as ChType,
  dateTime: (tz: string): ChType => ({ base: 'DateTime', tz }),
  array: (elem: ChType): ChType => ({ base: 'Array', elem }),
  interval: (unit: string): ChType => ({ base: 'Interval', unit }),
};

const INTS = new Set<ChBase>(['UInt8', 'UInt16', 'UInt32', 'UInt64', 'Int8', 'Int16', 'Int32', 'Int64']);

export const isInt = (t: ChType): boolean => INTS.has(t.base);
export const isNumeric = (t: ChType): boolean => INTS.has(t.base) || t.base === 'Float64';
export const isString = (t: ChType): boolean => t.base === 'String';
export const isTemporal = (t: ChType): boolean => t.base === 'DateTime' || t.base === 'Date';

export function nullable(t: ChType, on = true): ChType {
  if (t.base === 'Array' || t.base === 'Tuple' || t.base === 'Nothing') return t;
  return { ...t, nullable: on };
}

export function printType(t: ChType): string {
  let inner: string;
  switch (t.base) {
    case 'DateTime':
      inner = `DateTime64(6, '${t.tz ?? 'UTC'}')`;
      break;
    case 'Array':
      return `Array(${printType(t.elem ?? T.string)})`;
    case 'Tuple':
      return `Tuple(${(t.items ?? []).map(printType).join(', ')})`;
    case 'Interval':
      inner = `Interval${(t.unit ?? 'second').replace(/^./, (c) => c.toUpperCase())}`;
      break;
    case 'Nothing':
      return 'Nullable(Nothing)';
    default:
      inner = t.base;
  }
  return t.nullable ? `Nullable(${inner})` : inner;
}

/** ClickHouse's type for an integer literal: the narrowest unsigned type for non-negatives, else signed. */
export function intLiteralType(n: number): ChType {
  if (n >= 0) {
    if (n < 2 ** 8) return T.uint8;
    if (n < 2 ** 16) return { base: 'UInt16' };
    if (n < 2 ** 32) return { base: 'UInt32' };
    return T.uint64;
  }
  if (n >= -(2 ** 7)) return { base: 'Int8' };
  if (n >= -(2 ** 15)) return { base: 'Int16' };
  if (n >= -(2 ** 31)) return { base: 'Int32' };
  return T.int64;
}
