/** Creating a cohort: the form's rules, the plan (with a same-name warning) and the POST. Declared in commands/cohort.ts. */
import { z } from 'zod';
import type { Message } from '../../views/blocks.js';
import { cohortCreatedMessage, cohortCreateModal, COHORT_FIELDS } from '../../views/cohorts.js';
import { readChoice, readText } from '../../views/form.js';
import { currentProject, planTarget } from '../lookups/named.js';
import type { ProjectSelector } from '../lookups/resource.js';
import { cohortSchema } from '../posthog/content-schemas.js';
import { path } from '../posthog/path.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { openCreateForm } from '../registry/forms.js';
import type { ModalValues } from '../registry/interaction.js';
import { type CohortCondition, cohortFilters, describeCondition, PROPERTY_OPERATORS, type PropertyOperator } from './criteria.js';

export const cohortsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/cohorts/`;

const conditionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: z.string().min(1).max(400), days: z.number().int().min(1).max(365) }),
  z.object({
    kind: z.literal('property'),
    key: z.string().min(1).max(400),
    operator: z.enum(PROPERTY_OPERATORS),
    value: z.string().max(400),
  }),
]);
export const createPayload = z.object({
  projectId: z.number().int(),
  name: z.string().min(1).max(400),
  description: z.string().max(1000),
  condition: conditionSchema,
});
export type CohortForm = Omit<z.infer<typeof createPayload>, 'projectId'>;
export type CreatePayload = z.infer<typeof createPayload>;

/** `/ph cohort create` opens the form; its submission plans (planCohort). */
export async function openCohortForm(ctx: CommandContext): Promise<Message> {
  return openCreateForm(ctx, 'cohort create', 'cohort', cohortCreateModal);
}

export async function applyCohort(ctx: CommandContext, payload: CreatePayload): Promise<Message> {
  const posthog = await ctx.posthog();
  const created = await posthog.request('POST', cohortsPath(payload.projectId), cohortSchema, {
    body: { name: payload.name, description: payload.description, is_static: false, filters: cohortFilters(payload.condition) },
  });
  return cohortCreatedMessage({
    id: created.id,
    name: created.name ?? payload.name,
    count: created.is_calculating ? null : (created.count ?? null),
    appUrl: ctx.config.posthogAppUrl,
    projectId: payload.projectId,
  });
}

/** The form's one condition, checked field by field so Slack can show each error beside its field. */
export function validateCohortForm(values: ModalValues): { errors: Record<string, string> } | { data: CohortForm } {
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
    else if ((operator === 'gt' || operator === 'lt') && !Number.isFinite(Number(value)))
      errors[f.value] = 'Greater / less than needs a number.';
    condition = { kind: 'property', key, operator, value: operator === 'is_set' ? '' : value };
  } else {
    errors[f.kind] = 'Pick the kind of condition.';
  }
  if (Object.keys(errors).length > 0 || condition === null) return { errors };
  return { data: { name, description, condition } };
}

export async function planCohort(ctx: CommandContext, form: CohortForm): Promise<PlanDraft<CreatePayload>> {
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
