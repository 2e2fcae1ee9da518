import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/fake-slack/index.js';
import { clientFor, slackError } from '../fake-slack/helpers.js';

// Sources: https://api.slack.com/methods/users.info (`user_not_found`), https://api.slack.com/methods/users.lookupByEmail
// (`users_not_found`), https://api.slack.com/methods/conversations.info (`channel_not_found`). A bot token belongs to one
// workspace and another workspace's users and channels do not exist for it; an org-wide token reaches the workspaces
// the org granted it (https://api.slack.com/enterprise/apps: "org-wide apps ... team_id").
const ACME = 'T0000000001';
const GLOBEX = 'T0000000002';

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack({
    team: { id: ACME, name: 'Acme', domain: 'acme' },
    otherTeams: [{ id: GLOBEX, name: 'Globex', domain: 'globex' }],
    users: [
      { id: 'U0ANA000001', teamId: ACME, name: 'ana', email: 'ana@acme.com' },
      { id: 'U0GUS000001', teamId: GLOBEX, name: 'gus', email: 'gus@globex.com' },
    ],
    channels: [
      { id: 'C0ACMEGRW01', name: 'growth', teamId: ACME },
      { id: 'C0GLOBEX001', name: 'analytics', teamId: GLOBEX },
    ],
    tokens: [
      { token: 'xoxb-acme', teamId: ACME },
      { token: 'xoxb-globex', teamId: GLOBEX },
      { token: 'xoxb-org', teamId: ACME, teams: [GLOBEX] },
      { token: 'xoxb-connect', teamId: ACME, connectedTeams: [GLOBEX] },
    ],
  });
});
afterEach(async () => {
  await fake.close();
});

describe('users and conversations answer only for the token’s workspace', () => {
  it('users.info: another workspace’s user is user_not_found', async () => {
    const acme = clientFor(fake, 'xoxb-acme');
    expect((await acme.users.info({ user: 'U0ANA000001' })).user?.name).toBe('ana');
    expect(await slackError(acme.users.info({ user: 'U0GUS000001' }))).toBe('user_not_found');
    const globex = clientFor(fake, 'xoxb-globex');
    expect((await globex.users.info({ user: 'U0GUS000001' })).user?.team_id).toBe(GLOBEX);
    expect(await slackError(globex.users.info({ user: 'U0ANA000001' }))).toBe('user_not_found');
  });

  it('users.lookupByEmail: another workspace’s address is users_not_found', async () => {
    const acme = clientFor(fake, 'xoxb-acme');
    expect((await acme.users.lookupByEmail({ email: 'ana@acme.com' })).user?.id).toBe('U0ANA000001');
    expect(await slackError(acme.users.lookupByEmail({ email: 'gus@globex.com' }))).toBe('users_not_found');
  });

  it('conversations.info: another workspace’s channel is channel_not_found', async () => {
    const acme = clientFor(fake, 'xoxb-acme');
    expect((await acme.conversations.info({ channel: 'C0ACMEGRW01' })).channel?.name).toBe('growth');
    expect(await slackError(acme.conversations.info({ channel: 'C0GLOBEX001' }))).toBe('channel_not_found');
    // https://api.slack.com/methods/conversations.members: `channel_not_found` "Value passed for channel was invalid".
    expect(await slackError(acme.conversations.members({ channel: 'C0GLOBEX001' }))).toBe('channel_not_found');
    // A DM with another workspace's user is not the token's either.
    expect(await slackError(acme.conversations.info({ channel: 'D0GUS000001' }))).toBe('channel_not_found');
  });

  it('an org-wide token sees the workspaces it was granted', async () => {
    const org = clientFor(fake, 'xoxb-org');
    expect((await org.users.info({ user: 'U0GUS000001' })).user?.name).toBe('gus');
    expect((await org.users.lookupByEmail({ email: 'gus@globex.com' })).user?.id).toBe('U0GUS000001');
    expect((await org.conversations.info({ channel: 'C0GLOBEX001' })).channel?.name).toBe('analytics');
  });

  // https://api.slack.com/apis/channels-between-orgs ("Slack Connect: working with external users"): users.info
  // answers for an external member of a shared channel; the partner's own channels stay invisible.
  it('a Slack Connect partner’s users are visible to users.info only', async () => {
    const connect = clientFor(fake, 'xoxb-connect');
    expect((await connect.users.info({ user: 'U0GUS000001' })).user?.team_id).toBe(GLOBEX);
    expect(await slackError(connect.users.lookupByEmail({ email: 'gus@globex.com' }))).toBe('users_not_found');
    expect(await slackError(connect.conversations.info({ channel: 'C0GLOBEX001' }))).toBe('channel_not_found');
  });

  // https://api.slack.com/methods/team.info: `team` optional ("if omitted, will return information about the current
  // team"); `team_not_found` for a workspace the token does not reach.
  it('team.info answers for the token’s workspace, and an org-wide token’s granted ones', async () => {
    const acme = clientFor(fake, 'xoxb-acme');
    expect((await acme.team.info()).team).toMatchObject({ id: ACME, name: 'Acme', domain: 'acme' });
    expect((await acme.team.info({ team: ACME })).team?.name).toBe('Acme');
    expect(await slackError(acme.team.info({ team: GLOBEX }))).toBe('team_not_found');
    expect(await slackError(clientFor(fake, 'xoxb-connect').team.info({ team: GLOBEX }))).toBe('team_not_found');
    expect((await clientFor(fake, 'xoxb-org').team.info({ team: GLOBEX })).team?.name).toBe('Globex');
  });
});
