/**
 * HogQL AST -> DuckDB SQL. Resolves PostHog's schema (tables, lazy `person`/`session` joins, JSON properties typed by
 * property definitions), ClickHouse's name rules (select aliases usable everywhere, taking priority over columns)
 * and its implicit coercions.
 *
 * Time zones: DateTime values are carried in DuckDB as naive TIMESTAMPs holding the wall clock of the zone in their
 * ChType (the team zone unless `toTimeZone` moved them), so `toStartOfDay` and friends work on local days like
 * ClickHouse; results.ts adds the zone's offset when printing.
 */
import { AGGREGATE_NAMES, WINDOW_ONLY, findAggregate } from './aggregates.js';
import type { AliasNode, AstNode, CallNode, FieldNode, JoinExprNode, OrderExprNode, QueryNode, SelectQueryNode, SelectSetQueryNode } from './ast.js';
import { HogQLError, unsupported } from './errors.js';
import { asCond, asDate, asDateTime, asNum, asStr, convertZone, literal, numType, type Expr } from './expr.js';
import { CAST_FUNCTIONS, FUNCTION_NAMES, arrayOperand, findFunction, shiftDate, type FnContext } from './functions.js';
import { printHogQL } from './printer.js';
import { TABLES, columnType, type PropertyOwner, type TableDef } from './schema.js';
import { jsonPointer, own, quoteIdent, sqlString } from './sql.js';
import { T, isInt, isNumeric, isString, isTemporal, nullable, type ChType } from './types.js';

export type PropertyType = 'String' | 'Numeric' | 'Boolean';
export type PropertyTypes = Record<PropertyOwner, Map<string, PropertyType>>;

export interface TranslateOptions {
  /** The team time zone. */
  tz: string;
  /** SQL for now() as the team zone's wall clock. */
  nowSql: string;
  propertyTypes: PropertyTypes;
}

export interface OutputColumn {
  /** The name PostHog prints: the alias, or the expression's HogQL. */
  name: string;
  type: ChType;
  boolRepr: boolean;
}

export interface Translated {
  sql: string;
  columns: OutputColumn[];
}

interface SourceColumn {
  sqlName: string;
  type: ChType;
  boolRepr: boolean;
}

interface Source {
  /** The name HogQL uses for it (alias or table name). */
  name: string;
  sqlAlias: string;
  table?: TableDef;
  columns?: Map<string, SourceColumn>;
  /** Lazily joined tables hanging off this source (`person`, `session`), in join order. */
  lazy: Map<string, { source: Source; sql: string }>;
}

interface AliasEntry {
  node: AstNode;
  expr?: Expr;
  busy: boolean;
}

interface CteInfo {
  sqlName: string;
  columns: OutputColumn[];
}

class Scope {
  readonly sources: Source[] = [];
  readonly fromSql: { source?: Source; sql: string }[] = [];
  readonly laterals: { key: string; alias: string; sql: string; left: boolean }[] = [];
  readonly aliases = new Map<string, AliasEntry>();
  readonly ctes = new Map<string, CteInfo>();
  readonly sqlAliases = new Set<string>();
  windows: Record<string, AstNode> = {};

  constructor(readonly parent?: Scope) {}

  cte(name: string): CteInfo | undefined {
    return this.ctes.get(name) ?? this.parent?.cte(name);
  }

  uniqueAlias(wanted: string): string {
    let alias = wanted;
    for (let i = 2; this.sqlAliases.has(alias); i++) alias = `${wanted}_${i}`;
    this.sqlAliases.add(alias);
    return alias;
  }
}

const JOIN_TYPES: Record<string, string> = {
  JOIN: 'JOIN',
  'INNER JOIN': 'JOIN',
  'LEFT JOIN': 'LEFT JOIN',
  'LEFT OUTER JOIN': 'LEFT JOIN',
  'RIGHT JOIN': 'RIGHT JOIN',
  'RIGHT OUTER JOIN': 'RIGHT JOIN',
  'FULL JOIN': 'FULL JOIN',
  'FULL OUTER JOIN': 'FULL JOIN',
  'CROSS JOIN': 'CROSS JOIN',
  ',': 'CROSS JOIN',
};

