/**
 * What a HogQL function translator is. Each family module exports a table of these; functions.ts merges the
 * tables into the registry the translator looks names up in.
 */
import type { AstNode, CallNode } from '../ast.js';
import { asNum, type Expr } from '../expr.js';
import type { ChType } from '../types.js';

export interface FnContext {
  tz: string;
  /** SQL for the (fixed) current time as the team zone's wall clock. */
  nowSql: string;
  translate(node: AstNode): Expr;
  /** Translates a Lambda node for DuckDB, given the element types its parameters receive. */
  lambda(node: AstNode, params: ChType[]): Expr;
}

export interface FnDef {
  /** Arity, checked by the translator before either callback runs. */
  min: number;
  max?: number;
  /** Receives translated arguments. */
  fn?: (args: Expr[], ctx: FnContext, call: CallNode) => Expr;
  /** Receives the raw call (for lambdas and operator rewrites). */
  raw?: (call: CallNode, ctx: FnContext) => Expr;
}

export type FnTable = Record<string, FnDef>;

/** The SQL and ClickHouse type of a function's result. */
export const e = (sql: string, type: ChType, boolRepr = false): Expr => (boolRepr ? { sql, type, boolRepr } : { sql, type });

export const anyNullable = (args: Expr[]): boolean => args.some((a) => a.type.nullable || a.type.base === 'Nothing');

/** A DuckDB function of the same meaning: arguments passed through as they are (or as numbers). */
export function passthrough(
  name: string,
  min: number,
  max: number | undefined,
  type: ChType | ((args: Expr[]) => ChType),
  numeric = false,
): FnDef {
  return {
    min,
    max,
    fn: (args) => e(`${name}(${args.map((a) => (numeric ? asNum(a) : a.sql)).join(', ')})`, typeof type === 'function' ? type(args) : type),
  };
}
