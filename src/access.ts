import type { WebClient } from '@slack/web-api';
import type { Role } from './store/store.js';

export const ROLE_RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[required];
}

/** Slack workspace owners and admins are Hogbot admins; everyone else reads until granted more. */
export async function resolveRole(slack: WebClient, userId: string): Promise<Role> {
  const info = await slack.users.info({ user: userId });
  const user = info.user;
  if (user && (user.is_owner || user.is_primary_owner || user.is_admin)) return 'admin';
  return 'reader';
}

export const ROLE_LABEL: Record<Role, string> = { admin: 'admin', writer: 'writer', reader: 'reader' };