function normalizeJoinType(raw: string | null | undefined): string {
  const cleaned = (raw ?? 'JOIN')
    .toUpperCase()
    .replace(/\b(GLOBAL|ANY|ALL|SEMI|ANTI)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const mapped = own(JOIN_TYPES, cleaned || 'JOIN');
  if (!mapped) throw unsupported(`Unsupported join type: ${raw}`);
  return mapped;
}

const flag = (sql: string): Expr => ({ sql, type: T.uint8, boolRepr: true });
const paren = (e: Expr): Expr => ({ ...e, sql: `(${e.sql})` });

function validateArgs(name: string, count: number, min: number, max: number | undefined): void {
  const plural = (n: number) => (n === 1 ? '' : 's');
  if (min === max && count !== min) throw unsupported(`Function '${name}' expects ${min} argument${plural(min)}, found ${count}`);
  if (count < min) throw unsupported(`Function '${name}' expects at least ${min} argument${plural(min)}, found ${count}`);
  if (max !== undefined && count > max) throw unsupported(`Function '${name}' expects at most ${max} argument${plural(max)}, found ${count}`);
}

/** A difflib-like suggestion for a misspelled function (PostHog's "Perhaps you meant ..." hint, cutoff 0.6). */
function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = 0.6;
  for (const candidate of candidates) {
    const score = (2 * commonSubsequence(name, candidate)) / (name.length + candidate.length);
    if (score >= bestScore && (best === undefined || score > bestScore)) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

function commonSubsequence(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = [0];
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev = cur;
  }
  return prev[b.length]!;
}

/** ClickHouse tuples as DuckDB structs with fields "1", "2"...: positional reads and ordered output. */
export function tupleOf(items: Expr[]): Expr {
  const fields = items.map((item, i) => `${quoteIdent(String(i + 1))} := ${item.sql}`);
  return { sql: `struct_pack(${fields.join(', ')})`, type: { base: 'Tuple', items: items.map((i) => (i.boolRepr ? T.uint8 : i.type)) } };
}

export class Translator {
  private scope = new Scope();
  private lambdas: Map<string, { sqlName: string; type: ChType }>[] = [];
  private lambdaCounter = 0;
  private readonly fnContext: FnContext;

  constructor(private readonly options: TranslateOptions) {
    this.fnContext = {
      tz: options.tz,
      nowSql: options.nowSql,
      translate: (node) => this.expr(node),
      lambda: (node, params) => this.lambda(node, params),
    };
  }

  translate(query: QueryNode): Translated {
    return this.query(query, undefined);
  }

  // ------------------------------------------------------------------ queries

  private query(node: AstNode, parent: Scope | undefined): Translated {
    if (node.node === 'SelectQuery') return this.select(node as SelectQueryNode, parent);
    if (node.node === 'SelectSetQuery') return this.selectSet(node as SelectSetQueryNode, parent);
    throw unsupported(`Expected a SELECT query, got ${node.node}`);
  }

  private selectSet(node: SelectSetQueryNode, parent: Scope | undefined): Translated {
    const first = this.query(node.initial_select_query, parent);
    const parts = [`(${first.sql})`];
    for (const next of node.subsequent_select_queries) {
      const op = next.set_operator.toUpperCase().replace(/\s+/g, ' ');
      const SET_OPS = { 'UNION ALL': 'UNION ALL', 'UNION DISTINCT': 'UNION', UNION: 'UNION', INTERSECT: 'INTERSECT', 'INTERSECT DISTINCT': 'INTERSECT', EXCEPT: 'EXCEPT', 'EXCEPT DISTINCT': 'EXCEPT' } as Record<string, string>;
      const sqlOp = own(SET_OPS, op);
      if (!sqlOp) throw unsupported(`Unsupported set operator: ${next.set_operator}`);
      parts.push(sqlOp, `(${this.query(next.select_query, parent).sql})`);
    }
    return { sql: parts.join(' '), columns: first.columns };
  }

  private select(node: SelectQueryNode, parent: Scope | undefined): Translated {
    const scope = new Scope(parent);
    const saved = this.scope;
    const savedLambdas = this.lambdas;
    this.scope = scope;
    this.lambdas = [];
    try {
      return this.selectIn(node, scope);
    } finally {
      this.scope = saved;
      this.lambdas = savedLambdas;
    }
  }

  private selectIn(node: SelectQueryNode, scope: Scope): Translated {
    const withParts: string[] = [];
    const ctes = node.ctes ? (Array.isArray(node.ctes) ? node.ctes : Object.values(node.ctes)) : [];
    for (const cte of ctes) {
      if (cte.cte_type === 'column') {
        scope.aliases.set(cte.name, { node: cte.expr, busy: false });
        continue;
      }
      const translated = this.query(cte.expr, scope);
      const sqlName = scope.uniqueAlias(`cte_${cte.name}`);
      scope.ctes.set(cte.name, { sqlName, columns: translated.columns });
      withParts.push(`${quoteIdent(sqlName)} AS (${translated.sql})`);
    }
    scope.windows = (node.window_exprs as Record<string, AstNode> | null | undefined) ?? {};

    if (node.select_from) this.from(node.select_from);
    if (node.array_join_op) this.arrayJoinClause(node);

    // Register every select alias first: ClickHouse lets WHERE, GROUP BY and other columns use them.
    const items = this.expandSelect(node.select);
    for (const item of items) {
      if (item.alias !== undefined && !scope.aliases.has(item.alias)) scope.aliases.set(item.alias, { node: item.expr, busy: false });
    }

    const columns: OutputColumn[] = [];
    const selectSql: string[] = [];
    for (const item of items) {
      const expr = item.alias !== undefined && scope.aliases.get(item.alias)?.node === item.expr ? this.aliasRef(item.alias) : this.expr(item.expr);
      columns.push({ name: item.name, type: expr.boolRepr ? T.uint8 : expr.type, boolRepr: !!expr.boolRepr });
      selectSql.push(`${expr.sql} AS ${quoteIdent(item.exportName)}`);
    }

    const where = [node.prewhere, node.where].filter((n): n is AstNode => !!n).map((n) => asCond(this.expr(n)));
    const groupBy = (node.group_by ?? []).map((n) => this.expr(n).sql);
    const having = node.having ? asCond(this.expr(node.having)) : undefined;
    const orderBy = (node.order_by ?? []).map((o) => this.orderItem(o));
    const qualify: string[] = [];
    if (node.qualify) qualify.push(asCond(this.expr(node.qualify)));
    if (node.limit_by) {
      const n = this.expr(node.limit_by.n).sql;
      const offset = node.limit_by.offset_value ? this.expr(node.limit_by.offset_value).sql : '0';
      const partition = node.limit_by.exprs.map((x) => this.expr(x).sql).join(', ');
      const order = orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : '';
      qualify.push(`row_number() OVER (PARTITION BY ${partition}${order}) BETWEEN ${offset} + 1 AND ${offset} + ${n}`);
    }
    if (node.limit_with_ties) throw unsupported('LIMIT ... WITH TIES is not supported by the emulator');
    const limit = node.limit ? this.expr(node.limit).sql : undefined;
    const offset = node.offset ? this.expr(node.offset).sql : undefined;

    const parts: string[] = [];
    if (withParts.length) parts.push(`WITH ${withParts.join(', ')}`);
    parts.push(`SELECT ${node.distinct ? 'DISTINCT ' : ''}${selectSql.join(', ')}`);
    const from = this.fromSql(scope);
    if (from) parts.push(from);
    if (where.length) parts.push(`WHERE ${where.join(' AND ')}`);
    if (groupBy.length) parts.push(`GROUP BY ${groupBy.join(', ')}`);
    if (having) parts.push(`HAVING ${having}`);
    if (qualify.length) parts.push(`QUALIFY ${qualify.join(' AND ')}`);
    if (orderBy.length) parts.push(`ORDER BY ${orderBy.join(', ')}`);
    if (limit !== undefined) parts.push(`LIMIT ${limit}`);
    if (offset !== undefined) parts.push(`OFFSET ${offset}`);
    return { sql: parts.join(' '), columns };
  }

  private orderItem(o: OrderExprNode): string {
    const e = this.expr(o.expr);
    return `${e.sql} ${o.order === 'DESC' ? 'DESC' : 'ASC'}`;
  }

  private expandSelect(select: AstNode[]): { expr: AstNode; alias?: string; name: string; exportName: string }[] {
    const out: { expr: AstNode; alias?: string; name: string; exportName: string }[] = [];
    for (const node of select) {
      if (node.node === 'Alias') {
        const a = node as AliasNode;
        out.push({ expr: a.expr, alias: a.alias, name: a.alias, exportName: a.alias });
        continue;
      }
      if (node.node === 'Field') {
        const chain = (node as FieldNode).chain;
        if (chain[chain.length - 1] === '*') {
          out.push(...this.expandStar(chain.slice(0, -1).map(String)));
          continue;
        }
        const last = String(chain[chain.length - 1]);
        out.push({ expr: node, name: printHogQL(node), exportName: last });
        continue;
      }
      const printed = printHogQL(node);
      out.push({ expr: node, name: printed, exportName: printed });
    }
    return out;
  }

  private expandStar(prefix: string[]): { expr: AstNode; name: string; exportName: string }[] {
    let sources = this.scope.sources;
    if (prefix.length) {
      const source = this.findSource(prefix[0]!);
      if (!source || prefix.length > 1) throw unsupported(`Unable to resolve field: ${prefix.join('.')}`);
      sources = [source];
    }
    if (!sources.length) throw unsupported('SELECT * needs a FROM clause');
    const out: { expr: AstNode; name: string; exportName: string }[] = [];
    for (const source of sources) {
      const names = source.table ? source.table.star : [...(source.columns?.keys() ?? [])];
      for (const name of names) {
        const field: FieldNode = { node: 'Field', chain: sources.length > 1 || prefix.length ? [source.name, name] : [name] };
        out.push({ expr: field, name, exportName: name });
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ FROM

  private from(join: JoinExprNode): void {
    let current: JoinExprNode | null | undefined = join;
    let first = true;
    while (current) {
      this.joinItem(current, first);
      first = false;
      current = current.next_join;
    }
  }

  private joinItem(join: JoinExprNode, first: boolean): void {
    const scope = this.scope;
    if (join.sample) {
      const ratio = (join.sample as { sample_value?: { left?: { value?: unknown }; right?: unknown } }).sample_value;
      if (!(ratio?.left?.value === 1 && !ratio.right)) throw unsupported('SAMPLE is not supported by the emulator');
    }
    const table = join.table;
    if (!table) throw unsupported('Unsupported join without a table');
    let source: Source;
    let tableSql: string;
    if (table.node === 'Field') {
      const chain = (table as FieldNode).chain.map(String);
      const name = chain.join('.');
      const cte = chain.length === 1 ? scope.cte(name) : undefined;
      const def = own(TABLES, name);
      const hogqlName = join.alias ?? name;
      const sqlAlias = scope.uniqueAlias(hogqlName);
      if (cte) {
        source = { name: hogqlName, sqlAlias, columns: this.columnsOf(cte.columns), lazy: new Map() };
        tableSql = `${quoteIdent(cte.sqlName)} AS ${quoteIdent(sqlAlias)}`;
      } else if (def) {
        source = { name: hogqlName, sqlAlias, table: def, lazy: new Map() };
        tableSql = `${quoteIdent(def.duck)} AS ${quoteIdent(sqlAlias)}`;
      } else {
        throw unsupported(`Unknown table "${name}".`);
      }
    } else if (table.node === 'SelectQuery' || table.node === 'SelectSetQuery') {
      const sub = this.query(table, scope);
      const hogqlName = join.alias ?? scope.uniqueAlias('subquery');
      const sqlAlias = join.alias ? scope.uniqueAlias(join.alias) : hogqlName;
      source = { name: hogqlName, sqlAlias, columns: this.columnsOf(sub.columns, table), lazy: new Map() };
      tableSql = `(${sub.sql}) AS ${quoteIdent(sqlAlias)}`;
    } else {
      throw unsupported(`Unsupported table expression: ${table.node}`);
    }

    scope.sources.push(source);
    if (first) {
      scope.fromSql.push({ source, sql: `FROM ${tableSql}` });
      return;
    }
    const type = normalizeJoinType(join.join_type);
    let constraint = '';
    if (join.constraint) {
      if (join.constraint.constraint_type === 'USING') {
        const using = join.constraint.expr;
        const names = (using.node === 'Tuple' ? ((using as { exprs?: AstNode[] }).exprs ?? []) : [using]).map((n) => {
          if (n.node !== 'Field') throw unsupported('USING expects column names');
          return String((n as FieldNode).chain[0]);
        });
        // USING on PostHog's virtual columns would not survive renaming, so spell it as ON.
        const previous = scope.sources[scope.sources.length - 2]!;
        constraint = ` ON ${names.map((n) => `${this.onSource(previous, [n]).sql} = ${this.onSource(source, [n]).sql}`).join(' AND ')}`;
      } else {
        constraint = ` ON ${asCond(this.expr(join.constraint.expr))}`;
      }
    } else if (type !== 'CROSS JOIN') {
      throw unsupported(`${type} needs an ON or USING constraint`);
    }
    scope.fromSql.push({ source, sql: `${type} ${tableSql}${constraint}` });
  }

  private columnsOf(columns: OutputColumn[], node?: AstNode): Map<string, SourceColumn> {
    const map = new Map<string, SourceColumn>();
    const exportNames = node?.node === 'SelectQuery' ? this.exportNames(node as SelectQueryNode, columns) : columns.map((c) => c.name);
    columns.forEach((c, i) => {
      const sqlName = exportNames[i] ?? c.name;
      const entry = { sqlName, type: c.type, boolRepr: c.boolRepr };
      if (!map.has(sqlName)) map.set(sqlName, entry);
      if (!map.has(c.name)) map.set(c.name, entry);
    });
    return map;
  }

  /** The names a subquery's columns are visible under (alias, or a field's last name). */
  private exportNames(node: SelectQueryNode, columns: OutputColumn[]): string[] {
    const names: string[] = [];
    for (const item of node.select) {
      if (item.node === 'Alias') names.push((item as AliasNode).alias);
      else if (item.node === 'Field') {
        const chain = (item as FieldNode).chain;
        if (chain[chain.length - 1] === '*') return columns.map((c) => c.name);
        names.push(String(chain[chain.length - 1]));
      } else names.push(printHogQL(item));
    }
    return names;
  }

  private fromSql(scope: Scope): string {
    const parts: string[] = [];
    const addLazy = (source: Source) => {
      for (const { source: joined, sql } of source.lazy.values()) {
        parts.push(sql);
        addLazy(joined);
      }
    };
    for (const item of scope.fromSql) {
      parts.push(item.sql);
      if (item.source) addLazy(item.source);
    }
    scope.laterals.forEach((lateral, i) => {
      const body = `(SELECT unnest(${lateral.sql}) AS "array_join_value") AS ${quoteIdent(lateral.alias)}`;
      if (!parts.length && i === 0) parts.push(`FROM ${body}`);
      else parts.push(lateral.left ? `LEFT JOIN LATERAL ${body} ON true` : `CROSS JOIN LATERAL ${body}`);
    });
    return parts.join(' ');
  }

  private arrayJoinClause(node: SelectQueryNode): void {
    const left = (node.array_join_op ?? '').toUpperCase().startsWith('LEFT');
    for (const item of node.array_join_list ?? []) {
      if (item.node !== 'Alias') throw unsupported('ARRAY JOIN expressions need an alias');
      const alias = item as AliasNode;
      const value = this.arrayJoin(this.expr(alias.expr), left);
      this.scope.aliases.set(alias.alias, { node: alias, expr: value, busy: false });
    }
  }

  /** arrayJoin(x) becomes a lateral unnest, so its value can be filtered and grouped on like a column. */
  private arrayJoin(arr: Expr, left = false): Expr {
    const scope = this.scope;
    const operand = arrayOperand(arr);
    const key = operand.sql;
    let lateral = scope.laterals.find((l) => l.key === key && l.left === left);
    if (!lateral) {
      lateral = { key, alias: scope.uniqueAlias(`array_join_${scope.laterals.length}`), sql: operand.sql, left };
      scope.laterals.push(lateral);
    }
    return { sql: `${quoteIdent(lateral.alias)}."array_join_value"`, type: operand.type.elem ?? T.string };
  }

  // ------------------------------------------------------------------ names

  private findSource(name: string): Source | undefined {
    const sources = this.scope.sources;
    return sources.find((s) => s.name === name) ?? (sources.filter((s) => s.table?.name === name).length === 1 ? sources.find((s) => s.table?.name === name) : undefined);
  }

  private aliasRef(name: string): Expr {
    const entry = this.scope.aliases.get(name)!;
    if (!entry.expr) {
      entry.busy = true;
      try {
        entry.expr = this.expr(entry.node);
      } finally {
        entry.busy = false;
      }
    }
    return paren(entry.expr);
  }

  private field(node: FieldNode): Expr {
    const chain = node.chain;
    const head = chain[0];
    if (typeof head !== 'string') throw unsupported(`Unable to resolve field: ${String(head)}`);
    const rest = chain.slice(1);
    for (let i = this.lambdas.length - 1; i >= 0; i--) {
      const param = this.lambdas[i]!.get(head);
      if (param) return this.descend({ sql: param.sqlName, type: param.type }, rest, head);
    }
    const alias = this.scope.aliases.get(head);
    if (alias && !alias.busy && (rest.length === 0 || !this.findSource(head))) return this.descend(this.aliasRef(head), rest, head);
    if (rest.length) {
      const source = this.findSource(head);
      if (source) return this.onSource(source, rest);
    }
    for (const source of this.scope.sources) {
      if (this.hasColumn(source, head)) return this.onSource(source, chain);
    }
    if (head === '*') throw unsupported('* is only allowed in SELECT and count(*)');
    throw unsupported(`Unable to resolve field: ${head}`);
  }

  private hasColumn(source: Source, name: string): boolean {
    if (source.table) return Object.hasOwn(source.table.columns, name) || Object.hasOwn(source.table.lazyJoins, name);
    return source.columns?.has(name) ?? false;
  }

  /** Reads `path` inside a JSON string value (a property bag, or a property that holds JSON). */
  private descend(base: Expr, path: (string | number)[], name: string): Expr {
    if (!path.length) return base;
    if (!isString(base.type)) throw unsupported(`Can not access "${path.join('.')}" on "${name}"`);
    return { sql: `json_extract_string(${base.sql}, ${sqlString(jsonPointer(path))})`, type: T.nstring };
  }

  private onSource(source: Source, chain: (string | number)[]): Expr {
    const [head, ...rest] = chain;
    const name = String(head);
    if (source.table) {
      const def = own(source.table.columns, name);
      if (def) {
        const base: Expr = { sql: def.sql(source.sqlAlias, this.options.tz), type: columnType(def, this.options.tz) };
        if (!rest.length) return base;
        if (def.properties) return this.property(base.sql, rest, def.properties);
        throw unsupported(`Can not access "${rest.join('.')}" on field "${name}"`);
      }
      const lazy = own(source.table.lazyJoins, name);
      if (lazy) {
        if (!rest.length) throw unsupported(`Can't select a table when a column is expected: ${name}`);
        return this.onSource(this.lazyJoin(source, name), rest);
      }
      throw unsupported(`Unable to resolve field: ${name}`);
    }
    const column = source.columns?.get(name);
    if (!column) throw unsupported(`Unable to resolve field: ${name}`);
    const base: Expr = { sql: `${quoteIdent(source.sqlAlias)}.${quoteIdent(column.sqlName)}`, type: column.type, ...(column.boolRepr ? { boolRepr: true } : {}) };
    return this.descend(base, rest, name);
  }

  private lazyJoin(source: Source, name: string): Source {
    const existing = source.lazy.get(name);
    if (existing) return existing.source;
    const def = source.table!.lazyJoins[name]!;
    const table = TABLES[def.table]!;
    const sqlAlias = this.scope.uniqueAlias(`${source.sqlAlias}__${name}`);
    const joined: Source = { name: sqlAlias, sqlAlias, table, lazy: new Map() };
    source.lazy.set(name, { source: joined, sql: `LEFT JOIN ${quoteIdent(table.duck)} AS ${quoteIdent(sqlAlias)} ON ${def.on(source.sqlAlias, sqlAlias)}` });
    return joined;
  }

  /** `properties.x.y`: a JSON read, typed Float64/Bool when the property definition says so (top level only). */
  private property(column: string, path: (string | number)[], owner: PropertyOwner): Expr {
    const raw = `json_extract_string(${column}, ${sqlString(jsonPointer(path))})`;
    const definition = path.length === 1 ? this.options.propertyTypes[owner].get(String(path[0])) : undefined;
    if (definition === 'Numeric') return { sql: `TRY_CAST(${raw} AS DOUBLE)`, type: T.nfloat };
    if (definition === 'Boolean') return { sql: `(CASE ${raw} WHEN 'true' THEN true WHEN 'false' THEN false END)`, type: { base: 'Bool', nullable: true } };
    return { sql: raw, type: T.nstring };
  }

  // ------------------------------------------------------------------ expressions

  expr(node: AstNode): Expr {
    const n = node as AstNode & Record<string, any>;
    switch (n.node) {
      case 'Constant':
        return literal(n.value);
      case 'Field':
        return this.field(n as FieldNode);
      case 'Alias': {
        const alias = n as AliasNode;
        if (!this.scope.aliases.has(alias.alias)) this.scope.aliases.set(alias.alias, { node: alias.expr, busy: false });
        const entry = this.scope.aliases.get(alias.alias)!;
        if (entry.node === alias && entry.expr) return entry.expr;
        return this.expr(alias.expr);
      }
      case 'ArithmeticOperation':
        return this.arithmetic(n.op, this.expr(n.left), this.expr(n.right));
      case 'CompareOperation':
        return this.compare(n.op, n.left, n.right);
      case 'And':
      case 'Or': {
        const parts = (n.exprs as AstNode[]).map((x) => asCond(this.expr(x)));
        return flag(`(${parts.join(n.node === 'And' ? ' AND ' : ' OR ')})`);
      }
      case 'Not':
        return flag(`(NOT ${asCond(this.expr(n.expr))})`);
      case 'BetweenExpr': {
        const x = this.expr(n.expr);
        const [value, lo] = this.coerce(x, this.expr(n.low));
        const [, hi] = this.coerce(x, this.expr(n.high));
        return flag(`(${value} ${n.negated ? 'NOT ' : ''}BETWEEN ${lo} AND ${hi})`);
      }
      case 'IsDistinctFrom': {
        const [l, r] = this.coerce(this.expr(n.left), this.expr(n.right));
        return flag(`(${l} IS ${n.negated ? 'NOT ' : ''}DISTINCT FROM ${r})`);
      }
      case 'Call':
        return this.call(n as CallNode);
      case 'Tuple':
        return tupleOf((n.exprs as AstNode[]).map((x) => this.expr(x)));
      case 'Array': {
        const items = (n.exprs as AstNode[]).map((x) => this.expr(x));
        if (!items.length) return { sql: '[]', type: T.array(T.nothing) };
        const elem = items.find((i) => i.type.base !== 'Nothing')?.type ?? T.nothing;
        return { sql: `[${items.map((i) => (isString(elem) ? asStr(i) : i.boolRepr ? asNum(i) : i.sql)).join(', ')}]`, type: T.array(elem) };
      }
      case 'ArrayAccess':
        return this.arrayAccess(n.array, n.property);
      case 'TupleAccess':
        return this.tupleAccess(n.tuple, n.index);
      case 'TypeCast': {
        const fn = own(CAST_FUNCTIONS, String(n.type_name).toLowerCase().replace(/\(.*$/, ''));
        if (!fn) throw unsupported(`Unsupported type cast to ${n.type_name}`);
        return this.call({ node: 'Call', name: fn, args: [n.expr] });
      }
      case 'WindowFunction':
        return this.window(n);
      case 'SelectQuery':
      case 'SelectSetQuery': {
        const sub = this.query(n, this.scope);
        const column = sub.columns[0];
        return { sql: `(${sub.sql})`, type: column ? nullable(column.type) : T.nothing, ...(column?.boolRepr ? { boolRepr: true } : {}) };
      }
      case 'Lambda':
        throw unsupported('Lambdas are only allowed as arguments of array functions');
      case 'Placeholder':
        throw unsupported(`Unresolved placeholder: {${printHogQL(n.expr)}}`);
      case 'HogQLXTag':
        throw unsupported('HogQLX tags are not supported by the emulator');
      default:
        throw unsupported(`Unsupported expression: ${n.node}`);
    }
  }

  private arrayAccess(arrayNode: AstNode, propertyNode: AstNode): Expr {
    const key = propertyNode.node === 'Constant' ? (propertyNode as { value?: unknown }).value : undefined;
    if (arrayNode.node === 'Field' && (typeof key === 'string' || typeof key === 'number')) {
      try {
        const base = this.expr(arrayNode);
        if (base.type.base === 'Array') return { sql: `list_extract(${base.sql}, ${this.expr(propertyNode).sql})`, type: nullable(base.type.elem ?? T.string) };
      } catch {
        // fall through: `properties['$browser']` is a property path, not an array read
      }
      if (typeof key === 'string') return this.field({ node: 'Field', chain: [...(arrayNode as FieldNode).chain, key] });
    }
    const base = this.expr(arrayNode);
    const index = this.expr(propertyNode);
    if (base.type.base === 'Array') return { sql: `list_extract(${base.sql}, ${index.sql})`, type: nullable(base.type.elem ?? T.string) };
    if (isString(base.type)) {
      if (typeof key === 'string') return this.descend(base, [key], printHogQL(arrayNode));
      if (typeof key === 'number' && key > 0) return this.descend(base, [key - 1], printHogQL(arrayNode));
    }
    throw unsupported(`Can not index into ${printHogQL(arrayNode)}`);
  }

  private tupleAccess(tupleNode: AstNode, index: number): Expr {
    const base = this.expr(tupleNode);
    if (base.type.base === 'Tuple') return { sql: `struct_extract(${base.sql}, ${sqlString(String(index))})`, type: base.type.items?.[index - 1] ?? T.string };
    if (base.type.base === 'Array') return { sql: `list_extract(${base.sql}, ${index})`, type: nullable(base.type.elem ?? T.string) };
    if (isString(base.type) && index > 0) return this.descend(base, [index - 1], printHogQL(tupleNode));
    throw unsupported(`Can not access element ${index} of ${printHogQL(tupleNode)}`);
  }

  private lambda(node: AstNode, params: ChType[]): Expr {
    if (node.node !== 'Lambda') throw unsupported('Expected a lambda');
    const names = (node as { args?: string[] }).args ?? [];
    if (names.length !== params.length) throw unsupported(`The lambda expects ${names.length} arguments, got ${params.length}`);
    const frame = new Map<string, { sqlName: string; type: ChType }>();
    const sqlNames = names.map((name, i) => {
      const sqlName = `lambda_${this.lambdaCounter++}`;
      frame.set(name, { sqlName, type: params[i]! });
      return sqlName;
    });
    this.lambdas.push(frame);
    try {
      const body = this.expr((node as unknown as { expr: AstNode }).expr);
      const head = sqlNames.length === 1 ? sqlNames[0] : `(${sqlNames.join(', ')})`;
      return { sql: `${head} -> ${body.sql}`, type: body.boolRepr ? T.uint8 : body.type, ...(body.boolRepr ? { boolRepr: true } : {}) };
    } finally {
      this.lambdas.pop();
    }
  }

  // ------------------------------------------------------------------ operators

  /** Makes two operands comparable the way ClickHouse would, returning their SQL. */
  private coerce(left: Expr, right: Expr): [string, string] {
    const l = left;
    const r = right;
    const tz = this.options.tz;
    if (l.type.base === 'DateTime' && r.type.base === 'DateTime') return [l.sql, convertZone(r.sql, r.type.tz ?? tz, l.type.tz ?? tz)];
    if (l.type.base === 'DateTime' && !isTemporal(r.type) && r.type.base !== 'Nothing') return [l.sql, asDateTime(r, l.type.tz ?? tz).sql];
    if (r.type.base === 'DateTime' && !isTemporal(l.type) && l.type.base !== 'Nothing') return [asDateTime(l, r.type.tz ?? tz).sql, r.sql];
    if (l.type.base === 'Date' && isString(r.type)) return [l.sql, asDate(r, tz).sql];
    if (r.type.base === 'Date' && isString(l.type)) return [asDate(l, tz).sql, r.sql];
    const lNum = isNumeric(l.type) || l.boolRepr;
    const rNum = isNumeric(r.type) || r.boolRepr;
    if ((lNum && (rNum || isString(r.type) || r.type.base === 'Bool')) || (rNum && (isString(l.type) || l.type.base === 'Bool'))) {
      if (l.boolRepr && r.boolRepr) return [l.sql, r.sql];
      return [asNum(l), asNum(r)];
    }
    if (l.type.base === 'Bool' && isString(r.type)) return [l.sql, `TRY_CAST(${r.sql} AS BOOLEAN)`];
    if (r.type.base === 'Bool' && isString(l.type)) return [`TRY_CAST(${l.sql} AS BOOLEAN)`, r.sql];
    if (isString(l.type) && r.type.base === 'UUID') return [l.sql, r.sql];
    return [l.sql, r.sql];
  }

  private compare(op: string, leftNode: AstNode, rightNode: AstNode): Expr {
    const normalized = op.toLowerCase();
    if (normalized === 'in' || normalized === 'not in' || normalized === 'global in' || normalized === 'global not in') {
      return this.inExpr(normalized.includes('not'), leftNode, rightNode);
    }
    if (normalized === 'in cohort' || normalized === 'not in cohort') throw unsupported('IN COHORT is not supported by the emulator');
    const left = this.expr(leftNode);
    const right = this.expr(rightNode);
    const isNull = (e: Expr) => e.constant !== undefined && e.constant.value === null;
    if (isNull(left) || isNull(right)) {
      const other = isNull(right) ? left : right;
      if (normalized === '==') return flag(`(${other.sql} IS NULL)`);
      if (normalized === '!=') return flag(`(${other.sql} IS NOT NULL)`);
      return { sql: 'NULL', type: T.nothing };
    }
    switch (normalized) {
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const [l, r] = this.coerce(left, right);
        const sqlOp = normalized === '==' ? '=' : normalized === '!=' ? '<>' : normalized;
        return flag(`(${l} ${sqlOp} ${r})`);
      }
      case 'like':
      case 'not like':
      case 'ilike':
      case 'not ilike': {
        const keyword = normalized.toUpperCase();
        return flag(`(${asStr(left)} ${keyword} ${asStr(right)} ESCAPE '\\')`);
      }
      case '=~':
      case '!~':
      case '=~*':
      case '!~*': {
        const options = normalized.endsWith('*') ? ", 'i'" : '';
        const test = `regexp_matches(${asStr(left)}, ${asStr(right)}${options})`;
        return flag(normalized.startsWith('!') ? `(NOT ${test})` : test);
      }
      default:
        throw unsupported(`Unsupported comparison operator: ${op}`);
    }
  }

  private inExpr(negated: boolean, leftNode: AstNode, rightNode: AstNode): Expr {
    // A tuple on the left compares positionally with a multi-column subquery, so it stays an unnamed row.
    const left =
      leftNode.node === 'Tuple'
        ? (() => {
            const items = ((leftNode as { exprs?: AstNode[] }).exprs ?? []).map((x) => this.expr(x));
            return { sql: `row(${items.map((i) => i.sql).join(', ')})`, type: { base: 'Tuple', items: items.map((i) => i.type) } } as Expr;
          })()
        : this.expr(leftNode);
    let test: string;
    if (rightNode.node === 'SelectQuery' || rightNode.node === 'SelectSetQuery') {
      const sub = this.query(rightNode, this.scope);
      const subType = sub.columns[0]?.type;
      let leftSql = left.sql;
      if (subType && left.type.base !== 'Tuple') {
        const [l] = this.coerce(left, { sql: 'NULL', type: subType });
        leftSql = l;
      }
      test = `(${leftSql} IN (${sub.sql}))`;
    } else if (rightNode.node === 'Tuple' || rightNode.node === 'Array') {
      const items = ((rightNode as { exprs?: AstNode[] }).exprs ?? []).map((x) => this.expr(x));
      if (!items.length) return flag(negated ? 'true' : 'false');
      const values = items.filter((i) => !(i.constant && i.constant.value === null)).map((i) => this.coerce(left, i));
      const hasNull = values.length < items.length;
      const leftSql = values[0]?.[0] ?? left.sql;
      test = values.length ? `(${leftSql} IN (${values.map((v) => v[1]).join(', ')}))` : 'false';
      if (hasNull) test = `(${test} OR ${left.sql} IS NULL)`;
    } else {
      const right = this.expr(rightNode);
      if (right.type.base === 'Array') test = `list_contains(${right.sql}, ${left.sql})`;
      else {
        const [l, r] = this.coerce(left, right);
        test = `(${l} = ${r})`;
      }
    }
    return flag(negated ? `(NOT coalesce(${test}, false))` : `coalesce(${test}, false)`);
  }

  private arithmetic(op: string, left: Expr, right: Expr): Expr {
    const tz = this.options.tz;
    const nullableResult = !!(left.type.nullable || right.type.nullable);
    if (op === '+' || op === '-') {
      if (right.type.base === 'Interval' && left.type.base !== 'Interval') {
        const base = isTemporal(left.type) ? left : asDateTime(left, tz);
        return shiftDate(base, right, op, tz);
      }
      if (left.type.base === 'Interval' && right.type.base !== 'Interval' && op === '+') {
        return shiftDate(isTemporal(right.type) ? right : asDateTime(right, tz), left, '+', tz);
      }
      if (left.type.base === 'Interval' && right.type.base === 'Interval') return { sql: `(${left.sql} ${op} ${right.sql})`, type: left.type };
      if (isTemporal(left.type) && isTemporal(right.type) && op === '-') {
        const unit = left.type.base === 'Date' && right.type.base === 'Date' ? 'day' : 'second';
        const [l, r] = this.coerce(left, right);
        return { sql: `date_diff('${unit}', ${r}, ${l})`, type: T.int64 };
      }
      if (isTemporal(left.type) && (isNumeric(right.type) || right.boolRepr)) {
        if (left.type.base === 'Date') return { sql: `(${left.sql} ${op} CAST(${asNum(right)} AS INTEGER))`, type: left.type };
        return { sql: `(${left.sql} ${op} to_seconds(CAST(${asNum(right)} AS BIGINT)))`, type: left.type };
      }
    }
    const l = asNum(left);
    const r = asNum(right);
    const lt = numType(left);
    const rt = numType(right);
    const bothInt = isInt(lt) && isInt(rt);
    switch (op) {
      case '/':
        return { sql: `(CAST(${l} AS DOUBLE) / ${r})`, type: nullable(T.float, nullableResult) };
      case '%':
        return { sql: `(${l} % ${r})`, type: nullable(bothInt ? T.int64 : T.float, nullableResult) };
      case '+':
      case '-':
      case '*': {
        const type = bothInt ? (lt.base.startsWith('U') && rt.base.startsWith('U') && op !== '-' ? T.uint64 : T.int64) : T.float;
        return { sql: `(${l} ${op} ${r})`, type: nullable(type, nullableResult || !!lt.nullable || !!rt.nullable) };
      }
      default:
        throw unsupported(`Unsupported arithmetic operator: ${op}`);
    }
  }

  // ------------------------------------------------------------------ calls

  private call(node: CallNode): Expr {
    const name = node.name;
    if (name === 'arrayJoin') {
      validateArgs(name, node.args.length, 1, 1);
      return this.arrayJoin(this.expr(node.args[0]!));
    }
    const aggregate = findAggregate(name);
    if (aggregate) return this.aggregate(node, aggregate.def, aggregate.ifCombinator);
    const fn = findFunction(name);
    if (!fn) {
      if (own(WINDOW_ONLY, name)) throw unsupported(`Function '${name}' needs an OVER clause`);
      const suggestion = closestName(name, [...FUNCTION_NAMES, ...AGGREGATE_NAMES]);
      throw unsupported(suggestion ? `Unsupported function call '${name}(...)'. Perhaps you meant '${suggestion}(...)'?` : `Unsupported function call '${name}(...)'`);
    }
    if (node.params?.length) throw unsupported(`Function '${name}' does not take parameters`);
    validateArgs(name, node.args.length, fn.min, fn.max);
    if (fn.raw) return fn.raw(node, this.fnContext);
    const args = node.args.map((a) => this.expr(a));
    return fn.fn!(args, this.fnContext, node);
  }

  private aggregateCall(node: CallNode, def: ReturnType<typeof findAggregate> & object): { call: string; filters: string[]; type: ChType; wrap?: (s: string) => string } {
    const argNodes = def.ifCombinator ? node.args.slice(0, -1) : node.args;
    const condNode = def.ifCombinator ? node.args[node.args.length - 1] : undefined;
    if (def.ifCombinator && !condNode) throw unsupported(`Function '${node.name}' expects a condition as its last argument`);
    const isStar = argNodes.length === 1 && argNodes[0]!.node === 'Field' && (argNodes[0] as FieldNode).chain.length === 1 && (argNodes[0] as FieldNode).chain[0] === '*';
    const effective = isStar ? [] : argNodes;
    validateArgs(node.name, effective.length, def.def.min, def.def.max);
    const params = (node.params ?? []).map((p) => this.expr(p));
    const [minParams, maxParams] = def.def.params ?? [0, 0];
    if (params.length < minParams || (maxParams !== undefined && params.length > maxParams)) {
      throw unsupported(`Aggregation '${node.name}' expects ${minParams === maxParams ? minParams : `${minParams} to ${maxParams ?? 'any'}`} parameters, found ${params.length}`);
    }
    const args = effective.map((a) => this.expr(a));
    const built = def.def.build(args, params, !!node.distinct);
    const filters = [built.filter, condNode ? asCond(this.expr(condNode)) : undefined, node.filter_expr ? asCond(this.expr(node.filter_expr)) : undefined].filter((f): f is string => !!f);
    return { call: built.call, filters, type: built.type, ...(built.wrap ? { wrap: built.wrap } : {}) };
  }

  private aggregate(node: CallNode, def: NonNullable<ReturnType<typeof findAggregate>>['def'], ifCombinator: boolean): Expr {
    const built = this.aggregateCall(node, { def, ifCombinator });
    const filtered = built.filters.length ? `${built.call} FILTER (WHERE ${built.filters.join(' AND ')})` : built.call;
    return { sql: built.wrap ? built.wrap(filtered) : filtered, type: built.type };
  }

  private window(n: AstNode & Record<string, any>): Expr {
    const over = this.overClause(n);
    const name = String(n.name);
    const call: CallNode = { node: 'Call', name, args: (n.exprs as AstNode[] | null) ?? [], params: (n.args as AstNode[] | null) ?? null };
    const aggregate = findAggregate(name);
    if (aggregate) {
      const built = this.aggregateCall(call, aggregate);
      const filtered = built.filters.length ? `${built.call} FILTER (WHERE ${built.filters.join(' AND ')})` : built.call;
      const sql = `${filtered} OVER (${over})`;
      return { sql: built.wrap ? built.wrap(sql) : sql, type: built.type };
    }
    const def = own(WINDOW_ONLY, name);
    if (!def) throw unsupported(`Unsupported window function '${name}(...)'`);
    validateArgs(name, call.args.length, def.min, def.max);
    const args = call.args.map((a) => this.expr(a));
    return { sql: `${def.name ?? name}(${args.map((a) => a.sql).join(', ')}) OVER (${over})`, type: def.type(args) };
  }

  private overClause(n: AstNode & Record<string, any>): string {
    let over = n.over_expr as (AstNode & Record<string, any>) | undefined;
    if (!over && n.over_identifier) {
      over = this.scope.windows[n.over_identifier] as (AstNode & Record<string, any>) | undefined;
      if (!over) throw unsupported(`Unknown window: ${n.over_identifier}`);
    }
    if (!over) return '';
    const parts: string[] = [];
    if (over.partition_by?.length) parts.push(`PARTITION BY ${(over.partition_by as AstNode[]).map((x) => this.expr(x).sql).join(', ')}`);
    if (over.order_by?.length) parts.push(`ORDER BY ${(over.order_by as OrderExprNode[]).map((o) => this.orderItem(o)).join(', ')}`);
    if (over.frame_method) {
      const bound = (b: Record<string, any> | null | undefined): string => {
        if (!b) return 'CURRENT ROW';
        if (b.frame_type === 'CURRENT ROW') return 'CURRENT ROW';
        const value = b.frame_value === null || b.frame_value === undefined ? 'UNBOUNDED' : String(Number(b.frame_value));
        return `${value} ${b.frame_type === 'FOLLOWING' ? 'FOLLOWING' : 'PRECEDING'}`;
      };
      const method = over.frame_method === 'RANGE' ? 'RANGE' : 'ROWS';
      parts.push(over.frame_end ? `${method} BETWEEN ${bound(over.frame_start)} AND ${bound(over.frame_end)}` : `${method} ${bound(over.frame_start)}`);
    }
    return parts.join(' ');
  }
}

/** Wraps translator failures that are not already HogQLErrors (bugs, or DuckDB-side messages). */
export function translateQuery(query: QueryNode, options: TranslateOptions): Translated {
  try {
    return new Translator(options).translate(query);
  } catch (error) {
    if (error instanceof HogQLError) throw error;
    throw unsupported(error instanceof Error ? error.message : String(error));
  }
}
