import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_PAUSE_ACTION, DIGEST_RUN_ACTION } from '../../views/digest.js';
import { ALERT_PAUSE_ACTION } from '../../views/alert.js';
import { appHomeOpenedEvent, blockActions, eventCallback, sendToApp } from '../../src/fake-slack/index.js';
import { INITIAL_ALERT_STATE } from '../../src/scheduler/alert.js';
import { ADMIN, ADMIN_T2, MEMBER, Rig, SIGNING_SECRET, T1, T2, textOf } from '../rig/harness.js';

let rig: Rig;
const NOW = new Date();

beforeAll(async () => {
  rig = await Rig.start();
  await rig.hogbot.scheduler.stop();
});
afterAll(async () => {
  await rig?.close();
});

/** Polls until `done` (the app works after its ack, so its effects land a moment later). */
async function until(done: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function openHome(team: string, user: string, opts: { eventId?: string; retryNum?: number } = {}) {
  const body = eventCallback({ team_id: team, event: appHomeOpenedEvent({ user }), ...(opts.eventId ? { event_id: opts.eventId } : {}) });
  const res = await sendToApp(
    rig.appUrl,
    SIGNING_SECRET,
    body,
    opts.retryNum === undefined ? {} : { retryNum: opts.retryNum, retryReason: 'http_timeout' },
  );
  expect(res.status).toBe(200);
}

const publishes = (user: string) => rig.slack.calls.filter((c) => c.method === 'views.publish' && c.args.user_id === user);

async function homeText(user: string, count: number): Promise<string> {
  await rig.slack.waitForCall('views.publish', () => publishes(user).length >= count, { timeoutMs: 8000 });
  const view = rig.slack.homeView(user);
  expect(view).toBeDefined();
  return textOf({ blocks: view!.blocks });
}

/** Clicks a button in the Home tab: a view container, no message, no response_url. */
async function clickInHome(team: string, user: string, actionId: string, value: string) {
  const body = blockActions({
    team_id: team,
    user_id: user,
    trigger_id: rig.slack.triggerId({ userId: user }),
    actions: [{ action_id: actionId, value }],
    view: { id: 'VHOME', type: 'home' },
  });
  const res = await sendToApp(rig.appUrl, SIGNING_SECRET, body);
  expect(res.status).toBe(200);
}

describe('App Home', () => {
  // Issue 11: T2 is not the install's own workspace (the bot token is T1's), so the gateway's default connection is not
  // its to use. This test used to expect T2's tab to show the default account's project; it now says to connect first.
  it('publishes for another workspace without a connection: connect PostHog first, and nothing read from PostHog', async () => {
    const before = rig.emulator.requests.length;
    await openHome(T2, ADMIN_T2);
    const text = await homeText(ADMIN_T2, 1);
    expect(text).toContain('*Connection*\n_none: connect PostHog first_');
    expect(text).not.toContain('Acme Web');
    expect(text).toContain('*Your role*\nadmin');
    expect(text).toContain('*Getting started*');
    expect(text).toContain('Connect PostHog first: `/ph connection connect`');
    expect(text).not.toContain('gateway’s default PostHog connection');
    expect(text).toContain('*Digests* (0)');
    expect(text).toContain('No changes yet.');
    expect(rig.emulator.requests.slice(before).filter((r) => r.path.startsWith('/posthog/'))).toEqual([]);
    expect(textOf(await rig.ask('whoami', { team: T2, user: ADMIN_T2 }))).toContain('connect PostHog first');
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('publishes for the install’s own workspace on the gateway default, as whoami says', async () => {
    const before = rig.emulator.requests.length;
    await openHome(T1, ADMIN);
    const text = await homeText(ADMIN, 1);
    expect(text).toContain('*Connection*\n_gateway default_');
    expect(text).toContain('Acme Web> (1001) _default_');
    expect(text).toContain('gateway’s default PostHog connection');
    const projectReads = rig.emulator.requests.slice(before).filter((r) => r.path === '/posthog/api/projects/%40current/');
    expect(projectReads).toHaveLength(1);
    expect(projectReads[0]!.headers['maton-connection']).toBeUndefined();
    expect(textOf(await rig.ask('whoami', { team: T1, user: ADMIN }))).toContain('_gateway default_');
  });

  it('publishes for a workspace with a connection: project, role, digests and alerts with buttons, recent changes', async () => {
    await rig.store.setWorkspaceConnection(T1, 'conn_acme', ADMIN, NOW);
    await rig.store.setWorkspaceProject(T1, 1001, ADMIN, NOW);
    const common = {
      teamId: T1,
      enterpriseId: null,
      channelId: 'C0HOME00001',
      createdBy: ADMIN,
      createdAt: NOW,
      nextRunAt: new Date(NOW.getTime() + 86_400_000),
    };
    await rig.store.schedules.createSchedule({
      ...common,
      id: 'dhome01',
      kind: 'digest',
      title: 'Morning numbers',
      cadence: { kind: 'daily', hour: 9, minute: 0, timezone: 'Europe/Berlin' },
      spec: { items: [{ kind: 'experiments' }] },
      state: null,
    });
    await rig.store.schedules.createSchedule({
      ...common,
      id: 'ahome01',
      kind: 'alert',
      title: 'Signups stall',
      cadence: { kind: 'hourly', minute: 0, timezone: 'UTC' },
      spec: { hogql: 'SELECT 1', direction: 'below', threshold: 5, every: 'hour' },
      state: INITIAL_ALERT_STATE,
    });
    await rig.store.appendAudit({
      id: 'audit-home-1',
      teamId: T1,
      at: NOW,
      userId: ADMIN,
      confirmedBy: ADMIN,
      approvedBy: null,
      command: 'flag off',
      title: 'Turn off dark-mode',
      connectionId: 'conn_acme',
      projectId: 1001,
      objectType: 'feature_flag',
      objectId: '10004',
      objectLabel: 'dark-mode',
      before: { active: true },
      after: { active: false },
      outcome: 'done',
      detail: null,
      planId: null,
    });

    await openHome(T1, MEMBER);
    const text = await homeText(MEMBER, 1);
    expect(text).toContain('*Connection*\n`conn_acme`');
    expect(text).toContain('Acme Web> (1001)');
    expect(text).toContain('*Your role*\nreader');
    expect(text).not.toContain('Getting started');
    expect(text).toContain('*Morning numbers* `dhome01`');
    expect(text).toContain('*Signups stall* `ahome01`');
    expect(text).toContain('Turn off dark-mode · <@U0ADMIN0001>');
    const blocks = JSON.stringify(rig.slack.homeView(MEMBER)!.blocks);
    for (const action of [DIGEST_RUN_ACTION, DIGEST_PAUSE_ACTION, ALERT_PAUSE_ACTION]) expect(blocks).toContain(action);
    expect(rig.slack.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it('keeps getting started for a workspace with nothing scheduled, whatever its connection', async () => {
    await rig.store.setWorkspaceConnection(T2, 'conn_globex', ADMIN_T2, NOW);
    const common = {
      teamId: T2,
      enterpriseId: null,
      channelId: 'C0HOMET2001',
      createdBy: ADMIN_T2,
      createdAt: NOW,
      nextRunAt: new Date(NOW.getTime() + 86_400_000),
    };
    try {
      await openHome(T2, ADMIN_T2);
      const chosen = await homeText(ADMIN_T2, 2);
      expect(chosen).toContain('*Connection*\n`conn_globex`');
      expect(chosen).toContain('*Getting started*');
      expect(chosen).not.toContain('gateway’s default PostHog connection');

      await rig.store.setWorkspaceConnection(T2, null, ADMIN_T2, NOW);
      await rig.store.schedules.createSchedule({
        ...common,
        id: 'dhomet2',
        kind: 'digest',
        title: 'Globex weekly',
        cadence: { kind: 'weekly', weekday: 'mon', hour: 9, minute: 0, timezone: 'UTC' },
        spec: { items: [{ kind: 'flag_changes' }] },
        state: null,
      });
      await openHome(T2, ADMIN_T2);
      const scheduled = await homeText(ADMIN_T2, 3);
      expect(scheduled).toContain('*Connection*\n_none: connect PostHog first_');
      expect(scheduled).toContain('*Globex weekly* `dhomet2`');
      expect(scheduled).not.toContain('Getting started');
    } finally {
      await rig.store.schedules.deleteSchedule(T2, 'dhomet2');
      await rig.store.setWorkspaceConnection(T2, null, ADMIN_T2, NOW);
    }
  });

  it('Pause in the tab pauses and shows it; a reader is told why not', async () => {
    await clickInHome(T1, MEMBER, DIGEST_PAUSE_ACTION, 'dhome01');
    expect(await homeText(MEMBER, 2)).toContain(':warning: Pausing a digest needs the writer role; you are a reader.');
    expect((await rig.store.schedules.getSchedule(T1, 'dhome01'))?.paused).toBe(false);

    await openHome(T1, ADMIN);
    await homeText(ADMIN, 2);
    await clickInHome(T1, ADMIN, DIGEST_PAUSE_ACTION, 'dhome01');
    const text = await homeText(ADMIN, 3);
    expect(text).toContain('Paused digest *Morning numbers*');
    expect(text).toContain(':double_vertical_bar: paused');
    expect((await rig.store.schedules.getSchedule(T1, 'dhome01'))?.paused).toBe(true);
    await clickInHome(T1, ADMIN, ALERT_PAUSE_ACTION, 'ahome01');
    expect(await homeText(ADMIN, 4)).toContain('Paused alert *Signups stall*');
  });

  it('Run now in the tab posts the digest to its channel', async () => {
    await clickInHome(T1, ADMIN, DIGEST_RUN_ACTION, 'dhome01');
    expect(await homeText(ADMIN, 5)).toContain('Digest *Morning numbers* posted in <#C0HOME00001>');
    const posted = rig.slack.messages('C0HOME00001');
    expect(posted.map((m) => m.via)).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(textOf(posted[1]!)).toContain('New onboarding flow');
  });

  it('processes a redelivered event (same event_id, x-slack-retry-num) once', async () => {
    const before = publishes(ADMIN_T2).length;
    await openHome(T2, ADMIN_T2, { eventId: 'EvHOMERETRY1' });
    await homeText(ADMIN_T2, before + 1);
    await openHome(T2, ADMIN_T2, { eventId: 'EvHOMERETRY1', retryNum: 1 });
    await openHome(T2, ADMIN_T2, { eventId: 'EvHOMERETRY1', retryNum: 2 });
    await until(() => rig.logs.some((l) => l.message.includes('EvHOMERETRY1 already handled (retry 2)')));
    expect(rig.logs.filter((l) => l.message.includes('EvHOMERETRY1 already handled'))).toHaveLength(2);
    // A different event is handled as usual.
    await openHome(T2, ADMIN_T2, { eventId: 'EvHOMENEXT1' });
    await homeText(ADMIN_T2, before + 2);
    expect(publishes(ADMIN_T2)).toHaveLength(before + 2);
  });
});
