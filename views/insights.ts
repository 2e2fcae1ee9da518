import { context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section, truncate, type View } from './blocks.js';
import { insightUrl } from './dashboards.js';
import { type Choice, selectField, textField } from './form.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { slackDate } from './slack-date.js';

interface Where {
  appUrl: string;
  projectId: number;
}

export interface InsightRow {
  id: number;
  shortId: string;
  name: string;
  kind: string;
  favorited: boolean;
  lastModifiedAt: string | null;
}

export interface SeriesSummary {
  label: string;
  total: number;
  latest: number | null;
}

export interface InsightCard extends InsightRow {
  description: string;
  /** "$pageview · Unique users · daily · last 30 days · by $browser"; null when the query is not a trend. */
  definition: string | null;
  series: SeriesSummary[];
  lastRefresh: string | null;
  /** The chart at a signed URL on Hogbot's server, or where it went instead (a shared file) or why there is none. */
  chart: { imageUrl: string; altText: string } | { note: string };
}

export const INSIGHT_CREATE_MODAL = 'hogbot_insight_create';
export const INSIGHT_FIELDS = {
  name: 'insight_name',
  event: 'insight_event',
  math: 'insight_math',
  interval: 'insight_interval',
  range: 'insight_range',
  breakdown: 'insight_breakdown',
  breakdownType: 'insight_breakdown_type',
  dashboard: 'insight_dashboard',
} as const;

export const MATH_CHOICES: readonly Choice[] = [
  { value: 'total', label: 'Total count' },
  { value: 'dau', label: 'Unique users' },
  { value: 'weekly_active', label: 'Weekly active users' },
  { value: 'monthly_active', label: 'Monthly active users' },
];
export const INTERVAL_CHOICES: readonly Choice[] = [
  { value: 'hour', label: 'Hour' },
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];
export const RANGE_CHOICES: readonly Choice[] = [
  { value: '-24h', label: 'Last 24 hours' },
  { value: '-7d', label: 'Last 7 days' },
  { value: '-14d', label: 'Last 14 days' },
  { value: '-30d', label: 'Last 30 days' },
  { value: '-90d', label: 'Last 90 days' },
  { value: '-180d', label: 'Last 180 days' },
  { value: 'mStart', label: 'This month' },
  { value: '-1y', label: 'Last 12 months' },
];
export const BREAKDOWN_TYPE_CHOICES: readonly Choice[] = [
  { value: 'event', label: 'Event property' },
  { value: 'person', label: 'Person property' },
];

const MATH_LABELS: Record<string, string> = {
  total: 'Total count',
  dau: 'Unique users',
  weekly_active: 'Weekly active users',
  monthly_active: 'Monthly active users',
  unique_session: 'Unique sessions',
  sum: 'Sum',
  avg: 'Average',
  min: 'Minimum',
  max: 'Maximum',
  median: 'Median',
};
const INTERVAL_LABELS: Record<string, string> = { hour: 'hourly', day: 'daily', week: 'weekly', month: 'monthly' };

export const mathLabel = (math: string | null | undefined, property?: string | null) =>
  `${MATH_LABELS[math ?? 'total'] ?? math}${property ? ` of ${property}` : ''}`;
export const intervalLabel = (interval: string | null | undefined) => INTERVAL_LABELS[interval ?? 'day'] ?? String(interval);

export function rangeLabel(from: string | null | undefined): string {
  const known = RANGE_CHOICES.find((c) => c.value === from);
  if (known) return known.label.toLowerCase();
  const relative = /^-(\d+)([hdwmy])$/.exec(from ?? '');
  if (relative) {
    const units: Record<string, string> = { h: 'hour', d: 'day', w: 'week', m: 'month', y: 'year' };
    const n = Number(relative[1]);
    return `last ${n} ${units[relative[2]!]}${n === 1 ? '' : 's'}`;
  }
  if (from === 'all') return 'all time';
  return from ? `since ${from}` : 'last 7 days';
}

const displayName = (name: string) => (name.trim() === '' ? 'Untitled insight' : name);
const star = (favorited: boolean) => (favorited ? ' :star:' : '');

