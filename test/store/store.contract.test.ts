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
      expect(await store.getWorkspace('T1')).toMatchObject({
        connectionId: 'conn-a',
        projectId: 4242,
        updatedBy: 'U2',
        updatedAt: at(2_000),
      });

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

    it('keeps chart images for any replica until they expire, then sweeps them', async () => {
      const a = await open();
      const b = await open();
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 128]);
      await a.images.put({ id: 'img-1', teamId: 'T1', contentType: 'image/png', bytes: png, createdAt: T0, expiresAt: at(60_000) });
      await a.images.put({
        id: 'img-2',
        teamId: 'T2',
        contentType: 'image/png',
        bytes: Buffer.from('x'),
        createdAt: T0,
        expiresAt: at(3_600_000),
      });
      // Another replica (a separately opened store) reads the same bytes.
      const read = await b.images.get('img-1', at(59_999));
      expect(read).toMatchObject({ id: 'img-1', teamId: 'T1', contentType: 'image/png', createdAt: T0, expiresAt: at(60_000) });
      expect(read?.bytes.equals(png)).toBe(true);
      expect(await b.images.get('img-1', at(60_000))).toBeNull();
      expect(await b.images.get('nope', T0)).toBeNull();
      await expect(
        a.images.put({ id: 'img-1', teamId: 'T1', contentType: 'image/png', bytes: png, createdAt: T0, expiresAt: at(1) }),
      ).rejects.toThrow();
      expect(await b.images.purgeExpired(at(60_000))).toBe(1);
      expect(await b.images.get('img-2', at(60_000))).not.toBeNull();
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
      expect(
        await installations.fetchInstallation({
          teamId: 'T555',
          enterpriseId: 'E900',
          isEnterpriseInstall: true,
        } as InstallationQuery<boolean>),
      ).toEqual(orgInstall);

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

    it('grants, lists, replaces and revokes roles per workspace', async () => {
      const store = await open();
      expect(await store.getGrant('T1', 'U1')).toBeNull();
      await store.setGrant({ teamId: 'T1', userId: 'U1', role: 'writer', grantedBy: 'U0', grantedAt: at(1_000) });
      await store.setGrant({ teamId: 'T1', userId: 'U2', role: 'admin', grantedBy: 'U0', grantedAt: at(2_000) });
      await store.setGrant({ teamId: 'T2', userId: 'U1', role: 'admin', grantedBy: 'U9', grantedAt: at(3_000) });
      expect(await store.getGrant('T1', 'U1')).toEqual({
        teamId: 'T1',
        userId: 'U1',
        role: 'writer',
        grantedBy: 'U0',
        grantedAt: at(1_000),
      });
      expect((await store.listGrants('T1')).map((g) => [g.userId, g.role])).toEqual([
        ['U1', 'writer'],
        ['U2', 'admin'],
      ]);

      await store.setGrant({ teamId: 'T1', userId: 'U1', role: 'admin', grantedBy: 'U2', grantedAt: at(4_000) });
      expect(await store.getGrant('T1', 'U1')).toMatchObject({ role: 'admin', grantedBy: 'U2', grantedAt: at(4_000) });
      expect(await store.revokeGrant('T1', 'U1')).toBe(true);
      expect(await store.revokeGrant('T1', 'U1')).toBe(false);
      expect(await store.getGrant('T1', 'U1')).toBeNull();
      expect(await store.getGrant('T2', 'U1')).toMatchObject({ role: 'admin' });
    });

    it('keeps a write policy per workspace, defaulting to no approvals and no audit channel', async () => {
      const store = await open();
      expect(await store.getPolicy('T1')).toEqual({
        teamId: 'T1',
        approvalsRequired: false,
        auditChannelId: null,
        guestsAllowed: false,
        updatedAt: null,
        updatedBy: null,
      });
      await store.setApprovalsRequired('T1', true, 'U1', at(1_000));
      await store.setAuditChannel('T1', 'C9', 'U2', at(2_000));
      expect(await store.getPolicy('T1')).toEqual({
        teamId: 'T1',
        approvalsRequired: true,
        auditChannelId: 'C9',
        guestsAllowed: false,
        updatedAt: at(2_000),
        updatedBy: 'U2',
      });
      await store.setApprovalsRequired('T1', false, 'U1', at(3_000));
      expect(await store.getPolicy('T1')).toMatchObject({ approvalsRequired: false, auditChannelId: 'C9' });
      await store.setAuditChannel('T2', 'C2', 'U3', at(4_000));
      expect(await store.getPolicy('T2')).toMatchObject({ approvalsRequired: false, auditChannelId: 'C2' });
      await store.setAuditChannel('T1', null, 'U1', at(5_000));
      expect((await store.getPolicy('T1')).auditChannelId).toBeNull();
    });

    // Issue 11 item 4 (migration 004_guests_guest_policy): guests read nothing unless an admin allows it.
    it('keeps the guest policy per workspace, off by default, beside the other settings', async () => {
      const store = await open();
      expect((await store.getPolicy('T1')).guestsAllowed).toBe(false);
      await store.setApprovalsRequired('T1', true, 'U1', at(1_000));
      await store.setGuestsAllowed('T1', true, 'U2', at(2_000));
      expect(await store.getPolicy('T1')).toMatchObject({
        approvalsRequired: true,
        guestsAllowed: true,
        updatedBy: 'U2',
        updatedAt: at(2_000),
      });
      expect((await store.getPolicy('T2')).guestsAllowed).toBe(false);
      await store.setGuestsAllowed('T3', true, 'U3', at(3_000));
      expect(await store.getPolicy('T3')).toMatchObject({ approvalsRequired: false, auditChannelId: null, guestsAllowed: true });
      await store.setAuditChannel('T1', 'C1', 'U1', at(4_000));
      await store.setGuestsAllowed('T1', false, 'U1', at(5_000));
      expect(await store.getPolicy('T1')).toMatchObject({ approvalsRequired: true, auditChannelId: 'C1', guestsAllowed: false });
    });

    it('appends audit entries and lists them newest first, per workspace, across a reopen', async () => {
      const first = await open();
      const entry = (id: string, ms: number, teamId = 'T1') => ({
        id,
        teamId,
        at: at(ms),
        userId: 'U1',
        confirmedBy: 'U1',
        approvedBy: id === 'a2' ? 'U2' : null,
        command: 'flag off',
        title: `Turn off dark-mode (${id})`,
        connectionId: 'conn_acme',
        projectId: 1001,
        objectType: 'feature_flag',
        objectId: '10004',
        objectLabel: 'dark-mode',
        before: { active: true, filters: { groups: [{ rollout_percentage: 100 }] } },
        after: { active: false },
        outcome: id === 'a3' ? ('failed' as const) : ('done' as const),
        detail: id === 'a3' ? 'posthog_server 503' : null,
        planId: `plan-${id}`,
      });
      await first.appendAudit(entry('a1', 1_000));
      await first.appendAudit(entry('a2', 2_000));
      await first.appendAudit(entry('a3', 3_000));
      await first.appendAudit(entry('b1', 2_500, 'T2'));
      await first.close();

      const second = await open();
      const all = await second.listAudit('T1', { limit: 10 });
      expect(all.map((e) => e.id)).toEqual(['a3', 'a2', 'a1']);
      expect(all[1]).toEqual(entry('a2', 2_000));
      expect(all[0]).toMatchObject({ outcome: 'failed', detail: 'posthog_server 503' });
      expect((await second.listAudit('T1', { limit: 2, offset: 1 })).map((e) => e.id)).toEqual(['a2', 'a1']);
      expect((await second.listAudit('T2', { limit: 10 })).map((e) => e.id)).toEqual(['b1']);
      await expect(second.appendAudit(entry('a1', 9_000))).rejects.toThrow();
    });

    it('completes an executing audit entry with its outcome, created id and after-state', async () => {
      const store = await open();
      const started = {
        id: 'c1',
        teamId: 'T1',
        at: at(1_000),
        userId: 'U1',
        confirmedBy: 'U1',
        approvedBy: null,
        command: 'flag create',
        title: 'Create flag new-thing',
        connectionId: null,
        projectId: 1001,
        objectType: 'feature_flag',
        objectId: null,
        objectLabel: 'new-thing',
        before: null,
        after: { active: true },
        outcome: 'executing' as const,
        detail: null,
        planId: 'plan-c1',
      };
      await store.appendAudit(started);
      expect(await store.getAudit('c1')).toEqual(started);
      await store.completeAudit('c1', { outcome: 'done', detail: null, objectId: '10042', after: { active: true, version: 1 } });
      expect(await store.getAudit('c1')).toEqual({ ...started, outcome: 'done', objectId: '10042', after: { active: true, version: 1 } });
      await store.appendAudit({ ...started, id: 'c2' });
      await store.completeAudit('c2', { outcome: 'failed', detail: 'PostHog had a server error (HTTP 503).' });
      expect(await store.getAudit('c2')).toMatchObject({
        outcome: 'failed',
        detail: 'PostHog had a server error (HTTP 503).',
        objectId: null,
        after: { active: true },
      });
      expect(await store.getAudit('nope')).toBeNull();
    });

    it('moves a plan to awaiting approval for its initiator only, and lets exactly one other person approve it', async () => {
      const store = await open();
      await store.createPlan(newPlan());
      const waitUntil = at(4 * 3_600_000);
      expect(await store.requestApproval('plan-1', 'U-other', at(1_000), waitUntil)).toBe(false);
      expect(await store.requestApproval('plan-1', 'U1', at(1_000), waitUntil)).toBe(true);
      expect(await store.requestApproval('plan-1', 'U1', at(1_000), waitUntil)).toBe(false);
      expect(await store.getPlan('plan-1')).toMatchObject({ status: 'awaiting_approval', expiresAt: waitUntil });
      // A plain claim no longer applies: only an approval moves it on.
      expect(await store.claimPlan('plan-1', 'U1', at(2_000))).toBeNull();
      expect(await store.cancelPlan('plan-1', 'U1')).toBe(false);

      await store.setApprovalMessage('plan-1', { channelId: 'C1', messageTs: '1.1', threadTs: '1.2' });
      expect(await store.getApproval('plan-1')).toEqual({
        planId: 'plan-1',
        requestedBy: 'U1',
        requestedAt: at(1_000),
        channelId: 'C1',
        messageTs: '1.1',
        threadTs: '1.2',
        decidedBy: null,
        decision: null,
        decidedAt: null,
      });

      expect(await store.approvePlan('plan-1', 'U1', at(3_000))).toBeNull();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.approvePlan('plan-1', `U${i + 2}`, at(3_000))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const winner = results.find((r) => r !== null)!;
      expect(winner).toMatchObject({ status: 'executing' });
      expect(await store.getApproval('plan-1')).toMatchObject({ decidedBy: winner.decidedBy, decision: 'approved', decidedAt: at(3_000) });
      expect(await store.rejectPlan('plan-1', 'U9', at(4_000))).toBe(false);
    });

    it('rejects or expires a plan awaiting approval', async () => {
      const store = await open();
      await store.createPlan(newPlan());
      await store.createPlan(newPlan({ id: 'plan-2' }));
      await store.requestApproval('plan-1', 'U1', at(1_000), at(60_000));
      await store.requestApproval('plan-2', 'U1', at(1_000), at(60_000));
      expect(await store.rejectPlan('plan-1', 'U5', at(2_000))).toBe(true);
      expect(await store.getPlan('plan-1')).toMatchObject({ status: 'cancelled', decidedBy: 'U5' });
      expect(await store.getApproval('plan-1')).toMatchObject({ decision: 'rejected', decidedBy: 'U5' });
      expect(await store.approvePlan('plan-1', 'U6', at(3_000))).toBeNull();

      expect(await store.approvePlan('plan-2', 'U6', at(60_000))).toBeNull();
      expect(await store.getPlan('plan-2')).toMatchObject({ status: 'expired' });
      expect(await store.requestApproval('no-such-plan', 'U1', at(1_000), at(60_000))).toBe(false);
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
