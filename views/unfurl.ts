import { context, escapeMrkdwn, fields, type KnownBlock, section, truncate } from './blocks.js';

/** What `chat.unfurl` takes for one URL. */
export interface UnfurlCard {
  blocks: KnownBlock[];
}

const title = (icon: string, name: string, url: string, kind: string) =>
  section(`${icon} *<${url}|${escapeMrkdwn(truncate(name, 200))}>* · ${kind}`);
const date = (iso: string | null) => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? 'unknown' : `<!date^${Math.floor(ms / 1000)}^{date_short_pretty}|${new Date(ms).toISOString().slice(0, 10)}>`;
};

export function flagCard(m: {
  url: string;
  key: string;
  name: string;
  active: boolean;
  rollout: string;
  updatedAt: string | null;
  tags: string[];
}): UnfurlCard {
  const blocks: KnownBlock[] = [
    title(':triangular_flag_on_post:', m.key, m.url, 'feature flag'),
    fields([
      ['Status', m.active ? ':large_green_circle: on' : ':white_circle: off'],
      ['Rollout', escapeMrkdwn(m.rollout)],
      ['Updated', date(m.updatedAt)],
      ...(m.tags.length > 0 ? [['Tags', m.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ')] as const] : []),
    ]),
  ];
  if (m.name) blocks.push(context(escapeMrkdwn(truncate(m.name, 300))));
  return { blocks };
}

/** `imageUrl`: the chart at a signed URL on Hogbot's server; `chartInThread`: it was shared in the link's thread instead. */
export function insightCard(m: {
  url: string;
  name: string;
  description: string | null;
  summary: string | null;
  sparkline: string | null;
  imageUrl: string | null;
  chartInThread?: boolean;
  kind: string | null;
}): UnfurlCard {
  const blocks: KnownBlock[] = [title(':chart_with_upwards_trend:', m.name, m.url, 'insight')];
  const lines = [m.summary ? escapeMrkdwn(m.summary) : null, m.imageUrl === null && m.sparkline ? `\`${m.sparkline}\`` : null].filter(
    Boolean,
  );
  if (lines.length > 0) blocks.push(section(lines.join('\n')));
  if (m.imageUrl) blocks.push({ type: 'image', image_url: m.imageUrl, alt_text: truncate(`Chart of ${m.name}`, 2000) } as KnownBlock);
  const notes = [
    m.description ? escapeMrkdwn(truncate(m.description, 300)) : null,
    m.kind && !m.summary ? `${escapeMrkdwn(m.kind)}: open it in PostHog to see it drawn` : null,
    m.chartInThread ? 'Chart in the thread' : null,
  ].filter((x): x is string => x !== null);
  if (notes.length > 0) blocks.push(context(...notes));
  return { blocks };
}

export function dashboardCard(m: { url: string; name: string; description: string | null; tiles: string[]; pinned: boolean }): UnfurlCard {
  const shown = m.tiles.slice(0, 8).map((t) => `• ${escapeMrkdwn(truncate(t, 120))}`);
  const more = m.tiles.length > shown.length ? `\n_and ${m.tiles.length - shown.length} more_` : '';
  const blocks: KnownBlock[] = [title(':bar_chart:', m.name, m.url, `dashboard${m.pinned ? ' · pinned' : ''}`)];
  blocks.push(
    section(
      m.tiles.length > 0
        ? `*${m.tiles.length} ${m.tiles.length === 1 ? 'insight' : 'insights'}*\n${shown.join('\n')}${more}`
        : '_No insights on it yet._',
    ),
  );
  if (m.description) blocks.push(context(escapeMrkdwn(truncate(m.description, 300))));
  return { blocks };
}

export function experimentCard(m: {
  url: string;
  name: string;
  status: string;
  flagKey: string;
  startDate: string | null;
  endDate: string | null;
  variants: string[];
}): UnfurlCard {
  const icon = m.status === 'running' ? ':large_green_circle:' : m.status === 'draft' ? ':white_circle:' : ':black_square_for_stop:';
  return {
    blocks: [
      title(':test_tube:', m.name, m.url, 'experiment'),
      fields([
        ['Status', `${icon} ${m.status}`],
        ['Flag', `\`${escapeMrkdwn(m.flagKey)}\``],
        ['Started', m.startDate ? date(m.startDate) : 'not yet'],
        ['Variants', m.variants.length > 0 ? m.variants.map((v) => `\`${escapeMrkdwn(v)}\``).join(' ') : '–'],
        ...(m.endDate ? [['Ended', date(m.endDate)] as const] : []),
      ]),
    ],
  };
}

export function recordingCard(m: {
  url: string;
  person: string;
  duration: string;
  start: string;
  clicks: number | null;
  errors: number | null;
  startUrl: string | null;
}): UnfurlCard {
  return {
    blocks: [
      title(':movie_camera:', `Recording of ${m.person}`, m.url, 'session replay'),
      fields([
        ['Started', date(m.start)],
        ['Duration', escapeMrkdwn(m.duration)],
        ['Clicks', m.clicks === null ? '–' : String(m.clicks)],
        ['Console errors', m.errors === null ? '–' : String(m.errors)],
      ]),
      ...(m.startUrl ? [context(`Started on ${escapeMrkdwn(truncate(m.startUrl, 200))}`)] : []),
    ],
  };
}
