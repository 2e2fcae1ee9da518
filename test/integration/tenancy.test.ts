/**
 * Issue 11, item 1 (and issue 10's "one connection rule"): a Maton connection belongs to the workspace that made it
 * through Hogbot or first chose it; the gateway's default connection serves only a single-workspace install's own team.
 * The rig is a single-workspace HTTP install whose bot token is T1's; T2 is another workspace reaching the same app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDO_ACTION } from '../../views/audit.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { blockActions, eventCallback, linkSharedEvent, sendToApp, slashCommand } from '../../src/fake-slack/index.js';
import { WebClient } from '@slack/web-api';
import { DEFAULT_BOT_TOKEN } from '../../src/fake-slack/index.js';
import { createLimits } from '../../src/limiter.js';
import { INITIAL_ALERT_STATE } from '../../src/scheduler/alert.js';
import { createRuntime } from '../../src/scheduler/runtime.js';
import { askConfirmed } from '../rig/confirm.js';
import { ADMIN, ADMIN_T2, buttons, buttonValue, CHANNEL, MEMBER, Rig, SIGNING_SECRET, T1, T2, textOf } from '../rig/harness.js';

const APP = 'https://us.posthog.com';
const CONNECT_FIRST = /connect PostHog first.*`\/ph connection connect`/s;
let rig: Rig;
let seq = 0;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

/** The Maton-Connection header of each PostHog call made after `from` (null: none, i.e. the gateway's default). */
function connectionsUsedSince(from: number): Array<string | null> {
  return rig.emulator.requests
    .slice(from)
    .filter((r) => r.path.startsWith('/posthog/'))
    .map((r) => r.headers['maton-connection'] ?? null);
}

