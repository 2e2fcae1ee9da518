/**
 * Array and tuple functions. Arrays are DuckDB lists; a String argument is read as a JSON array, since PostHog
 * properties hold arrays as JSON text. Higher-order functions take their lambda first, as in ClickHouse.
 */
import { unsupported } from '../errors.js';
import { constantNumber, flag, type Expr } from '../expr.js';
import { T, isString, nullable, printType, type ChType } from '../types.js';
import { e, type FnDef, type FnTable } from './define.js';
import { jsonArray } from './json.js';

export function elemOf(a: Expr): ChType {
  return a.type.base === 'Array' ? (a.type.elem ?? T.string) : T.string;
}

/** `arrayJoin` over a String treats the text as a JSON array (PostHog properties hold arrays as JSON). */
export function arrayOperand(a: Expr): Expr {
  if (a.type.base === 'Array') return a;
  if (isString(a.type)) return e(jsonArray(a.sql, "'$'", true), T.array(T.string));
  throw unsupported(`Expected an array, got ${printType(a.type)}`);
}

/**
 * `fn(lambda, arr)`, or `fn(arr)` when the lambda is optional: `build` then gets '' for the lambda's SQL and the
 * array itself as the body.
 */
function higherOrder(build: (lambdaSql: string, arr: Expr, body: Expr) => Expr, needsLambda = true): FnDef {
  return {
    min: needsLambda ? 2 : 1,
    max: 2,
    raw: (call, ctx) => {
      const first = call.args[0]!;
      if (first.node !== 'Lambda') {
        if (needsLambda) throw unsupported(`${call.name} expects a lambda as its first argument`);
        const arr = ctx.translate(first);
        return build('', arr, arr);
      }
      if (call.args.length !== 2) throw unsupported(`${call.name} with more than one array is not supported`);
      const arr = ctx.translate(call.args[1]!);
      const lambda = ctx.lambda(first, [elemOf(arr)]);
      return build(lambda.sql, arr, lambda);
    },
  };
}

/** The array's SQL, mapped through the lambda when there is one. */
const mapped = (lambdaSql: string, arr: Expr): string =>
  lambdaSql ? `list_transform(${arrayOperand(arr).sql}, ${lambdaSql})` : arrayOperand(arr).sql;

/** A DuckDB list function returning a list of the same type. */
const sameList = (fn: string): FnDef => ({ min: 1, max: 1, fn: ([a]) => e(`${fn}(${arrayOperand(a!).sql})`, arrayOperand(a!).type) });

