/**
 * Function calls: arrayJoin, aggregates (with the `...If` combinator, FILTER and OVER), window-only functions and
 * the function registry. Unknown names get PostHog's "Perhaps you meant" hint.
 */
import type { AstNode, CallNode, FieldNode, OrderExprNode } from '../ast.js';
import { unsupported } from '../errors.js';
import { asCond, type Expr } from '../expr.js';
import { FUNCTION_NAMES, findFunction } from '../functions.js';
import { AGGREGATE_NAMES, WINDOW_ONLY, findAggregate, type FoundAggregate } from '../functions/aggregates.js';
import { own } from '../sql.js';
import type { Translation } from './context.js';
import { arrayJoin } from './from.js';
import { orderItem } from './query.js';

function validateArgs(name: string, count: number, min: number, max: number | undefined): void {
  const plural = (n: number) => (n === 1 ? '' : 's');
  if (min === max && count !== min) throw unsupported(`Function '${name}' expects ${min} argument${plural(min)}, found ${count}`);
  if (count < min) throw unsupported(`Function '${name}' expects at least ${min} argument${plural(min)}, found ${count}`);
  if (max !== undefined && count > max)
    throw unsupported(`Function '${name}' expects at most ${max} argument${plural(max)}, found ${count}`);
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

export function call(t: Translation, node: CallNode): Expr {
  const name = node.name;
  if (name === 'arrayJoin') {
    validateArgs(name, node.args.length, 1, 1);
    return arrayJoin(t, t.expr(node.args[0]!));
  }
  const aggregate = findAggregate(name);
  if (aggregate) return aggregateCall(t, node, aggregate);
  const fn = findFunction(name);
  if (!fn) {
    if (own(WINDOW_ONLY, name)) throw unsupported(`Function '${name}' needs an OVER clause`);
    const suggestion = closestName(name, [...FUNCTION_NAMES, ...AGGREGATE_NAMES]);
    throw unsupported(
      suggestion
        ? `Unsupported function call '${name}(...)'. Perhaps you meant '${suggestion}(...)'?`
        : `Unsupported function call '${name}(...)'`,
    );
  }
  if (node.params?.length) throw unsupported(`Function '${name}' does not take parameters`);
  validateArgs(name, node.args.length, fn.min, fn.max);
  if (fn.raw) return fn.raw(node, t.functions);
  const args = node.args.map((a) => t.expr(a));
  return fn.fn!(args, t.functions, node);
}

/** An aggregate with its FILTER (from `...If`, FILTER (WHERE ...) and the aggregate's own), and OVER when windowed. */
function aggregateCall(t: Translation, node: CallNode, { def, ifCombinator }: FoundAggregate, over?: string): Expr {
  const argNodes = ifCombinator ? node.args.slice(0, -1) : node.args;
  const condNode = ifCombinator ? node.args[node.args.length - 1] : undefined;
  if (ifCombinator && !condNode) throw unsupported(`Function '${node.name}' expects a condition as its last argument`);
  const isStar =
    argNodes.length === 1 &&
    argNodes[0]!.node === 'Field' &&
    (argNodes[0] as FieldNode).chain.length === 1 &&
    (argNodes[0] as FieldNode).chain[0] === '*';
  const effective = isStar ? [] : argNodes;
  validateArgs(node.name, effective.length, def.min, def.max);
  const params = (node.params ?? []).map((p) => t.expr(p));
  const [minParams, maxParams] = def.params ?? [0, 0];
  if (params.length < minParams || (maxParams !== undefined && params.length > maxParams)) {
    throw unsupported(
      `Aggregation '${node.name}' expects ${minParams === maxParams ? minParams : `${minParams} to ${maxParams ?? 'any'}`} parameters, found ${params.length}`,
    );
  }
  const args = effective.map((a) => t.expr(a));
  const built = def.build(args, params, !!node.distinct);
  const filters = [
    built.filter,
    condNode ? asCond(t.expr(condNode)) : undefined,
    node.filter_expr ? asCond(t.expr(node.filter_expr)) : undefined,
  ].filter((f): f is string => !!f);
  const filtered = filters.length ? `${built.call} FILTER (WHERE ${filters.join(' AND ')})` : built.call;
  const sql = over === undefined ? filtered : `${filtered} OVER (${over})`;
  return { sql: built.wrap ? built.wrap(sql) : sql, type: built.type };
}

type WindowNode = AstNode & Record<string, any>;

/** `f(...) OVER (...)`: an aggregate over a window, or a window-only function (row_number, lag...). */
export function windowCall(t: Translation, n: WindowNode): Expr {
  const over = overClause(t, n);
  const name = String(n.name);
  // The parser keeps the first parenthesized list in `exprs`, a second one in `args`: `f(x)` has its arguments in
  // `exprs`, but `f(p)(x)` has its parameters there and its arguments in `args`.
  const first = (n.exprs as AstNode[] | null) ?? [];
  const second = (n.args as AstNode[] | null) ?? [];
  const node: CallNode = second.length
    ? { node: 'Call', name, args: second, params: first }
    : { node: 'Call', name, args: first, params: null };
  const aggregate = findAggregate(name);
  if (aggregate) return aggregateCall(t, node, aggregate, over);
  const def = own(WINDOW_ONLY, name);
  if (!def) throw unsupported(`Unsupported window function '${name}(...)'`);
  validateArgs(name, node.args.length, def.min, def.max);
  const args = node.args.map((a) => t.expr(a));
  return { sql: `${def.name ?? name}(${args.map((a) => a.sql).join(', ')}) OVER (${over})`, type: def.type(args) };
}

function overClause(t: Translation, n: WindowNode): string {
  let over = n.over_expr as WindowNode | undefined;
  if (!over && n.over_identifier) {
    over = t.scope.windows[n.over_identifier] as WindowNode | undefined;
    if (!over) throw unsupported(`Unknown window: ${n.over_identifier}`);
  }
  if (!over) return '';
  const parts: string[] = [];
  if (over.partition_by?.length) parts.push(`PARTITION BY ${(over.partition_by as AstNode[]).map((x) => t.expr(x).sql).join(', ')}`);
  if (over.order_by?.length) parts.push(`ORDER BY ${(over.order_by as OrderExprNode[]).map((o) => orderItem(t, o)).join(', ')}`);
  if (over.frame_method) {
    const bound = (b: Record<string, any> | null | undefined): string => {
      if (!b || b.frame_type === 'CURRENT ROW') return 'CURRENT ROW';
      const value = b.frame_value === null || b.frame_value === undefined ? 'UNBOUNDED' : String(Number(b.frame_value));
      return `${value} ${b.frame_type === 'FOLLOWING' ? 'FOLLOWING' : 'PRECEDING'}`;
    };
    const method = over.frame_method === 'RANGE' ? 'RANGE' : 'ROWS';
    parts.push(
      over.frame_end ? `${method} BETWEEN ${bound(over.frame_start)} AND ${bound(over.frame_end)}` : `${method} ${bound(over.frame_start)}`,
    );
  }
  return parts.join(' ');
}