async function until(done: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A message with this PostHog link, as Slack's link_shared event from `team`. */
async function share(url: string, team: string, user: string): Promise<string> {
  seq += 1;
  const eventId = `EvTENANCY${seq}`;
  const event = linkSharedEvent({ channel: CHANNEL, user, message_ts: `1700000100.00${seq}`, links: [{ url }] });
  const res = await sendToApp(rig.appUrl, SIGNING_SECRET, eventCallback({ team_id: team, event, event_id: eventId }), {});
  expect(res.status).toBe(200);
  return eventId;
}

const unfurls = () => rig.slack.calls.filter((c) => c.method === 'chat.unfurl');

/** `connection connect`, then the OAuth link opened: an ACTIVE connection owned by `team`. */
async function connectFrom(team: string, user: string): Promise<string> {
  const reply = await rig.ask('connection connect', { team, user });
  const id = /connection `([^`]+)` is waiting/.exec(textOf(reply))?.[1];
  const url = JSON.stringify(reply.body.blocks).match(/"url":"([^"]+)"/)?.[1];
  if (!id || !url) throw new Error(`no connection made: ${textOf(reply)}`);
  expect((await fetch(url)).status).toBe(200);
  return id;
}

describe('the gateway default connection serves only the install’s own workspace', () => {
  it('a single-workspace install on the default connection gets commands and unfurls', async () => {
    let from = rig.emulator.requests.length;
    expect(textOf(await rig.ask('whoami', { team: T1 }))).toContain('gateway default');
    expect(connectionsUsedSince(from).every((c) => c === null)).toBe(true);

    // Before issue 10/11 a workspace on the default connection got commands but no unfurl at all.
    from = rig.emulator.requests.length;
    const before = unfurls().length;
    await share(`${APP}/project/1001/feature_flags/10001`, T1, ADMIN);
    await until(() => unfurls().length > before);
    const call = unfurls().at(-1)!;
    expect(call.ok).toBe(true);
    expect(JSON.stringify(call.args.unfurls)).toContain('new-onboarding-flow');
    expect(connectionsUsedSince(from).every((c) => c === null)).toBe(true);
  });

  it('another workspace without a connection is told to connect PostHog first, and nothing reaches PostHog', async () => {
    const from = rig.emulator.requests.length;
    for (const command of ['whoami', 'flag list', 'query SELECT 1', 'projects']) {
      const reply = await rig.ask(command, { team: T2, user: ADMIN_T2 });
      expect(reply.body.response_type).toBe('ephemeral');
      expect(textOf(reply)).toMatch(CONNECT_FIRST);
    }
    expect(connectionsUsedSince(from)).toEqual([]);
  });

  it('another workspace without a connection gets no unfurl', async () => {
    const from = rig.emulator.requests.length;
    const before = unfurls().length;
    const eventId = await share(`${APP}/project/1001/feature_flags/10001`, T2, ADMIN_T2);
    await until(() => rig.logs.some((l) => l.message.includes('has no PostHog connection')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unfurls().length).toBe(before);
    expect(connectionsUsedSince(from)).toEqual([]);
    expect(eventId).toBeTruthy();
  });

  it('another workspace’s digest is skipped with that reason, not posted with the default account’s data', async () => {
    const channel = 'C0T2DIGEST1';
    await rig.store.schedules.createSchedule({
      id: 'dtenan1',
      kind: 'digest',
      teamId: T2,
      enterpriseId: null,
      channelId: channel,
      title: 'Globex numbers',
      cadence: { kind: 'daily', hour: 9, minute: 0, timezone: 'UTC' },
      spec: { items: [{ kind: 'experiments' }] },
      state: null,
      createdBy: ADMIN_T2,
      createdAt: new Date(),
      nextRunAt: new Date(Date.now() + 86_400_000),
    });
    const from = rig.emulator.requests.length;
    const reply = await rig.ask('digest run dtenan1', { team: T2, user: ADMIN_T2 });
    expect(reply.body.response_type).toBe('ephemeral');
    expect(textOf(reply)).toMatch(/could not be delivered: skipped: .*connect PostHog first/);
    expect(rig.slack.messages(channel)).toEqual([]);
    expect(connectionsUsedSince(from)).toEqual([]);
    expect((await rig.store.schedules.getSchedule(T2, 'dtenan1'))?.lastOutcome).toMatch(/connect PostHog first/);
  });

  it('another workspace’s alert check is skipped with that reason, by the scheduler’s own runtime', async () => {
    const channel = 'C0T2ALERT01';
    await rig.store.schedules.createSchedule({
      id: 'atenan1',
      kind: 'alert',
      teamId: T2,
      enterpriseId: null,
      channelId: channel,
      title: 'Globex signups',
      cadence: { kind: 'hourly', minute: 0, timezone: 'UTC' },
      spec: { hogql: 'SELECT count() FROM events', direction: 'above', threshold: 0, every: 'hour' },
      state: INITIAL_ALERT_STATE,
      createdBy: ADMIN_T2,
      createdAt: new Date(),
      nextRunAt: new Date(Date.now() + 3_600_000),
    });
    const runtime = createRuntime({
      services: rig.hogbot.services,
      slackFor: async () => new WebClient(DEFAULT_BOT_TOKEN, { slackApiUrl: rig.slack.apiUrl, retryConfig: { retries: 0 } }),
      limits: createLimits(),
    });
    const from = rig.emulator.requests.length;
    const result = await runtime.checkAlert((await rig.store.schedules.getSchedule(T2, 'atenan1'))!, new Date());
    expect(result).toMatchObject({ ok: false, summary: expect.stringMatching(/connect PostHog first/) });
    expect(rig.slack.messages(channel)).toEqual([]);
    expect(connectionsUsedSince(from)).toEqual([]);
    expect((await rig.store.schedules.getSchedule(T2, 'atenan1'))?.lastOutcome).toMatch(/connect PostHog first/);
  });
});

describe('a connection belongs to the workspace that made or first chose it', () => {
  it('neither workspace can list, show, use or disconnect the other’s connection', async () => {
    const mine = await connectFrom(T1, ADMIN);
    // T2's answers for T1's connection are word for word those for an id that never existed.
    const unknown = 'conn_does_not_exist';
    const say = async (command: string, id: string) =>
      textOf(await rig.ask(`${command} ${id}`, { team: T2, user: ADMIN_T2 })).replaceAll(id, 'ID');
    for (const command of ['connection show', 'connection use', 'connection disconnect']) {
      const foreign = await say(command, mine);
      expect(foreign).toContain('no PostHog connection `ID` for this workspace');
      expect(foreign).toBe(await say(command, unknown));
    }
    expect(textOf(await rig.ask('connection list', { team: T2, user: ADMIN_T2 }))).not.toContain(mine);
    expect(await rig.store.getWorkspace(T2)).toBeNull();
    expect(rig.emulator.connections().some((c) => c.connection_id === mine)).toBe(true);

    // Its owner sees and uses it.
    expect(textOf(await rig.ask('connection list', { team: T1 }))).toContain(mine);
    expect(textOf(await rig.ask(`connection show ${mine}`, { team: T1 }))).toContain('ACTIVE');
  });

  it('an unclaimed connection is the install’s own workspace’s: another workspace can neither see nor take it', async () => {
    // conn_globex was made outside Hogbot (seeded in the emulator): in a single-workspace install it may be the very
    // connection the gateway's default reads for T1, so T2 choosing it must not take it.
    expect(await rig.store.getConnectionOwner('conn_globex')).toBeNull();
    expect(textOf(await rig.ask('connection use conn_globex', { team: T2, user: ADMIN_T2 }))).toContain(
      'no PostHog connection `conn_globex` for this workspace',
    );
    expect(textOf(await rig.ask('connection show conn_globex', { team: T2, user: ADMIN_T2 }))).toContain(
      'no PostHog connection `conn_globex` for this workspace',
    );
    expect(textOf(await rig.ask('connection list', { team: T2, user: ADMIN_T2 }))).not.toContain('conn_globex');
    expect(await rig.store.getConnectionOwner('conn_globex')).toBeNull();
    expect(textOf(await rig.ask('connection list', { team: T1 }))).toContain('conn_globex');
    expect(textOf(await rig.ask('connection show conn_globex', { team: T1 }))).toContain('ACTIVE');
  });

  it('a workspace uses the connection it owns, and one set to another’s (stale settings) is refused, not served', async () => {
    // As if T2 had connected conn_globex through Hogbot; T1's settings point at it from before ownership existed.
    await rig.store.claimConnection({
      connectionId: 'conn_globex',
      teamId: T2,
      enterpriseId: null,
      claimedBy: ADMIN_T2,
      claimedAt: new Date(),
      how: 'created',
    });
    expect(textOf(await askConfirmed(rig, 'connection use conn_globex', { team: T2, user: ADMIN_T2 }))).toContain(
      'now uses connection `conn_globex`',
    );
    let from = rig.emulator.requests.length;
    expect(textOf(await rig.ask('whoami', { team: T2, user: ADMIN_T2 }))).toContain('Globex');
    expect(connectionsUsedSince(from).every((c) => c === 'conn_globex')).toBe(true);
    expect(textOf(await rig.ask('connection list', { team: T1 }))).not.toContain('conn_globex');

    await rig.store.setWorkspaceConnection(T1, 'conn_globex', ADMIN, new Date());
    from = rig.emulator.requests.length;
    expect(textOf(await rig.ask('whoami', { team: T1 }))).toMatch(CONNECT_FIRST);
    expect(connectionsUsedSince(from)).toEqual([]);
    await rig.store.setWorkspaceConnection(T1, null, ADMIN, new Date());
  });

  it('odd ids get a usage answer, never an internal error', async () => {
    for (const id of ['.', '..', '-', '...']) {
      const reply = textOf(await rig.ask(`connection show ${id}`, { team: T1 }));
      expect(reply).toContain('is not a connection id');
      expect(reply).not.toMatch(/internal error|went wrong/i);
    }
  });
});

describe('connection use and project use are writes: plan, Confirm, audit, Undo', () => {
  it('connection use shows a plan, changes nothing until Confirm, is audited and offers Undo', async () => {
    const id = await connectFrom(T1, ADMIN);
    const plan = await rig.ask(`connection use ${id}`, { team: T1 });
    expect(textOf(plan)).toContain(`Use connection ${id} in this workspace`);
    expect((await rig.store.getWorkspace(T1))?.connectionId ?? null).toBeNull();

    // A member can't confirm an admin's workspace change.
    const planId = buttonValue(plan, PLAN_CONFIRM_ACTION);
    expect(textOf(await rig.clickAndWait(PLAN_CONFIRM_ACTION, planId, { team: T1, user: MEMBER }))).toContain('can confirm this change');

    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, planId, { team: T1 });
    expect(textOf(done)).toContain(`now uses connection \`${id}\``);
    expect((await rig.store.getWorkspace(T1))?.connectionId).toBe(id);
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry).toMatchObject({
      command: 'connection use',
      outcome: 'done',
      userId: ADMIN,
      connectionId: id,
      after: { connectionId: id },
    });

    // Switching again offers Undo back to this one.
    const again = await askConfirmed(rig, 'connection use conn_acme', { team: T1 });
    expect(buttons(again, UNDO_ACTION).map((b) => b.value)).toEqual([`connection use ${id}`]);
  });

  it('project use shows a plan, is audited, and Undo returns to the previous project', async () => {
    await askConfirmed(rig, 'project use 1001', { team: T1 });
    const plan = await rig.ask('project use "Acme Mobile"', { team: T1 });
    expect(textOf(plan)).toContain('Use project Acme Mobile');
    expect((await rig.store.getWorkspace(T1))?.projectId).toBe(1001);
    const done = await rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { team: T1 });
    expect(textOf(done)).toMatch(/now uses \*<[^|]+\|Acme Mobile>\*/);
    expect((await rig.store.getWorkspace(T1))?.projectId).toBe(1002);
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry).toMatchObject({
      command: 'project use',
      outcome: 'done',
      projectId: 1002,
      before: { projectId: 1001 },
      after: { projectId: 1002 },
    });
    expect(buttons(done, UNDO_ACTION).map((b) => b.value)).toEqual(['project use 1001']);
  });
});

