/** Arithmetic and math functions. Integer inputs keep integer types where ClickHouse does (abs, round to 0 digits). */
import { asNum, constantNumber, flag, numType, type Expr } from '../expr.js';
import { T, isInt, nullable, type ChType } from '../types.js';
import { anyNullable, e, passthrough, type FnDef, type FnTable } from './define.js';

const floatType = (args: Expr[]): ChType => nullable(T.float, anyNullable(args));
const float = (name: string, arity = 1): FnDef => passthrough(name, arity, arity, floatType, true);

function rounding(fn: 'round' | 'floor' | 'ceil' | 'trunc' | 'round_even'): FnDef {
  return {
    min: 1,
    max: 2,
    fn: ([x, digits]) => {
      const n = digits ? constantNumber(digits, `${fn} precision`) : 0;
      const type = nullable(isInt(x!.type) ? x!.type : T.float, !!x!.type.nullable);
      if (fn === 'round' || fn === 'round_even') return e(`${fn}(${asNum(x!)}, ${n})`, type);
      if (n === 0) return e(`${fn}(${asNum(x!)})`, type);
      // DuckDB's floor/ceil/trunc take no precision: scale, cut, scale back.
      const scale = 10 ** n;
      return e(`(${fn}(${asNum(x!)} * ${scale}) / ${scale})`, T.float);
    },
  };
}

const intDiv = (a: Expr, b: Expr): string => `CAST(trunc(CAST(${asNum(a)} AS DOUBLE) / ${asNum(b)}) AS BIGINT)`;

export const MATH_FUNCTIONS: FnTable = {
  negate: { min: 1, max: 1, fn: ([a]) => e(`(-${asNum(a!)})`, numType(a!)) },
  abs: { min: 1, max: 1, fn: ([a]) => e(`abs(${asNum(a!)})`, numType(a!)) },
  intDiv: { min: 2, max: 2, fn: ([a, b]) => e(intDiv(a!, b!), T.int64) },
  intDivOrZero: { min: 2, max: 2, fn: ([a, b]) => e(`(CASE WHEN ${asNum(b!)} = 0 THEN 0 ELSE ${intDiv(a!, b!)} END)`, T.int64) },
  round: rounding('round'),
  roundBankers: rounding('round_even'),
  floor: rounding('floor'),
  ceil: rounding('ceil'),
  ceiling: rounding('ceil'),
  trunc: rounding('trunc'),
  truncate: rounding('trunc'),
  sqrt: float('sqrt'),
  cbrt: float('cbrt'),
  exp: float('exp'),
  log: float('ln'),
  ln: float('ln'),
  log2: float('log2'),
  log10: float('log10'),
  pow: float('pow', 2),
  power: float('pow', 2),
  sign: passthrough('sign', 1, 1, { base: 'Int8' }, true),
  sin: float('sin'),
  cos: float('cos'),
  tan: float('tan'),
  asin: float('asin'),
  acos: float('acos'),
  atan: float('atan'),
  pi: { min: 0, max: 0, fn: () => e('pi()', T.float) },
  e: { min: 0, max: 0, fn: () => e('exp(1)', T.float) },
  isNaN: { min: 1, max: 1, fn: ([a]) => flag(`isnan(${asNum(a!)})`) },
  isFinite: { min: 1, max: 1, fn: ([a]) => flag(`isfinite(${asNum(a!)})`) },
};