export const ARRAY_FUNCTIONS: FnTable = {
  array: { min: 0, fn: (args) => e(`list_value(${args.map((a) => a.sql).join(', ')})`, T.array(args[0]?.type ?? T.nothing)) },
  range: {
    min: 1,
    max: 3,
    fn: (args) => e(args.length === 1 ? `range(0, ${args[0]!.sql})` : `range(${args.map((a) => a.sql).join(', ')})`, T.array(T.uint64)),
  },
  has: { min: 2, max: 2, fn: ([arr, x]) => flag(`list_contains(${arrayOperand(arr!).sql}, ${x!.sql})`) },
  hasAny: { min: 2, max: 2, fn: ([a, b]) => flag(`list_has_any(${arrayOperand(a!).sql}, ${arrayOperand(b!).sql})`) },
  hasAll: { min: 2, max: 2, fn: ([a, b]) => flag(`list_has_all(${arrayOperand(a!).sql}, ${arrayOperand(b!).sql})`) },
  indexOf: { min: 2, max: 2, fn: ([arr, x]) => e(`coalesce(list_position(${arrayOperand(arr!).sql}, ${x!.sql}), 0)`, T.uint64) },
  arrayElement: {
    min: 2,
    max: 2,
    fn: ([arr, i]) => {
      const a = arrayOperand(arr!);
      return e(`list_extract(${a.sql}, ${i!.sql})`, nullable(elemOf(a)));
    },
  },
  arrayMap: higherOrder((l, arr, body) => e(`list_transform(${arrayOperand(arr).sql}, ${l})`, T.array(body.type))),
  arrayFilter: higherOrder((l, arr) => e(`list_filter(${arrayOperand(arr).sql}, ${l})`, arrayOperand(arr).type)),
  arrayExists: higherOrder((l, arr) => flag(`(len(list_filter(${arrayOperand(arr).sql}, ${l})) > 0)`)),
  arrayAll: higherOrder((l, arr) => flag(`(len(list_filter(${arrayOperand(arr).sql}, ${l})) = len(${arrayOperand(arr).sql}))`)),
  arrayFirst: higherOrder((l, arr) =>
    e(`list_extract(list_filter(${arrayOperand(arr).sql}, ${l}), 1)`, nullable(elemOf(arrayOperand(arr)))),
  ),
  // Without a lambda, ClickHouse counts the non-zero elements.
  arrayCount: higherOrder(
    (l, arr) => e(`len(list_filter(${arrayOperand(arr).sql}, ${l || 'array_item -> array_item <> 0'}))`, T.uint64),
    false,
  ),
  arraySum: higherOrder((l, arr) => e(`coalesce(list_sum(${mapped(l, arr)}), 0)`, T.float), false),
  arrayAvg: higherOrder((l, arr) => e(`list_avg(${mapped(l, arr)})`, T.float), false),
  arrayMin: higherOrder((l, arr, body) => e(`list_min(${mapped(l, arr)})`, l ? body.type : elemOf(arr)), false),
  arrayMax: higherOrder((l, arr, body) => e(`list_max(${mapped(l, arr)})`, l ? body.type : elemOf(arr)), false),
  arraySort: sameList('list_sort'),
  arrayReverseSort: sameList('list_reverse_sort'),
  arrayReverse: sameList('list_reverse'),
  arrayDistinct: sameList('list_distinct'),
  arrayUniq: { min: 1, max: 1, fn: ([a]) => e(`len(list_distinct(${arrayOperand(a!).sql}))`, T.uint64) },
  arrayConcat: {
    min: 1,
    fn: (args) =>
      e(
        args.map((a) => arrayOperand(a).sql).reduce((acc, s) => `list_concat(${acc}, ${s})`),
        arrayOperand(args[0]!).type,
      ),
  },
  arrayPushBack: { min: 2, max: 2, fn: ([a, x]) => e(`list_append(${arrayOperand(a!).sql}, ${x!.sql})`, arrayOperand(a!).type) },
  arrayPushFront: { min: 2, max: 2, fn: ([a, x]) => e(`list_prepend(${x!.sql}, ${arrayOperand(a!).sql})`, arrayOperand(a!).type) },
  arraySlice: {
    min: 2,
    max: 3,
    fn: ([a, o, l]) => {
      const arr = arrayOperand(a!).sql;
      const end = l ? `(${o!.sql}) + (${l.sql}) - 1` : `len(${arr})`;
      return e(`list_slice(${arr}, ${o!.sql}, ${end})`, arrayOperand(a!).type);
    },
  },
  // Deliberately not expr.ts's tupleOf, which (for `(a, b)` literals) types flag items as plain UInt8, dropping Nullable.
  tuple: {
    min: 1,
    fn: (args) => ({
      sql: `struct_pack(${args.map((a, i) => `"${i + 1}" := ${a.sql}`).join(', ')})`,
      type: { base: 'Tuple', items: args.map((a) => a.type) },
    }),
  },
  tupleElement: {
    min: 2,
    max: 2,
    fn: ([t, i]) => {
      const index = constantNumber(i!, 'The tuple index');
      return e(`struct_extract(${t!.sql}, '${index}')`, t!.type.items?.[index - 1] ?? T.string);
    },
  },
};
