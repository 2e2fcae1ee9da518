import type { SlackProfile } from './slack/profile.js';
import type { Role, RoleGrant, Store } from './store/store.js';

export const ROLE_RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[required];
}

/**
 * Why someone has their role: Slack says they run the workspace, Hogbot granted it, nothing did, they are a Slack
 * guest, or Slack could not tell us who they are (treated as a guest).
 */
export type RoleSource = 'slack_admin' | 'grant' | 'default' | 'guest' | 'unknown';

/** A guest as Slack marks one (`is_restricted` / `is_ultra_restricted`), or someone users.info could not resolve. */
export type GuestKind = 'guest' | 'unknown';

export interface RoleInfo {
  role: Role;
  source: RoleSource;
  grant: RoleGrant | null;
  /** Their Slack name (real name, else handle), for plans that must not rely on mentions rendering. */
  name: string;
  /** Non-null for Slack guests and unresolvable users: they read PostHog only where the workspace allows guests. */
  guest: GuestKind | null;
}

/** Where stored grants live; without it only Slack's own admin flags count. */
export interface GrantSource {
  store: Pick<Store, 'getGrant'>;
  teamId: string;
}

/**
 * The one rule for roles: Slack guests, and anyone Slack can't resolve (deleted, another org, a failed users.info),
 * only ever read, whatever a grant says; Slack workspace owners and admins are Hogbot admins (always: a grant can't
 * lower them); anyone else has the role granted in Hogbot, or reads. The profile may be a few minutes old
 * (src/slack/profile.ts); the grant is read now, so a grant or revoke counts from the next request.
 */
export async function describeRole(profile: Promise<SlackProfile>, userId: string, grants?: GrantSource): Promise<RoleInfo> {
  const [user, grant] = await Promise.all([
    // Failing closed: a lookup that fails must not leave a stranger with a member's standing.
    profile.catch(() => null),
    grants ? grants.store.getGrant(grants.teamId, userId) : null,
  ]);
  if (user === null) return { role: 'reader', source: 'unknown', grant, name: userId, guest: 'unknown' };
  if (user.isGuest) return { role: 'reader', source: 'guest', grant, name: user.name, guest: 'guest' };
  if (user.isOwner || user.isAdmin) return { role: 'admin', source: 'slack_admin', grant, name: user.name, guest: null };
  if (grant) return { role: grant.role, source: 'grant', grant, name: user.name, guest: null };
  return { role: 'reader', source: 'default', grant: null, name: user.name, guest: null };
}

export const ROLE_LABEL: Record<Role, string> = { admin: 'admin', writer: 'writer', reader: 'reader' };

/**
 * Commands that show nothing read from PostHog (your own Hogbot standing): a guest may always run them. Every other
 * command reads PostHog, or data derived from it (audit titles, digest names), so it is refused to guests unless the
 * workspace allows them. New commands are therefore closed to guests until listed here.
 */
const GUEST_SAFE_COMMANDS: ReadonlySet<string> = new Set(['access']);

export function guestMayAlwaysRun(commandName: string): boolean {
  return GUEST_SAFE_COMMANDS.has(commandName);
}

/**
 * Why a guest is refused PostHog data here, as one sentence; null when they are no guest or the workspace lets guests
 * read. `what` names the thing refused ("`/ph person`", "this form").
 */
export function guestRefusal(info: Pick<RoleInfo, 'guest'>, guestsAllowed: boolean, what: string): string | null {
  if (info.guest === null || guestsAllowed) return null;
  return info.guest === 'guest'
    ? `${what} shows PostHog data, and Slack guests can’t see it in this workspace unless an admin turns it on with \`/ph access guests on\`.`
    : `${what} shows PostHog data, and Slack could not confirm your account here, so you are treated as a guest: try again in a minute, or ask a workspace admin.`;
}

/** A guest can never be writer or admin, even with guests allowed: the sentence a grant to one gets. */
export function guestGrantRefusal(userId: string, kind: GuestKind): string {
  return kind === 'guest'
    ? `<@${userId}> is a Slack guest, and guests can never hold the writer or admin role in Hogbot.`
    : `Slack could not confirm <@${userId}>’s account, so they are treated as a guest, and guests can never hold the writer or admin role in Hogbot.`;
}

/** The caller's standing and the workspace's guest policy, read together for a gate. */
export async function callerStanding(ctx: {
  profile(): Promise<SlackProfile>;
  userId: string;
  teamId: string;
  store: Pick<Store, 'getGrant' | 'getPolicy'>;
}): Promise<{ info: RoleInfo; guestsAllowed: boolean }> {
  const [info, policy] = await Promise.all([
    describeRole(ctx.profile(), ctx.userId, { store: ctx.store, teamId: ctx.teamId }),
    ctx.store.getPolicy(ctx.teamId),
  ]);
  return { info, guestsAllowed: policy.guestsAllowed };
}
