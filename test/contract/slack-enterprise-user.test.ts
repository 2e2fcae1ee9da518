/**
 * Slack behaviour Hogbot relies on for Enterprise Grid connection assignment (src/tenancy.ts isOrgAdmin), as the fake
 * Slack emulates it.
 *
 * Source: Slack's users.info response for an Enterprise Grid member carries `enterprise_user` with `enterprise_id`,
 * `enterprise_name`, `is_admin`, `is_owner`, `is_primary_owner` and `teams` (node-slack-sdk
 * packages/web-api/src/types/response/UsersInfoResponse.ts, interface EnterpriseUser; https://api.slack.com/types/user).
 * A user outside a Grid has no `enterprise_user`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../src/fake-slack/index.js';
import { isOrgAdmin } from '../../src/tenancy.js';
import { clientFor } from '../fake-slack/helpers.js';

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack({
    // The bot token is T_A's: users.info answers only for the token's workspace.
    team: { id: 'T_A', name: 'A', domain: 'a' },
    users: [
      { id: 'U_ORG', teamId: 'T_A', enterprise: { id: 'E_GRID', name: 'Acme Group', isAdmin: true } },
      { id: 'U_MEMBER', teamId: 'T_A', isAdmin: true, enterprise: { id: 'E_GRID' } },
      { id: 'U_PLAIN', teamId: 'T_A', isOwner: true },
    ],
  });
});
afterEach(async () => {
  await fake.close();
});

describe('Slack users.info: enterprise_user (UsersInfoResponse.ts EnterpriseUser)', () => {
  it('carries the Grid roles for a Grid member, and nothing for a user outside a Grid', async () => {
    const client = clientFor(fake);
    const org = (await client.users.info({ user: 'U_ORG' })).user;
    expect(org?.enterprise_user).toEqual({
      id: 'U_ORG',
      enterprise_id: 'E_GRID',
      enterprise_name: 'Acme Group',
      is_admin: true,
      is_owner: false,
      is_primary_owner: false,
      teams: ['T_A'],
    });
    expect((await client.users.info({ user: 'U_MEMBER' })).user?.enterprise_user).toMatchObject({
      enterprise_id: 'E_GRID',
      is_admin: false,
      is_owner: false,
    });
    expect((await client.users.info({ user: 'U_PLAIN' })).user?.enterprise_user).toBeUndefined();
  });

  it('Hogbot reads an org admin from it, for that enterprise only; a workspace owner is not an org admin', async () => {
    const client = clientFor(fake);
    expect(await isOrgAdmin(client, 'U_ORG', 'E_GRID')).toBe(true);
    expect(await isOrgAdmin(client, 'U_ORG', 'E_OTHER')).toBe(false);
    expect(await isOrgAdmin(client, 'U_MEMBER', 'E_GRID')).toBe(false);
    expect(await isOrgAdmin(client, 'U_PLAIN', 'E_GRID')).toBe(false);
  });
});
