/**
 * The store contract for connection ownership (issue 11: a Maton connection belongs to one workspace), on SQLite and on
 * PostgreSQL like store.contract.test.ts: first claim wins, assignments, forgetting a deleted connection, and the
 * migration that gives each connection already in use to the workspace that chose it first.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { isPostgresUrl, openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createScratchSchema, postgresProblem, postgresTestUrl } from './postgres-leg.js';

type FreshDatabase = () => Promise<{ url: string; drop: () => Promise<void> }>;

const T0 = new Date('2025-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const quiet = { info: () => {}, warn: () => {} };

/** A Kysely handle on the test database, for schema states the store itself never leaves behind. */
function rawDb(url: string): Kysely<any> {
  if (isPostgresUrl(url)) return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
  mkdirSync(dirname(url), { recursive: true });
  return new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(url) }) });
}

function ownershipContract(leg: string, fresh: FreshDatabase): void {
  let url = '';
  let drop: () => Promise<void> = async () => {};
  const opened: Store[] = [];
  const open = async () => {
    const store = await openStore(url, { logger: quiet });
    opened.push(store);
    return store;
  };

  describe(`Connection ownership contract: ${leg}`, () => {
    beforeEach(async () => {
      ({ url, drop } = await fresh());
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await drop();
    });

    it('the first claim wins, and a later one returns the existing owner', async () => {
      const store = await open();
      expect(await store.getConnectionOwner('conn-a')).toBeNull();
      const first = await store.claimConnection({
        connectionId: 'conn-a',
        teamId: 'T1',
        enterpriseId: 'E1',
        claimedBy: 'U1',
        claimedAt: at(1_000),
        how: 'created',
      });
      expect(first).toEqual({
        connectionId: 'conn-a',
        teamId: 'T1',
        enterpriseId: 'E1',
        claimedBy: 'U1',
        claimedAt: at(1_000),
        how: 'created',
      });
      const second = await store.claimConnection({
        connectionId: 'conn-a',
        teamId: 'T2',
        enterpriseId: null,
        claimedBy: 'U2',
        claimedAt: at(2_000),
        how: 'chosen',
      });
      expect(second).toEqual(first);
      expect(await store.getConnectionOwner('conn-a')).toEqual(first);
    });

    it('concurrent claims of one connection leave exactly one owner, the same for everyone', async () => {
      const store = await open();
      const other = await open();
      const claims = await Promise.all(
        ['T1', 'T2', 'T3', 'T4'].map((team, i) =>
          (i % 2 === 0 ? store : other).claimConnection({
            connectionId: 'conn-race',
            teamId: team,
            enterpriseId: null,
            claimedBy: `U${i}`,
            claimedAt: at(i),
            how: 'chosen',
          }),
        ),
      );
      expect(new Set(claims.map((c) => c.teamId)).size).toBe(1);
      expect((await store.getConnectionOwner('conn-race'))?.teamId).toBe(claims[0]!.teamId);
    });

    it('lists owners of given ids, and each workspace’s own and lent connections', async () => {
      const store = await open();
      await store.claimConnection({
        connectionId: 'conn-a',
        teamId: 'T1',
        enterpriseId: 'E1',
        claimedBy: 'U1',
        claimedAt: at(1_000),
        how: 'created',
      });
      await store.claimConnection({
        connectionId: 'conn-b',
        teamId: 'T2',
        enterpriseId: 'E1',
        claimedBy: 'U2',
        claimedAt: at(2_000),
        how: 'chosen',
      });
      await store.claimConnection({
        connectionId: 'conn-c',
        teamId: 'T1',
        enterpriseId: 'E1',
        claimedBy: 'U1',
        claimedAt: at(3_000),
        how: 'seeded',
      });
      expect((await store.getConnectionOwners(['conn-a', 'conn-b', 'conn-x'])).map((o) => [o.connectionId, o.teamId]).sort()).toEqual([
        ['conn-a', 'T1'],
        ['conn-b', 'T2'],
      ]);
      expect(await store.getConnectionOwners([])).toEqual([]);
      expect(await store.connectionsOf('T1')).toEqual(['conn-a', 'conn-c']);
      expect(await store.isConnectionAssigned('conn-a', 'T2')).toBe(false);

      await store.assignConnection('conn-a', 'T2', 'UORG', at(4_000));
      await store.assignConnection('conn-a', 'T2', 'UORG2', at(5_000));
      expect(await store.isConnectionAssigned('conn-a', 'T2')).toBe(true);
      expect(await store.isConnectionAssigned('conn-a', 'T3')).toBe(false);
      expect(await store.connectionsOf('T2')).toEqual(['conn-b', 'conn-a']);
      // Lending does not change the owner.
      expect((await store.getConnectionOwner('conn-a'))?.teamId).toBe('T1');
    });

    it('forgetting a deleted connection drops its owner and every assignment; others are untouched', async () => {
      const store = await open();
      await store.claimConnection({
        connectionId: 'conn-a',
        teamId: 'T1',
        enterpriseId: null,
        claimedBy: 'U1',
        claimedAt: at(1_000),
        how: 'created',
      });
      await store.claimConnection({
        connectionId: 'conn-b',
        teamId: 'T1',
        enterpriseId: null,
        claimedBy: 'U1',
        claimedAt: at(1_000),
        how: 'created',
      });
      await store.assignConnection('conn-a', 'T2', 'U9', at(2_000));
      await store.forgetConnection('conn-a');
      expect(await store.getConnectionOwner('conn-a')).toBeNull();
      expect(await store.isConnectionAssigned('conn-a', 'T2')).toBe(false);
      expect(await store.connectionsOf('T2')).toEqual([]);
      expect(await store.connectionsOf('T1')).toEqual(['conn-b']);
      // Claimable again, like any connection nobody owns.
      expect(
        (
          await store.claimConnection({
            connectionId: 'conn-a',
            teamId: 'T3',
            enterpriseId: null,
            claimedBy: 'U3',
            claimedAt: at(3_000),
            how: 'chosen',
          })
        ).teamId,
      ).toBe('T3');
    });

    it('keeps owners across close and reopen', async () => {
      const first = await open();
      await first.claimConnection({
        connectionId: 'conn-a',
        teamId: 'T1',
        enterpriseId: 'E1',
        claimedBy: 'U1',
        claimedAt: at(1_000),
        how: 'created',
      });
      await first.assignConnection('conn-a', 'T2', 'U9', at(2_000));
      await first.close();
      const second = await open();
      expect(await second.getConnectionOwner('conn-a')).toMatchObject({
        teamId: 'T1',
        enterpriseId: 'E1',
        how: 'created',
        claimedAt: at(1_000),
      });
      expect(await second.isConnectionAssigned('conn-a', 'T2')).toBe(true);
    });

    it('the migration gives each connection in use to the workspace that chose it first', async () => {
      // A database as it was before ownership existed: three workspaces, two of them on the same connection.
      const db = rawDb(url);
      const before: Record<string, Migration> = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '004'));
      // Kysely keeps its bookkeeping where openStore will look for it: the connection's current schema on Postgres.
      const schema = isPostgresUrl(url) ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s : undefined;
      const { error } = await new Migrator({
        db,
        provider: { getMigrations: async () => before },
        ...(schema ? { migrationTableSchema: schema } : {}),
      }).migrateToLatest();
      expect(error).toBeUndefined();
      await db
        .insertInto('workspaces')
        .values([
          { team_id: 'T1', connection_id: 'conn-shared', project_id: null, updated_at: 2_000, updated_by: 'U1' },
          { team_id: 'T2', connection_id: 'conn-shared', project_id: null, updated_at: 1_000, updated_by: 'U2' },
          { team_id: 'T3', connection_id: 'conn-own', project_id: 5, updated_at: 3_000, updated_by: 'U3' },
          { team_id: 'T4', connection_id: null, project_id: 7, updated_at: 4_000, updated_by: 'U4' },
        ])
        .execute();
      await db.destroy();

      const store = await open();
      expect(await store.getConnectionOwner('conn-shared')).toEqual({
        connectionId: 'conn-shared',
        teamId: 'T2',
        enterpriseId: null,
        claimedBy: 'U2',
        claimedAt: new Date(1_000),
        how: 'migrated',
      });
      expect(await store.getConnectionOwner('conn-own')).toMatchObject({ teamId: 'T3', how: 'migrated' });
      expect(await store.connectionsOf('T4')).toEqual([]);
      expect(await store.connectionsOf('T1')).toEqual([]);
    });
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'hogbot-owners-'));
let sqliteCount = 0;
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

ownershipContract('sqlite', async () => ({ url: join(sqliteDir, `db-${++sqliteCount}`, 'hogbot.sqlite'), drop: async () => {} }));

const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const pgProblem = await postgresProblem(postgresTestUrl);
if (pgProblem !== null) console.warn(`[connection owners contract] PostgreSQL leg ${inCi ? 'will FAIL' : 'SKIPPED'}: ${pgProblem}`);

describe.skipIf(pgProblem !== null && !inCi)('postgres', () => {
  ownershipContract('postgres', async () => {
    if (pgProblem !== null) throw new Error(`PostgreSQL is required in CI: ${pgProblem}`);
    return createScratchSchema(postgresTestUrl);
  });
});
