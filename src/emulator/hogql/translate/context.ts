/**
 * What one translation carries through its modules: the options, the scope of the SELECT being translated, the
 * lambdas in flight, and the two entry points every module recurses through (`expr`, `query`). Modules reach each
 * other's work through this object rather than importing each other in a cycle.
 */
import type { AstNode } from '../ast.js';
import type { Expr } from '../expr.js';
import type { FnContext } from '../functions/define.js';
import type { PropertyOwner, TableDef } from '../schema.js';
import type { ChType } from '../types.js';

export type PropertyType = 'String' | 'Numeric' | 'Boolean';
export type PropertyTypes = Record<PropertyOwner, Map<string, PropertyType>>;

export interface TranslateOptions {
  /** The team time zone. */
  tz: string;
  /** SQL for now() as the team zone's wall clock. */
  nowSql: string;
  propertyTypes: PropertyTypes;
}

export interface OutputColumn {
  /** The name PostHog prints: the alias, or the expression's HogQL. */
  name: string;
  type: ChType;
  boolRepr: boolean;
}

export interface Translated {
  sql: string;
  columns: OutputColumn[];
}

export interface SourceColumn {
  sqlName: string;
  type: ChType;
  boolRepr: boolean;
}

/** A table, CTE or subquery in FROM/JOIN. */
export interface Source {
  /** The name HogQL uses for it (alias or table name). */
  name: string;
  sqlAlias: string;
  /** Set for PostHog tables... */
  table?: TableDef;
  /** ...and these for CTEs and subqueries. */
  columns?: Map<string, SourceColumn>;
  /** Lazily joined tables hanging off this source (`person`, `session`), in join order. */
  lazy: Map<string, { source: Source; sql: string }>;
}

/** A select alias (or WITH column), translated on first use; `busy` stops `a + 1 AS a` from recursing. */
export interface AliasEntry {
  node: AstNode;
  expr?: Expr;
  busy: boolean;
}

interface CteInfo {
  sqlName: string;
  columns: OutputColumn[];
}

/** One SELECT's names. CTEs are visible to nested SELECTs; sources and aliases are not. */
export class Scope {
  readonly sources: Source[] = [];
  readonly fromSql: { source?: Source; sql: string }[] = [];
  /** ARRAY JOIN / arrayJoin() unnests, keyed by the array's SQL so the same array unnests once. */
  readonly laterals: { key: string; alias: string; sql: string; left: boolean }[] = [];
  readonly aliases = new Map<string, AliasEntry>();
  readonly ctes = new Map<string, CteInfo>();
  readonly sqlAliases = new Set<string>();
  windows: Record<string, AstNode> = {};

  constructor(readonly parent?: Scope) {}

  cte(name: string): CteInfo | undefined {
    return this.ctes.get(name) ?? this.parent?.cte(name);
  }

  /** A source by its HogQL name, or by its table's name when only one source reads that table. */
  source(name: string): Source | undefined {
    const byTable = this.sources.filter((s) => s.table?.name === name);
    return this.sources.find((s) => s.name === name) ?? (byTable.length === 1 ? byTable[0] : undefined);
  }

  uniqueAlias(wanted: string): string {
    let alias = wanted;
    for (let i = 2; this.sqlAliases.has(alias); i++) alias = `${wanted}_${i}`;
    this.sqlAliases.add(alias);
    return alias;
  }
}

export interface LambdaParam {
  sqlName: string;
  type: ChType;
}

export interface Translation {
  readonly options: TranslateOptions;
  /** The SELECT being translated; a subquery swaps in its own for its duration. */
  scope: Scope;
  /** Parameters of the lambdas being translated, innermost last (they shadow columns). */
  lambdas: Map<string, LambdaParam>[];
  /** Numbers lambda parameters across the whole query, so nested lambdas never share a name. */
  lambdaCounter: number;
  /** What function translators see of the translation. */
  readonly functions: FnContext;
  expr(node: AstNode): Expr;
  query(node: AstNode, parent: Scope | undefined): Translated;
}
