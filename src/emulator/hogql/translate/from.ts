/**
 * FROM, JOIN and ARRAY JOIN. Each table, CTE or subquery becomes a Source in the scope; the FROM clause is rendered
 * last, since translating the rest of the query adds lazy joins and array-join laterals to it.
 */
import type { AliasNode, AstNode, FieldNode, JoinExprNode, SelectQueryNode } from '../ast.js';
import { unsupported } from '../errors.js';
import { asCond, type Expr } from '../expr.js';
import { arrayOperand } from '../functions/arrays.js';
import { TABLES } from '../schema.js';
import { own, quoteIdent } from '../sql.js';
import { T } from '../types.js';
import type { OutputColumn, Scope, Source, SourceColumn, Translation } from './context.js';
import { onSource } from './names.js';
import { exportNames } from './select-list.js';

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

/** ClickHouse's GLOBAL/ANY/ALL/SEMI/ANTI strictness words do not change the rows of our single-node joins. */
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

export function fromClause(t: Translation, join: JoinExprNode): void {
  let current: JoinExprNode | null | undefined = join;
  let first = true;
  while (current) {
    joinItem(t, current, first);
    first = false;
    current = current.next_join;
  }
}

function joinItem(t: Translation, join: JoinExprNode, first: boolean): void {
  const scope = t.scope;
  if (join.sample) {
    const ratio = (join.sample as { sample_value?: { left?: { value?: unknown }; right?: unknown } }).sample_value;
    if (!(ratio?.left?.value === 1 && !ratio.right)) throw unsupported('SAMPLE is not supported by the emulator');
  }
  const { source, tableSql } = joinedTable(t, join);
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
      constraint = ` ON ${names.map((n) => `${onSource(t, previous, [n]).sql} = ${onSource(t, source, [n]).sql}`).join(' AND ')}`;
    } else {
      constraint = ` ON ${asCond(t.expr(join.constraint.expr))}`;
    }
  } else if (type !== 'CROSS JOIN') {
    throw unsupported(`${type} needs an ON or USING constraint`);
  }
  scope.fromSql.push({ source, sql: `${type} ${tableSql}${constraint}` });
}

/** The source a join item reads (a CTE, a PostHog table or a subquery) and its SQL. */
function joinedTable(t: Translation, join: JoinExprNode): { source: Source; tableSql: string } {
  const scope = t.scope;
  const table = join.table;
  if (!table) throw unsupported('Unsupported join without a table');
  if (table.node === 'Field') {
    const name = (table as FieldNode).chain.map(String).join('.');
    const cte = (table as FieldNode).chain.length === 1 ? scope.cte(name) : undefined;
    const def = own(TABLES, name);
    const hogqlName = join.alias ?? name;
    const sqlAlias = scope.uniqueAlias(hogqlName);
    if (cte)
      return {
        source: { name: hogqlName, sqlAlias, columns: columnsOf(cte.columns), lazy: new Map() },
        tableSql: `${quoteIdent(cte.sqlName)} AS ${quoteIdent(sqlAlias)}`,
      };
    if (def)
      return {
        source: { name: hogqlName, sqlAlias, table: def, lazy: new Map() },
        tableSql: `${quoteIdent(def.duck)} AS ${quoteIdent(sqlAlias)}`,
      };
    throw unsupported(`Unknown table "${name}".`);
  }
  if (table.node === 'SelectQuery' || table.node === 'SelectSetQuery') {
    const sub = t.query(table, scope);
    const hogqlName = join.alias ?? scope.uniqueAlias('subquery');
    const sqlAlias = join.alias ? scope.uniqueAlias(join.alias) : hogqlName;
    return {
      source: { name: hogqlName, sqlAlias, columns: columnsOf(sub.columns, table), lazy: new Map() },
      tableSql: `(${sub.sql}) AS ${quoteIdent(sqlAlias)}`,
    };
  }
  throw unsupported(`Unsupported table expression: ${table.node}`);
}

/** A CTE's or subquery's columns, readable by SQL column name and by printed name. */
function columnsOf(columns: OutputColumn[], node?: AstNode): Map<string, SourceColumn> {
  const map = new Map<string, SourceColumn>();
  const names = node?.node === 'SelectQuery' ? exportNames(node as SelectQueryNode, columns) : columns.map((c) => c.name);
  columns.forEach((c, i) => {
    const sqlName = names[i] ?? c.name;
    const entry = { sqlName, type: c.type, boolRepr: c.boolRepr };
    if (!map.has(sqlName)) map.set(sqlName, entry);
    if (!map.has(c.name)) map.set(c.name, entry);
  });
  return map;
}

/** The FROM clause: each source followed by its lazy joins, then the array-join laterals. */
export function fromSql(scope: Scope): string {
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

/** `ARRAY JOIN arr AS x`: x becomes an alias for the unnested value. */
export function arrayJoinClause(t: Translation, node: SelectQueryNode): void {
  const left = (node.array_join_op ?? '').toUpperCase().startsWith('LEFT');
  for (const item of node.array_join_list ?? []) {
    if (item.node !== 'Alias') throw unsupported('ARRAY JOIN expressions need an alias');
    const alias = item as AliasNode;
    const value = arrayJoin(t, t.expr(alias.expr), left);
    t.scope.aliases.set(alias.alias, { node: alias, expr: value, busy: false });
  }
}

/** arrayJoin(x) becomes a lateral unnest, so its value can be filtered and grouped on like a column. */
export function arrayJoin(t: Translation, arr: Expr, left = false): Expr {
  const scope = t.scope;
  const operand = arrayOperand(arr);
  const key = operand.sql;
  let lateral = scope.laterals.find((l) => l.key === key && l.left === left);
  if (!lateral) {
    lateral = { key, alias: scope.uniqueAlias(`array_join_${scope.laterals.length}`), sql: operand.sql, left };
    scope.laterals.push(lateral);
  }
  return { sql: `${quoteIdent(lateral.alias)}."array_join_value"`, type: operand.type.elem ?? T.string };
}
