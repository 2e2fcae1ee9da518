/**
 * The plans of `/ph experiment create|launch|stop`: read PostHog first, say what changes (or why nothing does), and
 * re-check at Confirm. The writes themselves are in write.ts.
 */
import { z } from 'zod';
import { escapeMrkdwn, type Message, section } from '../../views/blocks.js';
import { experimentChangedMessage, experimentPickMessage, splitText, statusText } from '../../views/experiments.js';
import { CommandError } from '../errors.js';
import { currentProject, planTarget } from '../lookups/named.js';
import { path } from '../posthog/path.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { callerTimeZone } from '../slack/profile.js';
import { draftSchema, type ExperimentDraft } from './draft.js';
import { type Experiment, statusOf, variantsOf } from './experiment.js';
import { findExperiment, getExperiment } from './find.js';
import { changeLifecycle, createExperiment, type LifecycleChange } from './write.js';

export const createPayload = z.object({
  projectId: z.number().int(),
  draft: draftSchema,
});
export type CreatePayload = z.infer<typeof createPayload>;

const flagSchema = z.looseObject({
  id: z.number(),
  key: z.string(),
  deleted: z.boolean().nullish(),
  active: z.boolean().nullish(),
  filters: z
    .looseObject({
      multivariate: z
        .looseObject({ variants: z.array(z.looseObject({ key: z.string(), rollout_percentage: z.number().nullish() })).nullish() })
        .nullish(),
    })
    .nullish(),
});

