import { z } from 'zod';
import type { Message } from '../views/blocks.js';
import {
  SURVEY_CREATE_MODAL,
  type SurveyCard,
  type SurveyRow,
  type SurveyStatus,
  surveyMessage,
  surveysMessage,
} from '../views/surveys.js';
import {
  applySurvey,
  createPayload,
  openSurveyForm,
  planSurvey,
  type SurveyForm,
  surveysPath,
  validateSurveyForm,
} from '../src/surveys/create.js';
import { listResource, offsetArg, type ProjectSelector, showResource } from '../src/lookups/resource.js';
import { type Survey, surveySchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { proposePlan } from '../src/plans/propose.js';
import { defineCommand } from '../src/registry/command.js';
import { defineModal } from '../src/registry/interaction.js';

const PAGE_SIZE = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const surveyPath = (pid: ProjectSelector, id: string) => path`/api/projects/${pid}/surveys/${id}/`;

function statusOf(s: Survey, now: Date): SurveyStatus {
  if (s.archived) return 'archived';
  if (!s.start_date) return 'draft';
  if (s.end_date && Date.parse(s.end_date) <= now.getTime()) return 'completed';
  return 'running';
}

const row = (s: Survey, now: Date): SurveyRow => ({
  id: s.id,
  name: s.name,
  type: s.type,
  status: statusOf(s, now),
  questions: s.questions?.length ?? 0,
});
const card = (s: Survey, now: Date): SurveyCard => ({
  ...row(s, now),
  description: s.description ?? '',
  questions: (s.questions ?? []).map((q) => ({ type: q.type, question: q.question, choices: q.choices ?? [], scale: q.scale ?? null })),
  startDate: s.start_date ?? null,
  endDate: s.end_date ?? null,
  linkedFlag: s.linked_flag?.key ?? null,
});

const list = defineCommand({
  name: 'surveys',
  aliases: ['survey list'],
  summary: 'Surveys of the project, with their status',
  usage: '[search]',
  examples: ['/ph surveys', '/ph surveys nps'],
  args: z.object({ search: z.string().optional(), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset }) =>
    surveysMessage(
      await listResource(ctx, {
        command: 'surveys',
        path: surveysPath,
        schema: surveySchema,
        row: (s) => row(s, ctx.now()),
        limit: PAGE_SIZE,
        offset,
        search,
      }),
    ),
});

const show = defineCommand({
  name: 'survey',
  aliases: ['survey show'],
  summary: 'One survey: its status and questions',
  usage: '<id|name>',
  examples: ['/ph survey NPS'],
  args: z.object({ survey: z.string().trim().min(1) }),
  rest: 'survey',
  mutates: false,
  role: 'reader',
  run: (ctx, { survey }) =>
    showResource(
      ctx,
      {
        input: survey,
        noun: 'survey',
        listCommand: 'surveys',
        path: surveysPath,
        schema: surveySchema,
        // Survey ids are UUIDs, which PostHog stores in lower case.
        byId: ({ pid, get }) => (UUID.test(survey) ? get(surveyPath(pid, survey.toLowerCase())) : null),
        nameOf: (s) => s.name,
        pick: (s) => ({ title: s.name, detail: statusOf(s, ctx.now()), command: `survey ${s.id}` }),
      },
      (s, where) => surveyMessage({ survey: card(s, ctx.now()), ...where }),
    ),
});

const CREATE = 'survey create';

const create = defineCommand({
  name: CREATE,
  summary: 'Create a draft survey in a form: open text, rating and single-choice questions',
  args: z.object({}),
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: openSurveyForm,
  apply: applySurvey,
});

export const interactions = [
  defineModal({
    callbackId: SURVEY_CREATE_MODAL,
    role: create.role,
    validate: (values) => validateSurveyForm(values),
    submit: async (ctx, form: SurveyForm): Promise<Message> => proposePlan(ctx, { name: CREATE }, await planSurvey(ctx, form)),
  }),
];

export default [list, show, create];
