import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/fake-slack/index.js';
import { clientFor, slackError } from '../fake-slack/helpers.js';

// Source: https://api.slack.com/methods/conversations.list — `types` (default public_channel), `limit`/`cursor`
// paging with response_metadata.next_cursor, and `team_id` "required if token belongs to org-wide app". A token only
// ever sees its own workspace's (or, org-wide, the named granted workspace's) channels.
const ACME = 'T0000000001';
const GLOBEX = 'T0000000002';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack({
    team: { id: ACME, name: 'Acme', domain: 'acme' },
    channels: [
      { id: 'C0ACMEGRW01', name: 'growth', teamId: ACME },
      { id: 'C0ACMEPRV01', name: 'secret', teamId: ACME, isPrivate: true },
      { id: 'C0GLOBEX001', name: 'analytics', teamId: GLOBEX },
    ],
    tokens: [
      { token: 'xoxb-acme', teamId: ACME },
      { token: 'xoxb-org', teamId: ACME, teams: [GLOBEX] },
    ],
  });
});
afterEach(async () => {
  await fake.close();
});

describe('conversations.list is scoped to the token’s workspace', () => {
  it('lists only the workspace’s public channels by default, private ones when asked', async () => {
    const acme = clientFor(fake, 'xoxb-acme');
    expect((await acme.conversations.list()).channels?.map((c) => c.name)).toEqual(['growth']);
    const both = await acme.conversations.list({ types: 'public_channel,private_channel' });
    expect(both.channels?.map((c) => c.name)).toEqual(['growth', 'secret']);
    // A workspace token cannot reach another workspace by naming it.
    expect((await acme.conversations.list({ team_id: GLOBEX })).channels?.map((c) => c.name)).toEqual(['growth']);
  });

  it('an org-wide token must name a granted workspace and then sees only that one', async () => {
    const org = clientFor(fake, 'xoxb-org');
    expect(await slackError(org.conversations.list())).toBe('missing_argument');
    expect((await org.conversations.list({ team_id: GLOBEX })).channels?.map((c) => c.name)).toEqual(['analytics']);
    expect((await org.conversations.list({ team_id: ACME })).channels?.map((c) => c.name)).toEqual(['growth']);
    expect(await slackError(org.conversations.list({ team_id: 'T0000000009' }))).toBe('team_access_not_granted');
  });

  it('pages with limit and cursor', async () => {
    const acme = clientFor(fake, 'xoxb-acme');
    const first = await acme.conversations.list({ types: 'public_channel,private_channel', limit: 1 });
    expect(first.channels?.map((c) => c.name)).toEqual(['growth']);
    const cursor = first.response_metadata?.next_cursor;
    expect(cursor).toBeTruthy();
    const second = await acme.conversations.list({ types: 'public_channel,private_channel', limit: 1, cursor: cursor! });
    expect(second.channels?.map((c) => c.name)).toEqual(['secret']);
    expect(second.response_metadata?.next_cursor).toBe('');
  });
});
