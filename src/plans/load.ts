/** The one preamble of every click on a plan: load it, check the team, parse what it stored, check its status and command. */
import type { Message } from '../../views/blocks.js';
import { problemMessage } from '../../views/feedback.js';
import { planEndedMessage } from '../../views/plan.js';
import type { CommandContext, WriteCommand } from '../registry/command.js';
import type { PlanRecord } from '../store/store.js';
import { pinnedContext } from './pinned-target.js';
import { type ClickOutcome, ended, readStored, type StoredPlan } from './record.js';

export interface LoadedPlan {
  plan: PlanRecord;
  stored: StoredPlan;
}

export interface LoadedWrite extends LoadedPlan {
  command: WriteCommand;
  /** The stored payload, parsed by the command's own schema. */
  payload: unknown;
  /** The clicker's context pinned to the plan's connection and project: `check` and `apply` run with it. */
  ctx: CommandContext;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; outcome: ClickOutcome };

const answer = (message: Message, replace: boolean): { ok: false; outcome: ClickOutcome } => ({ ok: false, outcome: { message, replace } });

export interface ClickSpec {
  /** How the click's object is called when it is gone: "confirmation", "approval request". */
  noun: string;
  /** Added when the plan is gone ("Run the command again."). */
  hint?: string;
  /** The status the click acts on; null when the store's own transition decides (Cancel). */
  status: 'pending' | 'awaiting_approval' | null;
}

/**
 * Loads the plan a click names, for this workspace only. A pending plan past its time is ended as expired here (the
 * store's claim decides between concurrent clicks), so no click acts on it.
 */
export async function loadPlan(ctx: CommandContext, planId: string, spec: ClickSpec): Promise<Loaded<LoadedPlan>> {
  const plan = planId ? await ctx.store.getPlan(planId) : null;
  if (!plan || plan.teamId !== ctx.teamId)
    return answer(problemMessage(`This ${spec.noun} no longer exists.${spec.hint ? ` ${spec.hint}` : ''}`), false);
  const stored = readStored(plan.payload);
  if (spec.status === 'pending') {
    if (plan.status === 'pending' && plan.expiresAt <= ctx.now()) {
      await ctx.store.claimPlan(planId, ctx.userId, ctx.now());
      return answer(planEndedMessage({ title: stored.title, ending: 'expired' }), true);
    }
    if (plan.status !== 'pending') return answer(ended(plan, stored.title), plan.status === 'expired' || plan.status === 'cancelled');
  } else if (spec.status === 'awaiting_approval' && plan.status !== 'awaiting_approval') {
    return answer(ended(plan, stored.title), false);
  }
  return { ok: true, value: { plan, stored } };
}

export interface WriteSpec {
  /** The clicker's standing towards this command (initiator, role): a refusal, or null to go on. */
  gate(command: WriteCommand): Promise<ClickOutcome | null>;
  /** The answer when the stored payload no longer fits the command's schema. */
  damaged: ClickOutcome;
}

/**
 * The write a loaded plan stands for: its command (still a write), the clicker's standing, the payload parsed by the
 * command's schema, and the re-check of the connection and project it was made against.
 */
export async function loadWrite(ctx: CommandContext, loaded: LoadedPlan, spec: WriteSpec): Promise<Loaded<LoadedWrite>> {
  const command = ctx.registry.get(loaded.plan.command);
  if (!command || !command.mutates) return answer(problemMessage('This change is no longer supported. Nothing was changed.'), false);
  const refused = await spec.gate(command);
  if (refused) return { ok: false, outcome: refused };
  const parsed = command.payload.safeParse(loaded.stored.data);
  if (!parsed.success) return { ok: false, outcome: spec.damaged };
  const pinned = await pinnedContext(ctx, loaded.stored.where);
  if (!pinned.ok) return answer(pinned.message, false);
  return { ok: true, value: { ...loaded, command, payload: parsed.data, ctx: pinned.ctx } };
}
