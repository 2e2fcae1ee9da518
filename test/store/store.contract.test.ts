import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation, InstallationQuery } from '@slack/bolt';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStoreError } from '../../src/store/errors.js';
import { createInstallationStore } from '../../src/store/installation-store.js';
import { migrations } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open.js';
import type { NewPlan, Store } from '../../src/store/store.js';
import { createScratchSchema, postgresProblem, postgresTestUrl } from './postgres-leg.js';

/** A fresh, empty database for one test, and how to remove it afterwards. */
type FreshDatabase = () => Promise<{ url: string; drop: () => Promise<void> }>;

const T0 = new Date('2025-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIGRATION_NAMES = Object.keys(migrations);

function newPlan(overrides: Partial<NewPlan> = {}): NewPlan {
  return {
    id: 'plan-1',
    teamId: 'T1',
    userId: 'U1',
    channelId: 'C1',
    command: 'flag.toggle',
    payload: { flagId: 17, active: false, nested: { list: [1, 'two', null], unicode: 'ünï ✓' } },
    createdAt: T0,
    expiresAt: at(15 * 60_000),
    ...overrides,
  };
}

const teamInstall: Installation<'v2', false> = {
  team: { id: 'T100', name: 'Acme' },
  enterprise: { id: 'E900', name: 'Acme Group' },
  user: { id: 'U100', token: undefined, scopes: undefined },
  bot: { token: 'xoxb-fake-for-tests', scopes: ['commands', 'chat:write'], id: 'B100', userId: 'U0BOT' },
  appId: 'A100',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
};

const orgInstall: Installation<'v2', true> = {
  team: undefined,
  enterprise: { id: 'E900', name: 'Acme Group' },
  user: { id: 'U200', token: undefined, scopes: undefined },
  bot: { token: 'xoxb-fake-org-for-tests', scopes: ['commands'], id: 'B200', userId: 'U0BOT2' },
  appId: 'A100',
  tokenType: 'bot',
  enterpriseUrl: 'https://acme-group.enterprise.slack.com/',
  isEnterpriseInstall: true,
  authVersion: 'v2',
};

function storeContract(leg: string, fresh: FreshDatabase): void {
  let url = '';
  let drop: () => Promise<void> = async () => {};
  const opened: Store[] = [];

  /** Opens a store on this test's database and records which migrations it applied. */
  async function open(applied: string[] = []): Promise<Store> {
    const store = await openStore(url, {
      logger: {
        info: (message) => {
          const name = /applied migration (\S+)/.exec(String(message))?.[1];
          if (name) applied.push(name);
        },
        warn: () => {},
      },
    });
    opened.push(store);
    return store;
  }

  describe(`Store contract: ${leg}`, () => {
    beforeEach(async () => {
      ({ url, drop } = await fresh());
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await drop();
    });

    it('reports its dialect', async () => {
      const store = await open();
      expect(store.dialect).toBe(leg);
    });

    it('stores workspace settings; choosing a connection forgets the project', async () => {
      const store = await open();
      expect(await store.getWorkspace('T1')).toBeNull();

      await store.setWorkspaceConnection('T1', 'conn-a', 'U1', at(1_000));
      expect(await store.getWorkspace('T1')).toEqual({
        teamId: 'T1',
        connectionId: 'conn-a',
        projectId: null,
        updatedAt: at(1_000),
        updatedBy: 'U1',
      });

      await store.setWorkspaceProject('T1', 4242, 'U2', at(2_000));
      expect(await store.getWorkspace('T1')).toMatchObject({ connectionId: 'conn-a', projectId: 4242, updatedBy: 'U2', updatedAt: at(2_000) });

      await store.setWorkspaceConnection('T1', 'conn-b', 'U3', at(3_000));
      expect(await store.getWorkspace('T1')).toMatchObject({ connectionId: 'conn-b', projectId: null, updatedBy: 'U3' });

      await store.setWorkspaceProject('T1', 7, 'U3', at(4_000));
      await store.setWorkspaceConnection('T1', null, 'U4', at(5_000));
      expect(await store.getWorkspace('T1')).toMatchObject({ connectionId: null, projectId: null, updatedBy: 'U4' });

      // A project chosen before any connection keeps the default (null) connection; other teams are untouched.
      await store.setWorkspaceProject('T2', 99, 'U9', at(6_000));
      expect(await store.getWorkspace('T2')).toMatchObject({ teamId: 'T2', connectionId: null, projectId: 99 });
      expect(await store.getWorkspace('T1')).toMatchObject({ connectionId: null, projectId: null });
    });

    it('keeps settings, plans and installations across close and reopen', async () => {
      const first = await open();
      await first.setWorkspaceConnection('T1', 'conn-a', 'U1', at(1_000));
      await first.setWorkspaceProject('T1', 12345, 'U1', at(2_000));
      await first.createPlan(newPlan());
      await first.saveInstallation('T100', teamInstall);
      await first.close();

      const second = await open();
      expect(await second.getWorkspace('T1')).toEqual({
        teamId: 'T1',
        connectionId: 'conn-a',
        projectId: 12345,
        updatedAt: at(2_000),
        updatedBy: 'U1',
      });
      expect(await second.getPlan('plan-1')).toMatchObject({ status: 'pending', payload: newPlan().payload });
      expect(await second.getInstallation('T100')).toEqual(teamInstall);
    });

    it('creates and reads back a plan', async () => {
      const store = await open();
      await store.createPlan(newPlan({ channelId: null }));
      expect(await store.getPlan('plan-1')).toEqual({
        ...newPlan({ channelId: null }),
        status: 'pending',
        decidedBy: null,
        outcome: null,
      });
      expect(await store.getPlan('no-such-plan')).toBeNull();
      await expect(store.createPlan(newPlan())).rejects.toThrow();
    });

    it('lets exactly one of ten concurrent claims win', async () => {
      const store = await open();
      await store.createPlan(newPlan());
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimPlan('plan-1', `U${i}`, at(1_000))));
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      const winnerIndex = results.findIndex((r) => r !== null);
      expect(winners[0]).toMatchObject({ id: 'plan-1', status: 'executing', decidedBy: `U${winnerIndex}` });
      expect(await store.getPlan('plan-1')).toMatchObject({ status: 'executing', decidedBy: `U${winnerIndex}` });
      expect(await store.claimPlan('plan-1', 'U-late', at(2_000))).toBeNull();
    });

    it('lets exactly one claim win across two separately opened stores', async () => {
      const a = await open();
      const b = await open();
      await a.createPlan(newPlan());
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).claimPlan('plan-1', `U${i}`, at(1_000))),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect((await b.getPlan('plan-1'))?.status).toBe('executing');
    });

    it('refuses to claim an expired plan and marks it expired', async () => {
      const store = await open();
      await store.createPlan(newPlan());
      const expiresAt = newPlan().expiresAt;
      expect(await store.claimPlan('plan-1', 'U1', expiresAt)).toBeNull();
      expect(await store.getPlan('plan-1')).toMatchObject({ status: 'expired', decidedBy: null });
      // Expiry is final, even for a caller whose clock says it is still early.
      expect(await store.claimPlan('plan-1', 'U1', at(1_000))).toBeNull();
      expect(await store.cancelPlan('plan-1', 'U1')).toBe(false);
      expect(await store.claimPlan('no-such-plan', 'U1', at(1_000))).toBeNull();
    });

    it('cancels only a pending plan', async () => {
      const store = await open();
      await store.createPlan(newPlan());
      expect(await store.cancelPlan('plan-1', 'U7')).toBe(true);
      expect(await store.getPlan('plan-1')).toMatchObject({ status: 'cancelled', decidedBy: 'U7' });
      expect(await store.cancelPlan('plan-1', 'U7')).toBe(false);
      expect(await store.claimPlan('plan-1', 'U1', at(1_000))).toBeNull();

      await store.createPlan(newPlan({ id: 'plan-2' }));
      await store.claimPlan('plan-2', 'U1', at(1_000));
      expect(await store.cancelPlan('plan-2', 'U7')).toBe(false);
      expect(await store.getPlan('plan-2')).toMatchObject({ status: 'executing', decidedBy: 'U1' });
      expect(await store.cancelPlan('no-such-plan', 'U7')).toBe(false);
    });

    it('finishes a claimed plan with its outcome, once', async () => {
      const store = await open();
      await store.createPlan(newPlan());
      await store.createPlan(newPlan({ id: 'plan-2' }));

      const unclaimed = await store.finishPlan('plan-1', 'done', {}).catch((e: unknown) => e);
      expect(isStoreError(unclaimed) && unclaimed.code).toBe('plan_not_executing');

      await store.claimPlan('plan-1', 'U1', at(1_000));
      await store.finishPlan('plan-1', 'done', { flagId: 17, active: false });
      expect(await store.getPlan('plan-1')).toMatchObject({ status: 'done', decidedBy: 'U1', outcome: { flagId: 17, active: false } });
      await expect(store.finishPlan('plan-1', 'failed', 'again')).rejects.toSatisfy(isStoreError);

      await store.claimPlan('plan-2', 'U2', at(1_000));
      await store.finishPlan('plan-2', 'failed', { error: 'upstream_404', message: 'Feature flag not found' });
      expect(await store.getPlan('plan-2')).toMatchObject({ status: 'failed', outcome: { error: 'upstream_404' } });
    });

    it('remembers a key once until it expires', async () => {
      const store = await open();
      expect(await store.rememberOnce('evt-1', T0, at(60_000))).toBe(true);
      expect(await store.rememberOnce('evt-1', at(1), at(60_001))).toBe(false);
      expect(await store.rememberOnce('evt-1', at(59_999), at(120_000))).toBe(false);
      expect(await store.rememberOnce('evt-2', at(59_999), at(120_000))).toBe(true);
      // Lapsed: the key is new again, and remembered for its new lifetime.
      expect(await store.rememberOnce('evt-1', at(60_000), at(180_000))).toBe(true);
      expect(await store.rememberOnce('evt-1', at(170_000), at(200_000))).toBe(false);
      // The sweep of expired keys (evt-2 here) must not touch a live one.
      expect(await store.rememberOnce('evt-3', at(3_600_000), at(3_700_000))).toBe(true);
      expect(await store.rememberOnce('evt-2', at(3_600_001), at(3_700_000))).toBe(true);
      expect(await store.rememberOnce('evt-3', at(3_600_002), at(3_700_000))).toBe(false);
    });

    it('lets exactly one of ten concurrent rememberOnce calls win', async () => {
      const a = await open();
      const b = await open();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).rememberOnce('retry-key', T0, at(60_000))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('round-trips Bolt installations, keyed by team or, for org-wide installs, by enterprise', async () => {
      const store = await open();
      const installations = createInstallationStore(store);
      const fetchTeam = () => installations.fetchInstallation({ teamId: 'T100', enterpriseId: 'E900', isEnterpriseInstall: false });
      const fetchOrg = () => installations.fetchInstallation({ teamId: undefined, enterpriseId: 'E900', isEnterpriseInstall: true });

      await expect(fetchTeam()).rejects.toThrow(/no Slack installation/);
      await installations.storeInstallation(teamInstall);
      await installations.storeInstallation(orgInstall);
      expect(await fetchTeam()).toEqual(teamInstall);
      expect(await fetchOrg()).toEqual(orgInstall);
      // Bolt asks about an org-wide install from any of its workspaces: team id present, but the org row answers.
      expect(await installations.fetchInstallation({ teamId: 'T555', enterpriseId: 'E900', isEnterpriseInstall: true } as InstallationQuery<boolean>)).toEqual(orgInstall);

      const reinstalled = { ...teamInstall, bot: { ...teamInstall.bot!, scopes: ['commands', 'chat:write', 'files:write'] } };
      await installations.storeInstallation(reinstalled);
      expect(await fetchTeam()).toEqual(reinstalled);

      await installations.deleteInstallation!({ teamId: 'T100', enterpriseId: 'E900', isEnterpriseInstall: false });
      await expect(fetchTeam()).rejects.toThrow(/no Slack installation/);
      expect(await fetchOrg()).toEqual(orgInstall);
      await installations.deleteInstallation!({ teamId: undefined, enterpriseId: 'E900', isEnterpriseInstall: true });
      await expect(fetchOrg()).rejects.toThrow(/no Slack installation/);

      await expect(installations.storeInstallation({ ...orgInstall, enterprise: undefined } as never)).rejects.toThrow(/neither/);
    });

    it('applies migrations once: reopening finds nothing to do', async () => {
      const firstApplied: string[] = [];
      const first = await open(firstApplied);
      await first.rememberOnce('k', T0, at(60_000));
      await first.close();
      expect(firstApplied).toEqual(MIGRATION_NAMES);

      const secondApplied: string[] = [];
      const second = await open(secondApplied);
      expect(secondApplied).toEqual([]);
      expect(await second.rememberOnce('k', at(1), at(60_000))).toBe(false);
    });

    it('survives two stores opening an empty database at the same time', async () => {
      const applied: string[] = [];
      const [a, b] = await Promise.all([open(applied), open(applied)]);
      expect(applied.sort()).toEqual(MIGRATION_NAMES);
      await a.createPlan(newPlan());
      expect((await b.getPlan('plan-1'))?.status).toBe('pending');
    });
  });
}

