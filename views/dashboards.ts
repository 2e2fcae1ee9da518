import { context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section, truncate } from './blocks.js';
import { projectUrl } from './links.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { slackDate } from './slack-date.js';

export interface DashboardRow {
  id: number;
  name: string;
  description: string;
  pinned: boolean;
  tags: string[];
}

export interface TileRow {
  /** null for a text tile. */
  insight: { id: number; shortId: string; name: string; kind: string } | null;
  text: string | null;
}

export interface DashboardCard extends DashboardRow {
  createdAt: string | null;
  createdBy: string | null;
  tiles: TileRow[];
}

interface Where {
  appUrl: string;
  projectId: number;
}

export const dashboardUrl = (w: Where, id: number) => projectUrl(w.appUrl, w.projectId, `/dashboard/${id}`);
export const insightUrl = (w: Where, shortId: string) => projectUrl(w.appUrl, w.projectId, `/insights/${encodeURIComponent(shortId)}`);

const displayName = (name: string) => (name.trim() === '' ? 'Untitled dashboard' : name);

export function dashboardsMessage(m: Where & { rows: DashboardRow[]; search: string | null; page: PageModel }): Message {
  if (m.rows.length === 0) {
    const text = m.search
      ? `No dashboards match “${escapeMrkdwn(m.search)}”. See them all with \`/ph dashboards\`.`
      : m.page.offset > 0
        ? 'No more dashboards.'
        : 'This project has no dashboards yet. Create one with `/ph dashboard create "Name"`.';
    return { text: 'No dashboards', blocks: [section(text)] };
  }
  const title = m.search ? `*Dashboards matching “${escapeMrkdwn(m.search)}”*` : '*Dashboards*';
  const blocks: KnownBlock[] = [section(title)];
  for (const d of m.rows) {
    const tags = d.tags.length > 0 ? `  ${d.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ')}` : '';
    const description = d.description ? `\n${escapeMrkdwn(truncate(d.description, 150))}` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${d.pinned ? ':pushpin: ' : ''}*<${dashboardUrl(m, d.id)}|${escapeMrkdwn(displayName(d.name))}>*  \`${d.id}\`${tags}${description}`,
      },
      accessory: runButton('Show', `dashboard ${d.id}`),
    });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.page.total ?? m.rows.length} dashboards`, blocks };
}

const MAX_TILES = 30;

export function dashboardMessage(m: Where & { dashboard: DashboardCard }): Message {
  const d = m.dashboard;
  const blocks: KnownBlock[] = [
    header(displayName(d.name)),
    section(`${d.description ? `${escapeMrkdwn(truncate(d.description, 500))}\n` : ''}<${dashboardUrl(m, d.id)}|Open in PostHog>`),
    fields([
      ['Id', `\`${d.id}\``],
      ['Pinned', d.pinned ? 'yes' : 'no'],
      ['Tiles', String(d.tiles.length)],
      ['Tags', d.tags.length > 0 ? d.tags.map((t) => `\`${escapeMrkdwn(t)}\``).join(' ') : '–'],
      ['Created', `${slackDate(d.createdAt)}${d.createdBy ? ` by ${escapeMrkdwn(d.createdBy)}` : ''}`],
    ]),
  ];
  if (d.tiles.length === 0) {
    blocks.push(section('_No tiles yet._ Add a chart with `/ph insight create` and pick this dashboard.'));
  }
  for (const tile of d.tiles.slice(0, MAX_TILES)) {
    if (tile.insight) {
      const i = tile.insight;
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:chart_with_upwards_trend: *<${insightUrl(m, i.shortId)}|${escapeMrkdwn(i.name)}>*  ${escapeMrkdwn(i.kind)} · \`${escapeMrkdwn(i.shortId)}\``,
        },
        accessory: runButton('Show', `insight ${i.shortId}`),
      });
    } else if (tile.text) {
      blocks.push(section(`:memo: ${escapeMrkdwn(truncate(tile.text, 300))}`));
    }
  }
  if (d.tiles.length > MAX_TILES) blocks.push(context(`${d.tiles.length - MAX_TILES} more tiles: open the dashboard in PostHog.`));
  return { text: `Dashboard ${d.name}: ${d.tiles.length} tiles`, blocks };
}

export function dashboardSavedMessage(m: Where & { id: number; name: string; verb: 'created' | 'renamed'; before?: string }): Message {
  const link = `*<${dashboardUrl(m, m.id)}|${escapeMrkdwn(m.name)}>* (\`${m.id}\`)`;
  const text = m.verb === 'created' ? `Created dashboard ${link}.` : `Renamed dashboard “${escapeMrkdwn(m.before ?? '')}” to ${link}.`;
  return {
    text: m.verb === 'created' ? `Created dashboard ${m.name}` : `Renamed dashboard to ${m.name}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${text}` }, accessory: runButton('Show', `dashboard ${m.id}`) },
    ],
  };
}

/** Short label for a query kind: `TrendsQuery` -> `Trends`. */
export function kindLabel(kind: string | null | undefined): string {
  if (!kind) return 'Insight';
  return kind.replace(/Query$/, '').replace(/([a-z])([A-Z])/g, '$1 $2') || 'Insight';
}
