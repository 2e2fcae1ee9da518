import { escapeMrkdwn, type KnownBlock, type Message, section } from './blocks.js';
import { projectUrl } from './links.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { slackDate } from './slack-date.js';

interface Where {
  appUrl: string;
  projectId: number;
}

export interface EventRow {
  id: string;
  name: string;
  lastSeenAt: string | null;
  /** Events in the last 30 days, when PostHog reports it. */
  volume30d: number | null;
  /** The command its "Properties" button runs. */
  propertiesCommand: string;
}

export interface PropertyRow {
  id: string;
  name: string;
  type: string | null;
  numerical: boolean;
}

export function eventsMessage(m: Where & { rows: EventRow[]; search: string | null; page: PageModel }): Message {
  if (m.rows.length === 0) {
    const text = m.search
      ? `No events match “${escapeMrkdwn(m.search)}”. See them all with \`/ph events\`.`
      : m.page.offset > 0
        ? 'No more events.'
        : 'PostHog has not received any events in this project yet.';
    return { text: 'No events', blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [
    section(m.search ? `*Events matching “${escapeMrkdwn(m.search)}”*` : '*Events* PostHog has seen in this project'),
  ];
  for (const e of m.rows) {
    const volume = e.volume30d === null ? '' : ` · ${e.volume30d.toLocaleString('en-US')} in 30 days`;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*<${projectUrl(m.appUrl, m.projectId, `/data-management/events/${encodeURIComponent(e.id)}`)}|${escapeMrkdwn(e.name)}>*  last seen ${slackDate(e.lastSeenAt)}${volume}`,
      },
      accessory: runButton('Properties', e.propertiesCommand),
    });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.page.total ?? m.rows.length} events`, blocks };
}

export function propertiesMessage(
  m: Where & { rows: PropertyRow[]; search: string | null; kind: 'event' | 'person'; event: string | null; page: PageModel },
): Message {
  const scope = m.event ? ` seen on \`${escapeMrkdwn(m.event)}\`` : '';
  if (m.rows.length === 0) {
    const text = m.search
      ? `No ${m.kind} properties${scope} match “${escapeMrkdwn(m.search)}”.`
      : m.page.offset > 0
        ? `No more ${m.kind} properties.`
        : `PostHog has no ${m.kind} properties${scope} in this project.`;
    return { text: `No ${m.kind} properties`, blocks: [section(text)] };
  }
  const title = `*${m.kind === 'person' ? 'Person' : 'Event'} properties*${scope}${m.search ? ` matching “${escapeMrkdwn(m.search)}”` : ''}`;
  const lines = m.rows.map((p) => {
    const url = projectUrl(m.appUrl, m.projectId, `/data-management/properties/${encodeURIComponent(p.id)}`);
    return `<${url}|\`${escapeMrkdwn(p.name)}\`>  ${escapeMrkdwn(p.type ?? (p.numerical ? 'Numeric' : 'unknown type'))}`;
  });
  return {
    text: `${m.page.total ?? m.rows.length} ${m.kind} properties`,
    blocks: [section(`${title}\n${lines.join('\n')}`), ...pagerBlocks(m.page)],
  };
}
