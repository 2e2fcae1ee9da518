import { addMinutes } from 'date-fns';
import { fitMessage } from '../../views/blocks.js';
import { problemMessage } from '../../views/feedback.js';
import {
  type ApprovalModel,
  approvalDecidedMessage,
  approvalParentMessage,
  approvalRequestMessage,
  awaitingApprovalMessage,
  planEndedMessage,
} from '../../views/plan.js';
import { hasRole } from '../access.js';
import { loadPlan, loadWrite } from './load.js';
import { type ClickOutcome, ended, lostRace, type StoredPlan } from './record.js';
import { applyCommand, execute, type Replan, recheck, type RunWrite, supersede } from './run.js';
import type { CommandContext, WriteCommand } from '../registry/command.js';
import { slackError } from '../slack-error.js';
import type { ApprovalRecord, PlanRecord } from '../store/store.js';

/** How long a plan may wait for a second person once its initiator confirmed it. */
export const APPROVAL_TTL_MINUTES = 240;

/**
 * A writer's Confirm where the workspace requires approvals: checks, then moves the plan to awaiting approval and posts the
 * request: the plan in the channel, Approve/Reject in its thread. `replan` answers a stale plan with a fresh one.
 */
export async function requestApproval(
  ctx: CommandContext,
  plan: PlanRecord,
  stored: StoredPlan,
  command: WriteCommand,
  payload: unknown,
  replan: Replan,
): Promise<ClickOutcome> {
  const fresh = await recheck(ctx, stored, command, payload);
  if (fresh) {
    if (!(await ctx.store.claimPlan(plan.id, ctx.userId, ctx.now()))) return lostRace(ctx, plan.id, stored.title);
    return supersede(ctx, plan, stored.title, fresh, replan);
  }
  const now = ctx.now();
  if (!(await ctx.store.requestApproval(plan.id, ctx.userId, now, addMinutes(now, APPROVAL_TTL_MINUTES))))
    return lostRace(ctx, plan.id, stored.title);
  const channel = plan.channelId ?? ctx.channelId;
  const model = approvalModel(plan, stored);
  try {
    if (!channel) throw new Error('no channel to post in');
    const parent = await ctx.slack.chat.postMessage({ channel, ...fitMessage(approvalParentMessage(model)) });
    if (!parent.ts) throw new Error('Slack returned no message ts');
    const request = approvalRequestMessage({
      planId: plan.id,
      title: stored.title,
      initiatorId: plan.userId,
      expiresInMinutes: APPROVAL_TTL_MINUTES,
    });
    const thread = await ctx.slack.chat.postMessage({ channel, thread_ts: parent.ts, ...fitMessage(request) });
    await ctx.store.setApprovalMessage(plan.id, { channelId: channel, messageTs: parent.ts, threadTs: thread.ts ?? null });
  } catch (error) {
    await ctx.store.rejectPlan(plan.id, ctx.userId, ctx.now());
    const where = channel ? `<#${channel}>` : 'this conversation';
    return {
      message: problemMessage(
        `Could not post the approval request in ${where} (${slackError(error)}). Nothing was changed. Invite Hogbot there, or ask an admin to make the change.`,
      ),
      replace: true,
    };
  }
  return { message: awaitingApprovalMessage({ title: stored.title, channelId: channel }), replace: true };
}

