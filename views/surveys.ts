import { context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section, truncate, type View } from './blocks.js';
import { type Choice, selectField, textField } from './form.js';
import { projectUrl } from './links.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { slackDate } from './slack-date.js';

interface Where {
  appUrl: string;
  projectId: number;
}

export type SurveyStatus = 'draft' | 'running' | 'completed' | 'archived';

export interface SurveyQuestion {
  type: string;
  question: string;
  choices: string[];
  scale: number | null;
}

export interface SurveyRow {
  id: string;
  name: string;
  type: string;
  status: SurveyStatus;
  questions: number;
}

export interface SurveyCard extends Omit<SurveyRow, 'questions'> {
  description: string;
  questions: SurveyQuestion[];
  startDate: string | null;
  endDate: string | null;
  linkedFlag: string | null;
}

export const surveyUrl = (w: Where, id: string) => projectUrl(w.appUrl, w.projectId, `/surveys/${encodeURIComponent(id)}`);

const STATUS: Record<SurveyStatus, string> = {
  draft: ':white_circle: draft',
  running: ':large_green_circle: running',
  completed: ':checkered_flag: completed',
  archived: ':file_cabinet: archived',
};
const QUESTION_KIND: Record<string, string> = {
  open: 'Open text',
  rating: 'Rating',
  single_choice: 'Single choice',
  multiple_choice: 'Multiple choice',
  link: 'Link',
};
const TYPE_LABEL: Record<string, string> = { popover: 'Popover', widget: 'Feedback widget', api: 'API', external_survey: 'Hosted' };

export function surveysMessage(m: Where & { rows: SurveyRow[]; search: string | null; page: PageModel }): Message {
  if (m.rows.length === 0) {
    const text = m.search
      ? `No surveys match “${escapeMrkdwn(m.search)}”. See them all with \`/ph surveys\`.`
      : m.page.offset > 0
        ? 'No more surveys.'
        : 'This project has no surveys yet. Create one with `/ph survey create`.';
    return { text: 'No surveys', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(m.search ? `*Surveys matching “${escapeMrkdwn(m.search)}”*` : '*Surveys*, newest first')];
  for (const s of m.rows) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*<${surveyUrl(m, s.id)}|${escapeMrkdwn(s.name)}>*  ${STATUS[s.status]} · ${TYPE_LABEL[s.type] ?? escapeMrkdwn(s.type)} · ${s.questions} question${s.questions === 1 ? '' : 's'}`,
      },
      accessory: runButton('Show', `survey ${s.id}`),
    });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.page.total ?? m.rows.length} surveys`, blocks };
}

function questionText(q: SurveyQuestion, index: number): string {
  const kind = QUESTION_KIND[q.type] ?? q.type;
  const detail =
    q.type === 'rating' && q.scale
      ? ` (${q.scale === 10 ? 0 : 1}–${q.scale})`
      : q.choices.length > 0
        ? `: ${q.choices.map((c) => `“${escapeMrkdwn(c)}”`).join(', ')}`
        : '';
  return `${index + 1}. ${escapeMrkdwn(q.question)}\n      _${escapeMrkdwn(kind)}${detail}_`;
}

export function surveyMessage(m: Where & { survey: SurveyCard }): Message {
  const s = m.survey;
  const questions = s.questions.length === 0 ? '_No questions._' : s.questions.map(questionText).join('\n');
  return {
    text: `Survey ${s.name}: ${s.status}`,
    blocks: [
      header(s.name),
      section(`${s.description ? `${escapeMrkdwn(truncate(s.description, 500))}\n` : ''}<${surveyUrl(m, s.id)}|Open in PostHog>`),
      fields([
        ['Status', STATUS[s.status]],
        ['Type', TYPE_LABEL[s.type] ?? escapeMrkdwn(s.type)],
        ['Started', slackDate(s.startDate)],
        ['Ended', s.endDate ? slackDate(s.endDate) : '–'],
        ['Linked flag', s.linkedFlag ? `\`${escapeMrkdwn(s.linkedFlag)}\`` : '–'],
      ]),
      section(truncate(`*Questions*\n${questions}`, 3000)),
      context(`Id \`${escapeMrkdwn(s.id)}\``),
    ],
  };
}

export const SURVEY_CREATE_MODAL = 'hogbot_survey_create';
export const SURVEY_QUESTION_SLOTS = 3;
export const SURVEY_FIELDS = {
  name: 'survey_name',
  type: 'survey_type',
  description: 'survey_description',
  question: (n: number) => ({
    kind: `survey_q${n}_kind`,
    text: `survey_q${n}_text`,
    choices: `survey_q${n}_choices`,
    scale: `survey_q${n}_scale`,
  }),
} as const;

export const SURVEY_TYPE_CHOICES: readonly Choice[] = [
  { value: 'popover', label: 'Popover on your site' },
  { value: 'widget', label: 'Feedback button (widget)' },
  { value: 'api', label: 'API (you render it)' },
];
export const QUESTION_KIND_CHOICES: readonly Choice[] = [
  { value: 'open', label: 'Open text' },
  { value: 'rating', label: 'Rating' },
  { value: 'single_choice', label: 'Single choice' },
];
export const SCALE_CHOICES: readonly Choice[] = [
  { value: '5', label: '1 to 5' },
  { value: '7', label: '1 to 7' },
  { value: '10', label: '0 to 10 (NPS)' },
];

/** Up to three questions; the first is required, the others count only when their text is filled in. */
export function surveyCreateModal(m: { privateMetadata: string }): View {
  const f = SURVEY_FIELDS;
  const blocks: KnownBlock[] = [
    textField(f.name, 'Name', { placeholder: 'Onboarding feedback', maxLength: 400 }),
    selectField(f.type, 'Shown as', SURVEY_TYPE_CHOICES, { initial: 'popover' }),
    textField(f.description, 'Description', { optional: true, multiline: true, maxLength: 1000 }),
  ];
  for (let n = 1; n <= SURVEY_QUESTION_SLOTS; n += 1) {
    const q = f.question(n);
    const optional = n > 1;
    blocks.push(
      { type: 'header', text: { type: 'plain_text', text: `Question ${n}${optional ? ' (optional)' : ''}` } },
      textField(q.text, 'Question', { optional, maxLength: 1000 }),
      selectField(q.kind, 'Kind', QUESTION_KIND_CHOICES, { initial: 'open', optional }),
      textField(q.choices, 'Choices (single choice only)', { optional: true, multiline: true, hint: 'One per line, at least two.' }),
      selectField(q.scale, 'Scale (rating only)', SCALE_CHOICES, { initial: '5', optional: true }),
    );
  }
  return {
    type: 'modal',
    callback_id: SURVEY_CREATE_MODAL,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'New survey' },
    submit: { type: 'plain_text', text: 'Review' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export function surveyCreatedMessage(m: Where & { id: string; name: string }): Message {
  const text = `:white_check_mark: Created survey *<${surveyUrl(m, m.id)}|${escapeMrkdwn(m.name)}>* as a draft. Launch it from PostHog when it is ready.`;
  return {
    text: `Created survey ${m.name}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text }, accessory: runButton('Show', `survey ${m.id}`) }],
  };
}
