/** `/ph flag rollout`: the share of users one release condition (a group of `filters`) reaches. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { conditionLabel, flagConditionPickerMessage, noticeMessage } from '../../views/flags.js';
import { CommandError } from '../errors.js';
import { pinTarget } from '../plans/pinned-target.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import { code, fingerprintOf, inProject, toView } from './flag.js';
import { findFlag, flagRefShape, getFlag, patchFlag } from './lookup.js';
import { done, flagTarget, subjectOf } from './write.js';

/**
 * `group` is the condition's index in `filters.groups` (users count from 1); `conditions` is how many there were at plan
 * time: the answer and its Undo name the condition only when there are several.
 */
export const rolloutPayload = z.object({
  ...flagRefShape,
  group: z.number().int().min(0),
  percent: z.number().int().min(0).max(100),
  before: z.number(),
  conditions: z.number().int(),
});
export type RolloutPayload = z.infer<typeof rolloutPayload>;

/** `group` counts from 1, as users see conditions; without it a flag with several conditions answers with a picker. */
export async function planRollout(
  ctx: CommandContext,
  key: string,
  target: number,
  group: number | undefined,
): Promise<PlanDraft<RolloutPayload> | Message> {
  const t = await pinTarget(ctx);
  const flag = await findFlag(ctx, t, key);
  const view = toView(flag);
  if (view.conditions.length === 0) throw new CommandError(`${code(flag.key)} has no release conditions to roll out. Add one in PostHog.`);
  if (group === undefined && view.conditions.length > 1)
    return flagConditionPickerMessage({ key: flag.key, percent: target, conditions: view.conditions });
  const index = (group ?? 1) - 1;
  const condition = view.conditions[index];
  if (!condition)
    throw new CommandError(
      `${code(flag.key)} has ${view.conditions.length} release condition${view.conditions.length === 1 ? '' : 's'}: use \`--group\` 1 to ${view.conditions.length}.`,
    );
  if (condition.rollout === target)
    return noticeMessage(`${code(flag.key)} (condition ${index + 1}) already rolls out to ${target}%. Nothing to do.`);
  const warnings = [
    flag.active ? null : 'The flag is off: the new rollout applies once it is turned on.',
    target < condition.rollout ? `Users between ${target}% and ${condition.rollout}% of this condition lose the flag.` : null,
  ].filter((w): w is string => w !== null);
  return {
    title: `Roll out ${flag.key} to ${target}%`,
    target: [...flagTarget(t, flag), { label: 'Release condition', value: conditionLabel(condition, index) }],
    changes: [{ what: `Rollout (condition ${index + 1})`, before: `${condition.rollout}%`, after: `${target}%` }],
    ...(warnings.length > 0 ? { warning: warnings.join(' ') } : {}),
    payload: {
      ...t,
      flagId: flag.id,
      key: flag.key,
      group: index,
      percent: target,
      before: condition.rollout,
      conditions: view.conditions.length,
    },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(
      t,
      flag,
      { condition: index + 1, rollout_percentage: condition.rollout },
      { condition: index + 1, rollout_percentage: target },
    ),
  };
}

/** PostHog takes `filters` whole: read them, change the one percentage, send them all back. */
export async function applyRollout(ctx: CommandContext, p: RolloutPayload): Promise<Applied> {
  const current = await getFlag(ctx, p);
  const filters = structuredClone(current.filters ?? {});
  const group = filters.groups?.[p.group];
  if (!group) throw new CommandError(`${code(p.key)} no longer has release condition ${p.group + 1}. Nothing was changed.`);
  group.rollout_percentage = p.percent;
  const flag = await patchFlag(ctx, p, { filters }, current);
  const which = p.conditions > 1 ? ` (condition ${p.group + 1})` : '';
  const undo = `flag rollout ${flag.key} ${p.before}${p.conditions > 1 ? ` --group ${p.group + 1}` : ''}`;
  return done(ctx, p, flag, `Rolled out ${code(flag.key)}${which} to *${p.percent}%* ${inProject(p)} (was ${p.before}%).`, undo);
}
