import { randomUUID } from 'node:crypto';
import { addMinutes } from 'date-fns';
import { z } from 'zod';
import { auditChannelProblem, auditEntryMessage } from '../views/audit.js';
import { fitMessage, type Message, section } from '../views/blocks.js';
import { problemMessage } from '../views/feedback.js';
import {
  type ApprovalModel,
  approvalDecidedMessage,
  approvalParentMessage,
  approvalRequestMessage,
  awaitingApprovalMessage,
  type PlanChange,
  type PlanEnding,
  planEndedMessage,
  planMessage,
  planSupersededMessage,
} from '../views/plan.js';
import { hasRole } from './access.js';
import { isCommandError } from './errors.js';
import type { PostHogClient } from './posthog/client.js';
import { isUpstreamError } from './posthog/errors.js';
import { path } from './posthog/path.js';
import { projectSchema } from './posthog/schemas.js';
import { describeUpstreamError } from './posthog/translate.js';
import { type Applied, type CommandContext, isPlanDraft, type PlanDraft, type WriteCommand, type WriteSubject } from './registry/command.js';
import type { AuditEntry, PlanRecord, PlanStatus } from './store/store.js';

export const PLAN_TTL_MINUTES = 15;
/** How long a plan may wait for a second person once its initiator confirmed it. */
export const APPROVAL_TTL_MINUTES = 240;

/** What a stored plan keeps beside the command's payload: enough to check, re-render and audit it later. */
interface StoredPlan {
  title: string;
  data: unknown;
  target?: Array<{ label: string; value: string }>;
  changes?: PlanChange[];
  warning?: string;
  fingerprint?: string;
  subject?: WriteSubject;
}

function readStored(payload: unknown): StoredPlan {
  const stored = (payload ?? {}) as Partial<StoredPlan>;
  return { ...stored, title: typeof stored.title === 'string' ? stored.title : 'Change', data: stored.data };
}

/** What to do with the message that carried the buttons. */
export interface ClickOutcome {
  message: Message;
  /** true: replace the plan message; false: answer the clicker alone and leave the plan as it is. */
  replace: boolean;
}

export type RunWrite = (ctx: CommandContext, command: WriteCommand, payload: unknown) => Promise<Message | Applied>;

const applyCommand: RunWrite = (ctx, command, payload) => command.apply(ctx, payload);

