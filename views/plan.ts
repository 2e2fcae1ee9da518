import { actions, button, context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section } from './blocks.js';

export const PLAN_BLOCK_ID = 'hogbot_plan';
export const PLAN_CONFIRM_ACTION = 'hogbot_plan_confirm';
export const PLAN_CANCEL_ACTION = 'hogbot_plan_cancel';
/** Approve / Reject on an approval request (posted in a thread under the plan). */
export const APPROVAL_BLOCK_ID = 'hogbot_approval';
export const PLAN_APPROVE_ACTION = 'hogbot_plan_approve';
export const PLAN_REJECT_ACTION = 'hogbot_plan_reject';

export interface PlanChange {
  what: string;
  before: string;
  after: string;
}

export interface PlanModel {
  planId: string;
  title: string;
  initiatorId: string;
  target: Array<{ label: string; value: string }>;
  changes: PlanChange[];
  warning?: string;
  expiresInMinutes: number;
  /** Shown when the change will wait for a second person after Confirm. */
  needsApproval?: boolean;
}

const changeLines = (changes: PlanChange[]) =>
  changes.map((c) => `• *${escapeMrkdwn(c.what)}*: ${escapeMrkdwn(c.before)} → *${escapeMrkdwn(c.after)}*`).join('\n') ||
  '_No visible change._';

/**
 * A target value as people read it: a bare channel or user id becomes a mention (Slack draws `#growth`, `@max`), a
 * workspace id reads "this workspace", a `#name` the command was given stays as typed, anything else is text.
 */
export function targetValue(value: string): string {
  const v = value.trim();
  if (/^[CG][A-Z0-9]{8,}$/.test(v)) return `<#${v}>`;
  if (/^[UW][A-Z0-9]{8,}$/.test(v)) return `<@${v}>`;
  // Slack has no mention for a workspace; src/plans.ts puts its name (team.info) here, and when Slack won't say, a plan
  // is always about the caller's own workspace, so say that rather than show an id nobody recognises.
  if (/^T[A-Z0-9]{8,}$/.test(v)) return 'this workspace';
  const named = /^(.*?)\s*\(([UW][A-Z0-9]{8,})\)$/.exec(v);
  if (named) return `<@${named[2]}>`;
  return escapeMrkdwn(value);
}

const targetFields = (target: PlanModel['target']) => fields(target.map((t) => [t.label, targetValue(t.value)] as const));

/** A write waiting for Confirm: what will change (before -> after), where, and the two buttons. */
export function planMessage(model: PlanModel): Message {
  const blocks: KnownBlock[] = [header(`Confirm: ${model.title}`), targetFields(model.target), section(changeLines(model.changes))];
  if (model.warning) blocks.push(section(`:warning: ${escapeMrkdwn(model.warning)}`));
  blocks.push(
    actions(PLAN_BLOCK_ID, [
      button({ text: 'Confirm', actionId: PLAN_CONFIRM_ACTION, value: model.planId, style: 'primary' }),
      button({ text: 'Cancel', actionId: PLAN_CANCEL_ACTION, value: model.planId }),
    ]),
    context(
      `Requested by <@${model.initiatorId}> · nothing changes until Confirm${model.needsApproval ? ', then a second writer or admin approves' : ''} · expires in ${model.expiresInMinutes} minutes`,
    ),
  );
  return { text: `Confirm: ${model.title}`, blocks };
}

/** The object changed upstream between the plan and Confirm: nothing ran, and here is the plan as things stand now. */
export function planSupersededMessage(model: { title: string; fresh: Message; freshPlan: boolean }): Message {
  const text = `*${escapeMrkdwn(model.title)}*: this changed in PostHog after the plan was shown. Nothing was changed${model.freshPlan ? '; here is a fresh plan from its current state.' : '.'}`;
  return {
    text: `Changed since the plan was shown: ${model.title}`,
    blocks: [section(`:arrows_counterclockwise: ${text}`), ...(model.fresh.blocks ?? [section(model.fresh.text)])],
  };
}

export type PlanEnding =
  | 'cancelled'
  | 'expired'
  | 'failed'
  | 'already_done'
  | 'in_progress'
  | 'superseded'
  | 'awaiting_approval'
  | 'rejected';

