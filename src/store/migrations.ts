import { Migrator, type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import { scopedToSchema } from './schema-scoped.js';
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
  // Roles granted in Hogbot, the audit log, per-workspace write policy (approvals, audit channel), approval requests.
  '002_guard_rails': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('role_grants')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('role_grants_pk', ['team_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('confirmed_by', 'text')
        .addColumn('approved_by', 'text')
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text')
        .addColumn('project_id', 'bigint')
        .addColumn('object_type', 'text')
        .addColumn('object_id', 'text')
        .addColumn('object_label', 'text')
        .addColumn('before', 'text', (c) => c.notNull())
        .addColumn('after', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .addColumn('plan_id', 'text')
        .execute();
      // `/ph audit` reads a workspace's newest rows.
      await db.schema.createIndex('audit_log_team_at_idx').on('audit_log').columns(['team_id', 'at']).execute();
      await db.schema
        .createTable('workspace_policies')
        .addColumn('team_id', 'text', (c) => c.primaryKey())
        .addColumn('approvals_required', 'bigint', (c) => c.notNull())
        .addColumn('audit_channel_id', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('plan_approvals')
        .addColumn('plan_id', 'text', (c) => c.primaryKey())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .addColumn('channel_id', 'text')
        .addColumn('message_ts', 'text')
        .addColumn('thread_ts', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decision', 'text')
        .addColumn('decided_at', 'bigint')
        .execute();
    },
  },
  // Saved HogQL queries, digests and alerts (one `schedules` table), and one delivery row per (schedule, period).
  '003_schedules': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('saved_queries')
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('hogql', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('saved_queries_pk', ['team_id', 'name'])
        .execute();
      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('enterprise_id', 'text')
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('cadence', 'text', (c) => c.notNull())
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('paused', 'bigint', (c) => c.notNull())
        .addColumn('next_run_at', 'bigint', (c) => c.notNull())
        .addColumn('last_run_at', 'bigint')
        .addColumn('last_outcome', 'text')
        .execute();
      // The scheduler asks "what is due?" every tick; commands list a workspace's schedules.
      await db.schema.createIndex('schedules_due_idx').on('schedules').columns(['paused', 'next_run_at']).execute();
      await db.schema.createIndex('schedules_team_idx').on('schedules').columns(['team_id', 'kind']).execute();
      await db.schema
        .createTable('deliveries')
        .addColumn('schedule_id', 'text', (c) => c.notNull())
        .addColumn('period_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('late', 'bigint', (c) => c.notNull())
        .addColumn('skipped', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'bigint', (c) => c.notNull())
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('detail', 'text')
        .addPrimaryKeyConstraint('deliveries_pk', ['schedule_id', 'period_key'])
        .execute();
      await db.schema.createIndex('deliveries_status_idx').on('deliveries').columns(['status', 'claimed_at']).execute();
    },
  },
  // Issue 11: Slack guests see no PostHog data unless a workspace admin allows it (0 = not allowed, the default).
  '004_guests_guest_policy': {
    async up(db: AnyDb) {
      await db.schema
        .alterTable('workspace_policies')
        .addColumn('guests_allowed', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  // Chart PNGs served at signed, expiring URLs (src/images/), readable by every replica.
  '005_fidslack_images': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('images')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('images_expires_idx').on('images').column('expires_at').execute();
    },
  },
  // Which workspace a Maton connection belongs to (issue 11: one Maton key serves every workspace of an install), and the
  // connections an Enterprise Grid org admin lent to another workspace of the same enterprise. A connection a workspace
  // already uses is given to it here; when several used the same one, the earliest chooser keeps it.
  '006_tenancy_connection_owners': {
    async up(db: AnyDb) {
      await db.schema
        .createTable('connection_owners')
        .addColumn('connection_id', 'text', (c) => c.primaryKey())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('enterprise_id', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_at', 'bigint', (c) => c.notNull())
        .addColumn('how', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('connection_owners_team_idx').on('connection_owners').column('team_id').execute();
      await db.schema
        .createTable('connection_assignments')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('connection_assignments_pk', ['connection_id', 'team_id'])
        .execute();
      await sql`
        insert into connection_owners (connection_id, team_id, enterprise_id, claimed_by, claimed_at, how)
        select w.connection_id, w.team_id, null, w.updated_by, w.updated_at, 'migrated'
        from workspaces w
        where w.connection_id is not null
          and not exists (
            select 1 from workspaces e
            where e.connection_id = w.connection_id
              and (e.updated_at < w.updated_at or (e.updated_at = w.updated_at and e.team_id < w.team_id))
          )
      `.execute(db);
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
  const migrator = new Migrator({
    db: opts.schema === undefined ? db : scopedToSchema(db, opts.schema),
    provider,
    ...(opts.schema === undefined ? {} : { migrationTableSchema: opts.schema }),
  });
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
