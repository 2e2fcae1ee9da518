import type { WebClient } from '@slack/web-api';
import type { Role, RoleGrant, Store } from './store/store.js';

export const ROLE_RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[required];
}

/** Why someone has their role: Slack says they run the workspace, Hogbot granted it, or nothing did. */
export type RoleSource = 'slack_admin' | 'grant' | 'default';

export interface RoleInfo {
  role: Role;
  source: RoleSource;
  grant: RoleGrant | null;
  /** Their Slack name (real name, else handle), for plans that must not rely on mentions rendering. */
  name: string;
  /** The user's Slack time zone (users.info `tz`), handy to callers that already paid for the lookup. */
  tz: string | null;
}

/** Where stored grants live; without it only Slack's own admin flags count. */
export interface GrantSource {
  store: Pick<Store, 'getGrant'>;
  teamId: string;
}

/**
 * The one rule for roles: Slack workspace owners and admins are Hogbot admins (always: a grant can't lower them); anyone
 * else has the role granted in Hogbot, or reads.
 */
export async function describeRole(slack: WebClient, userId: string, grants?: GrantSource): Promise<RoleInfo> {
  const [info, grant] = await Promise.all([slack.users.info({ user: userId }), grants ? grants.store.getGrant(grants.teamId, userId) : null]);
  const user = info.user;
  const who = { tz: user?.tz ?? null, name: user?.real_name || user?.name || userId };
  if (user && (user.is_owner || user.is_primary_owner || user.is_admin)) return { role: 'admin', source: 'slack_admin', grant, ...who };
  if (grant) return { role: grant.role, source: 'grant', grant, ...who };
  return { role: 'reader', source: 'default', grant: null, ...who };
}

export async function resolveRole(slack: WebClient, userId: string, grants?: GrantSource): Promise<Role> {
  return (await describeRole(slack, userId, grants)).role;
}

export const ROLE_LABEL: Record<Role, string> = { admin: 'admin', writer: 'writer', reader: 'reader' };
