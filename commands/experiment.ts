import { z } from 'zod';
import { escapeMrkdwn, type Message, section } from '../views/blocks.js';
import { EXPERIMENT_CREATE_MODAL, experimentCreateModal, FIELD_ACTION, FIELD_BLOCKS, type FormValues } from '../views/experiment-form.js';
import { EXPERIMENT_LINK_ACTION, experimentCardMessage, experimentPickMessage, experimentsListMessage } from '../views/experiments.js';
import { CommandError } from '../src/errors.js';
import { checkDraft, DEFAULT_VARIANTS, type DraftField, type ExperimentDraft } from '../src/experiments/draft.js';
import { experimentSchema, primaryMetricOf, statusOf, variantsOf } from '../src/experiments/experiment.js';
import { findExperiment } from '../src/experiments/find.js';
import { loadResults } from '../src/experiments/load.js';
import { MIN_EXPOSURES } from '../src/experiments/results.js';
import {
  applyChange,
  applyCreate,
  type Change,
  type CreatePayload,
  changePayload,
  checkChange,
  createPayload,
  planChange,
  planCreate,
} from '../src/experiments/plan.js';
import { linkProjectId } from '../src/lookups/named.js';
import { fetchPage, offsetArg, withCapNotice } from '../src/lookups/resource.js';
import { proposePlan } from '../src/plans/propose.js';
import { path } from '../src/posthog/path.js';
import { defineCommand, type PlanDraft } from '../src/registry/command.js';
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
    const { results, page, capped } = await fetchPage(posthog, {
      command: 'experiments',
      options: [args.limit !== 10 ? `--limit ${args.limit}` : null],
      path: path`/api/projects/${projectId}/experiments/`,
      schema: experimentSchema,
      limit: args.limit,
      offset: args.offset,
      search,
      // PostHog's experiment search matches names only: Hogbot also matches flag keys and descriptions, over the list.
      localSearch: (e) => [e.name, e.feature_flag_key, e.description],
    });
    return withCapNotice(
      experimentsListMessage({ experiments: results, search, projectId, appUrl: ctx.config.posthogAppUrl, timeZone, page }),
      capped,
      'experiment',
    );
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
    if (found.kind === 'several')
      return experimentPickMessage({
        query: args.experiment,
        experiments: found.experiments,
        command: (id) => `experiment ${id}`,
        timeZone,
      });
    const e = found.experiment;
    // PostHog's ExperimentQuery can take seconds: show that something is happening.
    if (statusOf(e) !== 'draft')
      await ctx.progress({
        text: `Computing results for ${e.name}…`,
        blocks: [section(`:hourglass_flowing_sand: Computing results for *${escapeMrkdwn(e.name)}*…`)],
      });
    const outcome = await loadResults(posthog, projectId, e, ctx.now());
    return experimentCardMessage({
      experiment: e,
      status: statusOf(e),
      variants: variantsOf(e),
      minExposures: MIN_EXPOSURES,
      metric: primaryMetricOf(e),
      outcome,
      projectId,
      appUrl: ctx.config.posthogAppUrl,
      timeZone,
    });
  },
});

// Create: a form (or flags), then a plan, then Confirm.

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
    const values: FormValues = {
      name: args.name,
      flagKey: args.flag,
      variants: args.variants,
      metricEvent: args.metric,
      description: args.description,
    };
    if (!args.name || !args.flag || !args.metric) {
      const privateMetadata = encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl });
      await ctx.openModal(experimentCreateModal({ values, defaultVariants: DEFAULT_VARIANTS, privateMetadata }));
      return {
        text: 'Opened the new experiment form.',
        blocks: [section(':test_tube: Fill in the form: Hogbot shows the plan before anything is created.')],
      };
    }
    const checked = checkDraft(values);
    if ('problems' in checked) throw new CommandError(Object.values(checked.problems).join(' '));
    return planCreate(ctx, checked.draft);
  },
  apply: applyCreate,
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

function changeCommand(change: Change) {
  return defineCommand({
    name: `experiment ${change}`,
    summary:
      change === 'launch'
        ? 'Launch a draft experiment (sets its start date; turns its flag on)'
        : 'Stop a running experiment (sets its end date)',
    usage: '<id|name>',
    examples: [`/ph experiment ${change} 20002`],
    args: z.object({ experiment: z.string().trim().min(1) }),
    rest: 'experiment',
    mutates: true,
    role: 'writer',
    payload: changePayload,
    plan: (ctx, args) => planChange(ctx, change, args.experiment),
    check: (ctx, payload, fingerprint) => checkChange(ctx, change, payload, fingerprint),
    apply: (ctx, payload) => applyChange(ctx, change, payload),
  });
}

export const interactions = [defineAction({ actionId: EXPERIMENT_LINK_ACTION, run: async () => null }), createForm];

export default [experiments, experiment, create, changeCommand('launch'), changeCommand('stop')];
