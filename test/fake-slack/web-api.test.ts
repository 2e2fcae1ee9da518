import { ErrorCode, type WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_BOT_TOKEN,
  DEFAULT_BOT_USER_ID,
  DEFAULT_TEAM,
  startFakeSlack,
  type FakeSlack,
  type FakeSlackEvent,
} from '../../src/fake-slack/index.js';
import { clientFor, slackError } from './helpers.js';

const CLIENT_ID = '111.222';
const CLIENT_SECRET = 'fake-client-secret';

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack({
    users: [
      { id: 'U_ADA', realName: 'Ada Lovelace', email: 'ada@example.com', tz: 'Europe/London', isAdmin: true },
      { id: 'U_BOB', email: 'bob@example.com', tz: 'Asia/Kolkata', tzOffset: 19800 },
    ],
    channels: [
      { id: 'C_GENERAL', name: 'general' },
      { id: 'C_SECRET', name: 'secret', isPrivate: true },
    ],
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
  client = clientFor(fake);
});

afterEach(async () => {
  await fake.close();
});

describe('chat.*', () => {
  it('records postMessage with blocks parsed, answers like Slack, and models the channel', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }];
    const res = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'hello', blocks });

    expect(res.ok).toBe(true);
    expect(res.channel).toBe('C_GENERAL');
    expect(res.ts).toMatch(/^\d+\.\d{6}$/);
    expect(res.message).toMatchObject({ type: 'message', text: 'hello', user: DEFAULT_BOT_USER_ID, ts: res.ts, blocks });

    const call = fake.calls.find((c) => c.method === 'chat.postMessage');
    expect(call).toMatchObject({ ok: true, token: DEFAULT_BOT_TOKEN, args: { channel: 'C_GENERAL', text: 'hello', blocks } });
    expect(call?.args).not.toHaveProperty('token');
    expect(fake.messages('C_GENERAL')).toMatchObject([{ ts: res.ts, text: 'hello', blocks, via: 'chat.postMessage' }]);
  });

  it('chat.update keeps blocks it was not given, replaces text, and marks the edit; chat.delete removes', async () => {
    const blocks = [{ type: 'divider' }];
    const posted = await client.chat.postMessage({ channel: 'C_GENERAL', text: 'v1', blocks });
    const ts = String(posted.ts);

    const updated = await client.chat.update({ channel: 'C_GENERAL', ts, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, channel: 'C_GENERAL', ts, text: 'v2' });
    expect(fake.messages('C_GENERAL')).toMatchObject([{ ts, text: 'v2', blocks, edited: { user: DEFAULT_BOT_USER_ID } }]);

    expect(await slackError(client.chat.update({ channel: 'C_GENERAL', ts: '1.000001', text: 'x' }))).toBe('message_not_found');

    await client.chat.delete({ channel: 'C_GENERAL', ts });
    expect(fake.messages('C_GENERAL')).toEqual([]);
  });

  it('postEphemeral answers message_ts and is visible only to its user', async () => {
    const res = await client.chat.postEphemeral({ channel: 'C_GENERAL', user: 'U_ADA', text: 'psst' });
    expect(res.ok).toBe(true);
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.messages('C_GENERAL', { viewer: 'U_ADA' })).toMatchObject([{ text: 'psst', ephemeralTo: 'U_ADA' }]);
    expect(fake.messages('C_GENERAL', { viewer: 'U_BOB' })).toEqual([]);
  });

  it('posting to a user id lands in their DM channel', async () => {
    const res = await client.chat.postMessage({ channel: 'U_ADA', text: 'dm' });
    expect(res.channel).toMatch(/^D/);
    expect(fake.messages('U_ADA')).toMatchObject([{ text: 'dm', channel: res.channel }]);
  });

  it('rejects a message with neither text nor blocks', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C_GENERAL', text: '' }))).toBe('no_text');
  });

  it('accepts JSON bodies with a Bearer token, as Slack does', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${DEFAULT_BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'C_GENERAL', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C_GENERAL' });
    expect(fake.calls.at(-1)?.args.blocks).toEqual([{ type: 'divider' }]);
  });

  it('takes the token from the form body too', async () => {
    const res = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: DEFAULT_BOT_TOKEN }).toString(),
    });
    expect(await res.json()).toMatchObject({ ok: true, team_id: DEFAULT_TEAM.id, user_id: DEFAULT_BOT_USER_ID });
  });
});

describe('auth and unknown methods', () => {
  it('answers invalid_auth for an unknown token, not_authed for none, unknown_method for anything else', async () => {
    expect(await slackError(clientFor(fake, 'xoxb-not-configured').auth.test())).toBe('invalid_auth');
    expect(await slackError(clientFor(fake, null).auth.test())).toBe('not_authed');
    expect(await slackError(client.apiCall('chat.teleport', { channel: 'C_GENERAL' }))).toBe('unknown_method');
    expect(fake.calls.map((c) => c.error)).toEqual(['invalid_auth', 'not_authed', 'unknown_method']);
  });

  it('auth.test describes the bot and its workspace', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, team_id: DEFAULT_TEAM.id, team: DEFAULT_TEAM.name, user_id: DEFAULT_BOT_USER_ID });
    expect(res.bot_id).toMatch(/^B/);
  });
});

