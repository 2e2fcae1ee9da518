import type { Message } from '../../views/blocks.js';
import { type PlanChange, type PlanEnding, planEndedMessage } from '../../views/plan.js';
import type { CommandContext, PlanDraft, WriteSubject } from '../registry/command.js';
import type { PlanRecord, PlanStatus } from '../store/store.js';

/** What a stored plan keeps beside the command's payload: enough to check, re-render and audit it later. */
export interface StoredPlan {
  title: string;
  data: unknown;
  target?: Array<{ label: string; value: string }>;
  changes?: PlanChange[];
  warning?: string;
  fingerprint?: string;
  subject?: WriteSubject;
}

export function toStored<P>(draft: PlanDraft<P>): StoredPlan {
  return {
    title: draft.title,
    data: draft.payload,
    target: draft.target,
    changes: draft.changes,
    ...(draft.warning ? { warning: draft.warning } : {}),
    ...(draft.fingerprint !== undefined ? { fingerprint: draft.fingerprint } : {}),
    ...(draft.subject ? { subject: draft.subject } : {}),
  };
}

export function readStored(payload: unknown): StoredPlan {
  const stored = (payload ?? {}) as Partial<StoredPlan>;
  return { ...stored, title: typeof stored.title === 'string' ? stored.title : 'Change', data: stored.data };
}

/** What to do with the message that carried the buttons. */
export interface ClickOutcome {
  message: Message;
  /** true: replace the plan message; false: answer the clicker alone and leave the plan as it is. */
  replace: boolean;
}

/** The answer to a click on a plan that is past the state the click needs (already done, expired, cancelled...). */
export function ended(plan: Pick<PlanRecord, 'status' | 'outcome'>, title: string): Message {
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

/** Another click (or replica) moved the plan first: say where it is now. */
export async function lostRace(ctx: CommandContext, planId: string, title: string): Promise<ClickOutcome> {
  const now = await ctx.store.getPlan(planId);
  return { message: ended(now ?? { status: 'expired', outcome: null }, title), replace: now?.status === 'expired' };
}
