/**
 * HogQL AST -> DuckDB SQL. Resolves PostHog's schema (tables, lazy `person`/`session` joins, JSON properties typed by
 * property definitions), ClickHouse's name rules (select aliases usable everywhere, taking priority over columns)
 * and its implicit coercions. The work is split under translate/: query.ts (SELECT clauses), from.ts (FROM, JOIN,
 * ARRAY JOIN), names.ts (name resolution), expressions.ts, operators.ts and calls.ts; functions.ts is the registry
 * of function translators.
 *
 * Time zones: DateTime values are carried in DuckDB as naive TIMESTAMPs holding the wall clock of the zone in their
 * ChType (the team zone unless `toTimeZone` moved them), so `toStartOfDay` and friends work on local days like
 * ClickHouse; results.ts adds the zone's offset when printing.
 */
import type { QueryNode } from './ast.js';
import { HogQLError, unsupported } from './errors.js';
import { Scope, type TranslateOptions, type Translated, type Translation } from './translate/context.js';
import { lambda, translateExpr } from './translate/expressions.js';
import { translateQueryNode } from './translate/query.js';

export type { OutputColumn, PropertyType, PropertyTypes, TranslateOptions, Translated } from './translate/context.js';

function newTranslation(options: TranslateOptions): Translation {
  const t: Translation = {
    options,
    scope: new Scope(),
    lambdas: [],
    lambdaCounter: 0,
    functions: {
      tz: options.tz,
      nowSql: options.nowSql,
      translate: (node) => translateExpr(t, node),
      lambda: (node, params) => lambda(t, node, params),
    },
    expr: (node) => translateExpr(t, node),
    query: (node, parent) => translateQueryNode(t, node, parent),
  };
  return t;
}

/** Wraps translator failures that are not already HogQLErrors (bugs, or DuckDB-side messages). */
export function translateQuery(query: QueryNode, options: TranslateOptions): Translated {
  try {
    return translateQueryNode(newTranslation(options), query, undefined);
  } catch (error) {
    if (error instanceof HogQLError) throw error;
    throw unsupported(error instanceof Error ? error.message : String(error));
  }
}
