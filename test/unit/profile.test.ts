import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/fake-slack/index.js';
import { callerTimeZone, createProfileCache, PROFILE_TTL_MS } from '../../src/slack/profile.js';
import { clientFor } from '../fake-slack/helpers.js';
import { ManualClock } from './manual-clock.js';

const T1 = 'T0000000001';
const T2 = 'T0000000002';
const ANA = {
  id: 'U0ANA000001',
  teamId: T1,
  name: 'ana',
  realName: 'Ana Admin',
  email: 'ana@acme.com',
  tz: 'America/Los_Angeles',
  isAdmin: true,
};
const MAX = { id: 'U0MAX000001', teamId: T1, name: 'max', tz: 'Europe/Berlin' };
const OWEN = { id: 'U0OWEN00001', teamId: T1, name: 'owen', tz: 'Mars/Olympus_Mons', tzOffset: 0, isOwner: true };

let slack: FakeSlack;
let client: WebClient;
let clock: ManualClock;

beforeAll(async () => {
  slack = await startFakeSlack({ team: { id: T1, name: 'Acme', domain: 'acme' }, users: [ANA, MAX, OWEN] });
  client = clientFor(slack);
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.reset();
  slack.setUser(MAX);
  clock = new ManualClock('2025-06-01T12:00:00Z');
});

const lookups = () => slack.calls.filter((c) => c.method === 'users.info').length;

describe('the Slack profile cache', () => {
  it('reads tz, admin and owner flags, name and email from users.info', async () => {
    const profiles = createProfileCache({ now: () => clock.now() });
    expect(await profiles.get(client, T1, ANA.id)).toEqual({
      userId: ANA.id,
      tz: 'America/Los_Angeles',
      isAdmin: true,
      isOwner: false,
      isGuest: false,
      name: 'Ana Admin',
      email: 'ana@acme.com',
    });
    const max = await profiles.get(client, T1, MAX.id);
    expect(max).toMatchObject({ tz: 'Europe/Berlin', isAdmin: false, isOwner: false, name: 'max' });
    // A zone Intl cannot use is no zone: callers fall back to UTC rather than fail to format.
    expect(await profiles.get(client, T1, OWEN.id)).toMatchObject({ tz: null, isOwner: true, isAdmin: false });
  });

  it('asks Slack once per team and user within the TTL, however many ask at once', async () => {
    const profiles = createProfileCache({ now: () => clock.now() });
    const together = await Promise.all([
      profiles.get(client, T1, MAX.id),
      profiles.get(client, T1, MAX.id),
      profiles.get(client, T1, MAX.id),
    ]);
    expect(new Set(together.map((p) => p.tz))).toEqual(new Set(['Europe/Berlin']));
    expect(lookups()).toBe(1);
    clock.advance(PROFILE_TTL_MS - 1);
    await profiles.get(client, T1, MAX.id);
    expect(lookups()).toBe(1);
    // The same user id in another workspace is another entry.
    await profiles.get(client, T2, MAX.id);
    expect(lookups()).toBe(2);
  });

  it('asks again once the TTL has passed, and sees what changed in Slack', async () => {
    const profiles = createProfileCache({ now: () => clock.now() });
    expect((await profiles.get(client, T1, MAX.id)).isAdmin).toBe(false);
    slack.setUser({ ...MAX, isAdmin: true, tz: 'Asia/Tokyo' });
    expect((await profiles.get(client, T1, MAX.id)).isAdmin).toBe(false);
    clock.advance(PROFILE_TTL_MS);
    expect(await profiles.get(client, T1, MAX.id)).toMatchObject({ isAdmin: true, tz: 'Asia/Tokyo' });
    expect(lookups()).toBe(2);
  });

  it('fresh asks Slack now and keeps the answer for the next caller', async () => {
    const profiles = createProfileCache({ now: () => clock.now() });
    await profiles.get(client, T1, MAX.id);
    slack.setUser({ ...MAX, isAdmin: true });
    expect((await profiles.get(client, T1, MAX.id, { fresh: true })).isAdmin).toBe(true);
    expect((await profiles.get(client, T1, MAX.id)).isAdmin).toBe(true);
    expect(lookups()).toBe(2);
  });

  it('does not remember a failure: the next lookup asks Slack again', async () => {
    const profiles = createProfileCache({ now: () => clock.now() });
    slack.failNext('users.info', { error: 'internal_error' });
    await expect(profiles.get(client, T1, MAX.id)).rejects.toMatchObject({ data: { error: 'internal_error' } });
    expect((await profiles.get(client, T1, MAX.id)).tz).toBe('Europe/Berlin');
    expect(lookups()).toBe(2);
  });

  it('drops the oldest entry beyond maxEntries', async () => {
    const profiles = createProfileCache({ now: () => clock.now(), maxEntries: 2 });
    await profiles.get(client, T1, ANA.id);
    await profiles.get(client, T1, MAX.id);
    await profiles.get(client, T1, OWEN.id);
    expect(lookups()).toBe(3);
    await profiles.get(client, T1, OWEN.id);
    await profiles.get(client, T1, MAX.id);
    expect(lookups()).toBe(3);
    await profiles.get(client, T1, ANA.id);
    expect(lookups()).toBe(4);
  });
});

describe('callerTimeZone', () => {
  it('is the profile’s zone, else UTC, and UTC when Slack fails', async () => {
    const profiles = createProfileCache({ now: () => clock.now() });
    expect(await callerTimeZone({ profile: () => profiles.get(client, T1, MAX.id) })).toBe('Europe/Berlin');
    expect(await callerTimeZone({ profile: () => profiles.get(client, T1, OWEN.id) })).toBe('UTC');
    expect(await callerTimeZone({ profile: () => profiles.get(client, T1, 'U0NOBODY001') })).toBe('UTC');
  });
});