export async function planCreate(ctx: CommandContext, draft: ExperimentDraft): Promise<PlanDraft<CreatePayload>> {
  const [project, posthog] = await Promise.all([currentProject(ctx), ctx.posthog()]);
  const projectId = project.id;
  const { items } = await posthog.collect(path`/api/projects/${projectId}/feature_flags/`, flagSchema, {
    maxItems: 200,
    query: { search: draft.flagKey },
  });
  const existing = items.find((f) => f.key === draft.flagKey && !f.deleted);
  const flagVariants = existing?.filters?.multivariate?.variants ?? null;
  if (existing && !flagVariants?.some((v) => v.key === 'control')) {
    throw new CommandError(
      `Flag \`${escapeMrkdwn(draft.flagKey)}\` already exists and has no \`control\` variant, so PostHog can't run an experiment on it. Choose a new key.`,
    );
  }
  // An existing flag keeps its variants: the experiment must describe the split users actually get.
  const variants = flagVariants ? flagVariants.map((v) => ({ key: v.key, rollout_percentage: v.rollout_percentage ?? 0 })) : draft.variants;
  const differs = flagVariants !== null && JSON.stringify(variants) !== JSON.stringify(draft.variants);
  const final = { ...draft, variants };
  const split = splitText(variants.map((v) => ({ key: v.key, percent: v.rollout_percentage })));
  return {
    title: `Create experiment “${draft.name}”`,
    target: [
      ...(await planTarget(ctx, project)),
      { label: 'Feature flag', value: existing ? `${draft.flagKey} (existing)` : `${draft.flagKey} (new)` },
    ],
    changes: [
      { what: 'Experiment', before: 'none', after: `draft “${draft.name}”` },
      {
        what: 'Feature flag',
        before: existing ? `${draft.flagKey}` : 'none',
        after: existing ? `${draft.flagKey}, linked` : `${draft.flagKey}, multivariate, off until launch`,
      },
      { what: 'Variants', before: 'none', after: split.replace(/`/g, '') },
      { what: 'Primary metric', before: 'none', after: `did ${draft.metricEvent} after exposure` },
    ],
    ...(existing
      ? {
          warning: `Flag ${draft.flagKey} already exists: the experiment uses it${differs ? ' and its own variants, not the ones you typed' : ''}.`,
        }
      : {}),
    payload: { projectId, draft: final },
    subject: {
      type: 'experiment',
      id: null,
      label: draft.name,
      projectId,
      before: null,
      after: { name: draft.name, feature_flag_key: draft.flagKey, variants },
    },
  };
}

export async function applyCreate(ctx: CommandContext, { projectId, draft }: CreatePayload): Promise<Message> {
  const created = await createExperiment(await ctx.posthog(), projectId, draft);
  return experimentChangedMessage({
    experiment: created,
    variants: variantsOf(created),
    verb: 'created',
    projectId,
    appUrl: ctx.config.posthogAppUrl,
    timeZone: await callerTimeZone(ctx),
  });
}

export const changePayload = z.object({ projectId: z.number().int(), experimentId: z.number().int() });
export type ChangePayload = z.infer<typeof changePayload>;
export type Change = LifecycleChange;

const fingerprintOf = (e: Experiment) => `${e.start_date ?? ''}|${e.end_date ?? ''}`;

/** Null when the change applies to the experiment as it is; otherwise why not. */
export function blocker(e: Experiment, change: Change, timeZone: string): Message | null {
  const status = statusOf(e);
  const name = `*${escapeMrkdwn(e.name)}* (\`${e.id}\`)`;
  if (change === 'launch' && status !== 'draft')
    return {
      text: `${e.name} is not a draft`,
      blocks: [section(`${name} is already launched: ${statusText(e, timeZone)}. Nothing to do.`)],
    };
  if (change === 'stop' && status === 'draft')
    return {
      text: `${e.name} is a draft`,
      blocks: [section(`${name} has not been launched, so there is nothing to stop. Launch it with \`/ph experiment launch ${e.id}\`.`)],
    };
  if (change === 'stop' && status === 'stopped')
    return { text: `${e.name} is already stopped`, blocks: [section(`${name} is already ${statusText(e, timeZone)}. Nothing to do.`)] };
  return null;
}

/** `where`: the plan's project and connection rows (see planTarget). */
function changeDraft(
  e: Experiment,
  change: Change,
  projectId: number,
  where: PlanDraft<unknown>['target'],
  timeZone: string,
): PlanDraft<ChangePayload> | Message {
  const blocked = blocker(e, change, timeZone);
  if (blocked) return blocked;
  const split = splitText(variantsOf(e)).replace(/`/g, '');
  const flagOn = e.feature_flag?.active !== false;
  const common = {
    target: [...where, { label: 'Experiment', value: `${e.name} (${e.id})` }, { label: 'Feature flag', value: e.feature_flag_key }],
    payload: { projectId, experimentId: e.id },
    fingerprint: fingerprintOf(e),
  };
  if (change === 'launch') {
    return {
      ...common,
      title: `Launch experiment “${e.name}”`,
      changes: [
        { what: 'Status', before: 'draft', after: 'running' },
        { what: 'Start date', before: 'none', after: 'the moment you confirm' },
        ...(flagOn ? [] : [{ what: `Flag ${e.feature_flag_key}`, before: 'off', after: 'on' }]),
      ],
      warning: `Users start getting variants right away: ${split}.`,
      subject: {
        type: 'experiment',
        id: String(e.id),
        label: e.name,
        projectId,
        before: { start_date: null },
        after: { start_date: 'at confirm' },
      },
    };
  }
  return {
    ...common,
    title: `Stop experiment “${e.name}”`,
    changes: [
      { what: 'Status', before: 'running', after: 'stopped' },
      { what: 'End date', before: 'none', after: 'the moment you confirm' },
    ],
    warning: `Results freeze at the end date. The flag ${e.feature_flag_key} keeps serving variants until you roll out a winner or turn it off.`,
    subject: {
      type: 'experiment',
      id: String(e.id),
      label: e.name,
      projectId,
      before: { end_date: null },
      after: { end_date: 'at confirm' },
    },
  };
}

export async function planChange(ctx: CommandContext, change: Change, input: string): Promise<PlanDraft<ChangePayload> | Message> {
  const [project, posthog, timeZone] = await Promise.all([currentProject(ctx), ctx.posthog(), callerTimeZone(ctx)]);
  const found = await findExperiment(posthog, project.id, input);
  if (found.kind === 'several') {
    return experimentPickMessage({ query: input, experiments: found.experiments, command: (id) => `experiment ${change} ${id}`, timeZone });
  }
  return changeDraft(found.experiment, change, project.id, await planTarget(ctx, project), timeZone);
}

export async function checkChange(
  ctx: CommandContext,
  change: Change,
  { projectId, experimentId }: ChangePayload,
  fingerprint: string,
): Promise<PlanDraft<ChangePayload> | Message | null> {
  const e = await getExperiment(await ctx.posthog(), projectId, experimentId);
  if (fingerprintOf(e) === fingerprint) return null;
  const [project, timeZone] = await Promise.all([currentProject(ctx), callerTimeZone(ctx)]);
  return changeDraft(e, change, projectId, await planTarget(ctx, project), timeZone);
}

export async function applyChange(ctx: CommandContext, change: Change, { projectId, experimentId }: ChangePayload): Promise<Message> {
  const [posthog, timeZone] = await Promise.all([ctx.posthog(), callerTimeZone(ctx)]);
  // Re-read: someone may have launched or stopped it in PostHog since the plan was shown.
  const current = await getExperiment(posthog, projectId, experimentId);
  const blocked = blocker(current, change, timeZone);
  if (blocked) return blocked;
  const updated = await changeLifecycle(posthog, projectId, experimentId, change, ctx.now());
  return experimentChangedMessage({
    experiment: updated,
    variants: variantsOf(updated),
    verb: change === 'launch' ? 'launched' : 'stopped',
    projectId,
    appUrl: ctx.config.posthogAppUrl,
    timeZone,
  });
}
