/**
 * Prints a (placeholder-free) HogQL AST back to HogQL text the way PostHog's `hogql` dialect does: operators as
 * function calls (`equals(event, 'x')`), identifiers bare unless they need backticks. Used for the response's
 * `hogql` field and for the names of unaliased columns (`count()`, `toStartOfDay(timestamp)`).
 */
import type { AstNode } from './ast.js';

const SIMPLE_IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function printIdent(name: string | number): string {
  if (typeof name === 'number') return String(name);
  return SIMPLE_IDENT.test(name) ? name : '`' + name.replaceAll('\\', '\\\\').replaceAll('`', '\\`') + '`';
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

export function printHogQL(node: AstNode | null | undefined): string {
  if (!node) return '';
  const n = node as Node;
  const list = (items: AstNode[] | null | undefined, sep = ', '): string => (items ?? []).map(printHogQL).join(sep);
  switch (n.node) {
    case 'Constant':
      return printConstant(n.value);
    case 'Field':
      return (n.chain as (string | number)[]).map(printIdent).join('.');
    case 'Alias':
      return `${printHogQL(n.expr)} AS ${printIdent(n.alias)}`;
    case 'Call': {
      const params = n.params ? `(${list(n.params)})` : '';
      const distinct = n.distinct ? 'DISTINCT ' : '';
      const filter = n.filter_expr ? ` FILTER (WHERE ${printHogQL(n.filter_expr)})` : '';
      return `${n.name}${params}(${distinct}${list(n.args)})${filter}`;
    }
    case 'ArithmeticOperation':
      return `${ARITHMETIC_FUNCTIONS[n.op] ?? n.op}(${printHogQL(n.left)}, ${printHogQL(n.right)})`;
    case 'CompareOperation': {
      const op = n.op as string;
      if (op === '!~' || op === '!~*') return `not(match(${printHogQL(n.left)}, ${printHogQL(n.right)}))`;
      return `${COMPARE_FUNCTIONS[op] ?? op}(${printHogQL(n.left)}, ${printHogQL(n.right)})`;
    }
    case 'And':
      return `and(${list(n.exprs)})`;
    case 'Or':
      return `or(${list(n.exprs)})`;
    case 'Not':
      return `not(${printHogQL(n.expr)})`;
    case 'BetweenExpr':
      return `${printHogQL(n.expr)} ${n.negated ? 'NOT ' : ''}BETWEEN ${printHogQL(n.low)} AND ${printHogQL(n.high)}`;
    case 'IsDistinctFrom':
      return `${printHogQL(n.left)} IS ${n.negated ? 'NOT ' : ''}DISTINCT FROM ${printHogQL(n.right)}`;
    case 'Tuple':
      return `tuple(${list(n.exprs)})`;
    case 'Array':
      return `[${list(n.exprs)}]`;
    case 'ArrayAccess':
      return `${printHogQL(n.array)}[${printHogQL(n.property)}]`;
    case 'TupleAccess':
      return `${printHogQL(n.tuple)}.${n.index}`;
    case 'Lambda':
      return `${(n.args as string[]).length === 1 ? printIdent(n.args[0]) : `(${(n.args as string[]).map(printIdent).join(', ')})`} -> ${printHogQL(n.expr)}`;
    case 'TypeCast':
      return `CAST(${printHogQL(n.expr)} AS ${n.type_name})`;
    case 'OrderExpr':
      return `${printHogQL(n.expr)} ${n.order ?? 'ASC'}`;
    case 'WindowFunction':
      return `${n.name}(${list(n.exprs)})${n.args && n.args.length ? `(${list(n.args)})` : ''} OVER ${n.over_identifier ? printIdent(n.over_identifier) : `(${printWindow(n.over_expr)})`}`;
    case 'Placeholder':
      return `{${printHogQL(n.expr)}}`;
    case 'SelectQuery':
      return printSelect(n);
    case 'SelectSetQuery': {
      const parts = [printHogQL(n.initial_select_query)];
      for (const next of n.subsequent_select_queries as Node[]) parts.push(next.set_operator, printHogQL(next.select_query));
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
  if (w.partition_by?.length) parts.push(`PARTITION BY ${(w.partition_by as AstNode[]).map(printHogQL).join(', ')}`);
  if (w.order_by?.length) parts.push(`ORDER BY ${(w.order_by as AstNode[]).map(printHogQL).join(', ')}`);
  return parts.join(' ');
}

function printJoin(join: Node): string {
  const table = join.table as Node;
  let text = table.node === 'Field' ? printHogQL(table) : `(${printHogQL(table)})`;
  if (join.alias && !(table.node === 'Field' && table.chain.length === 1 && table.chain[0] === join.alias)) {
    text += ` AS ${printIdent(join.alias)}`;
  }
  if (join.constraint) {
    const c = join.constraint as Node;
    text += c.constraint_type === 'USING' ? ` USING ${printHogQL(c.expr)}` : ` ON ${printHogQL(c.expr)}`;
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
          .map((c) => (c.cte_type === 'column' ? `${printHogQL(c.expr)} AS ${printIdent(c.name)}` : `${printIdent(c.name)} AS (${printHogQL(c.expr)})`))
          .join(', '),
    );
  }
  parts.push(`SELECT ${n.distinct ? 'DISTINCT ' : ''}${(n.select as AstNode[]).map(printHogQL).join(', ')}`);
  let join = n.select_from as Node | null | undefined;
  if (join) {
    parts.push(`FROM ${printJoin(join)}`);
    join = join.next_join;
    while (join) {
      parts.push(`${join.join_type ?? 'JOIN'} ${printJoin(join)}`);
      join = join.next_join;
    }
  }
  if (n.array_join_op) parts.push(`${n.array_join_op} ${(n.array_join_list as AstNode[]).map(printHogQL).join(', ')}`);
  if (n.prewhere) parts.push(`PREWHERE ${printHogQL(n.prewhere)}`);
  if (n.where) parts.push(`WHERE ${printHogQL(n.where)}`);
  if (n.group_by?.length) parts.push(`GROUP BY ${(n.group_by as AstNode[]).map(printHogQL).join(', ')}`);
  if (n.having) parts.push(`HAVING ${printHogQL(n.having)}`);
  if (n.qualify) parts.push(`QUALIFY ${printHogQL(n.qualify)}`);
  if (n.order_by?.length) parts.push(`ORDER BY ${(n.order_by as AstNode[]).map(printHogQL).join(', ')}`);
  if (n.limit_by) parts.push(`LIMIT ${printHogQL(n.limit_by.n)} BY ${(n.limit_by.exprs as AstNode[]).map(printHogQL).join(', ')}`);
  if (n.limit) parts.push(`LIMIT ${printHogQL(n.limit)}`);
  if (n.offset) parts.push(`OFFSET ${printHogQL(n.offset)}`);
  return parts.join(' ');
}
