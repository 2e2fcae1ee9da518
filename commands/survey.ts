import { z } from 'zod';
import { escapeMrkdwn, type Message } from '../views/blocks.js';
import { formOpenedMessage, readChoice, readText } from '../views/form.js';
import {
  SURVEY_CREATE_MODAL,
  SURVEY_FIELDS,
  SURVEY_QUESTION_SLOTS,
  type SurveyCard,
  type SurveyRow,
  type SurveyStatus,
  surveyCreatedMessage,
  surveyCreateModal,
  surveyMessage,
  surveysMessage,
} from '../views/surveys.js';
import { CommandError } from '../src/errors.js';
import { currentProject, planTarget } from '../src/lookups/named.js';
import { listResource, offsetArg, type ProjectSelector, showResource } from '../src/lookups/resource.js';
import { type Survey, surveySchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { proposePlan } from '../src/plans/propose.js';
import { type CommandContext, defineCommand } from '../src/registry/command.js';
import { defineModal, encodeOrigin, type ModalValues } from '../src/registry/interaction.js';

const PAGE_SIZE = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const surveysPath = (pid: ProjectSelector) => path`/api/projects/${pid}/surveys/`;
const surveyPath = (pid: ProjectSelector, id: string) => path`/api/projects/${pid}/surveys/${id}/`;

function statusOf(s: Survey, now: Date): SurveyStatus {
  if (s.archived) return 'archived';
  if (!s.start_date) return 'draft';
  if (s.end_date && Date.parse(s.end_date) <= now.getTime()) return 'completed';
  return 'running';
}

const row = (s: Survey, now: Date): SurveyRow => ({ id: s.id, name: s.name, type: s.type, status: statusOf(s, now), questions: s.questions?.length ?? 0 });
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
    surveysMessage(await listResource(ctx, { command: 'surveys', path: surveysPath, schema: surveySchema, row: (s) => row(s, ctx.now()), limit: PAGE_SIZE, offset, search })),
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

const questionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), question: z.string().min(1).max(1000) }),
  z.object({ type: z.literal('rating'), question: z.string().min(1).max(1000), scale: z.union([z.literal(5), z.literal(7), z.literal(10)]), display: z.literal('number') }),
  z.object({ type: z.literal('single_choice'), question: z.string().min(1).max(1000), choices: z.array(z.string().min(1).max(200)).min(2).max(20) }),
]);
const createPayload = z.object({
  projectId: z.number().int(),
  name: z.string().min(1).max(400),
  type: z.enum(['popover', 'widget', 'api']),
  description: z.string().max(1000),
  questions: z.array(questionSchema).min(1).max(SURVEY_QUESTION_SLOTS),
});
type SurveyForm = Omit<z.infer<typeof createPayload>, 'projectId'>;
type Question = z.infer<typeof questionSchema>;

const CREATE = 'survey create';

const create = defineCommand({
  name: CREATE,
  summary: 'Create a draft survey in a form: open text, rating and single-choice questions',
  args: z.object({}),
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: async (ctx) => {
    if (!ctx.triggerId) throw new CommandError('`/ph survey create` opens a form, which needs a slash command or a button click.');
    await ctx.openModal(surveyCreateModal({ privateMetadata: encodeOrigin({ channelId: ctx.channelId, responseUrl: ctx.responseUrl }) }));
    return formOpenedMessage('survey');
  },
  apply: async (ctx, payload) => {
    const posthog = await ctx.posthog();
    const { projectId, ...body } = payload;
    const created = await posthog.request('POST', surveysPath(projectId), surveySchema, { body });
    return surveyCreatedMessage({ id: created.id, name: created.name, appUrl: ctx.config.posthogAppUrl, projectId });
  },
});

const MAX_CHOICES = 20;

/** Every question slot checked on its own, so each error shows beside its field. */
function validateSurveyForm(values: ModalValues): { errors: Record<string, string> } | { data: SurveyForm } {
  const f = SURVEY_FIELDS;
  const errors: Record<string, string> = {};
  const name = readText(values, f.name);
  const type = readChoice(values, f.type) || 'popover';
  if (name === '') errors[f.name] = 'Give the survey a name.';
  if (!['popover', 'widget', 'api'].includes(type)) errors[f.type] = 'Pick how the survey is shown.';
  const questions: Question[] = [];
  for (let n = 1; n <= SURVEY_QUESTION_SLOTS; n += 1) {
    const q = f.question(n);
    const question = readText(values, q.text);
    const kind = readChoice(values, q.kind) || 'open';
    const choices = readText(values, q.choices).split('\n').map((c) => c.trim()).filter((c) => c !== '');
    if (question === '') {
      if (n === 1) errors[q.text] = 'Write at least one question.';
      continue;
    }
    if (kind === 'single_choice') {
      if (choices.length < 2) errors[q.choices] = 'A single-choice question needs at least two choices, one per line.';
      else if (choices.length > MAX_CHOICES) errors[q.choices] = `At most ${MAX_CHOICES} choices.`;
      else if (new Set(choices).size !== choices.length) errors[q.choices] = 'Each choice must be different.';
      else if (choices.some((c) => c.length > 200)) errors[q.choices] = 'Keep each choice under 200 characters.';
      questions.push({ type: 'single_choice', question, choices });
    } else if (choices.length > 0) {
      errors[q.choices] = 'Only single-choice questions take choices: clear them, or change the kind.';
    } else if (kind === 'rating') {
      const scale = Number(readChoice(values, q.scale) || '5');
      questions.push({ type: 'rating', question, scale: scale === 7 || scale === 10 ? scale : 5, display: 'number' });
    } else if (kind === 'open') {
      questions.push({ type: 'open', question });
    } else {
      errors[q.kind] = 'Pick a kind of question.';
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { data: { name, type: type as SurveyForm['type'], description: readText(values, f.description), questions } };
}

const KIND_WORDS: Record<Question['type'], string> = { open: 'open text', rating: 'rating', single_choice: 'single choice' };

async function planSurvey(ctx: CommandContext, form: SurveyForm) {
  const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
  // PostHog refuses a second survey with the same name: say so before asking for a confirmation.
  const clash = (await posthog.listPage(surveysPath(project.id), surveySchema, { limit: 50, query: { search: form.name } })).results.find((s) => s.name === form.name);
  if (clash) throw new CommandError(`This project already has a survey named “${escapeMrkdwn(form.name)}”. Nothing was created; open the form again with another name.`);
  return {
    title: `Create survey “${form.name}”`,
    target: await planTarget(ctx, project),
    changes: [
      { what: 'Survey', before: 'none', after: `${form.name} (draft, ${form.type})` },
      ...form.questions.map((q, i) => ({
        what: `Question ${i + 1}`,
        before: '–',
        after: `${q.question} (${KIND_WORDS[q.type]}${q.type === 'single_choice' ? `: ${q.choices.join(' / ')}` : q.type === 'rating' ? ` ${q.scale === 10 ? 0 : 1}–${q.scale}` : ''})`,
      })),
    ],
    payload: { projectId: project.id, ...form },
  };
}

export const interactions = [
  defineModal({
    callbackId: SURVEY_CREATE_MODAL,
    role: create.role,
    validate: (values) => validateSurveyForm(values),
    submit: async (ctx, form: SurveyForm): Promise<Message> => proposePlan(ctx, { name: CREATE }, await planSurvey(ctx, form)),
  }),
];

export default [list, show, create];
