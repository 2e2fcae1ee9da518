import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, OAUTH_CLIENT, Rig, T1, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start({ mode: 'oauth' });
});
afterAll(async () => {
  await rig?.close();
});

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

    const reply = await rig.ask('whoami', { team: T1, user: ADMIN });
    expect(textOf(reply)).toContain('Acme');
    const usersInfo = rig.slack.calls.filter((c) => c.method === 'users.info').at(-1);
    expect(usersInfo?.ok).toBe(true);
    expect(usersInfo?.token).toMatch(/^xoxb-fake-/);
  });

  it('refuses a callback with a forged state', async () => {
    const base = rig.appUrl.replace('/slack/events', '');
    const code = rig.slack.oauthCode({ teamId: 'T0000000009', teamName: 'Evil', userId: ADMIN, isEnterpriseInstall: false });
    const res = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=forged`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await rig.store.getInstallation('T0000000009')).toBeNull();
  });
});
