/**
 * The subset of `@posthog/hogql-parser`'s JSON AST that the translator reads. The parser emits Python-style node
 * names (`SelectQuery`, `Field`, `Call`...) with snake_case keys; fields are optional because the parser writes
 * `null` for absent clauses.
 */
export interface AstPosition {
  line: number;
  column: number;
  offset: number;
}

export interface AstNode {
  node: string;
  start?: AstPosition;
  end?: AstPosition;
  [key: string]: unknown;
}

export interface FieldNode extends AstNode {
  node: 'Field';
  chain: (string | number)[];
}

export interface ConstantNode extends AstNode {
  node: 'Constant';
  value?: unknown;
}

export interface CallNode extends AstNode {
  node: 'Call';
  name: string;
  args: AstNode[];
  params?: AstNode[] | null;
  distinct?: boolean | null;
  filter_expr?: AstNode | null;
  order_by?: AstNode[] | null;
}

export interface AliasNode extends AstNode {
  node: 'Alias';
  alias: string;
  expr: AstNode;
}

export interface OrderExprNode extends AstNode {
  node: 'OrderExpr';
  expr: AstNode;
  order?: 'ASC' | 'DESC';
}

export interface JoinExprNode extends AstNode {
  node: 'JoinExpr';
  table?: AstNode | null;
  alias?: string | null;
  join_type?: string | null;
  constraint?: { node: 'JoinConstraint'; expr: AstNode; constraint_type: 'ON' | 'USING' } | null;
  next_join?: JoinExprNode | null;
  sample?: AstNode | null;
  table_final?: boolean | null;
  table_args?: AstNode[] | null;
  column_aliases?: string[] | null;
}

export interface CteNode extends AstNode {
  node: 'CTE';
  name: string;
  expr: AstNode;
  cte_type: 'subquery' | 'column';
}

export interface SelectQueryNode extends AstNode {
  node: 'SelectQuery';
  select: AstNode[];
  select_from?: JoinExprNode | null;
  where?: AstNode | null;
  prewhere?: AstNode | null;
  having?: AstNode | null;
  qualify?: AstNode | null;
  group_by?: AstNode[] | null;
  order_by?: OrderExprNode[] | null;
  limit?: AstNode | null;
  offset?: AstNode | null;
  limit_by?: { node: 'LimitByExpr'; n: AstNode; offset_value?: AstNode | null; exprs: AstNode[] } | null;
  limit_with_ties?: boolean | null;
  distinct?: boolean | null;
  ctes?: CteNode[] | Record<string, CteNode> | null;
  array_join_op?: string | null;
  array_join_list?: AstNode[] | null;
  window_exprs?: Record<string, AstNode> | null;
  settings?: unknown;
}

export interface SelectSetQueryNode extends AstNode {
  node: 'SelectSetQuery';
  initial_select_query: AstNode;
  subsequent_select_queries: { node: 'SelectSetNode'; select_query: AstNode; set_operator: string }[];
}

export type QueryNode = SelectQueryNode | SelectSetQueryNode;

export function isNode<T extends AstNode>(value: unknown, kind: T['node']): value is T {
  return typeof value === 'object' && value !== null && (value as AstNode).node === kind;
}
