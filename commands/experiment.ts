import { z } from 'zod';
import { escapeMrkdwn, type Message, section } from '../views/blocks.js';
import { EXPERIMENT_CREATE_MODAL, experimentCreateModal, FIELD_ACTION, FIELD_BLOCKS, type FormValues } from '../views/experiment-form.js';
import {
  EXPERIMENT_LINK_ACTION,
  experimentCardMessage,
  experimentChangedMessage,
  experimentPickMessage,
  experimentsListMessage,
  splitText,
  statusText,
} from '../views/experiments.js';
import { CommandError } from '../src/errors.js';
import { checkDraft, type DraftField, draftSchema, type ExperimentDraft } from '../src/experiments/draft.js';
import { type Experiment, experimentSchema, primaryMetricOf, statusOf, variantsOf } from '../src/experiments/experiment.js';
import { findExperiment, getExperiment } from '../src/experiments/find.js';
import { loadResults } from '../src/experiments/load.js';
import { changeLifecycle, createExperiment } from '../src/experiments/write.js';
import { currentProject, linkProjectId, planTarget } from '../src/lookups/named.js';
import { fetchPage, offsetArg } from '../src/lookups/resource.js';
import { proposePlan } from '../src/plans.js';
import { path } from '../src/posthog/path.js';
import { type CommandContext, defineCommand, type PlanDraft } from '../src/registry/command.js';
import { defineAction, defineModal, encodeOrigin, type ModalValues } from '../src/registry/interaction.js';
import { callerTimeZone } from '../src/slack/profile.js';

