import { randomUUID } from 'node:crypto';
import { auditChannelProblem, auditEntryMessage } from '../../views/audit.js';
import { fitMessage, type Message, section } from '../../views/blocks.js';
import type { PlanChange } from '../../views/plan.js';
import { isCommandError } from '../errors.js';
import { isUpstreamError } from '../posthog/errors.js';
import { approvalHeldMessage, isApprovalHold } from '../posthog/approval.js';
import { type ApproverNames, approverNames } from '../posthog/approvers.js';
import { describeUpstreamError } from '../posthog/translate.js';
import type { Applied, CommandContext, WriteSubject } from '../registry/command.js';
import { slackError } from '../slack-error.js';
import type { AuditEntry, PlanRecord } from '../store/store.js';

/** What the audit log reads from a stored plan. */
export interface AuditedPlan {
  title: string;
  changes?: PlanChange[];
  subject?: WriteSubject;
}

/**
 * Applies a claimed plan inside its audit entry: record the entry, apply, end the plan, complete the entry and post it to
 * the audit channel. A crash mid-way leaves the plan `executing` and the entry `executing`: visible, not lost.
 */
export async function applyAudited(
  ctx: CommandContext,
  plan: PlanRecord,
  stored: AuditedPlan,
  approvedBy: string | null,
  apply: () => Promise<Message | Applied>,
): Promise<Message> {
  const entry = auditEntryFor(ctx, plan, stored, approvedBy);
  try {
    await ctx.store.appendAudit(entry);
  } catch (error) {
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, error: 'audit log unavailable' });
    throw error;
  }
  let result: Message | Applied;
  try {
    result = await apply();
  } catch (error) {
    if (isApprovalHold(error)) return heldInPostHog(ctx, plan, entry, error);
    const detail = errorDetail(error);
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, error: detail });
    await ctx.store.completeAudit(entry.id, { outcome: 'failed', detail });
    await announce(ctx, { ...entry, outcome: 'failed', detail });
    throw error;
  }
  const applied: Applied = 'message' in result ? result : { message: result };
  await ctx.store.finishPlan(plan.id, 'done', { by: ctx.userId, text: applied.message.text, auditId: entry.id });
  const revealed = {
    ...(applied.objectId !== undefined ? { objectId: applied.objectId } : {}),
    ...(applied.after !== undefined ? { after: applied.after } : {}),
  };
  await ctx.store.completeAudit(entry.id, { outcome: 'done', detail: null, ...revealed });
  const problem = await announce(ctx, { ...entry, outcome: 'done', ...revealed });
  if (!problem) return applied.message;
  return { ...applied.message, blocks: [...(applied.message.blocks ?? [section(applied.message.text)]), section(problem)] };
}

/**
 * PostHog's approval policy held the write (a change request now waits there): the plan is over, the audit entry says
 * pending in PostHog, and the answer links to the change request, with no Undo (nothing changed).
 */
async function heldInPostHog(
  ctx: CommandContext,
  plan: PlanRecord,
  entry: AuditEntry,
  error: Parameters<typeof approvalHeldMessage>[2],
): Promise<Message> {
  const message = approvalHeldMessage(ctx.config.posthogAppUrl, entry.projectId, error, await namesOfApprovers(ctx, error));
  const detail = `change request ${error.approval?.changeRequestId ?? '(unknown)'} waits for approval in PostHog`;
  await ctx.store.finishPlan(plan.id, 'done', {
    by: ctx.userId,
    text: message.text,
    auditId: entry.id,
    pendingInPostHog: error.approval?.changeRequestId ?? null,
  });
  await ctx.store.completeAudit(entry.id, { outcome: 'pending_posthog', detail });
  const problem = await announce(ctx, { ...entry, outcome: 'pending_posthog', detail });
  return problem ? { ...message, blocks: [...(message.blocks ?? []), section(problem)] } : message;
}

/** The policy's approvers by name where PostHog's organization lists them; ids otherwise (approvers.ts never throws). */
async function namesOfApprovers(ctx: CommandContext, error: Parameters<typeof approvalHeldMessage>[2]): Promise<ApproverNames | undefined> {
  const approvers = error.approval?.approvers;
  if (!approvers || (approvers.users.length === 0 && approvers.roles.length === 0)) return undefined;
  try {
    return await approverNames(await ctx.posthog(), approvers);
  } catch {
    return undefined;
  }
}

function auditEntryFor(ctx: CommandContext, plan: PlanRecord, stored: AuditedPlan, approvedBy: string | null): AuditEntry {
  const subject = stored.subject;
  const byWhat = (pick: (c: PlanChange) => string) => Object.fromEntries((stored.changes ?? []).map((c) => [c.what, pick(c)]));
  return {
    id: randomUUID(),
    teamId: plan.teamId,
    at: ctx.now(),
    userId: plan.userId,
    confirmedBy: approvedBy ? plan.userId : ctx.userId,
    approvedBy,
    command: plan.command,
    title: stored.title,
    connectionId: subject?.connectionId ?? null,
    projectId: subject?.projectId ?? null,
    objectType: subject?.type ?? null,
    objectId: subject?.id ?? null,
    objectLabel: subject?.label ?? null,
    before: subject ? subject.before : byWhat((c) => c.before),
    after: subject ? subject.after : byWhat((c) => c.after),
    outcome: 'executing',
    detail: null,
    planId: plan.id,
  };
}

/** Posts an executed write to the workspace's audit channel; says why not (for the outcome message) when Slack refused. */
async function announce(ctx: CommandContext, entry: AuditEntry): Promise<string | null> {
  const { auditChannelId } = await ctx.store.getPolicy(ctx.teamId);
  if (!auditChannelId) return null;
  try {
    await ctx.slack.chat.postMessage({ channel: auditChannelId, ...fitMessage(auditEntryMessage(entry)) });
    return null;
  } catch (error) {
    ctx.logger.warn(`audit channel ${auditChannelId}: ${slackError(error)}`);
    return auditChannelProblem({ channelId: auditChannelId, error: slackError(error) });
  }
}

/** For the audit log and plan outcome: what the user was told, never a stack or a secret. */
export function errorDetail(error: unknown): string {
  if (isUpstreamError(error)) return describeUpstreamError(error);
  if (isCommandError(error)) return error.message;
  return 'Hogbot failed while applying the change (see the logs).';
}
