import type { Message } from '../../views/blocks.js';
import { planSupersededMessage } from '../../views/plan.js';
import { applyAudited, errorDetail } from './audit.js';
import { isStaleWrite } from '../posthog/errors.js';
import type { ClickOutcome, StoredPlan } from './record.js';
import { type Applied, type CommandContext, isPlanDraft, type PlanDraft, type WriteCommand } from '../registry/command.js';
import type { PlanRecord } from '../store/store.js';

/** Matches no object's fingerprint: a command's `check` given it always answers with the current state. */
const STALE_FINGERPRINT = '';

export type RunWrite = (ctx: CommandContext, command: WriteCommand, payload: unknown) => Promise<Message | Applied>;

export const applyCommand: RunWrite = (ctx, command, payload) => command.apply(ctx, payload);

/** Stores a fresh plan for the clicker and renders it. */
export type Replan = (draft: PlanDraft<unknown>) => Promise<Message>;

/**
 * The command's re-read of the object before anything changes: null while it still matches what the plan showed; else a
 * fresh plan (or a message saying why there is nothing to do).
 */
export async function recheck(
  ctx: CommandContext,
  stored: StoredPlan,
  command: WriteCommand,
  payload: unknown,
): Promise<PlanDraft<unknown> | Message | null> {
  return command.check && stored.fingerprint !== undefined ? command.check(ctx, payload, stored.fingerprint) : null;
}

/**
 * Ends a claimed plan unapplied because the object changed since it was shown, and answers with the current state. With
 * `replan` the clicker gets a fresh plan of their own; without, someone who may not re-plan for the initiator (an approver)
 * is told the initiator can run the command again.
 */
export async function supersede(
  ctx: CommandContext,
  plan: PlanRecord,
  title: string,
  fresh: PlanDraft<unknown> | Message,
  replan: Replan | null,
): Promise<ClickOutcome> {
  await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, superseded: true });
  return supersededReply(plan, title, fresh, replan);
}

/** The answer to a plan that went stale: the fresh plan (or why there is none), replacing the old one. */
async function supersededReply(
  plan: PlanRecord,
  title: string,
  fresh: PlanDraft<unknown> | Message,
  replan: Replan | null,
): Promise<ClickOutcome> {
  const freshPlan = isPlanDraft(fresh) && replan !== null;
  const next: Message = isPlanDraft(fresh)
    ? replan
      ? await replan(fresh)
      : { text: `<@${plan.userId}> can run the command again to see the current state.` }
    : fresh;
  return { message: planSupersededMessage({ title, fresh: next, freshPlan }), replace: true };
}

export interface Execution {
  plan: PlanRecord;
  stored: StoredPlan;
  command: WriteCommand;
  payload: unknown;
  run: RunWrite;
  approvedBy: string | null;
  /** A stale plan: offer a fresh one (the confirmer's own), or null to just refuse (an approver can't re-plan for someone else). */
  replan: Replan | null;
}

/** Runs a claimed plan: re-read the object (refuse if it changed), then apply it inside its audit entry. */
export async function execute(ctx: CommandContext, x: Execution): Promise<ClickOutcome & { applied: boolean }> {
  const { plan, stored, command } = x;
  let fresh: PlanDraft<unknown> | Message | null;
  try {
    fresh = await recheck(ctx, stored, command, x.payload);
  } catch (error) {
    await ctx.store.finishPlan(plan.id, 'failed', { by: ctx.userId, error: errorDetail(error) });
    throw error;
  }
  if (fresh) return { ...(await supersede(ctx, plan, stored.title, fresh, x.replan)), applied: false };
  let message: Message;
  try {
    message = await applyAudited(ctx, plan, stored, x.approvedBy, () => x.run(ctx, command, x.payload));
  } catch (error) {
    // PostHog refused to overwrite an edit made between Hogbot's read and its write (409): nothing was written and the
    // audit entry says so (failed). Answer as for a plan that went stale before Confirm: with the current state.
    const current = isStaleWrite(error) && command.check ? await command.check(ctx, x.payload, STALE_FINGERPRINT) : null;
    if (!current) throw error;
    return { ...(await supersededReply(plan, stored.title, current, x.replan)), applied: false };
  }
  return { message, replace: true, applied: true };
}
