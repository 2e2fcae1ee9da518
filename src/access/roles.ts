/** Hogbot roles: who someone is here (read fresh from Slack), and granting or revoking a role as a plan. */
import { z } from 'zod';
import { accessMessage, roleText } from '../../views/access.js';
import { outcomeMessage } from '../../views/audit.js';
import type { Message } from '../../views/blocks.js';
import { noticeMessage } from '../../views/flags.js';
import { describeRole, guestGrantRefusal, type RoleInfo } from '../access.js';
import { CommandError } from '../errors.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { slackProfiles } from '../slack/profile.js';
import { slackErrorCode } from '../slack-error.js';

/**
 * A Slack user as `/ph` receives one: `<@U123|ana>` (the manifest sets should_escape), `<@U123>`, or a bare id.
 */
export const slackUser = z.string().transform((value, issue) => {
  const match = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value) ?? /^@?([UW][A-Z0-9]{4,})$/.exec(value);
  if (!match) {
    issue.addIssue({ code: 'custom', message: 'is a Slack user: mention them, like @ana' });
    return z.NEVER;
  }
  return match[1]!;
});

/**
 * The target's current role; Slack's answer for an unknown user becomes a clear message. Read from Slack now, not from
 * the profile cache: this is where people check their standing after an admin change, and where roles change.
 */
export async function roleOf(ctx: CommandContext, userId: string): Promise<RoleInfo> {
  const profile = slackProfiles.get(ctx.slack, ctx.teamId, userId, { fresh: true });
  // describeRole treats any failed lookup as an unknown user (a guest); here the plain "no such user" reads better.
  const missing = await profile.then(
    () => false,
    (error: unknown) => slackErrorCode(error) === 'user_not_found',
  );
  if (missing) throw new CommandError(`There is no Slack user <@${userId}> here.`);
  return describeRole(profile, userId, { store: ctx.store, teamId: ctx.teamId });
}

const roleFingerprint = (info: RoleInfo) => `${info.role}:${info.source}:${info.grant?.grantedAt.getTime() ?? 0}`;

/** `/ph access`: the caller's role, granted roles, approvals, guests and the audit channel. */
export async function showAccess(ctx: CommandContext): Promise<Message> {
  const [you, grants, policy] = await Promise.all([
    roleOf(ctx, ctx.userId),
    ctx.store.listGrants(ctx.teamId),
    ctx.store.getPolicy(ctx.teamId),
  ]);
  return accessMessage({
    you: { userId: ctx.userId, role: you.role, source: you.source },
    grants,
    approvalsRequired: policy.approvalsRequired,
    auditChannelId: policy.auditChannelId,
    guestsAllowed: policy.guestsAllowed,
  });
}

export const rolePayload = z.object({
  userId: z.string(),
  name: z.string(),
  role: z.enum(['reader', 'writer', 'admin']),
  previous: z.enum(['reader', 'writer', 'admin']),
});
export type RolePayload = z.infer<typeof rolePayload>;

export async function planRole(
  ctx: CommandContext,
  userId: string,
  role: 'reader' | 'writer' | 'admin',
): Promise<PlanDraft<RolePayload> | Message> {
  const info = await roleOf(ctx, userId);
  // Guests never write, even where the workspace lets them read (src/access.ts ignores any grant they hold).
  if (info.guest !== null && role !== 'reader') throw new CommandError(guestGrantRefusal(userId, info.guest));
  if (info.source === 'slack_admin') {
    return noticeMessage(`<@${userId}> is a Slack workspace admin or owner, so always a Hogbot admin. Change that in Slack.`);
  }
  if (info.role === role) return noticeMessage(`<@${userId}> is already a ${role}. Nothing to do.`);
  return {
    title: role === 'reader' ? `Revoke ${info.name}’s ${info.role} role` : `Make ${info.name} a ${role}`,
    target: [
      { label: 'Workspace', value: ctx.teamId },
      { label: 'User', value: `${info.name} (${userId})` },
    ],
    changes: [{ what: 'Hogbot role', before: info.role, after: role }],
    ...(role === 'admin'
      ? { warning: 'Admins can change roles, approvals, the audit channel and the workspace’s PostHog connection.' }
      : {}),
    payload: { userId, name: info.name, role, previous: info.role },
    fingerprint: roleFingerprint(info),
    subject: { type: 'role', id: userId, label: info.name, before: { role: info.role }, after: { role } },
  };
}

export const roleCheck = async (ctx: CommandContext, p: RolePayload, fingerprint: string) =>
  roleFingerprint(await roleOf(ctx, p.userId)) === fingerprint ? null : planRole(ctx, p.userId, p.role);

export async function applyRole(ctx: CommandContext, p: RolePayload): Promise<Message> {
  if (p.role === 'reader') await ctx.store.revokeGrant(ctx.teamId, p.userId);
  else await ctx.store.setGrant({ teamId: ctx.teamId, userId: p.userId, role: p.role, grantedBy: ctx.userId, grantedAt: ctx.now() });
  const undo = p.previous === 'reader' ? `access revoke <@${p.userId}>` : `access grant <@${p.userId}> ${p.previous}`;
  return outcomeMessage({ text: roleText({ userId: p.userId, role: p.role }), undo });
}
