/**
 * The emulator's HogQL engine: a DemoDataset in an in-memory DuckDB, queried with real HogQL.
 *
 * @example
 * const engine = await createHogQLEngine(dataset);
 * const result = await engine.execute('SELECT event, count() FROM events GROUP BY event', { now });
 * // result.columns = ['event', 'count()'], result.types = [['event', 'String'], ['count()', 'UInt64']]
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { DemoDataset } from '../dataset-types.js';
import type { AstNode, QueryNode, SelectQueryNode } from './ast.js';
import { HogQLError, isHogQLError, unsupported } from './errors.js';
import { isKnownZone } from './functions/dates.js';
import { loadDataset } from './load.js';
import { parseSelect } from './parse.js';
import { replacePlaceholders } from './placeholders.js';
import { printHogQL } from './printer.js';
import { formatWallClock, toJson } from './results.js';
import { sqlString } from './sql.js';
import { translateQuery, type PropertyTypes } from './translate.js';
import { printType } from './types.js';

/** PostHog's defaults for the query endpoint (LimitContext.QUERY). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 50_000;

export interface HogQLEngineOptions {
  /** The team time zone used when a query does not pass one. Default "UTC". */
  timezone?: string;
  /** DuckDB worker threads. Default 2 (the size of this project's machines). */
  threads?: number;
  /**
   * DuckDB's memory_limit, e.g. "192MB" (DuckDB's own default is 80% of the machine's RAM). Bounds what a query may
   * hold for sorts and hash tables; the sandbox sets it so one process stays small. https://duckdb.org/docs/configuration/overview
   */
  memoryLimit?: string;
}

export interface ExecuteOptions {
  /** Rows per page when the query has no LIMIT (PostHog's paginator): default 100, at most 50,000. */
  limit?: number;
  /** `{name}` placeholder values. */
  values?: Record<string, unknown>;
  /** What now()/today() return; defaults to the wall clock. */
  now?: Date;
  /** The team time zone for this query. */
  timezone?: string;
  /** Aborting interrupts the running DuckDB query (the query service's cancel). */
  signal?: AbortSignal;
}

export interface HogQLResult {
  results: unknown[][];
  columns: string[];
  /** `[column, ClickHouse type]` pairs, e.g. `["count()", "UInt64"]`. */
  types: [string, string][];
  /** Null when the query carried its own LIMIT (PostHog only paginates queries without one). */
  hasMore: boolean | null;
  limit: number | null;
  offset: number | null;
  /** The HogQL that ran, with the applied LIMIT. */
  hogql: string;
}

export interface HogQLEngine {
  execute(query: string, options?: ExecuteOptions): Promise<HogQLResult>;
  /** The DuckDB SQL a query translates to (for debugging and tests). */
  toSql(query: string, options?: ExecuteOptions): Promise<string>;
  close(): void;
}

interface Prepared {
  sql: string;
  hogql: string;
  columns: { name: string; type: ReturnType<typeof translateQuery>['columns'][number]['type'] }[];
  page?: { limit: number; offset: number };
}

function constantLimit(node: SelectQueryNode['limit']): number | undefined {
  if (node?.node !== 'Constant') return undefined;
  const value = (node as { value?: unknown }).value;
  return typeof value === 'number' ? value : undefined;
}

/** PostHog's limit rules: paginate a plain SELECT without LIMIT (limit + 1 rows), cap explicit limits at 50,000. */
function applyLimits(ast: QueryNode, pageLimit: number | undefined): { ast: QueryNode; page?: { limit: number; offset: number } } {
  if (ast.node === 'SelectQuery' && !ast.limit) {
    const limit = Math.min(MAX_LIMIT, pageLimit && pageLimit > 0 ? Math.floor(pageLimit) : DEFAULT_LIMIT);
    return {
      ast: { ...ast, limit: { node: 'Constant', value: limit + 1 }, offset: { node: 'Constant', value: 0 } },
      page: { limit, offset: 0 },
    };
  }
  const cap = (select: SelectQueryNode): SelectQueryNode => {
    if (!select.limit) return { ...select, limit: { node: 'Constant', value: DEFAULT_LIMIT } };
    const value = constantLimit(select.limit);
    return value !== undefined && value > MAX_LIMIT ? { ...select, limit: { node: 'Constant', value: MAX_LIMIT } } : select;
  };
  if (ast.node === 'SelectQuery') return { ast: cap(ast) };
  const capPart = (node: AstNode): AstNode => (node.node === 'SelectQuery' ? cap(node as SelectQueryNode) : node);
  return {
    ast: {
      ...ast,
      initial_select_query: capPart(ast.initial_select_query),
      subsequent_select_queries: ast.subsequent_select_queries.map((s) => ({ ...s, select_query: capPart(s.select_query) })),
    },
  };
}

