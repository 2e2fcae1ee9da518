/**
 * Prints a (placeholder-free) HogQL AST back to HogQL text the way PostHog's `hogql` dialect does: operators as
 * function calls (`equals(event, 'x')`), identifiers bare unless they need backticks. Used for the response's
 * `hogql` field and for the names of unaliased columns (`count()`, `toStartOfDay(timestamp)`).
 */
import type { AstNode } from './ast.js';

const SIMPLE_IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function printIdent(name: string | number): string {
  if (typeof name === 'number') return String(name);
  return SIMPLE_IDENT.test(name) || name === '*' ? name : '`' + name.replaceAll('\\', '\\\\').replaceAll('`', '\\`') + '`';
}

export function printString(value: string): string {
  const escaped = value
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'")
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
    .replaceAll('\u0000', '\\0');
  return `'${escaped}'`;
}

const COMPARE_FUNCTIONS: Record<string, string> = {
  '==': 'equals',
  '!=': 'notEquals',
  '<': 'less',
  '<=': 'lessOrEquals',
  '>': 'greater',
  '>=': 'greaterOrEquals',
  like: 'like',
  'not like': 'notLike',
  ilike: 'ilike',
  'not ilike': 'notILike',
  in: 'in',
  'not in': 'notIn',
  '=~': 'match',
  '=~*': 'match',
};

const ARITHMETIC_FUNCTIONS: Record<string, string> = {
  '+': 'plus',
  '-': 'minus',
  '*': 'multiply',
  '/': 'divide',
  '%': 'modulo',
};

type Node = AstNode & Record<string, any>;

/** Prints a query or expression (queries nested inside it are parenthesized). */
export function printHogQL(node: AstNode | null | undefined): string {
  return printNode(node);
}

function p(node: AstNode | null | undefined): string {
  if (node && (node.node === 'SelectQuery' || node.node === 'SelectSetQuery')) return `(${printNode(node)})`;
  return printNode(node);
}

function printNode(node: AstNode | null | undefined): string {
  if (!node) return '';
  const n = node as Node;
  const list = (items: AstNode[] | null | undefined, sep = ', '): string => (items ?? []).map(p).join(sep);
  switch (n.node) {
    case 'Constant':
      return printConstant(n.value);
    case 'Field':
      return (n.chain as (string | number)[]).map(printIdent).join('.');
    case 'Alias':
      return `${p(n.expr)} AS ${printIdent(n.alias)}`;
    case 'Call': {
      const params = n.params ? `(${list(n.params)})` : '';
      const distinct = n.distinct ? 'DISTINCT ' : '';
      const filter = n.filter_expr ? ` FILTER (WHERE ${p(n.filter_expr)})` : '';
      return `${n.name}${params}(${distinct}${list(n.args)})${filter}`;
    }
    case 'ArithmeticOperation':
      return `${ARITHMETIC_FUNCTIONS[n.op] ?? n.op}(${p(n.left)}, ${p(n.right)})`;
    case 'CompareOperation': {
      const op = n.op as string;
      if (op === '!~' || op === '!~*') return `not(match(${p(n.left)}, ${p(n.right)}))`;
      return `${COMPARE_FUNCTIONS[op] ?? op}(${p(n.left)}, ${p(n.right)})`;
    }
    case 'And':
      return `and(${list(n.exprs)})`;
    case 'Or':
      return `or(${list(n.exprs)})`;
    case 'Not':
      return `not(${p(n.expr)})`;
    case 'BetweenExpr':
      return `${p(n.expr)} ${n.negated ? 'NOT ' : ''}BETWEEN ${p(n.low)} AND ${p(n.high)}`;
    case 'IsDistinctFrom':
      return `${p(n.left)} IS ${n.negated ? 'NOT ' : ''}DISTINCT FROM ${p(n.right)}`;
    case 'Tuple':
      return `tuple(${list(n.exprs)})`;
    case 'Array':
      return `[${list(n.exprs)}]`;
    case 'ArrayAccess':
      return `${p(n.array)}[${p(n.property)}]`;
    case 'TupleAccess':
      return `${p(n.tuple)}.${n.index}`;
    case 'Lambda':
      return `${(n.args as string[]).length === 1 ? printIdent(n.args[0]) : `(${(n.args as string[]).map(printIdent).join(', ')})`} -> ${p(n.expr)}`;
    case 'TypeCast':
      return `CAST(${p(n.expr)} AS ${n.type_name})`;
    case 'OrderExpr':
      return `${p(n.expr)} ${n.order ?? 'ASC'}`;
    case 'WindowFunction':
      return `${n.name}(${list(n.exprs)})${n.args && n.args.length ? `(${list(n.args)})` : ''} OVER ${n.over_identifier ? printIdent(n.over_identifier) : `(${printWindow(n.over_expr)})`}`;
    case 'Placeholder':
      return `{${p(n.expr)}}`;
    case 'SelectQuery':
      return printSelect(n);
    case 'SelectSetQuery': {
      const parts = [printNode(n.initial_select_query)];
      for (const next of n.subsequent_select_queries as Node[]) parts.push(next.set_operator, printNode(next.select_query));
      return parts.join(' ');
    }
    default:
      return `<${n.node}>`;
  }
}

