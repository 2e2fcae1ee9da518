/** Surveys (uuid ids, unique names, hard delete allowed). Launch = PATCH `start_date`; stop = PATCH `end_date`. */
import { newSurvey } from '../factories.js';
import { isoTime } from '../http.js';
import type { ProjectData, Stored } from '../model.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { live } from './context.js';
import { byNewest, registerCrud } from './crud.js';
import { presentFlag } from './flags.js';
import { choice, invalid, optionalBool, optionalDateTime, optionalList, optionalString, requiredString } from './validate.js';

const TYPES = ['popover', 'widget', 'api', 'external_survey'] as const;
const QUESTION_TYPES = ['open', 'link', 'rating', 'multiple_choice', 'single_choice'] as const;

export function registerSurveys(routes: ApiRoutes): void {
  registerCrud(routes, {
    path: '/surveys',
    collection: (d) => d.surveys,
    softDelete: false,
    searchFields: ['name', 'description'],
    filter: (ctx, s) => {
      const archived = ctx.query.get('archived');
      return archived === null || String(s.archived) === archived.toLowerCase();
    },
    order: byNewest,
    present: (ctx, s) => presentSurvey(ctx, s),
    create: (ctx, body) => {
      const name = uniqueName(ctx.data, requiredString(body, 'name'), null);
      const type = choice(body, 'type', TYPES) ?? invalid('type', 'This field is required.', 'required');
      const questions = validQuestions(body) ?? [];
      const survey = newSurvey(
        ctx.state.rng.uuid4(),
        questions.map(() => ctx.state.rng.uuid4()),
        { now: isoTime(ctx.now), user: ctx.account.user },
        {
          name,
          type,
          questions,
          description: optionalString(body, 'description', { allowBlank: true, allowNull: true }) ?? '',
          start_date: optionalDateTime(body, 'start_date', isoTime) ?? null,
          end_date: optionalDateTime(body, 'end_date', isoTime) ?? null,
          linked_flag_id: linkedFlag(ctx, body) ?? null,
        },
      );
      return survey;
    },
    update: (ctx, s, body) => {
      const name = body.name === undefined ? undefined : uniqueName(ctx.data, requiredString(body, 'name'), s);
      const description = optionalString(body, 'description', { allowBlank: true, allowNull: true });
      const type = choice(body, 'type', TYPES);
      const questions = validQuestions(body);
      const start = optionalDateTime(body, 'start_date', isoTime);
      const end = optionalDateTime(body, 'end_date', isoTime);
      const archived = optionalBool(body, 'archived');
      const flagId = linkedFlag(ctx, body);
      if (name !== undefined) s.name = name;
      if (description !== undefined) s.description = description ?? '';
      if (type !== undefined) s.type = type;
      if (questions !== undefined) s.questions = questions.map((q) => ({ id: q.id ?? ctx.state.rng.uuid4(), ...q }));
      if (start !== undefined) s.start_date = start;
      if (end !== undefined) s.end_date = end;
      if (archived !== undefined) s.archived = archived;
      if (flagId !== undefined) s.linked_flag_id = flagId;
    },
  });
}

function presentSurvey(ctx: ProjectContext, survey: Stored): Record<string, unknown> {
  const flag = ctx.data.feature_flags.find((f) => f.id === survey.linked_flag_id);
  return { ...survey, linked_flag: flag ? presentFlag(flag, ctx.data) : null };
}

function uniqueName(data: ProjectData, name: string, self: Stored | null): string {
  if (live(data.surveys).some((s) => s !== self && s.name === name)) invalid('name', 'There is already a survey with this name.', 'unique');
  return name;
}

function validQuestions(body: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const questions = optionalList(body, 'questions');
  if (questions === undefined) return undefined;
  for (const q of questions) {
    const question = q as Record<string, unknown> | null;
    if (typeof question !== 'object' || question === null || Array.isArray(question))
      invalid('questions', 'Questions must be a list of objects');
    if (typeof question.question !== 'string' || question.question.trim() === '') invalid('questions', 'Question text is required');
    if (!QUESTION_TYPES.includes(question.type as (typeof QUESTION_TYPES)[number]))
      invalid('questions', `Question type must be one of ${QUESTION_TYPES.join(', ')}`);
    if ((question.type === 'single_choice' || question.type === 'multiple_choice') && !Array.isArray(question.choices)) {
      invalid('questions', 'Question choices must be a list of strings');
    }
  }
  return questions as Record<string, unknown>[];
}

function linkedFlag(ctx: ProjectContext, body: Record<string, unknown>): number | null | undefined {
  const raw = body.linked_flag_id;
  if (raw === undefined || raw === null) return raw;
  if (!live(ctx.data.feature_flags).some((f) => f.id === raw))
    invalid('linked_flag_id', `Invalid pk "${String(raw)}" - object does not exist.`, 'does_not_exist');
  return raw as number;
}