// --- SQLite: a new file per test under the OS temp dir ----------------------------------------------------------

const sqliteDir = mkdtempSync(join(tmpdir(), 'hogbot-store-'));
let sqliteCount = 0;
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

storeContract('sqlite', async () => ({
  // A subdirectory that does not exist yet: openStore must create it.
  url: join(sqliteDir, `db-${++sqliteCount}`, 'hogbot.sqlite'),
  drop: async () => {},
}));

// --- PostgreSQL: a new schema per test; skipped (loudly) without a server, except in CI ------------------------

const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const pgProblem = await postgresProblem(postgresTestUrl);
if (pgProblem !== null) {
  console.warn(
    inCi
      ? `[store contract] PostgreSQL leg will FAIL: ${pgProblem}. CI must provide PostgreSQL (set TEST_DATABASE_URL).`
      : `[store contract] PostgreSQL leg SKIPPED: ${pgProblem}. Start PostgreSQL or set TEST_DATABASE_URL to run it.`,
  );
}

describe.skipIf(pgProblem !== null && !inCi)('postgres', () => {
  storeContract('postgres', async () => {
    if (pgProblem !== null) throw new Error(`PostgreSQL is required in CI: ${pgProblem}`);
    return createScratchSchema(postgresTestUrl);
  });
});