/** Approve, from the approval thread: a writer or admin other than the initiator; exactly one approval applies the plan. */
export async function approvePlan(clicker: CommandContext, planId: string, run: RunWrite = applyCommand): Promise<ClickOutcome> {
  const loaded = await loadPlan(clicker, planId, { noun: 'approval request', status: 'awaiting_approval' });
  if (!loaded.ok) return loaded.outcome;
  const { plan } = loaded.value;
  if (plan.userId === clicker.userId) {
    return {
      message: problemMessage('You asked for this change, so someone else must approve it: any other writer or admin.'),
      replace: false,
    };
  }
  const write = await loadWrite(clicker, loaded.value, {
    gate: async (command) => {
      const role = await clicker.role();
      const needed = hasRole(command.role, 'writer') ? command.role : 'writer';
      if (hasRole(role, needed)) return null;
      return {
        message: problemMessage(`Approving this needs the ${needed} role; you are a ${role}. Nothing was changed.`),
        replace: false,
      };
    },
    damaged: { message: problemMessage('This request is damaged. Nothing was changed.'), replace: false },
  });
  if (!write.ok) return write.outcome;
  const { ctx, stored, command, payload } = write.value;

  if (!(await ctx.store.approvePlan(planId, ctx.userId, ctx.now()))) {
    const now = await ctx.store.getPlan(planId);
    return { message: ended(now ?? plan, stored.title), replace: now?.status === 'expired' };
  }
  const approval = await ctx.store.getApproval(planId);
  const settle = (decision: 'approved' | 'failed' | 'superseded' | 'held') =>
    updateApprovalPost(ctx, approval, { ...approvalModel(plan, stored), decision, byUserId: ctx.userId });
  let outcome: ClickOutcome & { applied: boolean };
  try {
    outcome = await execute(ctx, { plan, stored, command, payload, run, approvedBy: ctx.userId, replan: null });
  } catch (error) {
    await settle('failed');
    throw error;
  }
  // PostHog's own approval policy may have held the change (see audit.ts): then it is not "applied" yet.
  const held =
    outcome.applied && ((await ctx.store.getPlan(planId))?.outcome as { pendingInPostHog?: unknown } | null)?.pendingInPostHog != null;
  await settle(held ? 'held' : outcome.applied ? 'approved' : 'superseded');
  return outcome;
}

/** Reject, from the approval thread: any writer or admin, or the initiator withdrawing their own request. */
export async function rejectPlan(ctx: CommandContext, planId: string): Promise<ClickOutcome> {
  const loaded = await loadPlan(ctx, planId, { noun: 'approval request', status: 'awaiting_approval' });
  if (!loaded.ok) return loaded.outcome;
  const { plan, stored } = loaded.value;
  const role = await ctx.role();
  if (ctx.userId !== plan.userId && !hasRole(role, 'writer')) {
    return { message: problemMessage(`Rejecting this needs the writer role; you are a ${role}.`), replace: false };
  }
  if (!(await ctx.store.rejectPlan(planId, ctx.userId, ctx.now()))) {
    const now = await ctx.store.getPlan(planId);
    return { message: ended(now ?? plan, stored.title), replace: false };
  }
  await updateApprovalPost(ctx, await ctx.store.getApproval(planId), {
    ...approvalModel(plan, stored),
    decision: 'rejected',
    byUserId: ctx.userId,
  });
  return { message: planEndedMessage({ title: stored.title, ending: 'rejected', byUserId: ctx.userId }), replace: true };
}

function approvalModel(plan: PlanRecord, stored: StoredPlan): ApprovalModel {
  return {
    planId: plan.id,
    title: stored.title,
    initiatorId: plan.userId,
    target: stored.target ?? [],
    changes: stored.changes ?? [],
    ...(stored.warning ? { warning: stored.warning } : {}),
  };
}

/** The channel copy of the plan shows the decision; the thread answer (the click's reply) carries the details. */
async function updateApprovalPost(
  ctx: CommandContext,
  approval: ApprovalRecord | null,
  model: Parameters<typeof approvalDecidedMessage>[0],
): Promise<void> {
  if (!approval?.channelId || !approval.messageTs) return;
  try {
    await ctx.slack.chat.update({ channel: approval.channelId, ts: approval.messageTs, ...fitMessage(approvalDecidedMessage(model)) });
  } catch (error) {
    // Cosmetic: the decision is already in the thread, where the click was answered.
    ctx.logger.warn(`approval ${approval.planId}: could not update the request message: ${slackError(error)}`);
  }
}
