import {
  actions,
  button,
  context,
  escapeMrkdwn,
  fields,
  header,
  type KnownBlock,
  type Message,
  section,
  truncate,
  type View,
} from './blocks.js';
import { runButton } from './run-button.js';
import { type Align, tableBlock } from './table.js';

/** Digest rows in lists and App Home carry these (value: the digest id). */
export const DIGEST_RUN_ACTION = 'hogbot_digest_run';
export const DIGEST_PAUSE_ACTION = 'hogbot_digest_pause';
export const DIGEST_RESUME_ACTION = 'hogbot_digest_resume';
export const DIGEST_MODAL_CALLBACK = 'hogbot_digest_modal';

/** Block and action ids of the digest form. */
export const DIGEST_FORM = {
  title: ['digest_title', 'value'],
  channel: ['digest_channel', 'value'],
  frequency: ['digest_frequency', 'value'],
  weekday: ['digest_weekday', 'value'],
  day: ['digest_day', 'value'],
  time: ['digest_time', 'value'],
  timezone: ['digest_timezone', 'value'],
  queries: ['digest_queries', 'value'],
  insights: ['digest_insights', 'value'],
  extras: ['digest_extras', 'value'],
} as const;

const ITEM_TABLE_BUDGET = 6_000;
const ITEM_TABLE_ROWS = 15;

/** One digest item, ready to show: a table, a number, a list, a chart (sent as an image) or the error it hit. */
export type DigestItemView =
  | { kind: 'table'; title: string; link: string | null; header: string[]; rows: string[][]; align: Align[]; totalRows: number }
  | { kind: 'number'; title: string; link: string | null; value: string; caption?: string }
  | { kind: 'lines'; title: string; link: string | null; lines: string[]; empty: string }
  | { kind: 'chart'; title: string; link: string | null; summary: string }
  | { kind: 'error'; title: string; link: string | null; message: string };

export interface DigestHeadModel {
  digestId: string;
  title: string;
  /** "Jan 14, 09:00 – Jan 15, 09:00 (Europe/Berlin)". */
  periodLabel: string;
  /** The cadence in words ("every day at 09:00 Europe/Berlin"). */
  schedule: string;
  late: boolean;
  skipped: number;
  /** Run now, outside the schedule. */
  manualBy: string | null;
  itemCount: number;
}

/** The first message of a delivery: the title and the period it covers. */
export function digestHeadMessage(m: DigestHeadModel): Message {
  const notes: string[] = [`${escapeMrkdwn(m.schedule)} · \`${m.digestId}\``];
  if (m.manualBy) notes.push(`run now by <@${m.manualBy}>`);
  if (m.late)
    notes.push(
      `:hourglass: late${m.skipped > 0 ? `: Hogbot was down; ${m.skipped} earlier ${m.skipped === 1 ? 'period was' : 'periods were'} skipped` : ''}`,
    );
  return {
    text: `${m.title}: ${m.periodLabel}${m.late ? ' (late)' : ''}`,
    blocks: [
      header(truncate(m.title, 150)),
      section(`*${escapeMrkdwn(m.periodLabel)}* · ${m.itemCount} ${m.itemCount === 1 ? 'item' : 'items'}`),
      context(...notes),
    ],
  };
}

const titleLine = (title: string, link: string | null) => `*${escapeMrkdwn(title)}*${link ? ` · <${link}|Open in PostHog>` : ''}`;

