/**
 * Every button on a plan and its outcome, registered here and nowhere else: Confirm / Cancel on the plan, Approve / Reject
 * in its approval thread, Undo on the applied change. loadRegistry() adds them beside the families' own interactions.
 */
import { UNDO_ACTION } from '../../views/audit.js';
import { PLAN_APPROVE_ACTION, PLAN_CANCEL_ACTION, PLAN_CONFIRM_ACTION, PLAN_REJECT_ACTION } from '../../views/plan.js';
import { type ActionHandler, defineAction } from '../registry/interaction.js';
import { approvePlan, rejectPlan } from './approvals.js';
import { cancelPlan, confirmPlan } from './confirm.js';

export const planButtons: ActionHandler[] = [
  defineAction({ actionId: PLAN_CONFIRM_ACTION, run: (ctx, input) => confirmPlan(ctx, input.value ?? '') }),
  defineAction({ actionId: PLAN_CANCEL_ACTION, run: (ctx, input) => cancelPlan(ctx, input.value ?? '') }),
  defineAction({ actionId: PLAN_APPROVE_ACTION, run: (ctx, input) => approvePlan(ctx, input.value ?? '') }),
  defineAction({ actionId: PLAN_REJECT_ACTION, run: (ctx, input) => rejectPlan(ctx, input.value ?? '') }),
  // Undo runs the inverse command as typed: it is a new write with its own plan, Confirm and audit entry.
  defineAction({ actionId: UNDO_ACTION, run: async (_ctx, input) => (input.value ? { run: input.value, replace: false } : null) }),
];
