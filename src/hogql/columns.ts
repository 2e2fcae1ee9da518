/**
 * What a ClickHouse type name (PostHog's `types`) means for display: `Nullable(DateTime64(6, 'UTC'))` is a datetime,
 * `UInt64` an integer. Wrappers that do not change how a value reads (Nullable, LowCardinality) are looked through.
 */
export type ColumnKind =
  | 'integer'
  | 'float'
  | 'bool'
  | 'datetime'
  | 'date'
  | 'string'
  | 'json'
  | 'uuid'
  | 'array'
  | 'tuple'
  | 'map'
  | 'other';

export function unwrapType(type: string): string {
  let current = type.trim();
  for (let i = 0; i < 5; i += 1) {
    const inner = /^(?:Nullable|LowCardinality)\((.*)\)$/s.exec(current)?.[1];
    if (inner === undefined) break;
    current = inner.trim();
  }
  return current;
}

export function columnKind(type: string | null | undefined): ColumnKind {
  if (!type) return 'other';
  const t = unwrapType(type);
  if (/^U?Int(8|16|32|64|128|256)$/.test(t)) return 'integer';
  if (/^(Float(32|64)|Decimal(32|64|128|256)?\b)/.test(t)) return 'float';
  if (t === 'Bool' || t === 'Boolean') return 'bool';
  if (/^DateTime(64)?\b/.test(t)) return 'datetime';
  if (/^Date(32)?$/.test(t)) return 'date';
  if (/^(String|FixedString\(\d+\)|Enum(8|16)?\()/.test(t)) return 'string';
  if (/^(JSON|Object\()/.test(t)) return 'json';
  if (t === 'UUID') return 'uuid';
  if (t.startsWith('Array(')) return 'array';
  if (t.startsWith('Tuple(')) return 'tuple';
  if (t.startsWith('Map(')) return 'map';
  return 'other';
}

export const isNumericKind = (kind: ColumnKind): boolean => kind === 'integer' || kind === 'float';

/**
 * `types` as PostHog sends it (`[["count()", "UInt64"], ...]`; some versions send bare names), aligned with `columns`.
 * A missing type reads as "other", which still displays, just without number alignment.
 */
export function typesFor(columns: readonly string[], types: ReadonlyArray<unknown> | null | undefined): string[] {
  return columns.map((_, i) => {
    const t = types?.[i];
    if (typeof t === 'string') return t;
    if (Array.isArray(t) && typeof t[1] === 'string') return t[1];
    return '';
  });
}