describe('users and conversations', () => {
  it('users.info returns tz, tz_offset, admin flags, email and real name', async () => {
    const { user } = await client.users.info({ user: 'U_ADA' });
    expect(user).toMatchObject({
      id: 'U_ADA',
      real_name: 'Ada Lovelace',
      tz: 'Europe/London',
      is_admin: true,
      is_owner: false,
      profile: { email: 'ada@example.com', real_name: 'Ada Lovelace' },
    });
    expect([0, 3600]).toContain(user?.tz_offset);
    expect((await client.users.info({ user: 'U_BOB' })).user?.tz_offset).toBe(19800);
    expect(await slackError(client.users.info({ user: 'U_NOBODY' }))).toBe('user_not_found');
  });

  it('setUser changes what users.info answers', async () => {
    fake.setUser({ id: 'U_ADA', tz: 'America/New_York', isOwner: true });
    const { user } = await client.users.info({ user: 'U_ADA' });
    expect(user).toMatchObject({ tz: 'America/New_York', is_owner: true, is_admin: true });
  });

  it('users.lookupByEmail finds by email, case-insensitively', async () => {
    expect((await client.users.lookupByEmail({ email: 'BOB@example.com' })).user?.id).toBe('U_BOB');
    expect(await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe('users_not_found');
  });

  it('conversations.info describes configured channels and IMs', async () => {
    expect((await client.conversations.info({ channel: 'C_SECRET' })).channel).toMatchObject({
      id: 'C_SECRET',
      name: 'secret',
      is_private: true,
    });
    expect((await client.conversations.info({ channel: 'DADA' })).channel).toMatchObject({ is_im: true });
    expect(await slackError(client.conversations.info({ channel: 'C_NOPE' }))).toBe('channel_not_found');
  });
});

describe('oauth.v2.access', () => {
  it('exchanges a minted code once for a bot token the Web API then accepts', async () => {
    const code = fake.oauthCode({ teamId: 'T_OTHER', teamName: 'Other Co', userId: 'U_INSTALLER' });
    const noToken = clientFor(fake, null);
    const res = await noToken.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code });

    expect(res).toMatchObject({
      ok: true,
      token_type: 'bot',
      team: { id: 'T_OTHER', name: 'Other Co' },
      authed_user: { id: 'U_INSTALLER' },
      is_enterprise_install: false,
      enterprise: null,
    });
    expect(res.access_token).toMatch(/^xoxb-/);
    expect(res.scope).toContain('chat:write');

    const installed = await clientFor(fake, String(res.access_token)).auth.test();
    expect(installed).toMatchObject({ team_id: 'T_OTHER', team: 'Other Co' });

    expect(await slackError(noToken.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code }))).toBe('invalid_code');
  });

  it('rejects wrong codes and wrong client credentials', async () => {
    const noToken = clientFor(fake, null);
    const code = fake.oauthCode();
    expect(await slackError(noToken.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code: 'nope' }))).toBe(
      'invalid_code',
    );
    expect(await slackError(noToken.oauth.v2.access({ client_id: CLIENT_ID, client_secret: 'wrong', code }))).toBe('bad_client_secret');
    expect(await slackError(noToken.oauth.v2.access({ client_id: '999', client_secret: CLIENT_SECRET, code }))).toBe('invalid_client_id');
  });

  it('codes expire after 10 minutes on the fake clock', async () => {
    const code = fake.oauthCode();
    fake.advanceClock(10 * 60 * 1000 + 1);
    const noToken = clientFor(fake, null);
    expect(await slackError(noToken.oauth.v2.access({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code }))).toBe('invalid_code');
  });
});