/** An item as its own message (a table block must be alone, at the bottom of its message). */
export function digestItemMessage(item: Exclude<DigestItemView, { kind: 'chart' }>): Message {
  switch (item.kind) {
    case 'number':
      return {
        text: `${item.title}: ${item.value}`,
        blocks: [
          section(
            `${titleLine(item.title, item.link)}\n*${escapeMrkdwn(item.value)}*${item.caption ? `  _${escapeMrkdwn(item.caption)}_` : ''}`,
          ),
        ],
      };
    case 'lines': {
      const body = item.lines.length > 0 ? item.lines.join('\n') : `_${escapeMrkdwn(item.empty)}_`;
      return { text: item.title, blocks: [section(`${titleLine(item.title, item.link)}\n${body}`)] };
    }
    case 'error':
      return {
        text: `${item.title}: ${item.message}`,
        blocks: [section(`${titleLine(item.title, item.link)}\n:warning: ${item.message}`)],
      };
    case 'table': {
      if (item.rows.length === 0)
        return { text: `${item.title}: no rows`, blocks: [section(`${titleLine(item.title, item.link)}\n_No rows._`)] };
      const fitted = tableBlock({ header: item.header, rows: item.rows.slice(0, ITEM_TABLE_ROWS), align: item.align }, ITEM_TABLE_BUDGET);
      const more = item.totalRows - fitted.rowsShown;
      const blocks: KnownBlock[] = [section(titleLine(item.title, item.link))];
      if (more > 0) blocks.push(context(`Showing ${fitted.rowsShown} of ${item.totalRows} rows.`));
      blocks.push(fitted.block);
      return { text: `${item.title}: ${item.totalRows} rows`, blocks };
    }
  }
}

/** The text above a chart image (files.uploadV2 `initial_comment`: plain mrkdwn, no blocks). */
export function chartComment(item: Extract<DigestItemView, { kind: 'chart' }>): string {
  return truncate(`${titleLine(item.title, item.link)}${item.summary ? `\n${escapeMrkdwn(item.summary)}` : ''}`, 3000);
}

export interface DigestRow {
  id: string;
  title: string;
  channelId: string;
  /** The cadence in words. */
  schedule: string;
  paused: boolean;
  nextRunAt: Date;
  lastRunAt: Date | null;
  lastOutcome: string | null;
  items: string[];
}

const when = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

function digestLine(d: DigestRow): string {
  const state = d.paused ? ':double_vertical_bar: paused' : `next ${when(d.nextRunAt)}`;
  return `*${escapeMrkdwn(d.title)}* \`${d.id}\` → <#${d.channelId}>\n${escapeMrkdwn(d.schedule)} · ${state}`;
}

export function digestListMessage(m: { digests: DigestRow[] }): Message {
  if (m.digests.length === 0) {
    const text = 'No digests yet. Create one with `/ph digest add` (a form) or `/ph digest add daily 09:00 #channel "Title"`.';
    return { text, blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(`*Digests* (${m.digests.length})`)];
  for (const d of m.digests.slice(0, 20)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(digestLine(d), 3000) },
      accessory: runButton('Show', `digest show ${d.id}`),
    });
  }
  blocks.push(context('`/ph digest run|pause|resume|delete &lt;id&gt;`'));
  return { text: `${m.digests.length} ${m.digests.length === 1 ? 'digest' : 'digests'}`, blocks };
}

export interface DigestCardModel {
  digest: DigestRow;
  deliveries: Array<{ periodKey: string; status: string; late: boolean; at: Date; summary: string | null }>;
}

export function digestCardMessage(m: DigestCardModel): Message {
  const d = m.digest;
  const history = m.deliveries.length
    ? m.deliveries
        .map(
          (r) =>
            `• ${when(r.at)} ${r.status === 'sent' ? ':white_check_mark:' : r.status === 'failed' ? ':x:' : ':hourglass:'}${r.late ? ' late' : ''}${r.periodKey.startsWith('manual:') ? ' (run now)' : ''}${r.summary ? ` · ${escapeMrkdwn(r.summary)}` : ''}`,
        )
        .join('\n')
    : '_Not delivered yet._';
  return {
    text: `Digest ${d.title} (${d.id})`,
    blocks: [
      header(truncate(`Digest: ${d.title}`, 150)),
      fields([
        ['Channel', `<#${d.channelId}>`],
        ['Schedule', escapeMrkdwn(d.schedule)],
        ['Next run', d.paused ? 'paused' : when(d.nextRunAt)],
        ['Id', `\`${d.id}\``],
      ]),
      section(`*Items*\n${d.items.map((i) => `• ${escapeMrkdwn(i)}`).join('\n')}`),
      section(`*Recent deliveries*\n${history}`),
      actions('hogbot_digest_card', [
        button({ text: 'Run now', actionId: DIGEST_RUN_ACTION, value: d.id }),
        d.paused
          ? button({ text: 'Resume', actionId: DIGEST_RESUME_ACTION, value: d.id })
          : button({ text: 'Pause', actionId: DIGEST_PAUSE_ACTION, value: d.id }),
        runButton('Delete…', `digest delete ${d.id}`, 'danger'),
      ]),
    ],
  };
}