// --- Enterprise Grid: an org admin may lend one workspace's connection to another workspace of the same enterprise ---

describe('Enterprise Grid: an org admin assigns a connection explicitly', () => {
  const GRID = 'E0GRID00001';
  const ORG_ADMIN = 'U0ORGADM001';
  const T2_ADMIN_ONLY = 'U0T2ADMIN02';
  let grid: Rig;

  beforeAll(async () => {
    grid = await Rig.start({
      users: [
        { id: ADMIN, teamId: T1, name: 'ana', realName: 'Ana Admin', email: 'ana@acme.com', isAdmin: true, enterprise: { id: GRID } },
        // A workspace admin of T2 and an org admin of the Grid (Slack's enterprise_user.is_admin).
        {
          id: ORG_ADMIN,
          teamId: T2,
          name: 'olga',
          realName: 'Olga Org',
          email: 'olga@acme.com',
          isAdmin: true,
          enterprise: { id: GRID, isAdmin: true },
        },
        // A workspace admin of T2 who holds no org role.
        {
          id: T2_ADMIN_ONLY,
          teamId: T2,
          name: 'walt',
          realName: 'Walt Workspace',
          email: 'walt@acme.com',
          isAdmin: true,
          enterprise: { id: GRID },
        },
      ],
    });
    // conn_acme belongs to T1, of the Grid.
    await grid.store.claimConnection({
      connectionId: 'conn_acme',
      teamId: T1,
      enterpriseId: GRID,
      claimedBy: ADMIN,
      claimedAt: new Date(),
      how: 'created',
    });
  });
  afterAll(async () => {
    await grid?.close();
  });

  /** `/ph <text>` from the Grid (enterprise_id on the payload, as Slack sends it for Grid workspaces). */
  async function askGrid(text: string, user: string, team = T2) {
    const responseUrl = grid.slack.responseUrl({ channel: CHANNEL, user });
    const body = slashCommand({
      team_id: team,
      enterprise_id: GRID,
      user_id: user,
      channel_id: CHANNEL,
      text,
      response_url: responseUrl,
      trigger_id: grid.slack.triggerId({ userId: user }),
    });
    expect((await sendToApp(grid.appUrl, SIGNING_SECRET, body)).status).toBe(200);
    return grid.replyOn(responseUrl);
  }

  async function confirmGrid(planId: string, user: string, team = T2) {
    const responseUrl = grid.slack.responseUrl({ channel: CHANNEL, user });
    const body = blockActions({
      team_id: team,
      enterprise_id: GRID,
      user_id: user,
      trigger_id: grid.slack.triggerId({ userId: user }),
      channel_id: CHANNEL,
      response_url: responseUrl,
      message_ts: '1700000300.000100',
      actions: [{ action_id: PLAN_CONFIRM_ACTION, value: planId }],
    });
    expect((await sendToApp(grid.appUrl, SIGNING_SECRET, body)).status).toBe(200);
    return grid.replyOn(responseUrl);
  }

  it('a workspace admin without an org role is answered as if the connection did not exist', async () => {
    expect(textOf(await askGrid('connection assign conn_acme', T2_ADMIN_ONLY))).toContain(
      'no PostHog connection `conn_acme` for this workspace',
    );
    expect(textOf(await askGrid('connection use conn_acme', T2_ADMIN_ONLY))).toContain(
      'no PostHog connection `conn_acme` for this workspace',
    );
    expect(await grid.store.isConnectionAssigned('conn_acme', T2)).toBe(false);
  });

  it('an org admin of the same enterprise assigns it through a plan; the owner keeps it', async () => {
    const plan = await askGrid('connection assign conn_acme', ORG_ADMIN);
    expect(textOf(plan)).toContain('Assign connection conn_acme to this workspace');
    expect(textOf(plan)).toContain(`owned by workspace ${T1}`);
    const done = await confirmGrid(buttonValue(plan, PLAN_CONFIRM_ACTION), ORG_ADMIN);
    expect(textOf(done)).toContain('now uses connection `conn_acme`');
    expect(await grid.store.isConnectionAssigned('conn_acme', T2)).toBe(true);
    expect((await grid.store.getConnectionOwner('conn_acme'))?.teamId).toBe(T1);
    const [entry] = await grid.store.listAudit(T2, { limit: 1 });
    expect(entry).toMatchObject({ command: 'connection assign', outcome: 'done', userId: ORG_ADMIN, connectionId: 'conn_acme' });

    // T2 now reads through it (any member), lists it, but may not disconnect it.
    const from = grid.emulator.requests.length;
    expect(textOf(await askGrid('whoami', T2_ADMIN_ONLY))).toContain('Acme');
    expect(
      grid.emulator.requests
        .slice(from)
        .filter((r) => r.path.startsWith('/posthog/'))
        .every((r) => r.headers['maton-connection'] === 'conn_acme'),
    ).toBe(true);
    expect(textOf(await askGrid('connection list', T2_ADMIN_ONLY))).toContain('conn_acme');
    expect(textOf(await askGrid('connection disconnect conn_acme', ORG_ADMIN))).toContain('only that workspace can disconnect it');
  });

  it('an org admin of another enterprise (or none) gets nothing', async () => {
    const responseUrl = grid.slack.responseUrl({ channel: CHANNEL, user: ORG_ADMIN });
    const body = slashCommand({
      team_id: 'T0000000003',
      enterprise_id: 'E0OTHER0001',
      user_id: ORG_ADMIN,
      channel_id: CHANNEL,
      text: 'connection assign conn_acme',
      response_url: responseUrl,
      trigger_id: grid.slack.triggerId({ userId: ORG_ADMIN }),
    });
    expect((await sendToApp(grid.appUrl, SIGNING_SECRET, body)).status).toBe(200);
    expect(textOf(await grid.replyOn(responseUrl))).toContain('no PostHog connection `conn_acme` for this workspace');
    expect(await grid.store.isConnectionAssigned('conn_acme', 'T0000000003')).toBe(false);
  });
});