const experiments = defineCommand({
  name: 'experiments',
  aliases: ['experiment list'],
  summary: 'Experiments in the project, newest first, with their status',
  usage: '[search] [--limit N]',
  examples: ['/ph experiments', '/ph experiments onboarding'],
  args: z.object({ search: z.string().trim().optional(), limit: z.coerce.number().int().min(1).max(25).default(10), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, args) => {
    const [projectId, posthog, timeZone] = await Promise.all([linkProjectId(ctx), ctx.posthog(), callerTimeZone(ctx)]);
    const search = args.search || null;
    const { results, page } = await fetchPage(posthog, {
      command: 'experiments',
      options: [args.limit !== 10 ? `--limit ${args.limit}` : null],
      path: path`/api/projects/${projectId}/experiments/`,
      schema: experimentSchema,
      limit: args.limit,
      offset: args.offset,
      search,
    });
    return experimentsListMessage({ experiments: results, search, projectId, appUrl: ctx.config.posthogAppUrl, timeZone, page });
  },
});

const experiment = defineCommand({
  name: 'experiment',
  aliases: ['experiment show'],
  summary: 'One experiment: status, variants and split, dates, and results per variant',
  usage: '<id|name>',
  examples: ['/ph experiment 20001', '/ph experiment "New onboarding flow"'],
  args: z.object({ experiment: z.string().trim().min(1) }),
  rest: 'experiment',
  mutates: false,
  role: 'reader',
  run: async (ctx, args) => {
    const [projectId, posthog, timeZone] = await Promise.all([linkProjectId(ctx), ctx.posthog(), callerTimeZone(ctx)]);
    const found = await findExperiment(posthog, projectId, args.experiment);
    if (found.kind === 'several') return experimentPickMessage({ query: args.experiment, experiments: found.experiments, command: (id) => `experiment ${id}`, timeZone });
    const e = found.experiment;
    // PostHog's ExperimentQuery can take seconds: show that something is happening.
    if (statusOf(e) !== 'draft') await ctx.progress({ text: `Computing results for ${e.name}…`, blocks: [section(`:hourglass_flowing_sand: Computing results for *${escapeMrkdwn(e.name)}*…`)] });
    const outcome = await loadResults(posthog, projectId, e, ctx.now());
    return experimentCardMessage({ experiment: e, metric: primaryMetricOf(e), outcome, projectId, appUrl: ctx.config.posthogAppUrl, timeZone });
  },
});

// Create: a form (or flags), then a plan, then Confirm.

const createPayload = z.object({
  projectId: z.number().int(),
  draft: draftSchema,
});
type CreatePayload = z.infer<typeof createPayload>;

const flagSchema = z.looseObject({
  id: z.number(),
  key: z.string(),
  deleted: z.boolean().nullish(),
  active: z.boolean().nullish(),
  filters: z.looseObject({ multivariate: z.looseObject({ variants: z.array(z.looseObject({ key: z.string(), rollout_percentage: z.number().nullish() })).nullish() }).nullish() }).nullish(),
});

async function planCreate(ctx: CommandContext, draft: ExperimentDraft): Promise<PlanDraft<CreatePayload>> {
  const [project, posthog] = await Promise.all([currentProject(ctx), ctx.posthog()]);
  const projectId = project.id;
  const { items } = await posthog.collect(path`/api/projects/${projectId}/feature_flags/`, flagSchema, { maxItems: 200, query: { search: draft.flagKey } });
  const existing = items.find((f) => f.key === draft.flagKey && !f.deleted);
  const flagVariants = existing?.filters?.multivariate?.variants ?? null;
  if (existing && !flagVariants?.some((v) => v.key === 'control')) {
    throw new CommandError(`Flag \`${escapeMrkdwn(draft.flagKey)}\` already exists and has no \`control\` variant, so PostHog can't run an experiment on it. Choose a new key.`);
  }
  // An existing flag keeps its variants: the experiment must describe the split users actually get.
  const variants = flagVariants ? flagVariants.map((v) => ({ key: v.key, rollout_percentage: v.rollout_percentage ?? 0 })) : draft.variants;
  const differs = flagVariants !== null && JSON.stringify(variants) !== JSON.stringify(draft.variants);
  const final = { ...draft, variants };
  const split = splitText(variants.map((v) => ({ key: v.key, percent: v.rollout_percentage })));
  return {
    title: `Create experiment “${draft.name}”`,
    target: [...(await planTarget(ctx, project)), { label: 'Feature flag', value: existing ? `${draft.flagKey} (existing)` : `${draft.flagKey} (new)` }],
    changes: [
      { what: 'Experiment', before: 'none', after: `draft “${draft.name}”` },
      { what: 'Feature flag', before: existing ? `${draft.flagKey}` : 'none', after: existing ? `${draft.flagKey}, linked` : `${draft.flagKey}, multivariate, off until launch` },
      { what: 'Variants', before: 'none', after: split.replace(/`/g, '') },
      { what: 'Primary metric', before: 'none', after: `did ${draft.metricEvent} after exposure` },
    ],
    ...(existing
      ? { warning: `Flag ${draft.flagKey} already exists: the experiment uses it${differs ? ' and its own variants, not the ones you typed' : ''}.` }
      : {}),
    payload: { projectId, draft: final },
    subject: { type: 'experiment', id: null, label: draft.name, projectId, before: null, after: { name: draft.name, feature_flag_key: draft.flagKey, variants } },
  };
}

const FORM_FIELDS: DraftField[] = ['name', 'flagKey', 'variants', 'metricEvent', 'description'];

const create = defineCommand({
  name: 'experiment create',
  summary: 'Create a draft experiment (opens a form; or give everything as options)',
  usage: '["name"] [--flag key] [--variants "control:50,test:50"] [--metric event] [--description "..."]',
  examples: ['/ph experiment create', '/ph experiment create "Checkout test" --flag checkout-test --metric purchase'],
  args: z.object({
    name: z.string().trim().optional(),
    flag: z.string().trim().optional(),
    variants: z.string().trim().optional(),
    metric: z.string().trim().optional(),
    description: z.string().trim().optional(),
  }),
  rest: 'name',
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx, args): Promise<PlanDraft<CreatePayload> | Message> => {
    const values: FormValues = { name: args.name, flagKey: args.flag, variants: args.variants, metricEvent: args.metric, description: args.description };
    if (!args.name || !args.flag || !args.metric) {
      const privateMetadata = encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl });
      await ctx.openModal(experimentCreateModal({ values, privateMetadata }));
      return { text: 'Opened the new experiment form.', blocks: [section(':test_tube: Fill in the form: Hogbot shows the plan before anything is created.')] };
    }
    const checked = checkDraft(values);
    if ('problems' in checked) throw new CommandError(Object.values(checked.problems).join(' '));
    return planCreate(ctx, checked.draft);
  },
  apply: async (ctx, { projectId, draft }) => {
    const created = await createExperiment(await ctx.posthog(), projectId, draft);
    return experimentChangedMessage({ experiment: created, verb: 'created', projectId, appUrl: ctx.config.posthogAppUrl, timeZone: await callerTimeZone(ctx) });
  },
});

function formValues(values: ModalValues): FormValues {
  const out: FormValues = {};
  for (const field of FORM_FIELDS) out[field] = values[FIELD_BLOCKS[field]]?.[FIELD_ACTION]?.value ?? undefined;
  return out;
}

const createForm = defineModal<ExperimentDraft>({
  callbackId: EXPERIMENT_CREATE_MODAL,
  role: create.role,
  validate: (values) => {
    const checked = checkDraft(formValues(values));
    if ('draft' in checked) return { data: checked.draft };
    const errors: Record<string, string> = {};
    for (const [field, problem] of Object.entries(checked.problems)) errors[FIELD_BLOCKS[field as DraftField]] = problem.replace(/`/g, '');
    return { errors };
  },
  submit: async (ctx, draft) => proposePlan(ctx, create, await planCreate(ctx, draft)),
});

// Launch and stop: PostHog's launch / end actions (or the date PATCH on older servers), after Confirm.

const changePayload = z.object({ projectId: z.number().int(), experimentId: z.number().int() });
type ChangePayload = z.infer<typeof changePayload>;
type Change = 'launch' | 'stop';

const fingerprintOf = (e: Experiment) => `${e.start_date ?? ''}|${e.end_date ?? ''}`;

/** Null when the change applies to the experiment as it is; otherwise why not. */
function blocker(e: Experiment, change: Change, timeZone: string): Message | null {
  const status = statusOf(e);
  const name = `*${escapeMrkdwn(e.name)}* (\`${e.id}\`)`;
  if (change === 'launch' && status !== 'draft') return { text: `${e.name} is not a draft`, blocks: [section(`${name} is already launched: ${statusText(e, timeZone)}. Nothing to do.`)] };
  if (change === 'stop' && status === 'draft') return { text: `${e.name} is a draft`, blocks: [section(`${name} has not been launched, so there is nothing to stop. Launch it with \`/ph experiment launch ${e.id}\`.`)] };
  if (change === 'stop' && status === 'stopped') return { text: `${e.name} is already stopped`, blocks: [section(`${name} is already ${statusText(e, timeZone)}. Nothing to do.`)] };
  return null;
}

/** `where`: the plan's project and connection rows (see planTarget). */
function changeDraft(e: Experiment, change: Change, projectId: number, where: PlanDraft<unknown>['target'], timeZone: string): PlanDraft<ChangePayload> | Message {
  const blocked = blocker(e, change, timeZone);
  if (blocked) return blocked;
  const split = splitText(variantsOf(e)).replace(/`/g, '');
  const flagOn = e.feature_flag?.active !== false;
  const common = {
    target: [
      ...where,
      { label: 'Experiment', value: `${e.name} (${e.id})` },
      { label: 'Feature flag', value: e.feature_flag_key },
    ],
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
      subject: { type: 'experiment', id: String(e.id), label: e.name, projectId, before: { start_date: null }, after: { start_date: 'at confirm' } },
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
    subject: { type: 'experiment', id: String(e.id), label: e.name, projectId, before: { end_date: null }, after: { end_date: 'at confirm' } },
  };
}

function changeCommand(change: Change) {
  const verb = change === 'launch' ? 'launched' : 'stopped';
  return defineCommand({
    name: `experiment ${change}`,
    summary: change === 'launch' ? 'Launch a draft experiment (sets its start date; turns its flag on)' : 'Stop a running experiment (sets its end date)',
    usage: '<id|name>',
    examples: [`/ph experiment ${change} 20002`],
    args: z.object({ experiment: z.string().trim().min(1) }),
    rest: 'experiment',
    mutates: true,
    role: 'writer',
    payload: changePayload,
    plan: async (ctx, args) => {
      const [project, posthog, timeZone] = await Promise.all([currentProject(ctx), ctx.posthog(), callerTimeZone(ctx)]);
      const found = await findExperiment(posthog, project.id, args.experiment);
      if (found.kind === 'several') {
        return experimentPickMessage({ query: args.experiment, experiments: found.experiments, command: (id) => `experiment ${change} ${id}`, timeZone });
      }
      return changeDraft(found.experiment, change, project.id, await planTarget(ctx, project), timeZone);
    },
    check: async (ctx, { projectId, experimentId }, fingerprint) => {
      const e = await getExperiment(await ctx.posthog(), projectId, experimentId);
      if (fingerprintOf(e) === fingerprint) return null;
      const [project, timeZone] = await Promise.all([currentProject(ctx), callerTimeZone(ctx)]);
      return changeDraft(e, change, projectId, await planTarget(ctx, project), timeZone);
    },
    apply: async (ctx, { projectId, experimentId }) => {
      const [posthog, timeZone] = await Promise.all([ctx.posthog(), callerTimeZone(ctx)]);
      // Re-read: someone may have launched or stopped it in PostHog since the plan was shown.
      const current = await getExperiment(posthog, projectId, experimentId);
      const blocked = blocker(current, change, timeZone);
      if (blocked) return blocked;
      const updated = await changeLifecycle(posthog, projectId, experimentId, change, ctx.now());
      return experimentChangedMessage({ experiment: updated, verb, projectId, appUrl: ctx.config.posthogAppUrl, timeZone });
    },
  });
}

export const interactions = [defineAction({ actionId: EXPERIMENT_LINK_ACTION, run: async () => null }), createForm];

export default [experiments, experiment, create, changeCommand('launch'), changeCommand('stop')];
