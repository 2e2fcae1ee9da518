import type { RecordedResponse } from '../../src/fake-slack/index.js';
import { PLAN_CONFIRM_ACTION } from '../../views/plan.js';
import { buttons, type Rig, textOf, type Who } from './harness.js';

/**
 * `/ph <text>` for a write: asks, expects a plan with Confirm, clicks it as the same person and returns the outcome.
 * Workspace settings (`connection use`, `project use`) are writes like any other since issue 11.
 */
export async function askConfirmed(rig: Rig, text: string, who: Who = {}): Promise<RecordedResponse> {
  const plan = await rig.ask(text, who);
  const planId = buttons(plan, PLAN_CONFIRM_ACTION).find((b) => b.value !== undefined)?.value;
  if (planId === undefined) throw new Error(`/ph ${text} showed no plan: ${textOf(plan)}`);
  return rig.clickAndWait(PLAN_CONFIRM_ACTION, planId, who);
}
