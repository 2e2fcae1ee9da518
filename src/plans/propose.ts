import { randomUUID } from 'node:crypto';
import { addMinutes } from 'date-fns';
import type { Message } from '../../views/blocks.js';
import { planMessage } from '../../views/plan.js';
import type { CommandContext, PlanDraft, WriteCommand } from '../registry/command.js';
import { whereOf } from './pinned-target.js';
import { toStored } from './record.js';

export const PLAN_TTL_MINUTES = 15;

/**
 * Stores the plan, with the connection and project it was made against, and renders it with Confirm / Cancel. Nothing
 * upstream changes here.
 */
export async function proposePlan<P>(ctx: CommandContext, command: Pick<WriteCommand, 'name'>, draft: PlanDraft<P>): Promise<Message> {
  const id = randomUUID();
  const createdAt = ctx.now();
  await ctx.store.createPlan({
    id,
    teamId: ctx.teamId,
    userId: ctx.userId,
    channelId: ctx.channelId,
    command: command.name,
    payload: toStored(draft, await whereOf(ctx, draft.payload)),
    createdAt,
    expiresAt: addMinutes(createdAt, PLAN_TTL_MINUTES),
  });
  const needsApproval = (await ctx.role()) !== 'admin' && (await ctx.store.getPolicy(ctx.teamId)).approvalsRequired;
  return planMessage({
    planId: id,
    title: draft.title,
    initiatorId: ctx.userId,
    target: draft.target,
    changes: draft.changes,
    ...(draft.warning ? { warning: draft.warning } : {}),
    expiresInMinutes: PLAN_TTL_MINUTES,
    needsApproval,
  });
}
