import type { SlackProfile } from './slack/profile.js';
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
}

/** Where stored grants live; without it only Slack's own admin flags count. */
export interface GrantSource {
  store: Pick<Store, 'getGrant'>;
  teamId: string;
}

/**
 * The one rule for roles: Slack workspace owners and admins are Hogbot admins (always: a grant can't lower them); anyone
 * else has the role granted in Hogbot, or reads. The profile may be a few minutes old (src/slack/profile.ts); the grant
 * is read now, so a grant or revoke counts from the next request.
 */
export async function describeRole(profile: Promise<SlackProfile>, userId: string, grants?: GrantSource): Promise<RoleInfo> {
  const [user, grant] = await Promise.all([profile, grants ? grants.store.getGrant(grants.teamId, userId) : null]);
  if (user.isOwner || user.isAdmin) return { role: 'admin', source: 'slack_admin', grant, name: user.name };
  if (grant) return { role: grant.role, source: 'grant', grant, name: user.name };
  return { role: 'reader', source: 'default', grant: null, name: user.name };
}

export const ROLE_LABEL: Record<Role, string> = { admin: 'admin', writer: 'writer', reader: 'reader' };
