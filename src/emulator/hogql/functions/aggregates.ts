/**
 * HogQL aggregate functions on DuckDB. Each returns the bare aggregate call so the translator can attach
 * `FILTER (WHERE ...)` (for the `...If` combinator and explicit FILTER clauses) and `OVER (...)` for window use.
 */
import { unsupported } from '../errors.js';
import { asCond, asNum, constantNumber, numType, type Expr } from '../expr.js';
import { T, isInt, nullable, type ChType } from '../types.js';

export interface AggCall {
  /** One DuckDB aggregate call, e.g. `quantile_cont(x, 0.5)`. */
  call: string;
  /** A condition the aggregate always filters on (combined with `...If` / FILTER conditions). */
  filter?: string;
  type: ChType;
  /** Applied around the call after any FILTER clause. */
  wrap?: (sql: string) => string;
}

export interface AggDef {
  min: number;
  max?: number;
  params?: [number, number | undefined];
  build: (args: Expr[], params: Expr[], distinct: boolean) => AggCall;
}

const d = (distinct: boolean): string => (distinct ? 'DISTINCT ' : '');

function sumType(x: Expr): ChType {
  const t = numType(x);
  if (isInt(t)) return t.base.startsWith('U') ? T.uint64 : T.int64;
  return T.float;
}

/** Exact distinct count; several arguments count distinct rows of them. */
function uniq(args: Expr[], distinct = true): string {
  const value = args.length === 1 ? args[0]!.sql : `row(${args.map((a) => a.sql).join(', ')})`;
  return `count(${distinct ? 'DISTINCT ' : ''}${value})`;
}

function numericAgg(fn: string, type?: (x: Expr) => ChType): AggDef {
  return {
    min: 1,
    max: 1,
    build: ([x], _p, distinct) => ({ call: `${fn}(${d(distinct)}${asNum(x!)})`, type: type ? type(x!) : nullable(T.float) }),
  };
}

/** A float statistic of two numeric arguments. */
const pairAgg = (fn: string): AggDef => ({
  min: 2,
  max: 2,
  build: ([x, y]) => ({ call: `${fn}(${asNum(x!)}, ${asNum(y!)})`, type: nullable(T.float) }),
});

function quantileParam(params: Expr[], fallback: number): number {
  const p = params[0] ? constantNumber(params[0], 'The quantile level') : fallback;
  if (p < 0 || p > 1) throw unsupported('Quantile levels must be between 0 and 1');
  return p;
}

const sameType = (x: Expr): ChType => (x.boolRepr ? T.uint8 : x.type);

/** An aggregate returning one of its values: `fn(x)`, or `fn(x, by)` for argMin/argMax. */
const pick = (fn: string, arity = 1, numericFlags = false): AggDef => ({
  min: arity,
  max: arity,
  build: (args) => ({
    call: `${fn}(${args.map((a, i) => (i === 0 && numericFlags && a.boolRepr ? asNum(a) : a.sql)).join(', ')})`,
    type: sameType(args[0]!),
  }),
});

/** ClickHouse skips NULLs in groupArray, and returns [] rather than NULL for no rows. */
const groupArray = (distinct: boolean): AggDef => ({
  min: 1,
  max: 1,
  build: ([x]) => ({
    call: `list(${d(distinct)}${x!.sql})`,
    filter: `${x!.sql} IS NOT NULL`,
    type: T.array(nullable(sameType(x!), false)),
    wrap: (s) => `coalesce(${s}, [])`,
  }),
});

const uniqDef: AggDef = { min: 1, build: (args) => ({ call: uniq(args), type: T.uint64 }) };

