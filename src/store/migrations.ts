import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { StoreError } from './errors.js';

/**
 * One ordered list for both dialects, so the DDL sticks to types both understand (`text`, `bigint`). Names sort
 * in order; append new entries, never edit an applied one.
 */
// Migrations see the schema as it was when they were written, not as StoreTables describes it today.
type AnyDb = Kysely<any>;

export const migrations: Readonly<Record<string, Migration>> = {
  '001_initial': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('workspaces')
        .addColumn('team_id', 'text', (c) => c.primaryKey())
        .addColumn('connection_id', 'text')
        .addColumn('project_id', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text')
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('outcome', 'text')
        .execute();
      await db.schema
        .createTable('once_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      // The purge deletes by expiry.
      await db.schema.createIndex('once_keys_expires_at_idx').on('once_keys').column('expires_at').execute();
      await db.schema
        .createTable('installations')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };

export interface MigrateOptions {
  /** Where Kysely keeps its bookkeeping tables (Postgres: the current schema, see open.ts). */
  schema?: string;
  onApplied?: (name: string) => void;
}

/**
 * Brings the database to the latest migration. On Postgres, Kysely holds an advisory lock while it runs, so
 * replicas starting together apply each migration once and the others wait, then find nothing to do.
 */
export async function migrateToLatest(db: AnyDb, opts: MigrateOptions = {}): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(opts.schema === undefined ? {} : { migrationTableSchema: opts.schema }) });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') opts.onApplied?.(result.migrationName);
  }
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreError('migration_failed', `store migration ${failed ?? '(setup)'} failed: ${detail}`, { cause: error });
  }
}