describe('files.uploadV2', () => {
  it('carries the bytes intact through getUploadURLExternal, the upload URL and completeUploadExternal', async () => {
    const bytes = Buffer.from(Array.from({ length: 3 * 256 }, (_, i) => i % 256));
    const res = await client.files.uploadV2({
      channel_id: 'C_GENERAL',
      file: bytes,
      filename: 'chart.png',
      title: 'Weekly signups',
      initial_comment: 'here you go',
    });

    expect(res.ok).toBe(true);
    // uploadV2 answers one completeUploadExternal response per message it posted.
    const completions = (res as { files?: Array<{ files?: Array<{ id?: string; title?: string; size?: number }> }> }).files;
    const completed = completions?.[0]?.files?.[0];
    expect(completed).toMatchObject({ title: 'Weekly signups', size: bytes.length });

    const upload = fake.uploads.get(String(completed?.id));
    expect(upload?.bytes.equals(bytes)).toBe(true);
    expect(upload).toMatchObject({ filename: 'chart.png', title: 'Weekly signups', channel: 'C_GENERAL', completed: true });
    expect(upload?.declaredLength).toBe(bytes.length);

    const urlCall = fake.calls.find((c) => c.method === 'files.getUploadURLExternal');
    expect(String(urlCall?.result.upload_url).startsWith(fake.url)).toBe(true);
    expect(fake.messages('C_GENERAL')).toMatchObject([
      { text: 'here you go', via: 'files.completeUploadExternal', files: [{ id: completed?.id, name: 'chart.png' }] },
    ]);
  });

  it('accepts raw bytes posted straight to the upload URL', async () => {
    const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 5 });
    const put = await fetch(String(uploadUrl), { method: 'POST', body: 'a,b\n1' });
    expect(put.status).toBe(200);
    await client.files.completeUploadExternal({ files: [{ id: String(fileId) }] });
    expect(fake.uploads.get(String(fileId))?.bytes.toString()).toBe('a,b\n1');
  });

  it('refuses to complete a file whose bytes never arrived', async () => {
    const { file_id: fileId } = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 5 });
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: String(fileId) }] }))).toBe('file_not_found');
  });
});

describe('views.*', () => {
  const modal = (title = 'Query') => ({
    type: 'modal' as const,
    callback_id: 'query_modal',
    title: { type: 'plain_text' as const, text: title },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'hi' } }],
  });

  it('open returns a view with an id; update by id replaces it; a stale hash conflicts', async () => {
    const opened = await client.views.open({ trigger_id: fake.triggerId({ userId: 'U_ADA' }), view: modal() });
    const id = String(opened.view?.id);
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), type: 'modal', callback_id: 'query_modal' });
    expect(fake.view(id)?.userId).toBe('U_ADA');

    const updated = await client.views.update({ view_id: id, hash: opened.view?.hash, view: modal('Results') });
    expect(updated.view?.id).toBe(id);
    expect(fake.view(id)?.title).toMatchObject({ text: 'Results' });

    expect(await slackError(client.views.update({ view_id: id, hash: opened.view?.hash, view: modal() }))).toBe('hash_conflict');
  });

  it('minted trigger ids work once and expire after 3 s on the fake clock', async () => {
    const trigger = fake.triggerId();
    await client.views.open({ trigger_id: trigger, view: modal() });
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).toBe('exchanged_trigger_id');

    const late = fake.triggerId();
    fake.advanceClock(3001);
    expect(await slackError(client.views.open({ trigger_id: late, view: modal() }))).toBe('expired_trigger_id');
  });

  it('publish keeps one Home tab per user', async () => {
    const home = { type: 'home' as const, blocks: [{ type: 'divider' as const }] };
    const first = await client.views.publish({ user_id: 'U_ADA', view: home });
    const second = await client.views.publish({ user_id: 'U_ADA', view: home });
    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView('U_ADA')?.blocks).toEqual(home.blocks);
  });
});

describe('failNext and live events', () => {
  it('answers 429 with Retry-After, then works again', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    // rejectRateLimitedCalls surfaces the 429 instead of sleeping for Retry-After.
    const strict = clientFor(fake, DEFAULT_BOT_TOKEN, { rejectRateLimitedCalls: true });
    await expect(strict.chat.postMessage({ channel: 'C_GENERAL', text: 'a' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'chat.postMessage', status: 429, ok: false, error: 'ratelimited' });
    expect((await client.chat.postMessage({ channel: 'C_GENERAL', text: 'b' })).ok).toBe(true);
  });

  it('fails with a chosen Slack error', async () => {
    fake.failNext('users.info', { error: 'account_inactive', times: 2 });
    expect(await slackError(client.users.info({ user: 'U_ADA' }))).toBe('account_inactive');
    expect(await slackError(client.users.info({ user: 'U_ADA' }))).toBe('account_inactive');
    expect((await client.users.info({ user: 'U_ADA' })).ok).toBe(true);
  });

  it('pushes events and model changes to subscribers until they unsubscribe', async () => {
    const seen: FakeSlackEvent[] = [];
    const changes: string[] = [];
    const stop = fake.on('event', (e) => seen.push(e));
    const stopChanges = fake.on('change', (c) => changes.push(`${c.kind}:${c.action}`));
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'one' });
    stop();
    stopChanges();
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'two' });
    expect(seen.map((e) => (e.kind === 'call' ? e.args.text : undefined))).toEqual(['one']);
    expect(changes).toEqual(['message:posted']);
  });

  it('reset forgets recordings and messages but keeps users and tokens', async () => {
    await client.chat.postMessage({ channel: 'C_GENERAL', text: 'x' });
    fake.reset();
    expect(fake.calls).toHaveLength(0);
    expect(fake.messages('C_GENERAL')).toEqual([]);
    expect((await client.users.info({ user: 'U_ADA' })).ok).toBe(true);
  });
});
