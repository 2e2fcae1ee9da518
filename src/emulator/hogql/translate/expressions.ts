/** HogQL expression nodes to DuckDB expressions; operators, calls and names are delegated to their modules. */
import type { AliasNode, AstNode, CallNode, FieldNode } from '../ast.js';
import { unsupported } from '../errors.js';
import { asCond, asNum, asStr, flag, literal, tupleOf, type Expr } from '../expr.js';
import { CAST_FUNCTIONS } from '../functions/conversions.js';
import { printHogQL } from '../printer.js';
import { own, sqlString } from '../sql.js';
import { T, isString, nullable, type ChType } from '../types.js';
import { call, windowCall } from './calls.js';
import type { LambdaParam, Translation } from './context.js';
import { descend, field } from './names.js';
import { arithmetic, coerce, compare } from './operators.js';

type Node = AstNode & Record<string, any>;

const exprsOf = (t: Translation, n: Node): Expr[] => (n.exprs as AstNode[]).map((x) => t.expr(x));

export function translateExpr(t: Translation, node: AstNode): Expr {
  const n = node as Node;
  switch (n.node) {
    case 'Constant':
      return literal(n.value);
    case 'Field':
      return field(t, n as FieldNode);
    case 'Alias': {
      // An alias inside an expression (`(1 AS x) + x`) is visible to the rest of the SELECT too.
      const alias = n as AliasNode;
      if (!t.scope.aliases.has(alias.alias)) t.scope.aliases.set(alias.alias, { node: alias.expr, busy: false });
      const entry = t.scope.aliases.get(alias.alias)!;
      if (entry.node === alias && entry.expr) return entry.expr;
      return t.expr(alias.expr);
    }
    case 'ArithmeticOperation':
      return arithmetic(t, n.op, t.expr(n.left), t.expr(n.right));
    case 'CompareOperation':
      return compare(t, n.op, n.left, n.right);
    case 'And':
    case 'Or': {
      const parts = exprsOf(t, n).map(asCond);
      return flag(`(${parts.join(n.node === 'And' ? ' AND ' : ' OR ')})`);
    }
    case 'Not':
      return flag(`(NOT ${asCond(t.expr(n.expr))})`);
    case 'BetweenExpr': {
      const x = t.expr(n.expr);
      const [value, lo] = coerce(t, x, t.expr(n.low));
      const [, hi] = coerce(t, x, t.expr(n.high));
      return flag(`(${value} ${n.negated ? 'NOT ' : ''}BETWEEN ${lo} AND ${hi})`);
    }
    case 'IsDistinctFrom': {
      const [l, r] = coerce(t, t.expr(n.left), t.expr(n.right));
      return flag(`(${l} IS ${n.negated ? 'NOT ' : ''}DISTINCT FROM ${r})`);
    }
    case 'Call':
      return call(t, n as CallNode);
    case 'Tuple':
      return tupleOf(exprsOf(t, n));
    case 'Array': {
      const items = exprsOf(t, n);
      if (!items.length) return { sql: '[]', type: T.array(T.nothing) };
      const elem = items.find((i) => i.type.base !== 'Nothing')?.type ?? T.nothing;
      return { sql: `[${items.map((i) => (isString(elem) ? asStr(i) : i.boolRepr ? asNum(i) : i.sql)).join(', ')}]`, type: T.array(elem) };
    }
    case 'ArrayAccess':
      return arrayAccess(t, n.array, n.property);
    case 'TupleAccess':
      return tupleAccess(t, n.tuple, n.index);
    case 'TypeCast': {
      const fn = own(CAST_FUNCTIONS, String(n.type_name).toLowerCase().replace(/\(.*$/, ''));
      if (!fn) throw unsupported(`Unsupported type cast to ${n.type_name}`);
      return call(t, { node: 'Call', name: fn, args: [n.expr] });
    }
    case 'WindowFunction':
      return windowCall(t, n);
    case 'SelectQuery':
    case 'SelectSetQuery': {
      const sub = t.query(n, t.scope);
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

/** `arr[i]`: ClickHouse's 1-based read, NULL when out of range. */
const elementAt = (base: Expr, index: string): Expr => ({
  sql: `list_extract(${base.sql}, ${index})`,
  type: nullable(base.type.elem ?? T.string),
});

function arrayAccess(t: Translation, arrayNode: AstNode, propertyNode: AstNode): Expr {
  const key = propertyNode.node === 'Constant' ? (propertyNode as { value?: unknown }).value : undefined;
  if (arrayNode.node === 'Field' && (typeof key === 'string' || typeof key === 'number')) {
    try {
      const base = t.expr(arrayNode);
      if (base.type.base === 'Array') return elementAt(base, t.expr(propertyNode).sql);
    } catch {
      // fall through: `properties['$browser']` is a property path, not an array read
    }
    if (typeof key === 'string') return field(t, { node: 'Field', chain: [...(arrayNode as FieldNode).chain, key] });
  }
  const base = t.expr(arrayNode);
  const index = t.expr(propertyNode);
  if (base.type.base === 'Array') return elementAt(base, index.sql);
  if (isString(base.type)) {
    if (typeof key === 'string') return descend(base, [key], printHogQL(arrayNode));
    if (typeof key === 'number' && key > 0) return descend(base, [key - 1], printHogQL(arrayNode));
  }
  throw unsupported(`Can not index into ${printHogQL(arrayNode)}`);
}

function tupleAccess(t: Translation, tupleNode: AstNode, index: number): Expr {
  const base = t.expr(tupleNode);
  if (base.type.base === 'Tuple')
    return { sql: `struct_extract(${base.sql}, ${sqlString(String(index))})`, type: base.type.items?.[index - 1] ?? T.string };
  if (base.type.base === 'Array') return elementAt(base, String(index));
  if (isString(base.type) && index > 0) return descend(base, [index - 1], printHogQL(tupleNode));
  throw unsupported(`Can not access element ${index} of ${printHogQL(tupleNode)}`);
}

/** A lambda for DuckDB: parameters renamed `lambda_N` (unique in the query), typed by the array elements they get. */
export function lambda(t: Translation, node: AstNode, params: ChType[]): Expr {
  if (node.node !== 'Lambda') throw unsupported('Expected a lambda');
  const names = (node as { args?: string[] }).args ?? [];
  if (names.length !== params.length) throw unsupported(`The lambda expects ${names.length} arguments, got ${params.length}`);
  const frame = new Map<string, LambdaParam>();
  const sqlNames = names.map((name, i) => {
    const sqlName = `lambda_${t.lambdaCounter++}`;
    frame.set(name, { sqlName, type: params[i]! });
    return sqlName;
  });
  t.lambdas.push(frame);
  try {
    const body = t.expr((node as unknown as { expr: AstNode }).expr);
    const head = sqlNames.length === 1 ? sqlNames[0] : `(${sqlNames.join(', ')})`;
    return { sql: `${head} -> ${body.sql}`, type: body.boolRepr ? T.uint8 : body.type, ...(body.boolRepr ? { boolRepr: true } : {}) };
  } finally {
    t.lambdas.pop();
  }
}
