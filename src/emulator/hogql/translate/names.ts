/**
 * Name resolution, in ClickHouse's order: lambda parameters, then select aliases (which win over columns), then
 * `source.column`, then a column of any source. PostHog's virtual parts resolve here too: lazy joins
 * (`person.properties.x` joins persons on first use) and JSON properties typed by property definitions.
 */
import type { FieldNode } from '../ast.js';
import { unsupported } from '../errors.js';
import type { Expr } from '../expr.js';
import { TABLES, columnType, type PropertyOwner } from '../schema.js';
import { jsonPointer, own, quoteIdent, sqlString } from '../sql.js';
import { T, isString } from '../types.js';
import type { Source, Translation } from './context.js';

/** A select alias's expression, translated once and parenthesized wherever it is used. */
export function aliasRef(t: Translation, name: string): Expr {
  const entry = t.scope.aliases.get(name)!;
  if (!entry.expr) {
    entry.busy = true;
    try {
      entry.expr = t.expr(entry.node);
    } finally {
      entry.busy = false;
    }
  }
  return { ...entry.expr, sql: `(${entry.expr.sql})` };
}

export function field(t: Translation, node: FieldNode): Expr {
  const chain = node.chain;
  const head = chain[0];
  if (typeof head !== 'string') throw unsupported(`Unable to resolve field: ${String(head)}`);
  const rest = chain.slice(1);
  for (let i = t.lambdas.length - 1; i >= 0; i--) {
    const param = t.lambdas[i]!.get(head);
    if (param) return descend({ sql: param.sqlName, type: param.type }, rest, head);
  }
  const alias = t.scope.aliases.get(head);
  if (alias && !alias.busy && (rest.length === 0 || !t.scope.source(head))) return descend(aliasRef(t, head), rest, head);
  if (rest.length) {
    const source = t.scope.source(head);
    if (source) return onSource(t, source, rest);
  }
  for (const source of t.scope.sources) {
    if (hasColumn(source, head)) return onSource(t, source, chain);
  }
  if (head === '*') throw unsupported('* is only allowed in SELECT and count(*)');
  throw unsupported(`Unable to resolve field: ${head}`);
}

function hasColumn(source: Source, name: string): boolean {
  if (source.table) return Object.hasOwn(source.table.columns, name) || Object.hasOwn(source.table.lazyJoins, name);
  return source.columns?.has(name) ?? false;
}

/** Reads `path` inside a JSON string value (a property bag, or a property that holds JSON). */
export function descend(base: Expr, path: (string | number)[], name: string): Expr {
  if (!path.length) return base;
  if (!isString(base.type)) throw unsupported(`Can not access "${path.join('.')}" on "${name}"`);
  return { sql: `json_extract_string(${base.sql}, ${sqlString(jsonPointer(path))})`, type: T.nstring };
}

/** `chain` read on one source: a column, a property path, or a lazy join followed further. */
export function onSource(t: Translation, source: Source, chain: (string | number)[]): Expr {
  const [head, ...rest] = chain;
  const name = String(head);
  if (source.table) {
    const def = own(source.table.columns, name);
    if (def) {
      const base: Expr = { sql: def.sql(source.sqlAlias, t.options.tz), type: columnType(def, t.options.tz) };
      if (!rest.length) return base;
      if (def.properties) return property(t, base.sql, rest, def.properties);
      throw unsupported(`Can not access "${rest.join('.')}" on field "${name}"`);
    }
    const lazy = own(source.table.lazyJoins, name);
    if (lazy) {
      if (!rest.length) throw unsupported(`Can't select a table when a column is expected: ${name}`);
      return onSource(t, lazyJoin(t, source, name), rest);
    }
    throw unsupported(`Unable to resolve field: ${name}`);
  }
  const column = source.columns?.get(name);
  if (!column) throw unsupported(`Unable to resolve field: ${name}`);
  const base: Expr = {
    sql: `${quoteIdent(source.sqlAlias)}.${quoteIdent(column.sqlName)}`,
    type: column.type,
    ...(column.boolRepr ? { boolRepr: true } : {}),
  };
  return descend(base, rest, name);
}

/** Joins a lazy table onto its source once, however many fields read it; FROM emits it after the source. */
function lazyJoin(t: Translation, source: Source, name: string): Source {
  const existing = source.lazy.get(name);
  if (existing) return existing.source;
  const def = source.table!.lazyJoins[name]!;
  const table = TABLES[def.table]!;
  const sqlAlias = t.scope.uniqueAlias(`${source.sqlAlias}__${name}`);
  const joined: Source = { name: sqlAlias, sqlAlias, table, lazy: new Map() };
  source.lazy.set(name, {
    source: joined,
    sql: `LEFT JOIN ${quoteIdent(table.duck)} AS ${quoteIdent(sqlAlias)} ON ${def.on(source.sqlAlias, sqlAlias)}`,
  });
  return joined;
}

/** `properties.x.y`: a JSON read, typed Float64/Bool when the property definition says so (top level only). */
function property(t: Translation, column: string, path: (string | number)[], owner: PropertyOwner): Expr {
  const raw = `json_extract_string(${column}, ${sqlString(jsonPointer(path))})`;
  const definition = path.length === 1 ? t.options.propertyTypes[owner].get(String(path[0])) : undefined;
  if (definition === 'Numeric') return { sql: `TRY_CAST(${raw} AS DOUBLE)`, type: T.nfloat };
  if (definition === 'Boolean')
    return { sql: `(CASE ${raw} WHEN 'true' THEN true WHEN 'false' THEN false END)`, type: { base: 'Bool', nullable: true } };
  return { sql: raw, type: T.nstring };
}
