import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { StoreError } from './errors.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { StoreTables } from './schema.js';
import type { Store } from './store.js';

/** Bolt's Logger and `console` both fit. */
export interface StoreLogger {
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
}

export interface OpenStoreOptions {
  logger?: StoreLogger;
}

const BUSY_TIMEOUT_MS = 5_000;

const quietLogger: StoreLogger = { info: () => {}, warn: (...parts) => console.warn(...parts) };

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/**
 * Opens the store and migrates it to the latest schema.
 *
 * @param databaseUrl `postgres://` / `postgresql://` for PostgreSQL (add `?options=-c%20search_path%3Dname` to use
 *   a schema other than the default); anything else is a SQLite file path (its directory is created), or `:memory:`.
 * @example const store = await openStore(config.databaseUrl, { logger });
 */
export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const logger = opts.logger ?? quietLogger;
  return isPostgresUrl(databaseUrl) ? openPostgres(databaseUrl, logger) : openSqlite(databaseUrl, logger);
}

/** host:port/database only: the URL may carry a password. */
function describePostgres(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return '(unparseable postgres url)';
  }
}

async function openPostgres(databaseUrl: string, logger: StoreLogger): Promise<Store> {
  const where = describePostgres(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl });
  // An idle client dying (server restart, network blip) is emitted on the pool; unhandled, it kills the process.
  // The pool already discards that client, so there is nothing left to do but say so.
  pool.on('error', (error) => logger.warn(`store: idle postgres connection to ${where} failed: ${error.message}`));
  const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Kysely's migrator would otherwise accept its bookkeeping table from any schema on the search path.
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema;
    if (!schema) throw new StoreError('open_failed', `postgres store at ${where}: the search_path names no existing schema`);
    await migrateToLatest(db, { schema, onApplied: (name) => logger.info(`store: applied migration ${name} (postgres ${where})`) });
  } catch (error) {
    await db.destroy();
    if (error instanceof StoreError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreError('open_failed', `cannot open postgres store at ${where}: ${detail}`, { cause: error });
  }
  return new KyselyStore(db, 'postgres');
}

async function openSqlite(path: string, logger: StoreLogger): Promise<Store> {
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreError('open_failed', `cannot open sqlite store at ${path}: ${detail}`, { cause: error });
  }
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<StoreTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrate = async () => {
    // Kysely takes no lock on SQLite; BEGIN IMMEDIATE holds the write lock, so another process opening the same
    // file waits (busy_timeout) and then finds the migrations done. SQLite DDL is transactional, so a failed
    // migration leaves nothing half-applied.
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      await migrateToLatest(db, { onApplied: (name) => logger.info(`store: applied migration ${name} (sqlite ${path})`) });
      sqlite.exec('COMMIT');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  };
  try {
    await (inMemory ? migrate() : oneAtATime(resolve(path), migrate));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, 'sqlite');
}

const sqliteOpening = new Map<string, Promise<void>>();

/**
 * Serializes opens of one SQLite file within this process. better-sqlite3 waits for a lock synchronously, so a
 * second connection in the same process blocking on BEGIN IMMEDIATE would freeze the event loop that the first
 * one needs to finish: it must queue here instead.
 */
function oneAtATime(file: string, task: () => Promise<void>): Promise<void> {
  const previous = sqliteOpening.get(file) ?? Promise.resolve();
  const run = previous.then(task);
  const settled = run.catch(() => {});
  sqliteOpening.set(file, settled);
  void settled.then(() => {
    if (sqliteOpening.get(file) === settled) sqliteOpening.delete(file);
  });
  return run;
}
