import { z } from 'zod';
import type { Message } from '../views/blocks.js';
import { COHORT_CREATE_MODAL, COHORT_FIELDS, type CohortCard, type CohortRow, cohortCreatedMessage, cohortCreateModal, cohortMessage, cohortsMessage } from '../views/cohorts.js';
import { formOpenedMessage, readChoice, readText } from '../views/form.js';
import { type CohortCondition, cohortFilters, describeCohortFilters, describeCondition, PROPERTY_OPERATORS, type PropertyOperator } from '../src/cohorts/criteria.js';
import { CommandError } from '../src/errors.js';
import { currentProject, planTarget } from '../src/lookups/named.js';
import { listResource, offsetArg, type ProjectSelector, showResource } from '../src/lookups/resource.js';
import { type Cohort, cohortSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { proposePlan } from '../src/plans/propose.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { defineModal, encodeOrigin, type ModalValues } from '../src/registry/interaction.js';

const PAGE_SIZE = 10;

const cohortsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/cohorts/`;
const cohortPath = (pid: ProjectSelector, id: number | string) => path`/api/projects/${pid}/cohorts/${id}/`;

const row = (c: Cohort): CohortRow => ({ id: c.id, name: c.name ?? '', count: c.count ?? null, isStatic: c.is_static ?? false, calculating: c.is_calculating ?? false });
const card = (c: Cohort): CohortCard => ({
  ...row(c),
  description: c.description ?? '',
  criteria: describeCohortFilters(c.filters),
  createdAt: c.created_at ?? null,
  createdBy: c.created_by?.first_name || c.created_by?.email || null,
});

const list = defineCommand({
  name: 'cohorts',
  aliases: ['cohort list'],
  summary: 'Cohorts of the project, with their sizes',
  usage: '[search]',
  examples: ['/ph cohorts', '/ph cohorts paying'],
  args: z.object({ search: z.string().optional(), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset }) =>
    cohortsMessage(await listResource(ctx, { command: 'cohorts', path: cohortsPath, schema: cohortSchema, row, limit: PAGE_SIZE, offset, search })),
});

const show = defineCommand({
  name: 'cohort',
  aliases: ['cohort show'],
  summary: 'One cohort: its size and who is in it',
  usage: '<id|name>',
  examples: ['/ph cohort 50001', '/ph cohort Paying customers'],
  args: z.object({ cohort: z.string().trim().min(1) }),
  rest: 'cohort',
  mutates: false,
  role: 'reader',
  run: (ctx, { cohort }) =>
    showResource(
      ctx,
      {
        input: cohort,
        noun: 'cohort',
        listCommand: 'cohorts',
        path: cohortsPath,
        schema: cohortSchema,
        byId: ({ pid, get }) => (/^\d+$/.test(cohort) ? get(cohortPath(pid, cohort)) : null),
        nameOf: (c) => c.name ?? '',
        pick: (c) => ({ title: c.name || 'Untitled cohort', detail: `\`${c.id}\``, command: `cohort ${c.id}` }),
      },
      (c, where) => cohortMessage({ cohort: card(c), ...where }),
    ),
});

const conditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: z.string().min(1).max(400), days: z.number().int().min(1).max(365) }),
  z.object({ kind: z.literal('property'), key: z.string().min(1).max(400), operator: z.enum(PROPERTY_OPERATORS), value: z.string().max(400) }),
]);
const createPayload = z.object({ projectId: z.number().int(), name: z.string().min(1).max(400), description: z.string().max(1000), condition: conditionSchema });
type CohortForm = Omit<z.infer<typeof createPayload>, 'projectId'>;

const CREATE = 'cohort create';

const create = defineCommand({
  name: CREATE,
  summary: 'Create a cohort in a form: people who performed an event lately, or who have a person property',
  args: z.object({}),
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx) => {
    if (!ctx.triggerId) throw new CommandError('`/ph cohort create` opens a form, which needs a slash command or a button click.');
    await ctx.openModal(cohortCreateModal({ privateMetadata: encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl }) }));
    return formOpenedMessage('cohort');
  },
  apply: async (ctx, payload) => {
    const posthog = await ctx.posthog();
    const created = await posthog.request('POST', cohortsPath(payload.projectId), cohortSchema, {
      body: { name: payload.name, description: payload.description, is_static: false, filters: cohortFilters(payload.condition) },
    });
    return cohortCreatedMessage({ id: created.id, name: created.name ?? payload.name, count: created.is_calculating ? null : (created.count ?? null), appUrl: ctx.config.posthogAppUrl, projectId: payload.projectId });
  },
});

/** The form's one condition, checked field by field so Slack can show each error beside its field. */
function validateCohortForm(values: ModalValues): { errors: Record<string, string> } | { data: CohortForm } {
  const f = COHORT_FIELDS;
  const errors: Record<string, string> = {};
  const name = readText(values, f.name);
  const description = readText(values, f.description);
  const kind = readChoice(values, f.kind) || 'event';
  if (name === '') errors[f.name] = 'Give the cohort a name.';
  let condition: CohortCondition | null = null;
  if (kind === 'event') {
    const event = readText(values, f.event);
    const daysText = readText(values, f.days) || '30';
    const days = Number(daysText);
    if (event === '') errors[f.event] = 'Which event? For example signed_up.';
    if (!/^\d+$/.test(daysText) || days < 1 || days > 365) errors[f.days] = 'A whole number of days from 1 to 365.';
    condition = { kind: 'event', event, days };
  } else if (kind === 'property') {
    const key = readText(values, f.property);
    const operator = (readChoice(values, f.operator) || 'exact') as PropertyOperator;
    const value = readText(values, f.value);
    if (key === '') errors[f.property] = 'Which person property? For example email.';
    if (!PROPERTY_OPERATORS.includes(operator)) errors[f.operator] = 'Pick a condition.';
    else if (operator !== 'is_set' && value === '') errors[f.value] = 'What value should the property have?';
    else if ((operator === 'gt' || operator === 'lt') && !Number.isFinite(Number(value))) errors[f.value] = 'Greater / less than needs a number.';
    condition = { kind: 'property', key, operator, value: operator === 'is_set' ? '' : value };
  } else {
    errors[f.kind] = 'Pick the kind of condition.';
  }
  if (Object.keys(errors).length > 0 || condition === null) return { errors };
  return { data: { name, description, condition } };
}

async function planCohort(ctx: CommandContext, form: CohortForm) {
  const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
  const same = (await posthog.listPage(cohortsPath(project.id), cohortSchema, { limit: 50, query: { search: form.name } })).results.filter(
    (c) => (c.name ?? '').toLowerCase() === form.name.toLowerCase(),
  );
  return {
    title: `Create cohort “${form.name}”`,
    target: await planTarget(ctx, project),
    changes: [
      { what: 'Cohort', before: 'none', after: form.name },
      { what: 'Who is in it', before: '–', after: `people who ${describeCondition(form.condition)}` },
      ...(form.description ? [{ what: 'Description', before: 'none', after: form.description }] : []),
    ],
    ...(same.length > 0 ? { warning: `A cohort with this name already exists (id ${same.map((c) => c.id).join(', ')}).` } : {}),
    payload: { projectId: project.id, ...form },
  };
}

export const interactions = [
  defineModal({
    callbackId: COHORT_CREATE_MODAL,
    role: create.role,
    validate: (values) => validateCohortForm(values),
    submit: async (ctx, form: CohortForm): Promise<Message> => proposePlan(ctx, { name: CREATE }, await planCohort(ctx, form)),
  }),
];

export default [list, show, create];
