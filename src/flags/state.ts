/** A flag's switches: on/off, and soft delete/restore. Each plan reads the flag as it is now and says what the write does. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { noticeMessage, rolloutSummary } from '../../views/flags.js';
import { CommandError } from '../errors.js';
import { pinTarget } from '../plans/pinned-target.js';
import type { Applied, CommandContext, PlanDraft } from '../registry/command.js';
import { code, fingerprintOf, inProject, onOff, toView } from './flag.js';
import { findFlag, flagById, type FlagRef, flagRefShape, patchFlag } from './lookup.js';
import { done, flagTarget, subjectOf } from './write.js';

export const togglePayload = z.object({ ...flagRefShape, active: z.boolean() });
export type TogglePayload = z.infer<typeof togglePayload>;

export async function planToggle(ctx: CommandContext, key: string, active: boolean): Promise<PlanDraft<TogglePayload> | Message> {
  const t = await pinTarget(ctx);
  const flag = await findFlag(ctx, t, key);
  if (flag.active === active) return noticeMessage(`${code(flag.key)} is already ${onOff(active)} ${inProject(t)}. Nothing to do.`);
  const experiments = flag.experiment_set ?? [];
  const warning = active
    ? `Its release conditions apply again: ${rolloutSummary(toView(flag))}.`
    : experiments.length > 0
      ? `Experiment ${experiments.map((id) => `#${id}`).join(', ')} uses this flag: turning it off stops its variants for everyone.`
      : `It reaches ${rolloutSummary(toView(flag))} today; everyone who evaluates it gets false from now on.`;
  return {
    title: `Turn ${onOff(active)} ${flag.key}`,
    target: flagTarget(t, flag),
    changes: [{ what: 'Active', before: onOff(flag.active), after: onOff(active) }],
    warning,
    payload: { ...t, flagId: flag.id, key: flag.key, active },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(t, flag, { active: flag.active }, { active }),
  };
}

export async function applyToggle(ctx: CommandContext, p: TogglePayload): Promise<Applied> {
  const flag = await patchFlag(ctx, p, { active: p.active });
  return done(ctx, p, flag, `Turned *${onOff(p.active)}* ${code(flag.key)} ${inProject(p)}.`, `flag ${onOff(!p.active)} ${flag.key}`);
}

export const refPayload = z.object(flagRefShape);

export async function planDelete(ctx: CommandContext, key: string): Promise<PlanDraft<FlagRef> | Message> {
  const t = await pinTarget(ctx);
  const flag = await findFlag(ctx, t, key);
  // PostHog decides what blocks a delete (a running experiment, early access features, dependent flags) and says why in
  // its 400: the plan only warns; Confirm shows PostHog's answer if it refuses.
  const experiments = flag.experiment_set ?? [];
  const linked =
    experiments.length > 0
      ? ` Experiment ${experiments.map((id) => `#${id}`).join(', ')} uses it: PostHog refuses while one is running.`
      : '';
  return {
    title: `Delete flag ${flag.key}`,
    target: flagTarget(t, flag),
    changes: [{ what: 'Deleted', before: 'no', after: 'yes (soft delete, restorable)' }],
    warning: `Code that evaluates ${flag.key} gets false (or its fallback) from now on.${linked}`,
    payload: { ...t, flagId: flag.id, key: flag.key },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(t, flag, { deleted: false, active: flag.active }, { deleted: true }),
  };
}

export async function applyDelete(ctx: CommandContext, p: FlagRef): Promise<Applied> {
  const flag = await patchFlag(ctx, p, { deleted: true });
  return done(ctx, p, flag, `Deleted ${code(flag.key)} ${inProject(p)} (id \`${flag.id}\`).`, `flag restore ${flag.id}`);
}

/** By the id its deletion showed: PostHog's flag list (and so a search by key) leaves deleted flags out. */
export async function planRestore(ctx: CommandContext, id: number): Promise<PlanDraft<FlagRef> | Message> {
  const t = await pinTarget(ctx);
  const flag = await flagById(ctx, { ...t, flagId: id });
  if (!flag) throw new CommandError(`No flag with id \`${id}\` ${inProject(t)}.`);
  if (!flag.deleted) return noticeMessage(`${code(flag.key)} is not deleted. Nothing to do.`);
  return {
    title: `Restore flag ${flag.key}`,
    target: flagTarget(t, flag),
    changes: [{ what: 'Deleted', before: 'yes', after: 'no' }],
    warning: `It comes back ${onOff(flag.active)}: ${rolloutSummary(toView(flag))}.`,
    payload: { ...t, flagId: flag.id, key: flag.key },
    fingerprint: fingerprintOf(flag),
    subject: subjectOf(t, flag, { deleted: true }, { deleted: false, active: flag.active }),
  };
}

export async function applyRestore(ctx: CommandContext, p: FlagRef): Promise<Applied> {
  const flag = await patchFlag(ctx, p, { deleted: false });
  return done(ctx, p, flag, `Restored ${code(flag.key)} ${inProject(p)}: it is ${onOff(flag.active)}.`, `flag delete ${flag.key}`);
}