/** Stores the plan and renders it with Confirm / Cancel. Nothing upstream changes here. */
export async function proposePlan<P>(ctx: CommandContext, command: Pick<WriteCommand, 'name'>, draft: PlanDraft<P>): Promise<Message> {
  const id = randomUUID();
  const createdAt = ctx.now();
  const stored: StoredPlan = {
    title: draft.title,
    data: draft.payload,
    target: draft.target,
    changes: draft.changes,
    ...(draft.warning ? { warning: draft.warning } : {}),
    ...(draft.fingerprint !== undefined ? { fingerprint: draft.fingerprint } : {}),
    ...(draft.subject ? { subject: draft.subject } : {}),
  };
  await ctx.store.createPlan({
    id,
    teamId: ctx.teamId,
    userId: ctx.userId,
    channelId: ctx.channelId,
    command: command.name,
    payload: stored,
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

  if (ctx.userId === plan.userId && role !== 'admin' && (await ctx.store.getPolicy(ctx.teamId)).approvalsRequired) {
    return requestApproval(ctx, plan, stored, command, parsed.data);
  }
  if (!(await ctx.store.claimPlan(planId, ctx.userId, ctx.now()))) return lostRace(ctx, planId, stored.title);
  return execute(ctx, { plan, stored, command, payload: parsed.data, run, approvedBy: null, onStale: 'replan' });
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

/** Approve, from the approval thread: a writer or admin other than the initiator; exactly one approval applies the plan. */
export async function approvePlan(ctx: CommandContext, planId: string, run: RunWrite = applyCommand): Promise<ClickOutcome> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan || plan.teamId !== ctx.teamId) return { message: problemMessage('This approval request no longer exists.'), replace: false };
  const stored = readStored(plan.payload);
  if (plan.status !== 'awaiting_approval') return { message: ended(plan, stored.title), replace: false };
  if (plan.userId === ctx.userId) {
    return { message: problemMessage('You asked for this change, so someone else must approve it: any other writer or admin.'), replace: false };
  }
  const command = ctx.registry.get(plan.command);
  if (!command || !command.mutates) return { message: problemMessage('This change is no longer supported. Nothing was changed.'), replace: false };
  const role = await ctx.role();
  const needed = hasRole(command.role, 'writer') ? command.role : 'writer';
  if (!hasRole(role, needed)) {
    return { message: problemMessage(`Approving this needs the ${needed} role; you are a ${role}. Nothing was changed.`), replace: false };
  }
  const parsed = command.payload.safeParse(stored.data);
  if (!parsed.success) return { message: problemMessage('This request is damaged. Nothing was changed.'), replace: false };

  if (!(await ctx.store.approvePlan(planId, ctx.userId, ctx.now()))) {
    const now = await ctx.store.getPlan(planId);
    return { message: ended(now ?? plan, stored.title), replace: now?.status === 'expired' };
  }
  const approval = await ctx.store.getApproval(planId);
  const settle = (decision: 'approved' | 'failed' | 'superseded') => updateApprovalPost(ctx, approval, { ...approvalModel(plan, stored), decision, byUserId: ctx.userId });
  let outcome: ClickOutcome & { applied: boolean };
  try {
    outcome = await execute(ctx, { plan, stored, command, payload: parsed.data, run, approvedBy: ctx.userId, onStale: 'refuse' });
  } catch (error) {
    await settle('failed');
    throw error;
  }
  await settle(outcome.applied ? 'approved' : 'superseded');
  return outcome;
}

/** Reject, from the approval thread: any writer or admin, or the initiator withdrawing their own request. */
export async function rejectPlan(ctx: CommandContext, planId: string): Promise<ClickOutcome> {
  const plan = await ctx.store.getPlan(planId);
  if (!plan || plan.teamId !== ctx.teamId) return { message: problemMessage('This approval request no longer exists.'), replace: false };
  const stored = readStored(plan.payload);
  if (plan.status !== 'awaiting_approval') return { message: ended(plan, stored.title), replace: false };
  const role = await ctx.role();
  if (ctx.userId !== plan.userId && !hasRole(role, 'writer')) {
    return { message: problemMessage(`Rejecting this needs the writer role; you are a ${role}.`), replace: false };
  }
  if (!(await ctx.store.rejectPlan(planId, ctx.userId, ctx.now()))) {
    const now = await ctx.store.getPlan(planId);
    return { message: ended(now ?? plan, stored.title), replace: false };
  }
  await updateApprovalPost(ctx, await ctx.store.getApproval(planId), { ...approvalModel(plan, stored), decision: 'rejected', byUserId: ctx.userId });
  return { message: planEndedMessage({ title: stored.title, ending: 'rejected', byUserId: ctx.userId }), replace: true };
}

interface Execution {
  plan: PlanRecord;
  stored: StoredPlan;
  command: WriteCommand;
  payload: unknown;
  run: RunWrite;
  approvedBy: string | null;
  /** A stale plan: offer a fresh one (the confirmer's own), or just refuse (an approver can't re-plan for someone else). */
  onStale: 'replan' | 'refuse';
}

/**
 * Runs a claimed plan: re-read the object (refuse if it changed), record the audit entry, apply, complete the entry and
 * post it to the audit channel. A crash mid-way leaves the plan `executing` and the entry `executing`: visible, not lost.
 */
async function execute(ctx: CommandContext, x: Execution): Promise<ClickOutcome & { applied: boolean }> {
  const { plan, stored, command } = x;
  let fresh: PlanDraft<unknown> | Message | null = null;
  try {
    if (command.check && stored.fingerprint !== undefined) fresh = await command.check(ctx, x.payload, stored.fingerprint);
  } catch (error) {
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, error: errorDetail(error) });
    throw error;
  }
  if (fresh) {
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, superseded: true });
    const replan = x.onStale === 'replan' && isPlanDraft(fresh);
    const next: Message = isPlanDraft(fresh)
      ? replan
        ? await proposePlan(ctx, command, fresh)
        : { text: `<@${plan.userId}> can run the command again to see the current state.` }
      : fresh;
    return { message: planSupersededMessage({ title: stored.title, fresh: next, freshPlan: replan }), replace: true, applied: false };
  }

  const entry = auditEntryFor(ctx, plan, stored, x.approvedBy);
  try {
    await ctx.store.appendAudit(entry);
  } catch (error) {
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, error: 'audit log unavailable' });
    throw error;
  }
  let result: Message | Applied;
  try {
    result = await x.run(ctx, command, x.payload);
  } catch (error) {
    const detail = errorDetail(error);
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, error: detail });
    await ctx.store.completeAudit(entry.id, { outcome: 'failed', detail });
    await announce(ctx, { ...entry, outcome: 'failed', detail });
    throw error;
  }
  const applied: Applied = 'message' in result ? result : { message: result };
  await ctx.store.finishPlan(plan.id, 'done', { by: ctx.userId, text: applied.message.text, auditId: entry.id });
  const done: AuditEntry = {
    ...entry,
    outcome: 'done',
    ...(applied.objectId !== undefined ? { objectId: applied.objectId } : {}),
    ...(applied.after !== undefined ? { after: applied.after } : {}),
  };
  await ctx.store.completeAudit(entry.id, {
    outcome: 'done',
    detail: null,
    ...(applied.objectId !== undefined ? { objectId: applied.objectId } : {}),
    ...(applied.after !== undefined ? { after: applied.after } : {}),
  });
  const problem = await announce(ctx, done);
  const message = problem ? { ...applied.message, blocks: [...(applied.message.blocks ?? [section(applied.message.text)]), section(problem)] } : applied.message;
  return { message, replace: true, applied: true };
}

