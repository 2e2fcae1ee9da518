/** A stored plan as the pipeline reads it back: one zod schema, parsed once when a click loads the plan. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { type PlanChange, type PlanEnding, planEndedMessage } from '../../views/plan.js';
import type { CommandContext, PlanDraft, WriteSubject } from '../registry/command.js';
import type { PlanRecord, PlanStatus } from '../store/store.js';

/**
 * Where a plan was made: the connection and project it showed. Confirm applies there and nowhere else (see
 * pinned-target.ts). `'@current'` is PostHog's current project of that connection, for a workspace that chose none.
 */
export const planWhereSchema = z.object({
  connectionId: z.string().nullable(),
  projectId: z.union([z.number().int(), z.literal('@current')]),
});
export type PlanWhere = z.infer<typeof planWhereSchema>;

const rowSchema = z.object({ label: z.string(), value: z.string() });
const changeSchema = z.object({ what: z.string(), before: z.string(), after: z.string() });
const subjectSchema = z.object({
  type: z.string(),
  id: z.string().nullable(),
  label: z.string(),
  connectionId: z.string().nullable().optional(),
  projectId: z.number().nullable().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

/**
 * What a stored plan keeps beside the command's payload: enough to check, re-render and audit it later. Every field but
 * `data` is read tolerantly (`catch`): a damaged title or row list must not stop a Cancel; `data` is parsed by the
 * command's own `payload` schema at Confirm.
 */
export const storedPlanSchema = z.object({
  title: z.string().catch('Change'),
  data: z.unknown().optional(),
  target: z.array(rowSchema).optional().catch(undefined),
  changes: z.array(changeSchema).optional().catch(undefined),
  warning: z.string().optional().catch(undefined),
  fingerprint: z.string().optional().catch(undefined),
  subject: subjectSchema.optional().catch(undefined),
  /** Absent on plans stored before the pipeline pinned every write (they apply as they always did). */
  where: planWhereSchema.optional().catch(undefined),
});

export interface StoredPlan {
  title: string;
  data: unknown;
  target?: Array<{ label: string; value: string }>;
  changes?: PlanChange[];
  warning?: string;
  fingerprint?: string;
  subject?: WriteSubject;
  where?: PlanWhere;
}

export function toStored<P>(draft: PlanDraft<P>, where: PlanWhere): StoredPlan {
  return {
    title: draft.title,
    data: draft.payload,
    target: draft.target,
    changes: draft.changes,
    ...(draft.warning ? { warning: draft.warning } : {}),
    ...(draft.fingerprint !== undefined ? { fingerprint: draft.fingerprint } : {}),
    ...(draft.subject ? { subject: draft.subject } : {}),
    where,
  };
}

export function readStored(payload: unknown): StoredPlan {
  const parsed = storedPlanSchema.safeParse(payload ?? {});
  if (!parsed.success) return { title: 'Change', data: undefined };
  const { title, data, target, changes, warning, fingerprint, subject, where } = parsed.data;
  return {
    title,
    data,
    ...(target ? { target } : {}),
    ...(changes ? { changes } : {}),
    ...(warning !== undefined ? { warning } : {}),
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    ...(subject ? { subject: { ...subject, before: subject.before, after: subject.after } } : {}),
    ...(where ? { where } : {}),
  };
}

/** What to do with the message that carried the buttons. */
export interface ClickOutcome {
  message: Message;
  /** true: replace the plan message; false: answer the clicker alone and leave the plan as it is. */
  replace: boolean;
}

const outcomeSchema = z.object({ superseded: z.boolean().optional() }).nullable().catch(null);

/** The answer to a click on a plan that is past the state the click needs (already done, expired, cancelled...). */
export function ended(plan: Pick<PlanRecord, 'status' | 'outcome'>, title: string): Message {
  const superseded = outcomeSchema.parse(plan.outcome ?? null)?.superseded === true;
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
