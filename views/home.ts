import { ALERT_PAUSE_ACTION, ALERT_RESUME_ACTION, type AlertRow, alertLine } from './alert.js';
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  fields,
  header,
  type KnownBlock,
  LIMITS,
  section,
  truncate,
  type View,
} from './blocks.js';
import { DIGEST_PAUSE_ACTION, DIGEST_RESUME_ACTION, DIGEST_RUN_ACTION, type DigestRow } from './digest.js';
import { projectUrl } from './links.js';

export interface HomeAuditRow {
  at: Date;
  userId: string;
  title: string;
  outcome: 'executing' | 'done' | 'failed' | 'pending_posthog';
}

export interface HomeModel {
  appUrl: string;
  /** The chosen Maton connection; null means the gateway's default one, which commands use just the same. */
  connectionId: string | null;
  /** This workspace may use no connection at all (not the install's own workspace, none chosen): src/tenancy.ts. */
  notConnected?: boolean;
  /** The project in use; null when it could not be read (see `projectProblem`). */
  project: { id: number; name: string; chosen: boolean } | null;
  /** mrkdwn: why the project could not be read. */
  projectProblem: string | null;
  role: string;
  digests: DigestRow[];
  alerts: AlertRow[];
  audit: HomeAuditRow[];
  /** mrkdwn shown at the top once, after a click in the tab (what happened, or why not). */
  notice?: string;
}

const MAX_ROWS = 15;
const when = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

function gettingStarted(m: HomeModel): KnownBlock[] {
  const steps = [
    m.connectionId
      ? null
      : m.notConnected
        ? '1. Connect PostHog first: `/ph connection connect`, open the link to authorize PostHog, then `/ph connection use &lt;id&gt;` (admins).'
        : '1. Hogbot uses the gateway’s default PostHog connection. For another: `/ph connection list`, then `/ph connection use &lt;id&gt;` (admins).',
    m.project?.chosen ? null : '2. Choose the project: `/ph projects`, then `/ph project use &lt;id|name&gt;`.',
    '3. Ask anything in HogQL: `/ph query SELECT count() FROM events`, and keep the good ones with `/ph query save &lt;name&gt; …`.',
    '4. Get the numbers on time: `/ph digest add` (daily, weekly or monthly, with charts).',
    '5. Be told when a number crosses a line: `/ph alert add "SELECT …" --above 100 --every hour`.',
    'Paste a PostHog link (flag, insight, dashboard, experiment, recording) in a channel and Hogbot shows a card. `/ph help` lists everything.',
  ].filter((s): s is string => s !== null);
  return [section('*Getting started*'), section(steps.join('\n'))];
}

function digestBlocks(d: DigestRow): KnownBlock[] {
  const state = d.paused ? ':double_vertical_bar: paused' : `next ${when(d.nextRunAt)}`;
  return [
    section(
      truncate(
        `*${escapeMrkdwn(d.title)}* \`${d.id}\` → <#${d.channelId}>\n${escapeMrkdwn(d.schedule)} · ${state}${d.lastOutcome ? ` · last: ${escapeMrkdwn(d.lastOutcome)}` : ''}`,
        LIMITS.sectionText,
      ),
    ),
    actions(`home_digest_${d.id}`, [
      button({ text: 'Run now', actionId: DIGEST_RUN_ACTION, value: d.id }),
      d.paused
        ? button({ text: 'Resume', actionId: DIGEST_RESUME_ACTION, value: d.id })
        : button({ text: 'Pause', actionId: DIGEST_PAUSE_ACTION, value: d.id }),
    ]),
  ];
}

function alertBlocks(a: AlertRow): KnownBlock[] {
  return [
    section(truncate(alertLine(a), LIMITS.sectionText)),
    actions(`home_alert_${a.id}`, [
      a.paused
        ? button({ text: 'Resume', actionId: ALERT_RESUME_ACTION, value: a.id })
        : button({ text: 'Pause', actionId: ALERT_PAUSE_ACTION, value: a.id }),
    ]),
  ];
}

/** The Home tab: where Hogbot points, who you are to it, what it delivers here, and what changed lately. */
export function homeView(m: HomeModel): View {
  const project = m.project
    ? `<${projectUrl(m.appUrl, m.project.id)}|${escapeMrkdwn(m.project.name)}> (${m.project.id})${m.project.chosen ? '' : ' _default_'}`
    : (m.projectProblem ?? '_none yet_');
  const blocks: KnownBlock[] = [
    header('Hogbot: PostHog in Slack'),
    ...(m.notice ? [section(truncate(m.notice, LIMITS.sectionText))] : []),
    fields([
      [
        'Connection',
        m.connectionId ? `\`${escapeMrkdwn(m.connectionId)}\`` : m.notConnected ? '_none: connect PostHog first_' : '_gateway default_',
      ],
      ['Project', project],
      ['Your role', m.role],
    ]),
  ];
  // Commands work through the gateway's default connection, so a missing choice alone is no reason for the guide.
  const nothingScheduled = m.digests.length === 0 && m.alerts.length === 0;
  if (nothingScheduled) blocks.push(divider, ...gettingStarted(m));

  blocks.push(divider, section(`*Digests* (${m.digests.length})`));
  if (m.digests.length === 0) blocks.push(context('None yet: `/ph digest add`.'));
  for (const d of m.digests.slice(0, MAX_ROWS)) blocks.push(...digestBlocks(d));
  if (m.digests.length > MAX_ROWS) blocks.push(context(`${m.digests.length - MAX_ROWS} more: \`/ph digest list\`.`));

  blocks.push(divider, section(`*Alerts* (${m.alerts.length})`));
  if (m.alerts.length === 0) blocks.push(context('None yet: `/ph alert add`.'));
  for (const a of m.alerts.slice(0, MAX_ROWS)) blocks.push(...alertBlocks(a));
  if (m.alerts.length > MAX_ROWS) blocks.push(context(`${m.alerts.length - MAX_ROWS} more: \`/ph alert list\`.`));

  blocks.push(divider, section('*Recent changes through Hogbot*'));
  if (m.audit.length === 0) blocks.push(context('No changes yet.'));
  else {
    const lines = m.audit
      .slice(0, 10)
      .map(
        (a) =>
          `${a.outcome === 'done' ? ':white_check_mark:' : a.outcome === 'failed' ? ':x:' : ':hourglass:'} ${escapeMrkdwn(truncate(a.title, 150))} · <@${a.userId}> · ${when(a.at)}`,
      );
    blocks.push(section(lines.join('\n')));
  }
  return { type: 'home', blocks: blocks.slice(0, LIMITS.blocksPerView) };
}
