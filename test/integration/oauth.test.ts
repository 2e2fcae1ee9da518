import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, linkSharedEvent, sendToApp } from '../../src/fake-slack/index.js';
import { askConfirmed } from '../rig/confirm.js';
import { ADMIN, ADMIN_T2, CHANNEL, OAUTH_CLIENT, Rig, SIGNING_SECRET, T1, T2, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start({ mode: 'oauth' });
});
afterAll(async () => {
  await rig?.close();
});

async function until(done: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Installs the app into `teamId` through /slack/install and Slack's OAuth redirect, as an admin would. */
async function install(teamId: string, teamName: string, userId: string): Promise<void> {
  const base = rig.appUrl.replace('/slack/events', '');
  const started = await fetch(`${base}/slack/install`, { redirect: 'manual' });
  const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
  const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
  const code = rig.slack.oauthCode({ teamId, teamName, userId, isEnterpriseInstall: false });
  const done = await fetch(`${base}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  expect(done.status).toBe(200);
}

describe('multi-workspace OAuth install', () => {
  it('installs a workspace from /slack/install and then serves its /ph with the stored token', async () => {
    const base = rig.appUrl.replace('/slack/events', '');

    // Not installed yet: Bolt finds no installation for the team and runs nothing.
    const before = await rig.slash('whoami', { team: T1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rig.slack.responses.filter((r) => r.url === before.responseUrl)).toEqual([]);
    expect(rig.emulator.requests).toEqual([]);

    const install = await fetch(`${base}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const location = new URL(install.headers.get('location')!);
    expect(location.searchParams.get('client_id')).toBe(OAUTH_CLIENT.clientId);
    expect(location.searchParams.get('scope')).toContain('commands');
    const state = location.searchParams.get('state')!;
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;

    const code = rig.slack.oauthCode({ teamId: T1, teamName: 'Acme', userId: ADMIN, isEnterpriseInstall: false });
    const callback = await fetch(`${base}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(callback.status).toBe(200);
    expect(rig.slack.calls.some((c) => c.method === 'oauth.v2.access' && c.ok)).toBe(true);
    expect(await rig.store.getInstallation(T1)).not.toBeNull();

    // Issue 11: in OAuth mode no workspace gets the gateway's default connection (this used to answer with Acme's data).
    const emulatorFrom = rig.emulator.requests.length;
    expect(textOf(await rig.ask('whoami', { team: T1, user: ADMIN }))).toMatch(/connect PostHog first/);
    expect(rig.emulator.requests.slice(emulatorFrom).filter((r) => r.path.startsWith('/posthog/'))).toEqual([]);
    await askConfirmed(rig, 'connection use conn_acme', { team: T1, user: ADMIN });
    const reply = await rig.ask('whoami', { team: T1, user: ADMIN });
    expect(textOf(reply)).toContain('Acme');
    const usersInfo = rig.slack.calls.filter((c) => c.method === 'users.info').at(-1);
    expect(usersInfo?.ok).toBe(true);
    expect(usersInfo?.token).toMatch(/^xoxb-fake-/);
  });

  it('two workspaces on one install: neither sees, shows, uses or disconnects the other’s connection', async () => {
    await install(T2, 'Globex', ADMIN_T2);
    const t2 = { team: T2, user: ADMIN_T2 };
    const posthogCalls = () => rig.emulator.requests.filter((r) => r.path.startsWith('/posthog/')).length;
    let before = posthogCalls();

    // T2 chose nothing: a command, an unfurl and a digest are all refused, and nothing reaches PostHog.
    const whoami = await rig.ask('whoami', t2);
    expect(whoami.body.response_type).toBe('ephemeral');
    expect(textOf(whoami)).toMatch(/connect PostHog first.*`\/ph connection connect`/s);
    const event = linkSharedEvent({
      channel: CHANNEL,
      user: ADMIN_T2,
      message_ts: '1700000200.000100',
      links: [{ url: 'https://us.posthog.com/project/1001/feature_flags/10001' }],
    });
    expect((await sendToApp(rig.appUrl, SIGNING_SECRET, eventCallback({ team_id: T2, event, event_id: 'EvOAUTHT2' }))).status).toBe(200);
    await until(() => rig.logs.some((l) => l.message.includes(`workspace ${T2} has no PostHog connection`)));
    expect(rig.slack.calls.filter((c) => c.method === 'chat.unfurl')).toEqual([]);
    await rig.store.schedules.createSchedule({
      id: 'doauth1',
      kind: 'digest',
      teamId: T2,
      enterpriseId: null,
      channelId: 'C0OAUTHT201',
      title: 'Globex daily',
      cadence: { kind: 'daily', hour: 9, minute: 0, timezone: 'UTC' },
      spec: { items: [{ kind: 'experiments' }] },
      state: null,
      createdBy: ADMIN_T2,
      createdAt: new Date(),
      nextRunAt: new Date(Date.now() + 86_400_000),
    });
    expect(textOf(await rig.ask('digest run doauth1', t2))).toMatch(/could not be delivered: skipped: .*connect PostHog first/);
    expect(rig.slack.messages('C0OAUTHT201')).toEqual([]);
    expect(posthogCalls()).toBe(before);

    // T1's connection (claimed above) does not exist for T2, and unclaimed ones are listed to nobody in OAuth mode.
    const list = textOf(await rig.ask('connection list', t2));
    expect(list).not.toContain('conn_acme');
    expect(list).not.toContain('conn_globex');
    for (const command of ['connection show', 'connection use', 'connection disconnect']) {
      expect(textOf(await rig.ask(`${command} conn_acme`, t2))).toContain('no PostHog connection `conn_acme` for this workspace');
    }
    expect(rig.emulator.connections().some((c) => c.connection_id === 'conn_acme')).toBe(true);
    expect(await rig.store.getWorkspace(T2)).toBeNull();

    // T2 takes its own; both workspaces then read their own account only.
    await askConfirmed(rig, 'connection use conn_globex', t2);
    before = rig.emulator.requests.length;
    expect(textOf(await rig.ask('whoami', t2))).toContain('Globex');
    expect(textOf(await rig.ask('whoami', { team: T1, user: ADMIN }))).toContain('Acme');
    const used = rig.emulator.requests
      .slice(before)
      .filter((r) => r.path.startsWith('/posthog/'))
      .map((r) => r.headers['maton-connection']);
    expect(new Set(used)).toEqual(new Set(['conn_globex', 'conn_acme']));
    expect(textOf(await rig.ask('connection show conn_globex', { team: T1, user: ADMIN }))).toContain(
      'no PostHog connection `conn_globex` for this workspace',
    );
  });

  it('refuses a callback with a forged state', async () => {
    const base = rig.appUrl.replace('/slack/events', '');
    const code = rig.slack.oauthCode({ teamId: 'T0000000009', teamName: 'Evil', userId: ADMIN, isEnterpriseInstall: false });
    const res = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=forged`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await rig.store.getInstallation('T0000000009')).toBeNull();
  });
});