function printConstant(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return printString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(printConstant).join(', ')}]`;
  return String(value);
}

function printWindow(w: Node | undefined): string {
  if (!w) return '';
  const parts: string[] = [];
  if (w.partition_by?.length) parts.push(`PARTITION BY ${(w.partition_by as AstNode[]).map((x) => p(x)).join(', ')}`);
  if (w.order_by?.length) parts.push(`ORDER BY ${(w.order_by as AstNode[]).map((x) => p(x)).join(', ')}`);
  return parts.join(' ');
}

function printJoin(join: Node): string {
  const table = join.table as Node;
  let text = table.node === 'Field' ? p(table) : `(${printNode(table)})`;
  if (join.alias && !(table.node === 'Field' && table.chain.length === 1 && table.chain[0] === join.alias)) {
    text += ` AS ${printIdent(join.alias)}`;
  }
  if (join.constraint) {
    const c = join.constraint as Node;
    text += c.constraint_type === 'USING' ? ` USING ${p(c.expr)}` : ` ON ${p(c.expr)}`;
  }
  return text;
}

function printSelect(n: Node): string {
  const parts: string[] = [];
  const ctes = n.ctes ? (Array.isArray(n.ctes) ? n.ctes : Object.values(n.ctes)) : [];
  if (ctes.length) {
    parts.push(
      'WITH ' +
        (ctes as Node[])
          .map((c) =>
            c.cte_type === 'column' ? `${p(c.expr)} AS ${printIdent(c.name)}` : `${printIdent(c.name)} AS (${printNode(c.expr)})`,
          )
          .join(', '),
    );
  }
  parts.push(`SELECT ${n.distinct ? 'DISTINCT ' : ''}${(n.select as AstNode[]).map((x) => p(x)).join(', ')}`);
  let join = n.select_from as Node | null | undefined;
  if (join) {
    parts.push(`FROM ${printJoin(join)}`);
    join = join.next_join;
    while (join) {
      parts.push(`${join.join_type ?? 'JOIN'} ${printJoin(join)}`);
      join = join.next_join;
    }
  }
  if (n.array_join_op) parts.push(`${n.array_join_op} ${(n.array_join_list as AstNode[]).map((x) => p(x)).join(', ')}`);
  if (n.prewhere) parts.push(`PREWHERE ${p(n.prewhere)}`);
  if (n.where) parts.push(`WHERE ${p(n.where)}`);
  if (n.group_by?.length) parts.push(`GROUP BY ${(n.group_by as AstNode[]).map((x) => p(x)).join(', ')}`);
  if (n.having) parts.push(`HAVING ${p(n.having)}`);
  if (n.qualify) parts.push(`QUALIFY ${p(n.qualify)}`);
  if (n.order_by?.length) parts.push(`ORDER BY ${(n.order_by as AstNode[]).map((x) => p(x)).join(', ')}`);
  if (n.limit_by) parts.push(`LIMIT ${p(n.limit_by.n)} BY ${(n.limit_by.exprs as AstNode[]).map((x) => p(x)).join(', ')}`);
  if (n.limit) parts.push(`LIMIT ${p(n.limit)}`);
  if (n.offset) parts.push(`OFFSET ${p(n.offset)}`);
  return parts.join(' ');
}