export function digestDoneMessage(text: string): Message {
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}

export interface DigestFormModel {
  privateMetadata: string;
  channelId: string | null;
  timezone: string;
  savedQueries: string[];
  /** The weekday choices in form order, Monday first: value (`mon`) and label (`Monday`), from src/scheduler/cadence.ts. */
  weekdays: Array<{ value: string; label: string }>;
}

const opt = (text: string, value = text) => ({ text: { type: 'plain_text' as const, text: truncate(text, 75) }, value });
const input = (ids: readonly [string, string], label: string, element: Record<string, unknown>, optional = false, hint?: string) =>
  ({
    type: 'input',
    block_id: ids[0],
    optional,
    label: { type: 'plain_text', text: label },
    element: { action_id: ids[1], ...element },
    ...(hint ? { hint: { type: 'plain_text', text: hint } } : {}),
  }) as KnownBlock;

/** The "new digest" form. Creating still goes through a plan with Confirm. */
export function digestModal(m: DigestFormModel): View {
  const F = DIGEST_FORM;
  const blocks: KnownBlock[] = [
    input(F.title, 'Title', { type: 'plain_text_input', max_length: 120, placeholder: { type: 'plain_text', text: 'Growth' } }),
    input(F.channel, 'Post to', {
      type: 'conversations_select',
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      ...(m.channelId ? { initial_conversation: m.channelId } : {}),
    }),
    input(F.frequency, 'How often', {
      type: 'static_select',
      initial_option: opt('Daily', 'daily'),
      options: [opt('Daily', 'daily'), opt('Weekly', 'weekly'), opt('Monthly', 'monthly')],
    }),
    input(
      F.weekday,
      'Weekday (weekly)',
      {
        type: 'static_select',
        ...(m.weekdays[0] ? { initial_option: opt(m.weekdays[0].label, m.weekdays[0].value) } : {}),
        options: m.weekdays.map((d) => opt(d.label, d.value)),
      },
      true,
    ),
    input(
      F.day,
      'Day of the month (monthly)',
      { type: 'number_input', is_decimal_allowed: false, min_value: '1', max_value: '31', initial_value: '1' },
      true,
      'Past the month’s end (31 in April), it runs on the last day.',
    ),
    input(F.time, 'At', { type: 'timepicker', initial_time: '09:00' }),
    input(
      F.timezone,
      'Time zone',
      { type: 'plain_text_input', initial_value: m.timezone, max_length: 64 },
      false,
      'IANA name, e.g. Europe/Berlin. Defaults to yours.',
    ),
  ];
  if (m.savedQueries.length > 0) {
    blocks.push(
      input(F.queries, 'Saved queries', { type: 'multi_static_select', options: m.savedQueries.slice(0, 100).map((q) => opt(q)) }, true),
    );
  }
  blocks.push(
    input(
      F.insights,
      'Insights (ids or short ids)',
      { type: 'plain_text_input', placeholder: { type: 'plain_text', text: '40001, aBc12XyZ' } },
      true,
    ),
    input(
      F.extras,
      'Also include',
      {
        type: 'checkboxes',
        options: [opt('Flag changes in the period', 'flag_changes'), opt('Running experiments', 'experiments')],
        initial_options: [opt('Flag changes in the period', 'flag_changes')],
      },
      true,
    ),
  );
  if (m.savedQueries.length === 0) blocks.push(context('Save queries with `/ph query save <name> <HogQL>` to add them here.'));
  return {
    type: 'modal',
    callback_id: DIGEST_MODAL_CALLBACK,
    private_metadata: m.privateMetadata,
    title: { type: 'plain_text', text: 'New digest' },
    submit: { type: 'plain_text', text: 'Review' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
