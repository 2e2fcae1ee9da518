import { randomUUID } from 'node:crypto';
import { addMinutes } from 'date-fns';
import type { Message } from '../../views/blocks.js';
import { planMessage } from '../../views/plan.js';
import { type ArgsSchema, type CommandContext, isPlanDraft, type PlanDraft, type WriteCommand } from '../registry/command.js';
import type { NewPlan, PlanRecord } from '../store/store.js';
import { pinnedContext, whereOf } from './pinned-target.js';
import { lostRace, type StoredPlan, toStored } from './record.js';
import { applyCommand, execute } from './run.js';

export const PLAN_TTL_MINUTES = 15;

/**
 * Stores the plan, with the connection and project it was made against, and renders it with Confirm / Cancel. Nothing
 * upstream changes here.
 */
export async function proposePlan<P>(ctx: CommandContext, command: Pick<WriteCommand, 'name'>, draft: PlanDraft<P>): Promise<Message> {
  const { id } = await storePlan(ctx, command, draft);
  const needsApproval = await approvalNeeded(ctx);
  return planMessage({
    planId: id,
    title: draft.title,
    initiatorId: ctx.userId,
    target: await namedWorkspace(ctx, draft.target),
    changes: draft.changes,
    ...(draft.warning ? { warning: draft.warning } : {}),
    expiresInMinutes: PLAN_TTL_MINUTES,
    needsApproval,
  });
}

/** Every write starts here: a plan shown with Confirm, or (`confirm: 'skip'`, no approval needed) applied at once. */
export async function submitPlan<P>(ctx: CommandContext, command: WriteCommand, draft: PlanDraft<P>): Promise<Message> {
  if (command.confirm !== 'skip' || (await approvalNeeded(ctx))) return proposePlan(ctx, command, draft);
  const { plan, stored } = await storePlan(ctx, command, draft);
  if (!(await ctx.store.claimPlan(plan.id, ctx.userId, ctx.now()))) return (await lostRace(ctx, plan.id, stored.title)).message;
  const pinned = await pinnedContext(ctx, stored.where);
  if (!pinned.ok) return pinned.message;
  return (await execute(pinned.ctx, { plan, stored, command, payload: draft.payload, run: applyCommand, approvedBy: null, replan: null }))
    .message;
}

/** A write from its arguments: the command's plan, then submitPlan (or the plan's own answer when there is nothing to do). */
export async function planWrite<A>(
  ctx: CommandContext,
  command: WriteCommand<ArgsSchema, unknown> & { plan(ctx: CommandContext, args: A): Promise<PlanDraft<unknown> | Message> },
  args: A,
): Promise<Message> {
  const draft = await command.plan(ctx, args);
  return isPlanDraft(draft) ? submitPlan(ctx, command, draft) : draft;
}

/** The caller's workspace by its name (team.info) in the plan's rows; left as the id ("this workspace") if Slack won't say. */
async function namedWorkspace(ctx: CommandContext, target: PlanDraft<unknown>['target']): Promise<PlanDraft<unknown>['target']> {
  if (!target.some((row) => row.value === ctx.teamId)) return target;
  const name = await ctx.workspaceName();
  return name === null ? target : target.map((row) => (row.value === ctx.teamId ? { ...row, value: name } : row));
}

const approvalNeeded = async (ctx: CommandContext) =>
  (await ctx.role()) !== 'admin' && (await ctx.store.getPolicy(ctx.teamId)).approvalsRequired;

async function storePlan<P>(
  ctx: CommandContext,
  command: Pick<WriteCommand, 'name'>,
  draft: PlanDraft<P>,
): Promise<{ id: string; plan: PlanRecord; stored: StoredPlan }> {
  const createdAt = ctx.now();
  const stored = toStored(draft, await whereOf(ctx, draft.payload));
  const plan: NewPlan = {
    id: randomUUID(),
    teamId: ctx.teamId,
    userId: ctx.userId,
    channelId: ctx.channelId,
    command: command.name,
    payload: stored,
    createdAt,
    expiresAt: addMinutes(createdAt, PLAN_TTL_MINUTES),
  };
  await ctx.store.createPlan(plan);
  return { id: plan.id, plan: { ...plan, status: 'pending', decidedBy: null, outcome: null }, stored };
}
