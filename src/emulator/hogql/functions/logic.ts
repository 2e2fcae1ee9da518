/**
 * Comparisons and logic written as functions (`equals(a, b)`, `and(...)`), conditionals and NULL handling.
 * The operator forms are rewritten to operator nodes so they share the translator's coercions.
 */
import { unsupported } from '../errors.js';
import { asCond, asNum, asStr, flag, literal, type Expr } from '../expr.js';
import { T, isString, nullable, printType, type ChType } from '../types.js';
import { elemOf } from './arrays.js';
import { anyNullable, e, type FnDef, type FnTable } from './define.js';

const operator =
  (node: 'CompareOperation' | 'ArithmeticOperation') =>
  (op: string): FnDef => ({
    min: 2,
    max: 2,
    raw: (call, ctx) => ctx.translate({ node, op, left: call.args[0]!, right: call.args[1]! }),
  });
const compare = operator('CompareOperation');
const arithmetic = operator('ArithmeticOperation');
const logical = (node: 'And' | 'Or'): FnDef => ({ min: 1, raw: (call, ctx) => ctx.translate({ node, exprs: call.args }) });

function unify(branches: Expr[]): ChType {
  const typed = branches.find((b) => b.type.base !== 'Nothing');
  const base = typed?.type ?? T.nothing;
  return anyNullable(branches) ? nullable(base) : base;
}

/** Branches of one result column must share a DuckDB type: all flags, else strings if any is one, else numbers. */
function unifyBranches(branches: Expr[]): { sqls: string[]; type: ChType; boolRepr: boolean } {
  const allBool = branches.every((b) => b.boolRepr || b.type.base === 'Nothing');
  const anyString = branches.some((b) => isString(b.type));
  const sqls = branches.map((b) => (allBool ? b.sql : anyString && b.type.base !== 'Nothing' ? asStr(b) : asNum(b)));
  const type = allBool ? T.uint8 : unify(branches.map((b) => (b.boolRepr ? { ...b, type: T.uint8 } : b)));
  return { sqls, type, boolRepr: allBool && branches.some((b) => b.boolRepr) };
}

/** `name(branches...)` over unified branches, typed by `type` (default: the unified type). */
function unified(name: string, type: (u: ChType, args: Expr[]) => ChType = (u) => u, keepFlag = true): NonNullable<FnDef['fn']> {
  return (args) => {
    const u = unifyBranches(args);
    return e(`${name}(${u.sqls.join(', ')})`, type(u.type, args), keepFlag && u.boolRepr);
  };
}

export const LOGIC_FUNCTIONS: FnTable = {
  equals: compare('=='),
  notEquals: compare('!='),
  less: compare('<'),
  greater: compare('>'),
  lessOrEquals: compare('<='),
  greaterOrEquals: compare('>='),
  like: compare('like'),
  ilike: compare('ilike'),
  notLike: compare('not like'),
  notILike: compare('not ilike'),
  in: compare('in'),
  notIn: compare('not in'),
  match: compare('=~'),
  and: logical('And'),
  or: logical('Or'),
  not: { min: 1, max: 1, raw: (call, ctx) => ctx.translate({ node: 'Not', expr: call.args[0]! }) },
  xor: { min: 2, max: 2, fn: ([a, b]) => flag(`(${asCond(a!)} <> ${asCond(b!)})`) },
  plus: arithmetic('+'),
  minus: arithmetic('-'),
  multiply: arithmetic('*'),
  divide: arithmetic('/'),
  modulo: arithmetic('%'),

  // conditionals and nulls
  if: {
    min: 3,
    max: 3,
    fn: ([c, a, b]) => {
      const u = unifyBranches([a!, b!]);
      return e(`(CASE WHEN ${asCond(c!)} THEN ${u.sqls[0]} ELSE ${u.sqls[1]} END)`, u.type, u.boolRepr);
    },
  },
  multiIf: {
    min: 3,
    fn: (args) => {
      if (args.length % 2 === 0) throw unsupported("Function 'multiIf' expects an odd number of arguments");
      const values = args.filter((_, i) => i % 2 === 1 || i === args.length - 1);
      const u = unifyBranches(values);
      const whens: string[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) whens.push(`WHEN ${asCond(args[i]!)} THEN ${u.sqls[i / 2]}`);
      return e(`(CASE ${whens.join(' ')} ELSE ${u.sqls[u.sqls.length - 1]} END)`, u.type, u.boolRepr);
    },
  },
  // coalesce is non-NULL as soon as one argument is; ifNull only when its fallback is.
  coalesce: {
    min: 1,
    fn: unified('coalesce', (u, args) => (args.every((a) => a.type.nullable || a.type.base === 'Nothing') ? u : nullable(u, false))),
  },
  ifNull: { min: 2, max: 2, fn: unified('coalesce', (u, args) => nullable(u, !!args[1]!.type.nullable)) },
  nullIf: { min: 2, max: 2, fn: ([a, b]) => e(`nullif(${a!.sql}, ${b!.sql})`, nullable(a!.type)) },
  isNull: { min: 1, max: 1, fn: ([a]) => flag(`(${a!.sql} IS NULL)`) },
  isNotNull: { min: 1, max: 1, fn: ([a]) => flag(`(${a!.sql} IS NOT NULL)`) },
  assumeNotNull: { min: 1, max: 1, fn: ([a]) => ({ ...a!, type: nullable(a!.type, false) }) },
  toNullable: { min: 1, max: 1, fn: ([a]) => ({ ...a!, type: nullable(a!.type) }) },
  greatest: { min: 1, fn: unified('greatest', undefined, false) },
  least: { min: 1, fn: unified('least', undefined, false) },
  max2: { min: 2, max: 2, fn: (args) => e(`greatest(${args.map(asNum).join(', ')})`, T.float) },
  min2: { min: 2, max: 2, fn: (args) => e(`least(${args.map(asNum).join(', ')})`, T.float) },
  transform: {
    min: 3,
    max: 4,
    fn: ([x, from, to, dflt]) => {
      const picked = `list_extract(${to!.sql}, list_position(${from!.sql}, ${x!.sql}))`;
      return e(dflt ? `coalesce(${picked}, ${dflt.sql})` : `coalesce(${picked}, ${x!.sql})`, elemOf(to!));
    },
  },
  toTypeName: { min: 1, max: 1, fn: ([a]) => literal(printType(a!.boolRepr ? T.uint8 : a!.type)) },
};
