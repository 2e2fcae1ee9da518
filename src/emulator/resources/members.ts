/**
 * An organization's members and roles, as PostHog lists them:
 * - posthog/api/organization_member.py `OrganizationMemberViewSet` (list, default limit/offset pagination) with
 *   `OrganizationMemberSerializer`: `{id, user: UserBasicSerializer, membership_id, user_id, user_first_name, user_email,
 *   level, joined_at, updated_at}` (the flat `user_*` fields are deprecated in favour of `user`).
 * - ee/api/rbac/role.py `RoleViewSet` (ModelViewSet, paginated) with `RoleSerializer`:
 *   `{id (uuid), name, created_at, created_by, members, is_default}`.
 * The account's own user is always a member (level 15, owner); colleagues and roles are added through the control API
 * (`/_emulator/accounts/:id/members`, `/_emulator/accounts/:id/roles`), so approvers named by id can be resolved.
 */
import { randomUUID } from 'node:crypto';
import { userBasic } from '../factories.js';
import { json } from '../http.js';
import type { Account, UserRecord } from '../model.js';
import type { ApiContext, ApiRoutes } from './context.js';
import { paginate } from './pagination.js';

export interface EmulatedRole {
  id: string;
  name: string;
  created_at: string;
}

interface Directory {
  colleagues: Array<UserRecord & { level: number; membershipId: string }>;
  roles: EmulatedRole[];
}

// Keyed by the account object: a reset rebuilds accounts, so added members and roles go with the seed.
const directories = new WeakMap<Account, Directory>();

function directoryOf(account: Account): Directory {
  let dir = directories.get(account);
  if (!dir) {
    dir = { colleagues: [], roles: [] };
    directories.set(account, dir);
  }
  return dir;
}

export function addMember(account: Account, user: Omit<UserRecord, 'uuid' | 'distinct_id' | 'date_joined'> & { level?: number }): void {
  const dir = directoryOf(account);
  dir.colleagues = dir.colleagues.filter((c) => c.id !== user.id);
  dir.colleagues.push({
    ...user,
    uuid: randomUUID(),
    distinct_id: randomUUID(),
    date_joined: account.user.date_joined,
    level: user.level ?? 1,
    membershipId: randomUUID(),
  });
}

export function addRole(account: Account, role: { id?: string; name: string }): EmulatedRole {
  const dir = directoryOf(account);
  const created = { id: role.id ?? randomUUID(), name: role.name, created_at: account.user.date_joined };
  dir.roles = [...dir.roles.filter((r) => r.id !== created.id), created];
  return created;
}

export function registerMembers(routes: ApiRoutes): void {
  routes
    .add('GET', '/api/organizations/:orgId/members', (ctx) => {
      const account = organizationOf(ctx);
      if (!account) return json(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
      const owner = { ...account.user, level: 15, membershipId: `${account.organization.id}-owner` };
      return json(200, paginate(ctx, [owner, ...directoryOf(account).colleagues], presentMember));
    })
    .add('GET', '/api/organizations/:orgId/roles', (ctx) => {
      const account = organizationOf(ctx);
      if (!account) return json(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
      return json(
        200,
        paginate(ctx, directoryOf(account).roles, (r) => ({ ...r, created_by: userBasic(account.user), members: [], is_default: false })),
      );
    });
}

function organizationOf(ctx: ApiContext): Account | null {
  const raw = ctx.params.orgId;
  return raw === '@current' || raw === ctx.account.organization.id ? ctx.account : null;
}

function presentMember(m: UserRecord & { level: number; membershipId: string }): Record<string, unknown> {
  return {
    id: m.membershipId,
    user: userBasic(m),
    membership_id: m.membershipId,
    user_id: m.id,
    user_first_name: m.first_name,
    user_email: m.email,
    level: m.level,
    joined_at: m.date_joined,
    updated_at: m.date_joined,
  };
}
