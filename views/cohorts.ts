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

export interface CohortRow {
  id: number;
  name: string;
  /** null while PostHog has not counted it. */
  count: number | null;
  isStatic: boolean;
  calculating: boolean;
}

export interface CohortCard extends CohortRow {
  description: string;
  /** The criteria in words; null for static or legacy cohorts. */
  criteria: string | null;
  createdAt: string | null;
  createdBy: string | null;
}

export const cohortUrl = (w: Where, id: number) => projectUrl(w.appUrl, w.projectId, `/cohorts/${id}`);

const displayName = (name: string) => (name.trim() === '' ? 'Untitled cohort' : name);

function size(c: CohortRow): string {
  if (c.calculating) return 'calculating…';
  if (c.count === null) return 'not counted yet';
  return `${c.count.toLocaleString('en-US')} ${c.count === 1 ? 'person' : 'persons'}`;
}

export function cohortsMessage(m: Where & { rows: CohortRow[]; search: string | null; page: PageModel }): Message {
  if (m.rows.length === 0) {
    const text = m.search
      ? `No cohorts match “${escapeMrkdwn(m.search)}”. See them all with \`/ph cohorts\`.`
      : m.page.offset > 0
        ? 'No more cohorts.'
        : 'This project has no cohorts yet. Create one with `/ph cohort create`.';
    return { text: 'No cohorts', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(m.search ? `*Cohorts matching “${escapeMrkdwn(m.search)}”*` : '*Cohorts*, newest first')];
  for (const c of m.rows) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*<${cohortUrl(m, c.id)}|${escapeMrkdwn(displayName(c.name))}>*  \`${c.id}\` · ${size(c)}${c.isStatic ? ' · static' : ''}`,
      },
      accessory: runButton('Show', `cohort ${c.id}`),
    });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.page.total ?? m.rows.length} cohorts`, blocks };
}

export function cohortMessage(m: Where & { cohort: CohortCard }): Message {
  const c = m.cohort;
  const criteria = c.isStatic
    ? '_A static list: people are added by upload or by hand._'
    : c.criteria
      ? escapeMrkdwn(truncate(c.criteria, 1500))
      : '_Criteria PostHog shows in the app only._';
  return {
    text: `Cohort ${c.name}: ${size(c)}`,
    blocks: [
      header(displayName(c.name)),
      section(`${c.description ? `${escapeMrkdwn(truncate(c.description, 500))}\n` : ''}<${cohortUrl(m, c.id)}|Open in PostHog>`),
      fields([
        ['Size', size(c)],
        ['Type', c.isStatic ? 'Static' : 'Dynamic'],
        ['Id', `\`${c.id}\``],
        ['Created', `${slackDate(c.createdAt)}${c.createdBy ? ` by ${escapeMrkdwn(c.createdBy)}` : ''}`],
      ]),
      section(`*Who is in it*\n${criteria}`),
    ],
  };
}

export const COHORT_CREATE_MODAL = 'hogbot_cohort_create';
export const COHORT_FIELDS = {
  name: 'cohort_name',
  description: 'cohort_description',
  kind: 'cohort_kind',
  event: 'cohort_event',
  days: 'cohort_days',
  property: 'cohort_property',
  operator: 'cohort_operator',
  value: 'cohort_value',
} as const;

export const COHORT_KIND_CHOICES: readonly Choice[] = [
  { value: 'event', label: 'Performed an event recently' },
  { value: 'property', label: 'Has a person property' },
];
export const OPERATOR_CHOICES: readonly Choice[] = [
  { value: 'exact', label: 'equals' },
  { value: 'is_not', label: 'does not equal' },
  { value: 'icontains', label: 'contains' },
  { value: 'not_icontains', label: 'does not contain' },
  { value: 'is_set', label: 'is set (any value)' },
  { value: 'gt', label: 'greater than (number)' },
  { value: 'lt', label: 'less than (number)' },
];

/** One condition: either the event part or the property part is filled in, as `kind` says. */
export function cohortCreateModal(m: { privateMetadata: string }): View {
  const f = COHORT_FIELDS;
  return {
    type: 'modal',
    callback_id: COHORT_CREATE_MODAL,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'New cohort' },
    submit: { type: 'plain_text', text: 'Review' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      textField(f.name, 'Name', { placeholder: 'Recent signups', maxLength: 400 }),
      textField(f.description, 'Description', { optional: true, multiline: true, maxLength: 1000 }),
      selectField(f.kind, 'People who…', COHORT_KIND_CHOICES, { initial: 'event' }),
      { type: 'header', text: { type: 'plain_text', text: 'Performed an event' } },
      textField(f.event, 'Event', {
        optional: true,
        placeholder: 'signed_up',
        hint: 'Exactly as PostHog names it; `/ph events` lists them.',
        maxLength: 400,
      }),
      textField(f.days, 'In the last … days', { optional: true, initial: '30', maxLength: 3 }),
      { type: 'header', text: { type: 'plain_text', text: 'Or has a person property' } },
      textField(f.property, 'Person property', {
        optional: true,
        placeholder: 'email',
        hint: '`/ph properties --type person` lists them.',
        maxLength: 400,
      }),
      selectField(f.operator, 'Condition', OPERATOR_CHOICES, { initial: 'exact', optional: true }),
      textField(f.value, 'Value', { optional: true, placeholder: 'acme.com', maxLength: 400 }),
    ],
  };
}

export function cohortCreatedMessage(m: Where & { id: number; name: string; count: number | null }): Message {
  const counted =
    m.count === null
      ? ' PostHog is counting who is in it.'
      : ` It has ${m.count.toLocaleString('en-US')} ${m.count === 1 ? 'person' : 'persons'}.`;
  const text = `:white_check_mark: Created cohort *<${cohortUrl(m, m.id)}|${escapeMrkdwn(m.name)}>* (\`${m.id}\`).${counted}`;
  return {
    text: `Created cohort ${m.name}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text }, accessory: runButton('Show', `cohort ${m.id}`) },
      context('People join and leave a dynamic cohort as they match.'),
    ],
  };
}
