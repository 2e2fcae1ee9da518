import { z } from 'zod';
import type { Message } from '../views/blocks.js';
import { COHORT_CREATE_MODAL, type CohortCard, type CohortRow, cohortMessage, cohortsMessage } from '../views/cohorts.js';
import {
  applyCohort,
  type CohortForm,
  cohortsPath,
  createPayload,
  openCohortForm,
  planCohort,
  validateCohortForm,
} from '../src/cohorts/create.js';
import { describeCohortFilters } from '../src/cohorts/criteria.js';
import { listResource, offsetArg, type ProjectSelector, showResource } from '../src/lookups/resource.js';
import { type Cohort, cohortSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { proposePlan } from '../src/plans/propose.js';
import { defineCommand } from '../src/registry/command.js';
import { defineModal } from '../src/registry/interaction.js';

const PAGE_SIZE = 10;

const cohortPath = (pid: ProjectSelector, id: number | string) => path`/api/projects/${pid}/cohorts/${id}/`;

const row = (c: Cohort): CohortRow => ({
  id: c.id,
  name: c.name ?? '',
  count: c.count ?? null,
  isStatic: c.is_static ?? false,
  calculating: c.is_calculating ?? false,
});
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
    cohortsMessage(
      await listResource(ctx, { command: 'cohorts', path: cohortsPath, schema: cohortSchema, row, limit: PAGE_SIZE, offset, search }),
    ),
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

const CREATE = 'cohort create';

const create = defineCommand({
  name: CREATE,
  summary: 'Create a cohort in a form: people who performed an event lately, or who have a person property',
  args: z.object({}),
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: openCohortForm,
  apply: applyCohort,
});

export const interactions = [
  defineModal({
    callbackId: COHORT_CREATE_MODAL,
    role: create.role,
    validate: (values) => validateCohortForm(values),
    submit: async (ctx, form: CohortForm): Promise<Message> => proposePlan(ctx, { name: CREATE }, await planCohort(ctx, form)),
  }),
];

export default [list, show, create];
