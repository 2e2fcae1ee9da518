/**
 * Issue 11 item 4: Slack guests (users.info `is_restricted` / `is_ultra_restricted`) and users Slack can't resolve see
 * no PostHog data unless a workspace admin allows it, and never hold writer or admin. Through the real app, signed
 * requests against the fake Slack and the emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpenedEvent, eventCallback, linkSharedEvent, sendToApp } from '../../src/fake-slack/index.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { ADMIN, ADMIN_T2, buttonValue, CHANNEL, MATON_KEY, MEMBER, Rig, SIGNING_SECRET, T1, T2, textOf } from '../rig/harness.js';

const GUEST = 'U0GUEST0001';
const SINGLE = 'U0SINGLE001';
const STRANGER = 'U0NOBODY001';
/** A member nobody has looked up yet, so the profile cache can't answer for Slack. */
const FRESH = 'U0FRESH0001';
const APP = 'https://us.posthog.com';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start({
    users: [
      { id: ADMIN, teamId: T1, name: 'ana', realName: 'Ana Admin', email: 'ana@acme.com', tz: 'America/Los_Angeles', isAdmin: true },
      { id: MEMBER, teamId: T1, name: 'max', realName: 'Max Member', email: 'max@acme.com', tz: 'Europe/Berlin' },
      { id: GUEST, teamId: T1, name: 'gina', realName: 'Gina Guest', tz: 'UTC', isRestricted: true },
      { id: SINGLE, teamId: T1, name: 'sol', realName: 'Sol Single', tz: 'UTC', isUltraRestricted: true },
      { id: FRESH, teamId: T1, name: 'fred', realName: 'Fred Fresh', tz: 'UTC' },
      { id: ADMIN_T2, teamId: T2, name: 'gus', realName: 'Gus Globex', tz: 'UTC', isOwner: true },
    ],
  });
  await rig.hogbot.scheduler.stop();
  await rig.store.setWorkspaceConnection(T1, 'conn_acme', ADMIN, new Date());
});
afterAll(async () => {
  await rig?.close();
});

const GUEST_REFUSAL =
  /shows PostHog data, and Slack guests can’t see it in this workspace unless an admin turns it on with `\/ph access guests on`\./;
const posthogCallsSince = (from: number) => rig.emulator.requests.slice(from).filter((r) => r.path.startsWith('/posthog/'));

async function confirm(text: string, user = ADMIN) {
  const plan = await rig.ask(text, { user });
  return rig.clickAndWait(PLAN_CONFIRM_ACTION, buttonValue(plan, PLAN_CONFIRM_ACTION), { user });
}

let seq = 0;
async function shareLink(url: string, user: string): Promise<string> {
  seq += 1;
  const ts = `1700000001.00${seq}`;
  const event = linkSharedEvent({ channel: CHANNEL, user, message_ts: ts, links: [{ url }] });
  const res = await sendToApp(rig.appUrl, SIGNING_SECRET, eventCallback({ team_id: T1, event, event_id: `EvGUEST${seq}` }));
  expect(res.status).toBe(200);
  return ts;
}