export function insightsMessage(m: Where & { rows: InsightRow[]; search: string | null; page: PageModel }): Message {
  if (m.rows.length === 0) {
    const text = m.search
      ? `No insights match “${escapeMrkdwn(m.search)}”. See them all with \`/ph insights\`.`
      : m.page.offset > 0
        ? 'No more insights.'
        : 'This project has no saved insights yet. Create one with `/ph insight create`.';
    return { text: 'No insights', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [
    section(m.search ? `*Insights matching “${escapeMrkdwn(m.search)}”*` : '*Insights*, most recently changed first'),
  ];
  for (const i of m.rows) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*<${insightUrl(m, i.shortId)}|${escapeMrkdwn(displayName(i.name))}>*${star(i.favorited)}  ${escapeMrkdwn(i.kind)} · \`${escapeMrkdwn(i.shortId)}\` · changed ${slackDate(i.lastModifiedAt)}`,
      },
      accessory: runButton('Show', `insight ${i.shortId}`),
    });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.page.total ?? m.rows.length} insights`, blocks };
}

const MAX_SERIES_SHOWN = 10;
const number = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));

export function insightMessage(m: Where & { insight: InsightCard }): Message {
  const i = m.insight;
  const url = insightUrl(m, i.shortId);
  const blocks: KnownBlock[] = [
    header(`${displayName(i.name)}`),
    section(
      [
        i.description ? escapeMrkdwn(truncate(i.description, 500)) : null,
        i.definition ? `${escapeMrkdwn(i.kind)}: ${escapeMrkdwn(i.definition)}` : escapeMrkdwn(i.kind),
        `<${url}|Open in PostHog>`,
      ]
        .filter(Boolean)
        .join('\n'),
    ),
  ];
  if ('imageUrl' in i.chart) {
    blocks.push({
      type: 'image',
      image_url: i.chart.imageUrl,
      alt_text: truncate(i.chart.altText, 2000),
      title: { type: 'plain_text', text: truncate(displayName(i.name), 200) },
    } as KnownBlock);
  } else {
    blocks.push(context(escapeMrkdwn(i.chart.note)));
  }
  if (i.series.length > 0) {
    blocks.push(
      fields(
        i.series
          .slice(0, MAX_SERIES_SHOWN)
          .map(
            (s) =>
              [truncate(s.label, 80), `${number(s.total)} in range${s.latest === null ? '' : ` · ${number(s.latest)} latest`}`] as const,
          ),
      ),
    );
    if (i.series.length > MAX_SERIES_SHOWN) blocks.push(context(`${i.series.length - MAX_SERIES_SHOWN} more series in PostHog.`));
  }
  blocks.push(
    context(`\`${escapeMrkdwn(i.shortId)}\` · id ${i.id}${star(i.favorited)} · computed ${slackDate(i.lastRefresh, 'datetime')}`),
  );
  return { text: `Insight ${i.name}`, blocks };
}

/**
 * The insight form. It opens at once (the trigger_id lasts 3 s); the dashboard list is filled in by a views.update once
 * PostHog answers, so `dashboards` is 'loading' first, then the choices, or 'unavailable' if they could not be read.
 */
export function insightCreateModal(m: { privateMetadata: string; dashboards: readonly Choice[] | 'loading' | 'unavailable' }): View {
  const f = INSIGHT_FIELDS;
  const blocks: KnownBlock[] = [
    textField(f.name, 'Name', { placeholder: 'Daily signups', maxLength: 400 }),
    textField(f.event, 'Event', {
      placeholder: '$pageview',
      hint: 'The event to count, exactly as PostHog names it. `/ph events` lists them.',
      maxLength: 400,
    }),
    selectField(f.math, 'Measure', MATH_CHOICES, { initial: 'total' }),
    selectField(f.interval, 'Interval', INTERVAL_CHOICES, { initial: 'day' }),
    selectField(f.range, 'Date range', RANGE_CHOICES, { initial: '-30d' }),
    textField(f.breakdown, 'Break down by (optional)', { placeholder: '$browser', optional: true, maxLength: 400 }),
    selectField(f.breakdownType, 'Breakdown property type', BREAKDOWN_TYPE_CHOICES, { initial: 'event' }),
  ];
  if (m.dashboards === 'loading') blocks.push(context('_Loading dashboards…_'));
  else if (m.dashboards === 'unavailable') blocks.push(context('_Dashboards could not be loaded; the insight will be saved without one._'));
  else if (m.dashboards.length === 0) blocks.push(context('_This project has no dashboards to add the insight to._'));
  else blocks.push(selectField(f.dashboard, 'Add to dashboard (optional)', m.dashboards, { optional: true, placeholder: 'No dashboard' }));
  return {
    type: 'modal',
    callback_id: INSIGHT_CREATE_MODAL,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'New trends insight' },
    submit: { type: 'plain_text', text: 'Review' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export function insightCreatedMessage(
  m: Where & { id: number; shortId: string; name: string; dashboard: { id: number; name: string } | null },
): Message {
  const on = m.dashboard ? ` on dashboard *${escapeMrkdwn(m.dashboard.name)}*` : '';
  const text = `:white_check_mark: Created insight *<${insightUrl(m, m.shortId)}|${escapeMrkdwn(m.name)}>* (\`${escapeMrkdwn(m.shortId)}\`)${on}.`;
  return {
    text: `Created insight ${m.name}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text }, accessory: runButton('Show chart', `insight ${m.shortId}`) }],
  };
}
