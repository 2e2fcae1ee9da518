/** Creating a draft survey: the form's rules, the plan (refusing a name PostHog would refuse) and the POST. */
import { z } from 'zod';
import { escapeMrkdwn, type Message } from '../../views/blocks.js';
import { readChoice, readText } from '../../views/form.js';
import { SURVEY_FIELDS, SURVEY_QUESTION_SLOTS, surveyCreatedMessage, surveyCreateModal } from '../../views/surveys.js';
import { CommandError } from '../errors.js';
import { currentProject, planTarget } from '../lookups/named.js';
import type { ProjectSelector } from '../lookups/resource.js';
import { surveySchema } from '../posthog/content-schemas.js';
import { path } from '../posthog/path.js';
import type { CommandContext, PlanDraft } from '../registry/command.js';
import { openCreateForm } from '../registry/forms.js';
import type { ModalValues } from '../registry/interaction.js';

export const surveysPath = (pid: ProjectSelector) => path`/api/projects/${pid}/surveys/`;

const surveyTypeSchema = z.enum(['popover', 'widget', 'api']);

const questionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), question: z.string().min(1).max(1000) }),
  z.object({
    type: z.literal('rating'),
    question: z.string().min(1).max(1000),
    scale: z.union([z.literal(5), z.literal(7), z.literal(10)]),
    display: z.literal('number'),
  }),
  z.object({
    type: z.literal('single_choice'),
    question: z.string().min(1).max(1000),
    choices: z.array(z.string().min(1).max(200)).min(2).max(20),
  }),
]);
export const createPayload = z.object({
  projectId: z.number().int(),
  name: z.string().min(1).max(400),
  type: surveyTypeSchema,
  description: z.string().max(1000),
  questions: z.array(questionSchema).min(1).max(SURVEY_QUESTION_SLOTS),
});
export type SurveyForm = Omit<z.infer<typeof createPayload>, 'projectId'>;
type Question = z.infer<typeof questionSchema>;
export type CreatePayload = z.infer<typeof createPayload>;

/** `/ph survey create` opens the form; its submission plans (planSurvey). */
export async function openSurveyForm(ctx: CommandContext): Promise<Message> {
  return openCreateForm(ctx, 'survey create', 'survey', surveyCreateModal);
}

export async function applySurvey(ctx: CommandContext, payload: CreatePayload): Promise<Message> {
  const posthog = await ctx.posthog();
  const { projectId, ...body } = payload;
  const created = await posthog.request('POST', surveysPath(projectId), surveySchema, { body });
  return surveyCreatedMessage({ id: created.id, name: created.name, appUrl: ctx.config.posthogAppUrl, projectId });
}

const MAX_CHOICES = 20;

/** Every question slot checked on its own, so each error shows beside its field. */
export function validateSurveyForm(values: ModalValues): { errors: Record<string, string> } | { data: SurveyForm } {
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
    const choices = readText(values, q.choices)
      .split('\n')
      .map((c) => c.trim())
      .filter((c) => c !== '');
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
  const shown = surveyTypeSchema.safeParse(type);
  if (!shown.success) return { errors: { [f.type]: 'Pick how the survey is shown.' } };
  return { data: { name, type: shown.data, description: readText(values, f.description), questions } };
}

const KIND_WORDS: Record<Question['type'], string> = { open: 'open text', rating: 'rating', single_choice: 'single choice' };

export async function planSurvey(ctx: CommandContext, form: SurveyForm): Promise<PlanDraft<CreatePayload>> {
  const [posthog, project] = await Promise.all([ctx.posthog(), currentProject(ctx)]);
  // PostHog refuses a second survey with the same name: say so before asking for a confirmation.
  const clash = (await posthog.listPage(surveysPath(project.id), surveySchema, { limit: 50, query: { search: form.name } })).results.find(
    (s) => s.name === form.name,
  );
  if (clash)
    throw new CommandError(
      `This project already has a survey named “${escapeMrkdwn(form.name)}”. Nothing was created; open the form again with another name.`,
    );
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
