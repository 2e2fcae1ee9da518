import { z } from 'zod';
import { accessMessage, approvalsText, guestsText, roleText } from '../views/access.js';
import { outcomeMessage } from '../views/audit.js';
import type { Message } from '../views/blocks.js';
import { noticeMessage } from '../views/flags.js';
import { describeRole, guestGrantRefusal, type RoleInfo } from '../src/access.js';
import { CommandError } from '../src/errors.js';
import { type CommandContext, defineCommand, type PlanDraft } from '../src/registry/command.js';
import { slackProfiles } from '../src/slack/profile.js';
import { slackErrorCode } from '../src/slack-error.js';

/**
 * A Slack user as `/ph` receives one: `<@U123|ana>` (the manifest sets should_escape), `<@U123>`, or a bare id.
 */
const slackUser = z.string().transform((value, issue) => {
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
async function roleOf(ctx: CommandContext, userId: string): Promise<RoleInfo> {
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

const show = defineCommand({
  name: 'access',
  summary: 'Who may change what here: your role, granted roles, approvals and the audit channel',
  args: z.object({}),
  mutates: false,
  role: 'reader',
  run: async (ctx) => {
    const [you, grants, policy] = await Promise.all([roleOf(ctx, ctx.userId), ctx.store.listGrants(ctx.teamId), ctx.store.getPolicy(ctx.teamId)]);
    return accessMessage({
      you: { userId: ctx.userId, role: you.role, source: you.source },
      grants,
      approvalsRequired: policy.approvalsRequired,
      auditChannelId: policy.auditChannelId,
      guestsAllowed: policy.guestsAllowed,
    });
  },
});

// --- grant / revoke ---

const rolePayload = z.object({ userId: z.string(), name: z.string(), role: z.enum(['reader', 'writer', 'admin']), previous: z.enum(['reader', 'writer', 'admin']) });
type RolePayload = z.infer<typeof rolePayload>;

async function planRole(ctx: CommandContext, userId: string, role: 'reader' | 'writer' | 'admin'): Promise<PlanDraft<RolePayload> | Message> {
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
    ...(role === 'admin' ? { warning: 'Admins can change roles, approvals, the audit channel and the workspace’s PostHog connection.' } : {}),
    payload: { userId, name: info.name, role, previous: info.role },
    fingerprint: roleFingerprint(info),
    subject: { type: 'role', id: userId, label: info.name, before: { role: info.role }, after: { role } },
  };
}

const roleCheck = async (ctx: CommandContext, p: RolePayload, fingerprint: string) =>
  roleFingerprint(await roleOf(ctx, p.userId)) === fingerprint ? null : planRole(ctx, p.userId, p.role);

async function applyRole(ctx: CommandContext, p: RolePayload): Promise<Message> {
  if (p.role === 'reader') await ctx.store.revokeGrant(ctx.teamId, p.userId);
  else await ctx.store.setGrant({ teamId: ctx.teamId, userId: p.userId, role: p.role, grantedBy: ctx.userId, grantedAt: ctx.now() });
  const undo = p.previous === 'reader' ? `access revoke <@${p.userId}>` : `access grant <@${p.userId}> ${p.previous}`;
  return outcomeMessage({ text: roleText({ userId: p.userId, role: p.role }), undo });
}

const grant = defineCommand({
  name: 'access grant',
  summary: 'Give someone the writer or admin role in Hogbot',
  usage: '@user writer|admin',
  examples: ['/ph access grant @max writer'],
  args: z.object({ user: slackUser, role: z.enum(['writer', 'admin'], { message: 'is writer or admin (use `/ph access revoke` to make someone a reader)' }) }),
  positional: ['user', 'role'],
  mutates: true,
  role: 'admin',
  payload: rolePayload,
  plan: (ctx, args) => planRole(ctx, args.user, args.role),
  check: roleCheck,
  apply: applyRole,
});

const revoke = defineCommand({
  name: 'access revoke',
  summary: 'Take someone’s granted role away (they read again)',
  usage: '@user',
  args: z.object({ user: slackUser }),
  positional: ['user'],
  mutates: true,
  role: 'admin',
  payload: rolePayload,
  plan: (ctx, args) => planRole(ctx, args.user, 'reader'),
  check: roleCheck,
  apply: applyRole,
});

// --- approvals ---

const approvalsPayload = z.object({ on: z.boolean() });

async function planApprovals(ctx: CommandContext, on: boolean): Promise<PlanDraft<{ on: boolean }> | Message> {
  const policy = await ctx.store.getPolicy(ctx.teamId);
  if (policy.approvalsRequired === on) return noticeMessage(`Approvals are already ${on ? 'on' : 'off'}. Nothing to do.`);
  return {
    title: `Turn approvals ${on ? 'on' : 'off'}`,
    target: [{ label: 'Workspace', value: ctx.teamId }],
    changes: [{ what: 'Writers’ changes', before: on ? 'apply on Confirm' : 'wait for approval', after: on ? 'wait for a second writer or admin to approve' : 'apply on Confirm' }],
    warning: on ? 'Admins’ own changes still apply on Confirm.' : 'A second pair of eyes is no longer required.',
    payload: { on },
    fingerprint: String(policy.approvalsRequired),
    subject: { type: 'setting', id: 'approvals', label: 'approvals', before: { approvalsRequired: policy.approvalsRequired }, after: { approvalsRequired: on } },
  };
}

const approvals = defineCommand({
  name: 'access approvals',
  summary: 'Require a second writer or admin to approve each writer’s change (on) or not (off)',
  usage: 'on|off',
  args: z.object({ state: z.enum(['on', 'off'], { message: 'is on or off' }) }),
  positional: ['state'],
  mutates: true,
  role: 'admin',
  payload: approvalsPayload,
  plan: (ctx, { state }) => planApprovals(ctx, state === 'on'),
  check: async (ctx, p, fingerprint) => (String((await ctx.store.getPolicy(ctx.teamId)).approvalsRequired) === fingerprint ? null : planApprovals(ctx, p.on)),
  apply: async (ctx, p) => {
    await ctx.store.setApprovalsRequired(ctx.teamId, p.on, ctx.userId, ctx.now());
    return outcomeMessage({ text: approvalsText(p.on), undo: `access approvals ${p.on ? 'off' : 'on'}` });
  },
});

// --- guests ---

const guestsPayload = z.object({ on: z.boolean() });

async function planGuests(ctx: CommandContext, on: boolean): Promise<PlanDraft<{ on: boolean }> | Message> {
  const policy = await ctx.store.getPolicy(ctx.teamId);
  if (policy.guestsAllowed === on) return noticeMessage(`Slack guests are already ${on ? 'allowed to read PostHog data' : 'kept from PostHog data'}. Nothing to do.`);
  return {
    title: on ? 'Let Slack guests read PostHog data' : 'Keep Slack guests from PostHog data',
    target: [{ label: 'Workspace', value: ctx.teamId }],
    changes: [{ what: 'Slack guests', before: on ? 'see no PostHog data' : 'may read PostHog data', after: on ? 'may read PostHog data (people, recordings, queries, link previews)' : 'see no PostHog data' }],
    ...(on ? { warning: 'Guests will see people’s names, emails and recordings. They still can’t hold the writer or admin role.' } : {}),
    payload: { on },
    fingerprint: String(policy.guestsAllowed),
    subject: { type: 'setting', id: 'guests', label: 'guest access', before: { guestsAllowed: policy.guestsAllowed }, after: { guestsAllowed: on } },
  };
}

const guests = defineCommand({
  name: 'access guests',
  summary: 'Let Slack guests read PostHog data here (on) or not (off, the default); guests never write',
  usage: 'on|off',
  args: z.object({ state: z.enum(['on', 'off'], { message: 'is on or off' }) }),
  positional: ['state'],
  mutates: true,
  role: 'admin',
  payload: guestsPayload,
  plan: (ctx, { state }) => planGuests(ctx, state === 'on'),
  check: async (ctx, p, fingerprint) => (String((await ctx.store.getPolicy(ctx.teamId)).guestsAllowed) === fingerprint ? null : planGuests(ctx, p.on)),
  apply: async (ctx, p) => {
    await ctx.store.setGuestsAllowed(ctx.teamId, p.on, ctx.userId, ctx.now());
    return outcomeMessage({ text: guestsText(p.on), undo: `access guests ${p.on ? 'off' : 'on'}` });
  },
});

export default [show, grant, revoke, approvals, guests];
