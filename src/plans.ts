import { randomUUID } from 'node:crypto';
import { addMinutes } from 'date-fns';
import type { Message } from '../views/blocks.js';
import { problemMessage } from '../views/feedback.js';
import { planEndedMessage, planMessage } from '../views/plan.js';
import { hasRole } from './access.js';
import { requestApproval } from './approvals.js';
import { type ClickOutcome, ended, lostRace, readStored, toStored } from './plan-record.js';
import { applyCommand, execute, type RunWrite } from './plan-run.js';
import type { CommandContext, PlanDraft, WriteCommand } from './registry/command.js';
import { slackTeamNames } from './slack/team-name.js';

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
    payload: toStored(draft),
    createdAt,
    expiresAt: addMinutes(createdAt, PLAN_TTL_MINUTES),
  });
  const needsApproval = (await ctx.role()) !== 'admin' && (await ctx.store.getPolicy(ctx.teamId)).approvalsRequired;
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

/** The caller's workspace by its name (team.info) in the plan's rows; left as the id ("this workspace") if Slack won't say. */
async function namedWorkspace(ctx: CommandContext, target: PlanDraft<unknown>['target']): Promise<PlanDraft<unknown>['target']> {
  if (!target.some((row) => row.value === ctx.teamId)) return target;
  const name = await slackTeamNames.get(ctx.slack, ctx.teamId);
  return name === null ? target : target.map((row) => (row.value === ctx.teamId ? { ...row, value: name } : row));
}

/**
 * Confirm: only the initiator or an admin, only while pending and unexpired, exactly once (the store's atomic claim decides
 * between double clicks, retries and replicas), with the command's role checked again at click time and the object re-read.
 * When the workspace requires approvals, a writer's Confirm posts an approval request instead of applying.
 */
export async function confirmPlan(ctx: CommandContext, planId: string, run: RunWrite = applyCommand): Promise<ClickOutcome> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan || plan.teamId !== ctx.teamId) return { message: problemMessage('This confirmation no longer exists. Run the command again.'), replace: false };
  const stored = readStored(plan.payload);
  if (plan.status === 'pending' && plan.expiresAt <= ctx.now()) {
    await ctx.store.claimPlan(planId, ctx.userId, ctx.now());
    return { message: planEndedMessage({ title: stored.title, ending: 'expired' }), replace: true };
  }
  if (plan.status !== 'pending') return { message: ended(plan, stored.title), replace: plan.status === 'expired' || plan.status === 'cancelled' };
  const command = ctx.registry.get(plan.command);
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

  // A stale plan is answered with a fresh one of the confirmer's own.
  const replan = (fresh: PlanDraft<unknown>) => proposePlan(ctx, command, fresh);
  if (ctx.userId === plan.userId && role !== 'admin' && (await ctx.store.getPolicy(ctx.teamId)).approvalsRequired) {
    return requestApproval(ctx, plan, stored, command, parsed.data, replan);
  }
  if (!(await ctx.store.claimPlan(planId, ctx.userId, ctx.now()))) return lostRace(ctx, planId, stored.title);
  return execute(ctx, { plan, stored, command, payload: parsed.data, run, approvedBy: null, replan });
}

export async function cancelPlan(ctx: CommandContext, planId: string): Promise<ClickOutcome> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan || plan.teamId !== ctx.teamId) return { message: problemMessage('This confirmation no longer exists.'), replace: false };
  const stored = readStored(plan.payload);
  if (ctx.userId !== plan.userId && (await ctx.role()) !== 'admin') {
    return { message: problemMessage(`Only <@${plan.userId}> or a Hogbot admin can cancel this change.`), replace: false };
  }
  const cancelled = await ctx.store.cancelPlan(planId, ctx.userId);
  if (!cancelled) {
    const now = await ctx.store.getPlan(planId);
    return { message: ended(now ?? { ...plan, status: 'expired' }, stored.title), replace: false };
  }
  return { message: planEndedMessage({ title: stored.title, ending: 'cancelled', byUserId: ctx.userId }), replace: true };
}
