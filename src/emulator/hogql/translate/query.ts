/**
 * SELECT and set queries, clause by clause. Select aliases are registered before anything is translated, since
 * ClickHouse lets WHERE, GROUP BY and the other columns use them; LIMIT BY becomes a QUALIFY on row_number().
 */
import type { AstNode, OrderExprNode, SelectQueryNode, SelectSetQueryNode } from '../ast.js';
import { unsupported } from '../errors.js';
import { asCond } from '../expr.js';
import { own, quoteIdent } from '../sql.js';
import { T } from '../types.js';
import { Scope, type OutputColumn, type Translated, type Translation } from './context.js';
import { arrayJoinClause, fromClause, fromSql } from './from.js';
import { aliasRef } from './names.js';
import { expandSelect } from './select-list.js';

const SET_OPERATORS: Record<string, string> = {
  'UNION ALL': 'UNION ALL',
  'UNION DISTINCT': 'UNION',
  UNION: 'UNION',
  INTERSECT: 'INTERSECT',
  'INTERSECT DISTINCT': 'INTERSECT',
  EXCEPT: 'EXCEPT',
  'EXCEPT DISTINCT': 'EXCEPT',
};

export function translateQueryNode(t: Translation, node: AstNode, parent: Scope | undefined): Translated {
  if (node.node === 'SelectQuery') return select(t, node as SelectQueryNode, parent);
  if (node.node === 'SelectSetQuery') return selectSet(t, node as SelectSetQueryNode, parent);
  throw unsupported(`Expected a SELECT query, got ${node.node}`);
}

/** `ORDER BY` items, also used by window specifications. */
export function orderItem(t: Translation, o: OrderExprNode): string {
  const e = t.expr(o.expr);
  return `${e.sql} ${o.order === 'DESC' ? 'DESC' : 'ASC'}`;
}

function selectSet(t: Translation, node: SelectSetQueryNode, parent: Scope | undefined): Translated {
  const first = translateQueryNode(t, node.initial_select_query, parent);
  const parts = [`(${first.sql})`];
  for (const next of node.subsequent_select_queries) {
    const sqlOp = own(SET_OPERATORS, next.set_operator.toUpperCase().replace(/\s+/g, ' '));
    if (!sqlOp) throw unsupported(`Unsupported set operator: ${next.set_operator}`);
    parts.push(sqlOp, `(${translateQueryNode(t, next.select_query, parent).sql})`);
  }
  return { sql: parts.join(' '), columns: first.columns };
}

/** A SELECT gets its own scope, and lambda parameters of an enclosing expression are not visible inside it. */
function select(t: Translation, node: SelectQueryNode, parent: Scope | undefined): Translated {
  const scope = new Scope(parent);
  const saved = t.scope;
  const savedLambdas = t.lambdas;
  t.scope = scope;
  t.lambdas = [];
  try {
    return selectIn(t, node, scope);
  } finally {
    t.scope = saved;
    t.lambdas = savedLambdas;
  }
}

function selectIn(t: Translation, node: SelectQueryNode, scope: Scope): Translated {
  const withParts: string[] = [];
  const ctes = node.ctes ? (Array.isArray(node.ctes) ? node.ctes : Object.values(node.ctes)) : [];
  for (const cte of ctes) {
    if (cte.cte_type === 'column') {
      scope.aliases.set(cte.name, { node: cte.expr, busy: false });
      continue;
    }
    const translated = translateQueryNode(t, cte.expr, scope);
    const sqlName = scope.uniqueAlias(`cte_${cte.name}`);
    scope.ctes.set(cte.name, { sqlName, columns: translated.columns });
    withParts.push(`${quoteIdent(sqlName)} AS (${translated.sql})`);
  }
  scope.windows = (node.window_exprs as Record<string, AstNode> | null | undefined) ?? {};

  if (node.select_from) fromClause(t, node.select_from);
  if (node.array_join_op) arrayJoinClause(t, node);

  const items = expandSelect(scope, node.select);
  for (const item of items) {
    if (item.alias !== undefined && !scope.aliases.has(item.alias)) scope.aliases.set(item.alias, { node: item.expr, busy: false });
  }

  const columns: OutputColumn[] = [];
  const selectSql: string[] = [];
  for (const item of items) {
    const expr =
      item.alias !== undefined && scope.aliases.get(item.alias)?.node === item.expr ? aliasRef(t, item.alias) : t.expr(item.expr);
    columns.push({ name: item.name, type: expr.boolRepr ? T.uint8 : expr.type, boolRepr: !!expr.boolRepr });
    selectSql.push(`${expr.sql} AS ${quoteIdent(item.exportName)}`);
  }

  const where = [node.prewhere, node.where].filter((n): n is AstNode => !!n).map((n) => asCond(t.expr(n)));
  const groupBy = (node.group_by ?? []).map((n) => t.expr(n).sql);
  const having = node.having ? asCond(t.expr(node.having)) : undefined;
  const orderBy = (node.order_by ?? []).map((o) => orderItem(t, o));
  const qualify: string[] = [];
  if (node.qualify) qualify.push(asCond(t.expr(node.qualify)));
  if (node.limit_by) {
    const n = t.expr(node.limit_by.n).sql;
    const offset = node.limit_by.offset_value ? t.expr(node.limit_by.offset_value).sql : '0';
    const partition = node.limit_by.exprs.map((x) => t.expr(x).sql).join(', ');
    const order = orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : '';
    qualify.push(`row_number() OVER (PARTITION BY ${partition}${order}) BETWEEN ${offset} + 1 AND ${offset} + ${n}`);
  }
  if (node.limit_with_ties) throw unsupported('LIMIT ... WITH TIES is not supported by the emulator');
  const limit = node.limit ? t.expr(node.limit).sql : undefined;
  const offset = node.offset ? t.expr(node.offset).sql : undefined;

  // FROM last: the clauses above may have added lazy joins and array-join laterals to it.
  const parts: string[] = [];
  if (withParts.length) parts.push(`WITH ${withParts.join(', ')}`);
  parts.push(`SELECT ${node.distinct ? 'DISTINCT ' : ''}${selectSql.join(', ')}`);
  const from = fromSql(scope);
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
