/**
 * The fake Slack's users.info and conversations.members must answer as Slack documents them, since the guest rule
 * (src/access.ts) and the digest/alert membership check (src/scheduler/membership.ts) rely on these answers.
 *
 * Sources:
 * - users.info: https://api.slack.com/methods/users.info — `{ok, user}`; `{ok: false, error: "user_not_found"}`.
 * - The user object: https://api.slack.com/types/user — `is_restricted` marks a guest, "use in combination with
 *   is_ultra_restricted" to tell a single-channel guest, who has both set.
 * - conversations.members: https://api.slack.com/methods/conversations.members — `{ok, members: [ids],
 *   response_metadata: {next_cursor}}`, cursor pagination with `limit`, `channel_not_found` when the token can't see it.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_USER_ID, type FakeSlack, startFakeSlack } from '../../src/fake-slack/index.js';
import { createProfileCache } from '../../src/slack/profile.js';
import { clientFor, slackError } from '../fake-slack/helpers.js';

const T = 'T0CONTRACT1';
let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({
    // The bot token is this workspace's: users.info answers only for the token's workspace.
    team: { id: T, name: 'Contract', domain: 'contract' },
    users: [
      { id: 'U0MEMBER001', teamId: T, name: 'max' },
      { id: 'U0GUEST0001', teamId: T, name: 'gina', isRestricted: true },
      { id: 'U0SINGLE001', teamId: T, name: 'sol', isUltraRestricted: true },
    ],
    channels: [
      { id: 'C0BIG000001', name: 'big', teamId: T, members: Array.from({ length: 250 }, (_, i) => `U0M${String(i).padStart(8, '0')}`) },
      { id: 'C0SECRET001', name: 'secret', teamId: T, isPrivate: true, isMember: false, members: ['U0MEMBER001'] },
    ],
  });
  client = clientFor(fake);
});
afterAll(async () => {
  await fake.close();
});

describe('users.info (api.slack.com/methods/users.info, api.slack.com/types/user)', () => {
  it('a full member has neither guest flag', async () => {
    const { user } = await client.users.info({ user: 'U0MEMBER001' });
    expect(user).toMatchObject({ id: 'U0MEMBER001', is_restricted: false, is_ultra_restricted: false });
  });

  it('a multi-channel guest is_restricted only; a single-channel guest has both flags', async () => {
    expect((await client.users.info({ user: 'U0GUEST0001' })).user).toMatchObject({ is_restricted: true, is_ultra_restricted: false });
    expect((await client.users.info({ user: 'U0SINGLE001' })).user).toMatchObject({ is_restricted: true, is_ultra_restricted: true });
  });

  it('an unknown user is user_not_found', async () => {
    expect(await slackError(client.users.info({ user: 'U0NOBODY001' }))).toBe('user_not_found');
  });

  it('the bot’s profile reads both kinds of guest as guests', async () => {
    const profiles = createProfileCache();
    expect((await profiles.get(client, T, 'U0GUEST0001')).isGuest).toBe(true);
    expect((await profiles.get(client, T, 'U0SINGLE001')).isGuest).toBe(true);
    expect((await profiles.get(client, T, 'U0MEMBER001')).isGuest).toBe(false);
  });
});

describe('conversations.members (api.slack.com/methods/conversations.members)', () => {
  it('pages through members with a cursor, the bot included', async () => {
    const first = await client.conversations.members({ channel: 'C0BIG000001', limit: 200 });
    expect(first.members).toHaveLength(200);
    expect(first.members).toContain(DEFAULT_BOT_USER_ID);
    expect(first.response_metadata?.next_cursor).toBeTruthy();
    const second = await client.conversations.members({
      channel: 'C0BIG000001',
      limit: 200,
      cursor: first.response_metadata!.next_cursor!,
    });
    expect(second.members).toHaveLength(51);
    expect(second.response_metadata?.next_cursor).toBe('');
    expect(new Set([...first.members!, ...second.members!]).size).toBe(251);
  });

  it('a private channel the bot is not in is channel_not_found', async () => {
    expect(await slackError(client.conversations.members({ channel: 'C0SECRET001' }))).toBe('channel_not_found');
  });

  it('refuses a limit of 1000 or more', async () => {
    expect(await slackError(client.conversations.members({ channel: 'C0BIG000001', limit: 1000 }))).toBe('invalid_limit');
  });
});