export const AGGREGATES: Record<string, AggDef> = {
  count: {
    min: 0,
    max: undefined,
    build: (args, _p, distinct) => {
      if (args.length === 0) return { call: 'count(*)', type: T.uint64 };
      return { call: distinct ? uniq(args) : `count(${args[0]!.sql})`, type: T.uint64 };
    },
  },
  countIf: {
    min: 1,
    max: 2,
    build: (args) =>
      args.length === 2
        ? { call: `count(${args[0]!.sql})`, filter: asCond(args[1]!), type: T.uint64 }
        : { call: 'count(*)', filter: asCond(args[0]!), type: T.uint64 },
  },
  uniq: uniqDef,
  uniqExact: uniqDef,
  uniqHLL12: uniqDef,
  uniqCombined: uniqDef,
  uniqTheta: uniqDef,
  sum: numericAgg('sum', sumType),
  avg: numericAgg('avg'),
  min: pick('min', 1, true),
  max: pick('max', 1, true),
  any: pick('any_value'),
  anyLast: pick('last'),
  anyHeavy: pick('mode'),
  argMax: pick('arg_max', 2),
  argMin: pick('arg_min', 2),
  median: numericAgg('median', () => nullable(T.float)),
  medianExact: { min: 1, max: 1, build: ([x]) => ({ call: `quantile_disc(${asNum(x!)}, 0.5)`, type: numType(x!) }) },
  quantile: {
    min: 1,
    max: 1,
    params: [0, 1],
    build: ([x], params) => ({ call: `quantile_cont(${asNum(x!)}, ${quantileParam(params, 0.5)})`, type: nullable(T.float) }),
  },
  quantileExact: {
    min: 1,
    max: 1,
    params: [0, 1],
    build: ([x], params) => ({ call: `quantile_disc(${asNum(x!)}, ${quantileParam(params, 0.5)})`, type: numType(x!) }),
  },
  quantiles: {
    min: 1,
    max: 1,
    params: [1, undefined],
    build: ([x], params) => {
      const levels = params.map((p) => constantNumber(p, 'A quantile level'));
      return { call: `quantile_cont(${asNum(x!)}, [${levels.join(', ')}])`, type: T.array(T.float) };
    },
  },
  groupArray: groupArray(false),
  groupUniqArray: groupArray(true),
  array_agg: {
    min: 1,
    max: 1,
    build: ([x]) => ({ call: `list(${x!.sql})`, type: T.array(sameType(x!)), wrap: (s) => `coalesce(${s}, [])` }),
  },
  stddevPop: numericAgg('stddev_pop'),
  stddevSamp: numericAgg('stddev_samp'),
  varPop: numericAgg('var_pop'),
  varSamp: numericAgg('var_samp'),
  corr: pairAgg('corr'),
  covarPop: pairAgg('covar_pop'),
  covarSamp: pairAgg('covar_samp'),
};

/** Window functions with no aggregate form; `name` is DuckDB's when it differs. */
export const WINDOW_ONLY: Record<string, { min: number; max: number; type: (args: Expr[]) => ChType; name?: string }> = {
  row_number: { min: 0, max: 0, type: () => T.uint64 },
  rank: { min: 0, max: 0, type: () => T.uint64 },
  dense_rank: { min: 0, max: 0, type: () => T.uint64 },
  percent_rank: { min: 0, max: 0, type: () => T.float },
  cume_dist: { min: 0, max: 0, type: () => T.float },
  ntile: { min: 1, max: 1, type: () => T.uint64 },
  first_value: { min: 1, max: 1, type: (a) => a[0]!.type },
  last_value: { min: 1, max: 1, type: (a) => a[0]!.type },
  nth_value: { min: 2, max: 2, type: (a) => nullable(a[0]!.type) },
  lag: { min: 1, max: 3, type: (a) => nullable(a[0]!.type) },
  lead: { min: 1, max: 3, type: (a) => nullable(a[0]!.type) },
  lagInFrame: { min: 1, max: 3, type: (a) => nullable(a[0]!.type), name: 'lag' },
  leadInFrame: { min: 1, max: 3, type: (a) => nullable(a[0]!.type), name: 'lead' },
};

const LOWER = new Map(Object.keys(AGGREGATES).map((k) => [k.toLowerCase(), k]));
const aggregateKey = (name: string): string | undefined => (Object.hasOwn(AGGREGATES, name) ? name : LOWER.get(name.toLowerCase()));

export interface FoundAggregate {
  def: AggDef;
  /** `sumIf(x, cond)` = `sum(x)` over rows where cond: the last argument is the condition. */
  ifCombinator: boolean;
}

/** Finds an aggregate by name (case-insensitively), including the `...If` combinator. */
export function findAggregate(name: string): FoundAggregate | undefined {
  const key = aggregateKey(name);
  if (key) return { def: AGGREGATES[key]!, ifCombinator: false };
  const baseKey = name.endsWith('If') ? aggregateKey(name.slice(0, -2)) : undefined;
  return baseKey ? { def: AGGREGATES[baseKey]!, ifCombinator: true } : undefined;
}

export const AGGREGATE_NAMES = Object.keys(AGGREGATES);
