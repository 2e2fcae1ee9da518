/** The `/ph flag create` form: opening it, its inline validation, and its submit (which plans, like the command line). */
import type { Message } from '../../views/blocks.js';
import { FLAG_CREATE_FIELDS, FLAG_FIELD_ACTION, flagCreateModal, flagCreateOpenedMessage } from '../../views/flags.js';
import { proposePlan } from '../plans/propose.js';
import { type CommandContext, isPlanDraft, type WriteCommand } from '../registry/command.js';
import { encodeOrigin, type ModalValues } from '../registry/interaction.js';
import { type CreateField, type CreateSpec, planCreate, validateCreate } from './create.js';

export async function openCreateForm(ctx: CommandContext): Promise<Message> {
  // The trigger_id lives 3 s: open the form before any PostHog call.
  await ctx.openModal(flagCreateModal({ privateMetadata: encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl }) }));
  return flagCreateOpenedMessage();
}

const field = (values: ModalValues, name: CreateField) => values[FLAG_CREATE_FIELDS[name]]?.[FLAG_FIELD_ACTION]?.value ?? null;

/** The command line's rules; Slack shows each error beside its field (keyed by block id). */
export function validateCreateForm(values: ModalValues): { errors: Record<string, string> } | { data: CreateSpec } {
  const checked = validateCreate({
    key: field(values, 'key'),
    name: field(values, 'name'),
    rollout: field(values, 'rollout'),
    variants: field(values, 'variants'),
  });
  if ('data' in checked) return checked;
  return {
    errors: Object.fromEntries(Object.entries(checked.errors).map(([name, text]) => [FLAG_CREATE_FIELDS[name as CreateField], text])),
  };
}

/** A submit is a command run by other means (its role checked by src/slack/modals.ts): the answer is a plan to confirm. */
export async function submitCreateForm(ctx: CommandContext, command: Pick<WriteCommand, 'name'>, spec: CreateSpec): Promise<Message> {
  const draft = await planCreate(ctx, spec);
  return isPlanDraft(draft) ? proposePlan(ctx, command, draft) : draft;
}