async function settle(check: () => boolean, ms = 1500): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('guests, by default', () => {
  it('a guest’s /ph person, persons, recordings and query are refused with a sentence saying why, before PostHog is asked', async () => {
    const from = rig.emulator.requests.length;
    for (const command of ['person ana@acme.com', 'persons', 'recordings ana@acme.com', 'query SELECT count() FROM persons', 'whoami']) {
      const reply = await rig.ask(command, { user: GUEST });
      expect(reply.body.response_type).toBe('ephemeral');
      const name = command.split(' ')[0];
      expect(textOf(reply)).toContain(`\`/ph ${name}\` shows PostHog data`);
      expect(textOf(reply)).toMatch(GUEST_REFUSAL);
    }
    // A single-channel guest (is_ultra_restricted) likewise.
    expect(textOf(await rig.ask('persons', { user: SINGLE }))).toMatch(GUEST_REFUSAL);
    expect(posthogCallsSince(from)).toEqual([]);
  });

  it('asks Slack who the caller is for reader commands too (`actions` itself never needs the profile)', async () => {
    const before = rig.slack.calls.filter((c) => c.method === 'users.info' && c.args.user === MEMBER).length;
    expect(before).toBe(0);
    expect(textOf(await rig.ask('actions', { user: MEMBER }))).not.toMatch(GUEST_REFUSAL);
    expect(rig.slack.calls.filter((c) => c.method === 'users.info' && c.args.user === MEMBER).length).toBe(1);
    expect(textOf(await rig.ask('actions', { user: GUEST }))).toMatch(GUEST_REFUSAL);
  });

  it('treats a user Slack can’t resolve (user_not_found) as a guest', async () => {
    const reply = textOf(await rig.ask('person ana@acme.com', { user: STRANGER }));
    expect(reply).toContain(
      '`/ph person` shows PostHog data, and Slack could not confirm your account here, so you are treated as a guest',
    );
  });

  it('treats a caller as a guest when users.info fails', async () => {
    rig.slack.failNext('users.info', { error: 'internal_error' });
    expect(textOf(await rig.ask('recordings ana@acme.com', { user: FRESH }))).toContain('so you are treated as a guest');
    // A failure is not remembered: the next command asks Slack again and gets through.
    expect(textOf(await rig.ask('recordings ana@acme.com', { user: FRESH }))).not.toContain('treated as a guest');
  });

  it('a guest may still see their own standing', async () => {
    const reply = textOf(await rig.ask('access', { user: GUEST }));
    expect(reply).toContain('are a *reader*, as a Slack guest');
    expect(reply).toContain('see no PostHog data');
  });

  it('does not unfurl a recording link a guest posts (it would name a person in channel)', async () => {
    const res = await fetch(`${rig.emulator.url}/posthog/api/projects/1001/session_recordings/?limit=1`, {
      headers: { authorization: `Bearer ${MATON_KEY}`, 'maton-connection': 'conn_acme' },
    });
    const url = `${APP}/project/1001/replay/${((await res.json()) as { results: Array<{ id: string }> }).results[0]!.id}`;
    const unfurls = () => rig.slack.calls.filter((c) => c.method === 'chat.unfurl');
    const before = unfurls().length;
    const guestTs = await shareLink(url, GUEST);
    // The same link from a member is unfurled: once that card is out, the guest's event has had its chance too.
    const memberTs = await shareLink(url, MEMBER);
    expect(await settle(() => unfurls().length > before, 8000)).toBe(true);
    await settle(() => false, 300);
    const made = unfurls().slice(before);
    expect(made.map((c) => c.args.ts)).toEqual([memberTs]);
    expect(made.map((c) => c.args.ts)).not.toContain(guestTs);
  });

  it('shows a guest’s Home tab without the project, digests, alerts or audited changes', async () => {
    await rig.store.appendAudit({
      id: 'audit-guest-home',
      teamId: T1,
      at: new Date(),
      userId: ADMIN,
      confirmedBy: ADMIN,
      approvedBy: null,
      command: 'flag off',
      title: 'Turn off secret-launch',
      connectionId: 'conn_acme',
      projectId: 1001,
      objectType: 'feature_flag',
      objectId: '1',
      objectLabel: 'secret-launch',
      before: {},
      after: {},
      outcome: 'done',
      detail: null,
      planId: null,
    });
    const res = await sendToApp(rig.appUrl, SIGNING_SECRET, eventCallback({ team_id: T1, event: appHomeOpenedEvent({ user: GUEST }) }));
    expect(res.status).toBe(200);
    await rig.slack.waitForCall('views.publish', (c) => c.args.user_id === GUEST, { timeoutMs: 8000 });
    const home = textOf({ blocks: rig.slack.homeView(GUEST)!.blocks });
    expect(home).toContain('Hogbot’s Home tab shows PostHog data, and Slack guests can’t see it');
    expect(home).not.toContain('secret-launch');
    expect(home).not.toContain('Acme Web');
  });

  it('refuses to grant a guest writer or admin, with a sentence', async () => {
    expect(textOf(await rig.ask(`access grant <@${GUEST}|gina> writer`))).toContain(
      `<@${GUEST}> is a Slack guest, and guests can never hold the writer or admin role in Hogbot.`,
    );
    expect(textOf(await rig.ask(`access grant <@${SINGLE}|sol> admin`))).toContain('guests can never hold the writer or admin role');
    expect(await rig.store.getGrant(T1, GUEST)).toBeNull();
  });

  it('ignores a grant a guest somehow holds (granted before they became a guest)', async () => {
    await rig.store.setGrant({ teamId: T1, userId: SINGLE, role: 'admin', grantedBy: ADMIN, grantedAt: new Date() });
    expect(textOf(await rig.ask('access approvals on', { user: SINGLE }))).toContain(
      '`/ph access approvals` needs the admin role, and Slack guests only ever read in Hogbot.',
    );
    await rig.store.revokeGrant(T1, SINGLE);
  });
});

describe('guests, once an admin allows them', () => {
  it('only an admin turns guest access on, through a confirmed and audited plan', async () => {
    expect(textOf(await rig.ask('access guests on', { user: MEMBER }))).toContain('needs the admin role; you are a reader');
    const done = await confirm('access guests on');
    expect(textOf(done)).toContain('Slack guests may now *read* PostHog data here');
    expect((await rig.store.getPolicy(T1)).guestsAllowed).toBe(true);
    expect((await rig.store.getPolicy(T2)).guestsAllowed).toBe(false);
    const [entry] = await rig.store.listAudit(T1, { limit: 1 });
    expect(entry).toMatchObject({
      userId: ADMIN,
      title: 'Let Slack guests read PostHog data',
      outcome: 'done',
      after: { guestsAllowed: true },
    });
  });

  it('then guests read, but still never write or hold writer', async () => {
    expect(textOf(await rig.ask('persons', { user: GUEST }))).not.toMatch(/shows PostHog data/);
    expect(textOf(await rig.ask('flag off dark-mode', { user: GUEST }))).toContain(
      '`/ph flag off` needs the writer role, and Slack guests only ever read in Hogbot.',
    );
    expect(textOf(await rig.ask(`access grant <@${GUEST}|gina> writer`))).toContain('guests can never hold the writer or admin role');
  });

  it('turning it off refuses guests again', async () => {
    await confirm('access guests off');
    expect(textOf(await rig.ask('persons', { user: GUEST }))).toMatch(GUEST_REFUSAL);
  });
});
