import type { Recording } from '../src/persons/schemas.js';
import type { PersonEntry } from './persons.js';
import { actions, button, context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section, truncate } from './blocks.js';
import { projectUrl } from './links.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { formatDateTime, formatDuration, parseTime } from './when.js';

/** The Replay link button's action id (acked and ignored: the browser opens the link). */
export const REPLAY_LINK_ACTION = 'hogbot_replay_link';

export function replayUrl(appUrl: string, projectId: number, sessionId: string): string {
  return projectUrl(appUrl, projectId, `/replay/${encodeURIComponent(sessionId)}`);
}

const UNITS: Record<string, string> = { h: 'hour', d: 'day', w: 'week', m: 'month' };

/** `7d` -> `7 days`, `1w` -> `week`. */
export function humanSpan(span: string): string {
  const match = /^(\d+)([hdwm])$/.exec(span);
  if (!match) return span;
  const n = Number(match[1]);
  const unit = UNITS[match[2] as string] as string;
  return n === 1 ? unit : `${n} ${unit}s`;
}

const SPAN_DAYS: Record<string, number> = { h: 1 / 24, d: 1, w: 7, m: 30 };

/** A window longer than `span` to suggest when it held nothing (7d → 30d → 90d), or null past PostHog's longest retention. */
export function longerSpan(span: string): string | null {
  const match = /^(\d+)([hdwm])$/.exec(span);
  const days = match ? Number(match[1]) * (SPAN_DAYS[match[2] as string] ?? 1) : 0;
  return ['7d', '30d', '90d'].find((s) => Number(s.slice(0, -1)) > days) ?? null;
}

interface Where {
  projectId: number;
  appUrl: string;
  timeZone: string;
}

function startOf(r: Recording, timeZone: string): string {
  const start = parseTime(r.start_time);
  return start ? formatDateTime(start, timeZone) : escapeMrkdwn(r.start_time);
}

function statsOf(r: Recording): string {
  const parts = [
    r.recording_duration != null ? formatDuration(r.recording_duration) : null,
    r.active_seconds != null ? `active ${formatDuration(r.active_seconds)}` : null,
    `${r.click_count ?? 0} click${r.click_count === 1 ? '' : 's'}`,
    r.console_error_count
      ? `:warning: ${r.console_error_count} console error${r.console_error_count === 1 ? '' : 's'}`
      : '0 console errors',
  ];
  return parts.filter(Boolean).join(' · ');
}

export interface RecordingsListModel extends Where {
  person: PersonEntry;
  since: string;
  recordings: Recording[];
  page: PageModel;
}

export function recordingsListMessage(m: RecordingsListModel): Message {
  const who = escapeMrkdwn(m.person.label);
  if (m.recordings.length === 0) {
    const longer = longerSpan(m.since);
    const text =
      m.page.offset > 0
        ? `No more recordings of *${who}* in the last ${humanSpan(m.since)}.`
        : `No recordings of *${who}* in the last ${humanSpan(m.since)}.`;
    return {
      text: `No recordings of ${m.person.label} in the last ${humanSpan(m.since)}`,
      blocks: [
        section(text),
        // Suggest a longer window than the one that was empty, never the same one again (issue 15).
        ...(longer && m.page.offset === 0
          ? [context(`Look further back with \`/ph recordings ${escapeMrkdwn(m.person.arg)} --since ${longer}\`.`)]
          : []),
      ],
    };
  }
  const blocks: KnownBlock[] = [section(`*Recordings of ${who}* · last ${humanSpan(m.since)} · times in ${escapeMrkdwn(m.timeZone)}`)];
  for (const r of m.recordings) {
    const url = replayUrl(m.appUrl, m.projectId, r.id);
    const start = r.start_url ? `\n${escapeMrkdwn(truncate(r.start_url, 200))}` : '';
    const live = r.ongoing ? ' :red_circle: _live_' : '';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*<${url}|${startOf(r, m.timeZone)}>*${live}\n${statsOf(r)}${start}` },
      accessory: button({ text: 'Replay', actionId: REPLAY_LINK_ACTION, url }),
    });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.recordings.length} recordings of ${m.person.label}`, blocks };
}

/** `who` is whom the recording is of (src/persons/entry.ts recordingPerson): a name, and their distinct id as a /ph argument. */
export function recordingCardMessage(m: Where & { recording: Recording; who: { name: string; arg: string | null } }): Message {
  const r = m.recording;
  const url = replayUrl(m.appUrl, m.projectId, r.id);
  const personName = m.who.name;
  const distinctArg = m.who.arg;
  const end = parseTime(r.end_time);
  const buttons = [button({ text: 'Replay', actionId: REPLAY_LINK_ACTION, url, style: 'primary' })];
  if (distinctArg) buttons.push(runButton('Person', `person ${distinctArg}`), runButton('Their recordings', `recordings ${distinctArg}`));
  return {
    text: `Recording ${r.id} of ${personName}`,
    blocks: [
      header(`Recording of ${truncate(personName, 100)}`),
      fields([
        ['Started', startOf(r, m.timeZone)],
        ['Ended', r.ongoing ? ':red_circle: still live' : end ? formatDateTime(end, m.timeZone) : '_unknown_'],
        ['Duration', r.recording_duration != null ? formatDuration(r.recording_duration) : '_unknown_'],
        ['Active time', r.active_seconds != null ? formatDuration(r.active_seconds) : '_unknown_'],
        ['Clicks', String(r.click_count ?? 0)],
        ['Keypresses', String(r.keypress_count ?? 0)],
        ['Console errors', r.console_error_count ? `:warning: ${r.console_error_count}` : '0'],
        ['Start URL', r.start_url ? escapeMrkdwn(truncate(r.start_url, 500)) : '_unknown_'],
      ]),
      actions('hogbot_recording_actions', buttons),
      context(`Session \`${escapeMrkdwn(r.id)}\` · times in ${escapeMrkdwn(m.timeZone)}`),
    ],
  };
}

export function recordingNotFoundMessage(id: string): Message {
  const text = `No recording \`${escapeMrkdwn(truncate(id, 100))}\` in this project. Find one with \`/ph recordings &lt;email&gt;\`.`;
  return { text: `No recording ${id}`, blocks: [section(`:mag: ${text}`)] };
}