const ENDINGS: Record<PlanEnding, string> = {
  cancelled: ':no_entry_sign: Cancelled. Nothing was changed.',
  expired: ':hourglass: This confirmation expired. Nothing was changed; run the command again.',
  failed: ':x: The change failed.',
  already_done: 'This change was already confirmed.',
  in_progress: 'This change is already being applied.',
  superseded: 'This plan was replaced by a fresh one because the object changed. Nothing was changed by it.',
  awaiting_approval: ':hourglass_flowing_sand: This change is waiting for a second writer or admin to approve it.',
  rejected: ':no_entry_sign: Rejected. Nothing was changed.',
};

/** Replaces a plan once it can no longer be confirmed. */
export function planEndedMessage(model: { title: string; ending: PlanEnding; detail?: string; byUserId?: string }): Message {
  const by = model.byUserId && (model.ending === 'cancelled' || model.ending === 'rejected') ? ` (by <@${model.byUserId}>)` : '';
  const text = `${ENDINGS[model.ending]}${by}${model.detail ? ` ${model.detail}` : ''}`;
  return { text, blocks: [section(`*${escapeMrkdwn(model.title)}*\n${text}`)] };
}

export type ApprovalModel = Pick<PlanModel, 'planId' | 'title' | 'initiatorId' | 'target' | 'changes' | 'warning'>;

/** The plan, posted to the channel for everyone: the thread under it holds the Approve / Reject request. */
export function approvalParentMessage(model: ApprovalModel): Message {
  const blocks: KnownBlock[] = [header(`Approval needed: ${model.title}`), targetFields(model.target), section(changeLines(model.changes))];
  if (model.warning) blocks.push(section(`:warning: ${escapeMrkdwn(model.warning)}`));
  blocks.push(context(`Requested by <@${model.initiatorId}> · waiting for a second writer or admin (see the thread)`));
  return { text: `Approval needed: ${model.title} (requested by <@${model.initiatorId}>)`, blocks };
}

export function approvalRequestMessage(model: { planId: string; title: string; initiatorId: string; expiresInMinutes: number }): Message {
  const text = `<@${model.initiatorId}> asks for a second pair of eyes on *${escapeMrkdwn(model.title)}*. Any writer or admin other than them can approve it.`;
  return {
    text: `Approve: ${model.title}?`,
    blocks: [
      section(text),
      actions(APPROVAL_BLOCK_ID, [
        button({ text: 'Approve', actionId: PLAN_APPROVE_ACTION, value: model.planId, style: 'primary' }),
        button({ text: 'Reject', actionId: PLAN_REJECT_ACTION, value: model.planId, style: 'danger' }),
      ]),
      context(`Nothing changes until someone approves · expires in ${Math.round(model.expiresInMinutes / 60)} hours`),
    ],
  };
}

/** What the initiator sees in place of their plan once the request is posted. */
export function awaitingApprovalMessage(model: { title: string; channelId: string }): Message {
  const text = `*${escapeMrkdwn(model.title)}* is waiting for approval: the request is in <#${model.channelId}>. Nothing changes until a second writer or admin approves it.`;
  return { text: `Waiting for approval: ${model.title}`, blocks: [section(`:hourglass_flowing_sand: ${text}`)] };
}

/** The channel copy of the plan after the decision, so nobody acts on a settled request. */
export function approvalDecidedMessage(
  model: ApprovalModel & { decision: 'approved' | 'rejected' | 'failed' | 'superseded' | 'held'; byUserId: string },
): Message {
  const verdict = {
    approved: `:white_check_mark: Approved by <@${model.byUserId}> and applied.`,
    held: `:hourglass_flowing_sand: Approved by <@${model.byUserId}>; now waiting for approval in PostHog (its own approval policy). See the thread.`,
    rejected: `:no_entry_sign: Rejected by <@${model.byUserId}>. Nothing was changed.`,
    failed: `:x: Approved by <@${model.byUserId}>, but the change failed. See the thread.`,
    superseded: `:arrows_counterclockwise: Not applied: it changed in PostHog after the request. <@${model.initiatorId}> can run it again.`,
  }[model.decision];
  return {
    text: `${model.title}: ${model.decision}`,
    blocks: [
      header(model.title),
      targetFields(model.target),
      section(changeLines(model.changes)),
      context(`Requested by <@${model.initiatorId}> · ${verdict}`),
    ],
  };
}
