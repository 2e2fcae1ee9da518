import { randomUUID } from 'node:crypto';
import { addMinutes } from 'date-fns';
import type { Message } from '../views/blocks.js';
import { problemMessage } from '../views/feedback.js';
import { planEndedMessage, planMessage } from '../views/plan.js';
import { hasRole } from './access.js';
import type { CommandContext, PlanDraft, WriteCommand } from './registry/command.js';

export const PLAN_TTL_MINUTES = 15;

/** Stores the plan and renders it with Confirm / Cancel. Nothing upstream changes here. */
export async function proposePlan<P>(ctx: CommandContext, command: Pick<WriteCommand, 'name'>, draft: PlanDraft<P>): Promise<Message> {
  const id = randomUUID();
  const createdAt = ctx.now();
  await ctx.store.createPlan({
    id,
    teamId: ctx.teamId,
    userId: ctx.userId,
    channelId: ctx.channelId,
    command: command.name,
    payload: { title: draft.title, data: draft.payload },
    createdAt,
    expiresAt: addMinutes(createdAt, PLAN_TTL_MINUTES),
  });
  return planMessage({
    planId: id,
    title: draft.title,
    initiatorId: ctx.userId,
    target: draft.target,
    changes: draft.changes,
    ...(draft.warning ? { warning: draft.warning } : {}),
    expiresInMinutes: PLAN_TTL_MINUTES,
  });
}

/** What to do with the message that carried the buttons. */
export interface ClickOutcome {
  message: Message;
  /** true: replace the plan message; false: answer the clicker alone and leave the plan as it is. */
  replace: boolean;
}

interface StoredPayload {
  title: string;
  data: unknown;
}

/**
 * Confirm: only the initiator or an admin, only while pending and unexpired, exactly once (the store's atomic claim decides
 * between double clicks, retries and replicas), with the command's role checked again at click time.
 */
export async function confirmPlan(ctx: CommandContext, planId: string, run: (ctx: CommandContext, command: WriteCommand, payload: unknown) => Promise<Message>): Promise<ClickOutcome> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan || plan.teamId !== ctx.teamId) return { message: problemMessage('This confirmation no longer exists. Run the command again.'), replace: false };
  const stored = plan.payload as StoredPayload;
  const command = ctx.registry.get(plan.command);
  if (plan.status === 'pending' && plan.expiresAt <= ctx.now()) {
    await ctx.store.claimPlan(planId, ctx.userId, ctx.now());
    return { message: planEndedMessage({ title: stored.title, ending: 'expired' }), replace: true };
  }
  if (plan.status !== 'pending') return { message: endedFor(plan.status, stored.title), replace: plan.status === 'expired' || plan.status === 'cancelled' };
  if (!command || !command.mutates) return { message: problemMessage('This change is no longer supported. Nothing was changed.'), replace: false };

  const role = await ctx.role();
  if (ctx.userId !== plan.userId && role !== 'admin') {
    return { message: problemMessage(`Only <@${plan.userId}> or a Hogbot admin can confirm this change.`), replace: false };
  }
  if (!hasRole(role, command.role)) {
    return { message: problemMessage(`Confirming this needs the ${command.role} role; you are a ${role}. Nothing was changed.`), replace: false };
  }
  const parsed = command.payload.safeParse(stored.data);
  if (!parsed.success) return { message: problemMessage('This confirmation is damaged. Nothing was changed; run the command again.'), replace: true };

  const claimed = await ctx.store.claimPlan(planId, ctx.userId, ctx.now());
  if (!claimed) {
    const now = await ctx.store.getPlan(planId);
    return { message: endedFor(now?.status ?? 'expired', stored.title), replace: now?.status === 'expired' };
  }
  try {
    const outcome = await run(ctx, command, parsed.data);
    await ctx.store.finishPlan(planId, 'done', { by: ctx.userId, text: outcome.text });
    return { message: outcome, replace: true };
  } catch (error) {
    await ctx.store.finishPlan(planId, 'failed', { by: ctx.userId });
    throw error;
  }
}

export async function cancelPlan(ctx: CommandContext, planId: string): Promise<ClickOutcome> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan || plan.teamId !== ctx.teamId) return { message: problemMessage('This confirmation no longer exists.'), replace: false };
  const stored = plan.payload as StoredPayload;
  if (ctx.userId !== plan.userId && (await ctx.role()) !== 'admin') {
    return { message: problemMessage(`Only <@${plan.userId}> or a Hogbot admin can cancel this change.`), replace: false };
  }
  const cancelled = await ctx.store.cancelPlan(planId, ctx.userId);
  if (!cancelled) {
    const now = await ctx.store.getPlan(planId);
    return { message: endedFor(now?.status ?? 'expired', stored.title), replace: false };
  }
  return { message: planEndedMessage({ title: stored.title, ending: 'cancelled', byUserId: ctx.userId }), replace: true };
}

function endedFor(status: string, title: string): Message {
  switch (status) {
    case 'done':
      return planEndedMessage({ title, ending: 'already_done' });
    case 'executing':
      return planEndedMessage({ title, ending: 'in_progress' });
    case 'cancelled':
      return planEndedMessage({ title, ending: 'cancelled' });
    case 'failed':
      return planEndedMessage({ title, ending: 'failed' });
    default:
      return planEndedMessage({ title, ending: 'expired' });
  }
}