function auditEntryFor(ctx: CommandContext, plan: PlanRecord, stored: StoredPlan, approvedBy: string | null): AuditEntry {
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

/** Checks, then moves the plan to awaiting approval and posts the request: the plan in the channel, Approve/Reject in its thread. */
async function requestApproval(ctx: CommandContext, plan: PlanRecord, stored: StoredPlan, command: WriteCommand, payload: unknown): Promise<ClickOutcome> {
  const fresh = command.check && stored.fingerprint !== undefined ? await command.check(ctx, payload, stored.fingerprint) : null;
  if (fresh) {
    if (!(await ctx.store.claimPlan(plan.id, ctx.userId, ctx.now()))) return lostRace(ctx, plan.id, stored.title);
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, superseded: true });
    const next = isPlanDraft(fresh) ? await proposePlan(ctx, command, fresh) : fresh;
    return { message: planSupersededMessage({ title: stored.title, fresh: next, freshPlan: isPlanDraft(fresh) }), replace: true };
  }
  const now = ctx.now();
  if (!(await ctx.store.requestApproval(plan.id, ctx.userId, now, addMinutes(now, APPROVAL_TTL_MINUTES)))) return lostRace(ctx, plan.id, stored.title);
  const channel = plan.channelId ?? ctx.channelId;
  const model = approvalModel(plan, stored);
  try {
    if (!channel) throw new Error('no channel to post in');
    const parent = await ctx.slack.chat.postMessage({ channel, ...fitMessage(approvalParentMessage(model)) });
    if (!parent.ts) throw new Error('Slack returned no message ts');
    const request = approvalRequestMessage({ planId: plan.id, title: stored.title, initiatorId: plan.userId, expiresInMinutes: APPROVAL_TTL_MINUTES });
    const thread = await ctx.slack.chat.postMessage({ channel, thread_ts: parent.ts, ...fitMessage(request) });
    await ctx.store.setApprovalMessage(plan.id, { channelId: channel, messageTs: parent.ts, threadTs: thread.ts ?? null });
  } catch (error) {
    await ctx.store.rejectPlan(plan.id, ctx.userId, ctx.now());
    const where = channel ? `<#${channel}>` : 'this conversation';
    return {
      message: problemMessage(`Could not post the approval request in ${where} (${slackError(error)}). Nothing was changed. Invite Hogbot there, or ask an admin to make the change.`),
      replace: true,
    };
  }
  return { message: awaitingApprovalMessage({ title: stored.title, channelId: channel }), replace: true };
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
  approval: Awaited<ReturnType<CommandContext['store']['getApproval']>>,
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

async function lostRace(ctx: CommandContext, planId: string, title: string): Promise<ClickOutcome> {
  const now = await ctx.store.getPlan(planId);
  return { message: ended(now ?? { status: 'expired', outcome: null }, title), replace: now?.status === 'expired' };
}

function ended(plan: Pick<PlanRecord, 'status' | 'outcome'>, title: string): Message {
  const superseded = (plan.outcome as { superseded?: boolean } | null)?.superseded === true;
  const endings: Record<PlanStatus, PlanEnding> = {
    pending: 'in_progress',
    awaiting_approval: 'awaiting_approval',
    executing: 'in_progress',
    done: 'already_done',
    failed: superseded ? 'superseded' : 'failed',
    cancelled: 'cancelled',
    expired: 'expired',
  };
  return planEndedMessage({ title, ending: endings[plan.status] });
}

/** For the audit log and plan outcome: what the user was told, never a stack or a secret. */
function errorDetail(error: unknown): string {
  if (isUpstreamError(error)) return describeUpstreamError(error);
  if (isCommandError(error)) return error.message;
  return 'Hogbot failed while applying the change (see the logs).';
}

/** Slack's error code from a Web API failure (`not_in_channel`, `channel_not_found`...). */
function slackError(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : 'unknown error';
}

/**
 * Where a write goes, resolved when it is planned and pinned into its payload: Confirm then changes exactly the connection
 * and project the plan showed, even if the workspace switched in between.
 */
export interface PinnedTarget {
  connectionId: string | null;
  projectId: number;
  projectName: string;
}

export const pinnedTargetShape = { connectionId: z.string().nullable(), projectId: z.number().int(), projectName: z.string() };

export async function pinTarget(ctx: CommandContext): Promise<PinnedTarget> {
  const [workspace, posthog, projectId] = await Promise.all([ctx.workspace(), ctx.posthog(), ctx.projectId()]);
  const project = await posthog.request('GET', path`/api/projects/${projectId}/`, projectSchema);
  return { connectionId: workspace.connectionId, projectId: project.id, projectName: project.name };
}

/** The plan's "where" fields for a pinned target. */
export function targetRows(target: PinnedTarget): Array<{ label: string; value: string }> {
  return [
    { label: 'Connection', value: target.connectionId ?? 'gateway default' },
    { label: 'Project', value: `${target.projectName} (${target.projectId})` },
  ];
}

/** A client for the pinned connection (not whatever the workspace uses now). */
export function pinnedClient(ctx: CommandContext, target: Pick<PinnedTarget, 'connectionId'>): PostHogClient {
  return ctx.gateway.posthog(target.connectionId);
}
