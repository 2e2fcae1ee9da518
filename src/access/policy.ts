/** The workspace's access policy as writes: approvals on/off and guests allowed or not (plan, Confirm, audit, Undo). */
import { z } from 'zod';
import { approvalsText, guestsText } from '../../views/access.js';
import { outcomeMessage } from '../../views/audit.js';
import type { Message } from '../../views/blocks.js';
import { noticeMessage } from '../../views/flags.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';

// --- approvals ---

export const approvalsPayload = z.object({ on: z.boolean() });

export async function planApprovals(ctx: CommandContext, on: boolean): Promise<PlanDraft<{ on: boolean }> | Message> {
  const policy = await ctx.store.getPolicy(ctx.teamId);
  if (policy.approvalsRequired === on) return noticeMessage(`Approvals are already ${on ? 'on' : 'off'}. Nothing to do.`);
  return {
    title: `Turn approvals ${on ? 'on' : 'off'}`,
    target: [{ label: 'Workspace', value: ctx.teamId }],
    changes: [
      {
        what: 'Writers’ changes',
        before: on ? 'apply on Confirm' : 'wait for approval',
        after: on ? 'wait for a second writer or admin to approve' : 'apply on Confirm',
      },
    ],
    warning: on ? 'Admins’ own changes still apply on Confirm.' : 'A second pair of eyes is no longer required.',
    payload: { on },
    fingerprint: String(policy.approvalsRequired),
    subject: {
      type: 'setting',
      id: 'approvals',
      label: 'approvals',
      before: { approvalsRequired: policy.approvalsRequired },
      after: { approvalsRequired: on },
    },
  };
}

export const checkApprovals = async (ctx: CommandContext, p: { on: boolean }, fingerprint: string) =>
  String((await ctx.store.getPolicy(ctx.teamId)).approvalsRequired) === fingerprint ? null : planApprovals(ctx, p.on);

export async function applyApprovals(ctx: CommandContext, p: { on: boolean }): Promise<Message> {
  await ctx.store.setApprovalsRequired(ctx.teamId, p.on, ctx.userId, ctx.now());
  return outcomeMessage({ text: approvalsText(p.on), undo: `access approvals ${p.on ? 'off' : 'on'}` });
}

// --- guests ---

export const guestsPayload = z.object({ on: z.boolean() });

export async function planGuests(ctx: CommandContext, on: boolean): Promise<PlanDraft<{ on: boolean }> | Message> {
  const policy = await ctx.store.getPolicy(ctx.teamId);
  if (policy.guestsAllowed === on)
    return noticeMessage(`Slack guests are already ${on ? 'allowed to read PostHog data' : 'kept from PostHog data'}. Nothing to do.`);
  return {
    title: on ? 'Let Slack guests read PostHog data' : 'Keep Slack guests from PostHog data',
    target: [{ label: 'Workspace', value: ctx.teamId }],
    changes: [
      {
        what: 'Slack guests',
        before: on ? 'see no PostHog data' : 'may read PostHog data',
        after: on ? 'may read PostHog data (people, recordings, queries, link previews)' : 'see no PostHog data',
      },
    ],
    ...(on ? { warning: 'Guests will see people’s names, emails and recordings. They still can’t hold the writer or admin role.' } : {}),
    payload: { on },
    fingerprint: String(policy.guestsAllowed),
    subject: {
      type: 'setting',
      id: 'guests',
      label: 'guest access',
      before: { guestsAllowed: policy.guestsAllowed },
      after: { guestsAllowed: on },
    },
  };
}

export const checkGuests = async (ctx: CommandContext, p: { on: boolean }, fingerprint: string) =>
  String((await ctx.store.getPolicy(ctx.teamId)).guestsAllowed) === fingerprint ? null : planGuests(ctx, p.on);

export async function applyGuests(ctx: CommandContext, p: { on: boolean }): Promise<Message> {
  await ctx.store.setGuestsAllowed(ctx.teamId, p.on, ctx.userId, ctx.now());
  return outcomeMessage({ text: guestsText(p.on), undo: `access guests ${p.on ? 'off' : 'on'}` });
}
