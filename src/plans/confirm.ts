import { UNDO_ACTION } from '../../views/audit.js';
import { problemMessage } from '../../views/feedback.js';
import { PLAN_APPROVE_ACTION, PLAN_CANCEL_ACTION, PLAN_CONFIRM_ACTION, PLAN_REJECT_ACTION, planEndedMessage } from '../../views/plan.js';
import { hasRole } from '../access.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { type ActionHandler, defineAction } from '../registry/interaction.js';
import { approvePlan, rejectPlan, requestApproval } from './approvals.js';
import { loadPlan, loadWrite } from './load.js';
import { proposePlan } from './propose.js';
import { type ClickOutcome, ended, lostRace } from './record.js';
import { applyCommand, execute, type RunWrite } from './run.js';

/**
 * Every button on a plan and its outcome, registered here and nowhere else: Confirm / Cancel on the plan, Approve / Reject
 * in its approval thread, Undo on the applied change. loadRegistry() adds them beside the families' own interactions.
 */
export const planButtons: ActionHandler[] = [
  defineAction({ actionId: PLAN_CONFIRM_ACTION, run: (ctx, input) => confirmPlan(ctx, input.value ?? '') }),
  defineAction({ actionId: PLAN_CANCEL_ACTION, run: (ctx, input) => cancelPlan(ctx, input.value ?? '') }),
  defineAction({ actionId: PLAN_APPROVE_ACTION, run: (ctx, input) => approvePlan(ctx, input.value ?? '') }),
  defineAction({ actionId: PLAN_REJECT_ACTION, run: (ctx, input) => rejectPlan(ctx, input.value ?? '') }),
  // Undo runs the inverse command as typed: a new write with its own plan, Confirm and audit entry.
  defineAction({ actionId: UNDO_ACTION, run: async (_ctx, input) => (input.value ? { run: input.value, replace: false } : null) }),
];

/**
 * Confirm: only the initiator or an admin, only while pending and unexpired, exactly once (the store's atomic claim decides
 * between double clicks, retries and replicas), with the command's role checked again at click time, the plan's connection
 * and project re-checked, and the object re-read. When the workspace requires approvals, a writer's Confirm posts an
 * approval request instead of applying.
 */
export async function confirmPlan(clicker: CommandContext, planId: string, run: RunWrite = applyCommand): Promise<ClickOutcome> {
  const loaded = await loadPlan(clicker, planId, { noun: 'confirmation', hint: 'Run the command again.', status: 'pending' });
  if (!loaded.ok) return loaded.outcome;
  const { plan } = loaded.value;
  const role = await clicker.role();
  const write = await loadWrite(clicker, loaded.value, {
    gate: async (command) => {
      if (clicker.userId !== plan.userId && role !== 'admin') {
        return { message: problemMessage(`Only <@${plan.userId}> or a Hogbot admin can confirm this change.`), replace: false };
      }
      if (!hasRole(role, command.role)) {
        return {
          message: problemMessage(`Confirming this needs the ${command.role} role; you are a ${role}. Nothing was changed.`),
          replace: false,
        };
      }
      return null;
    },
    damaged: { message: problemMessage('This confirmation is damaged. Nothing was changed; run the command again.'), replace: true },
  });
  if (!write.ok) return write.outcome;
  const { ctx, stored, command, payload } = write.value;

  // A stale plan is answered with a fresh one of the confirmer's own.
  const replan = (fresh: PlanDraft<unknown>) => proposePlan(ctx, command, fresh);
  if (ctx.userId === plan.userId && role !== 'admin' && (await ctx.store.getPolicy(ctx.teamId)).approvalsRequired) {
    return requestApproval(ctx, plan, stored, command, payload, replan);
  }
  if (!(await ctx.store.claimPlan(planId, ctx.userId, ctx.now()))) return lostRace(ctx, planId, stored.title);
  return execute(ctx, { plan, stored, command, payload, run, approvedBy: null, replan });
}

/** Cancel: the initiator or an admin; the store's transition decides against a concurrent Confirm. */
export async function cancelPlan(ctx: CommandContext, planId: string): Promise<ClickOutcome> {
  const loaded = await loadPlan(ctx, planId, { noun: 'confirmation', status: null });
  if (!loaded.ok) return loaded.outcome;
  const { plan, stored } = loaded.value;
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
