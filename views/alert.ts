import { context, escapeMrkdwn, type KnownBlock, type Message, section, truncate } from './blocks.js';
import { runButton } from './run-button.js';

/** App Home's Pause / Resume on an alert row (value: the alert id). */
export const ALERT_PAUSE_ACTION = 'hogbot_alert_pause';
export const ALERT_RESUME_ACTION = 'hogbot_alert_resume';

export interface AlertEventModel {
  alertId: string;
  title: string;
  /** mrkdwn link to the query in PostHog. */
  link: string | null;
  value: string;
  /** "above 100". */
  condition: string;
  transition: 'started' | 'cleared';
  every: 'hour' | 'day';
}

/** The text posted with the chart when an alert starts or clears (an upload's initial_comment: mrkdwn, no blocks). */
export function alertEventText(m: AlertEventModel): string {
  const name = `*${escapeMrkdwn(m.title)}*`;
  const open = m.link ? ` · <${m.link}|Open in PostHog>` : '';
  const head =
    m.transition === 'started'
      ? `:rotating_light: ${name} is *${escapeMrkdwn(m.value)}*, ${escapeMrkdwn(m.condition)}.`
      : `:white_check_mark: ${name} is back to *${escapeMrkdwn(m.value)}*: no longer ${escapeMrkdwn(m.condition)}.`;
  const tail = m.transition === 'started' ? `Hogbot checks every ${m.every} and will say when it clears.` : 'Hogbot keeps watching.';
  return truncate(`${head}${open}\n_${tail} Alert \`${m.alertId}\`._`, 3000);
}

/** The same as a message, when the chart could not be drawn. */
export function alertEventMessage(m: AlertEventModel): Message {
  const text = alertEventText(m);
  return { text: text.split('\n')[0]!, blocks: [section(text)] };
}

export interface AlertRow {
  id: string;
  title: string;
  channelId: string;
  hogql: string;
  condition: string;
  every: 'hour' | 'day';
  paused: boolean;
  firing: boolean;
  lastValue: string | null;
  lastError: string | null;
  nextRunAt: Date;
}

const when = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

export function alertLine(a: AlertRow): string {
  const state = a.paused ? ':double_vertical_bar: paused' : a.firing ? ':rotating_light: firing' : ':large_green_circle: ok';
  const last = a.lastError
    ? ` · :warning: ${escapeMrkdwn(truncate(a.lastError, 200))}`
    : a.lastValue !== null
      ? ` · last ${escapeMrkdwn(a.lastValue)}`
      : '';
  const next = a.paused ? '' : ` · next check ${when(a.nextRunAt)}`;
  return `*${escapeMrkdwn(a.title)}* \`${a.id}\` → <#${a.channelId}>\n${state} · ${escapeMrkdwn(a.condition)}, every ${a.every}${last}${next}`;
}

export function alertListMessage(m: { alerts: AlertRow[] }): Message {
  if (m.alerts.length === 0) {
    const text = 'No alerts yet. Create one with `/ph alert add "SELECT count() FROM events WHERE …" --above 100 --every hour`.';
    return { text, blocks: [section(text)] };
  }
  const blocks: KnownBlock[] = [section(`*Alerts* (${m.alerts.length})`)];
  for (const a of m.alerts.slice(0, 20)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(alertLine(a), 3000) },
      accessory: a.paused ? runButton('Resume', `alert resume ${a.id}`) : runButton('Pause', `alert pause ${a.id}`),
    });
  }
  blocks.push(context('`/ph alert pause|resume|delete &lt;id&gt;`'));
  return { text: `${m.alerts.length} ${m.alerts.length === 1 ? 'alert' : 'alerts'}`, blocks };
}

export function alertDoneMessage(text: string): Message {
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}