function nowSql(now: Date, zone: string): string {
  const utcText = formatWallClock(BigInt(now.getTime()) * 1000n, 'UTC')
    .replace('T', ' ')
    .replace('Z', '');
  if (zone === 'UTC') return `TIMESTAMP '${utcText}'`;
  return `timezone(${sqlString(zone)}, TIMESTAMPTZ '${utcText}+00')`;
}

function executionError(error: unknown): HogQLError {
  if (isHogQLError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  if (/interrupt/i.test(firstLine)) return new HogQLError('execution', 'Query cancelled');
  return new HogQLError('execution', firstLine);
}

export async function createHogQLEngine(dataset: DemoDataset, options: HogQLEngineOptions = {}): Promise<HogQLEngine> {
  const defaultZone = options.timezone ?? 'UTC';
  const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 2) });
  const setup = await instance.connect();
  let propertyTypes: PropertyTypes;
  try {
    // Naive timestamp text must parse the same on every machine, whatever its TZ.
    await setup.run("SET GLOBAL TimeZone = 'UTC'");
    if (options.memoryLimit) {
      if (!/^\d+(\.\d+)?\s*[KMG]i?B$/i.test(options.memoryLimit))
        throw new Error(`memoryLimit must look like "192MB", not ${options.memoryLimit}`);
      await setup.run(`SET GLOBAL memory_limit = ${sqlString(options.memoryLimit)}`);
    }
    propertyTypes = await loadDataset(setup, dataset);
  } catch (error) {
    setup.closeSync();
    instance.closeSync();
    throw error;
  }
  setup.closeSync();
  let closed = false;

  async function prepare(query: string, opts: ExecuteOptions): Promise<Prepared> {
    const zone = opts.timezone ?? defaultZone;
    if (!isKnownZone(zone)) throw unsupported(`Unknown time zone: ${zone}`);
    const parsed = await parseSelect(query);
    const substituted = replacePlaceholders(parsed, opts.values ?? {});
    const { ast, page } = applyLimits(substituted, opts.limit);
    const translated = translateQuery(ast, { tz: zone, nowSql: nowSql(opts.now ?? new Date(), zone), propertyTypes });
    return { sql: translated.sql, hogql: printHogQL(ast), columns: translated.columns, ...(page ? { page } : {}) };
  }

  async function run(connection: DuckDBConnection, sql: string, signal?: AbortSignal) {
    const onAbort = () => connection.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw new HogQLError('execution', 'Query cancelled');
      return await connection.runAndReadAll(sql);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    async execute(query, opts = {}) {
      if (closed) throw new HogQLError('execution', 'The HogQL engine is closed');
      const prepared = await prepare(query, opts);
      const connection = await instance.connect();
      try {
        await connection.run("SET TimeZone = 'UTC'");
        const reader = await run(connection, prepared.sql, opts.signal);
        if (opts.signal?.aborted) throw new HogQLError('execution', 'Query cancelled');
        let rows = reader.getRows();
        let hasMore: boolean | null = null;
        if (prepared.page) {
          hasMore = rows.length > prepared.page.limit;
          rows = rows.slice(0, prepared.page.limit);
        } else if (rows.length > MAX_LIMIT) {
          rows = rows.slice(0, MAX_LIMIT);
        }
        const columnTypes = prepared.columns.map((c) => c.type);
        return {
          results: rows.map((row) => row.map((value, i) => toJson(value, columnTypes[i]))),
          columns: prepared.columns.map((c) => c.name),
          types: prepared.columns.map((c) => [c.name, printType(c.type)] as [string, string]),
          hasMore,
          limit: prepared.page?.limit ?? null,
          offset: prepared.page?.offset ?? null,
          hogql: prepared.hogql,
        };
      } catch (error) {
        throw executionError(error);
      } finally {
        connection.closeSync();
      }
    },
    async toSql(query, opts = {}) {
      return (await prepare(query, opts)).sql;
    },
    close() {
      if (closed) return;
      closed = true;
      instance.closeSync();
    },
  };
}
