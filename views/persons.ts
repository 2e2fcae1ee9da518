import type { Activity } from '../src/persons/activity.js';
import type { Person } from '../src/persons/schemas.js';
import { actions, button, context, escapeMrkdwn, fields, header, type KnownBlock, type Message, section, truncate } from './blocks.js';
import { projectUrl } from './links.js';
import { type PageModel, pagerBlocks } from './pager.js';
import { runButton } from './run-button.js';
import { formatDate, formatDateTime, parseTime } from './when.js';

/** "Open in PostHog" link buttons still send an action; the person family acks it and does nothing else. */
export const PERSON_LINK_ACTION = 'hogbot_person_link';

export function personUrl(appUrl: string, projectId: number, distinctId: string): string {
  return projectUrl(appUrl, projectId, `/person/${encodeURIComponent(distinctId)}`);
}

/** A person with what the views show of it, derived in src/persons/entry.ts. */
export interface PersonEntry {
  person: Person;
  /** PostHog's display name. */
  label: string;
  email: string | null;
  /** The distinct id PostHog's person page is addressed by. */
  distinctId: string;
  /** `distinctId` quoted as a /ph argument. */
  arg: string;
}

export interface PersonCardModel {
  person: PersonEntry;
  projectId: number;
  appUrl: string;
  timeZone: string;
  activity: Activity | { error: string };
}

type Props = Record<string, unknown>;
const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
const joined = (...parts: unknown[]): string | null => {
  const kept = parts.map(text).filter((p): p is string => p !== null);
  return kept.length > 0 ? kept.join(', ') : null;
};

/** The properties people look for first, in the order they look. */
const USEFUL: ReadonlyArray<readonly [string, (p: Props) => string | null, readonly string[]]> = [
  ['Plan', (p) => text(p.plan), ['plan']],
  ['Company', (p) => text(p.company), ['company']],
  ['Location', (p) => joined(p.$geoip_city_name, p.$geoip_country_code), ['$geoip_city_name', '$geoip_country_code']],
  [
    'Browser',
    (p) => joined(p.$browser ?? p.$initial_browser, p.$os ?? p.$initial_os),
    ['$browser', '$initial_browser', '$os', '$initial_os'],
  ],
  ['Device', (p) => text(p.$initial_device_type), ['$initial_device_type']],
  ['First referrer', (p) => text(p.$initial_referring_domain), ['$initial_referring_domain']],
  ['First UTM source', (p) => text(p.$initial_utm_source), ['$initial_utm_source']],
  ['First page', (p) => text(p.$initial_current_url), ['$initial_current_url', '$initial_pathname']],
];
const SHOWN_ELSEWHERE = new Set(['email', 'name']);
const MAX_FIELDS = 10;
const MAX_DISTINCT_IDS = 5;
const MAX_EVENT_NAMES = 8;

export function personCardMessage(m: PersonCardModel): Message {
  const { person: p, email, label } = m.person;
  const props = p.properties ?? {};
  const created = parseTime(p.created_at);
  const lastSeen = ('error' in m.activity ? null : m.activity.lastSeen) ?? parseTime(p.last_seen_at);

  const pairs: Array<readonly [string, string]> = [
    ['First seen', created ? formatDateTime(created, m.timeZone) : '_unknown_'],
    [
      'Last seen',
      lastSeen
        ? formatDateTime(lastSeen, m.timeZone)
        : 'error' in m.activity
          ? '_unknown_'
          : `_no events in the last ${m.activity.days} days_`,
    ],
  ];
  const shownKeys = new Set(SHOWN_ELSEWHERE);
  for (const [title, read, keys] of USEFUL) {
    const value = read(props);
    if (value === null) continue;
    keys.forEach((k) => shownKeys.add(k));
    pairs.push([title, escapeMrkdwn(truncate(value, 200))]);
  }
  // Then the project's own (non-$) properties, which are usually what the team cares about.
  for (const [key, value] of Object.entries(props)) {
    if (pairs.length >= MAX_FIELDS) break;
    if (shownKeys.has(key) || key.startsWith('$')) continue;
    const shown = text(value) ?? (value !== null && typeof value === 'object' ? JSON.stringify(value) : null);
    if (shown === null) continue;
    shownKeys.add(key);
    pairs.push([escapeMrkdwn(truncate(key, 60)), escapeMrkdwn(truncate(shown, 200))]);
  }
  const hidden = Object.keys(props).filter((k) => !shownKeys.has(k)).length;

  const ids = p.distinct_ids
    .slice(0, MAX_DISTINCT_IDS)
    .map((d) => `\`${escapeMrkdwn(truncate(d, 80))}\``)
    .join(', ');
  const moreIds = p.distinct_ids.length > MAX_DISTINCT_IDS ? ` and ${p.distinct_ids.length - MAX_DISTINCT_IDS} more` : '';
  const blocks: KnownBlock[] = [
    header(label),
    section(`${email ? `:email: ${escapeMrkdwn(email)}\n` : ''}*Distinct ids:* ${ids || '_none_'}${moreIds}`),
    fields(pairs.slice(0, MAX_FIELDS)),
    section(activityText(m.activity)),
    actions('hogbot_person_actions', [
      button({ text: 'Open in PostHog', actionId: PERSON_LINK_ACTION, url: personUrl(m.appUrl, m.projectId, m.person.distinctId) }),
      runButton('Recordings', `recordings ${m.person.arg}`),
    ]),
    context(
      `Person \`${escapeMrkdwn(String(p.uuid ?? p.id))}\`${hidden > 0 ? ` · ${hidden} more propert${hidden === 1 ? 'y' : 'ies'} in PostHog` : ''}`,
    ),
  ];
  return { text: `Person ${label}`, blocks };
}

function activityText(activity: PersonCardModel['activity']): string {
  if ('error' in activity) return `_Event counts unavailable: ${activity.error}_`;
  if (activity.counts.length === 0) return `*Last ${activity.days} days:* no events.`;
  const top = activity.counts
    .slice(0, MAX_EVENT_NAMES)
    .map((c) => `\`${escapeMrkdwn(truncate(c.event, 60))}\` ${c.count.toLocaleString('en-US')}`)
    .join(' · ');
  const rest = activity.counts.length > MAX_EVENT_NAMES ? ` · and ${activity.counts.length - MAX_EVENT_NAMES} more event types` : '';
  return `*Last ${activity.days} days:* ${activity.total.toLocaleString('en-US')} events\n${top}${rest}`;
}

export interface PersonsListModel {
  persons: PersonEntry[];
  search: string | null;
  timeZone: string;
  page: PageModel;
}

export function personsListMessage(m: PersonsListModel): Message {
  if (m.persons.length === 0) {
    const text = m.search
      ? `No persons match “${escapeMrkdwn(m.search)}”. PostHog searches emails, names and exact distinct ids.`
      : m.page.offset > 0
        ? 'No more persons.'
        : 'This project has no persons yet.';
    return { text: m.search ? `No persons match ${m.search}` : 'No persons', blocks: [section(text)] };
  }
  const title = m.search ? `*Persons matching “${escapeMrkdwn(m.search)}”*` : '*Persons*';
  const blocks: KnownBlock[] = [section(title)];
  for (const { person: p, email, label, distinctId, arg } of m.persons) {
    const created = parseTime(p.created_at);
    const line = [
      `*${escapeMrkdwn(truncate(label, 80))}*`,
      email && email !== label ? escapeMrkdwn(email) : null,
      // The id once: not again when it is the name or the email already shown (issue 15).
      distinctId === label || distinctId === email ? null : `\`${escapeMrkdwn(truncate(distinctId, 60))}\``,
      created ? `first seen ${formatDate(created, m.timeZone)}` : null,
    ]
      .filter(Boolean)
      .join(' · ');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line }, accessory: runButton('Show', `person ${arg}`) });
  }
  blocks.push(...pagerBlocks(m.page));
  return { text: `${m.persons.length} persons`, blocks };
}

/**
 * Several persons match: one button each, running `command` with that person's distinct id (quoted). `queryArg` is the
 * query quoted as a /ph argument.
 */
export function personPickMessage(m: {
  query: string;
  queryArg: string;
  persons: PersonEntry[];
  total?: number | null;
  command: (distinctId: string) => string;
}): Message {
  const blocks: KnownBlock[] = [section(`Several persons match “${escapeMrkdwn(m.query)}”. Pick one:`)];
  for (const { email, label, distinctId, arg } of m.persons.slice(0, 20)) {
    const line = `*${escapeMrkdwn(truncate(label, 80))}*${email && email !== label ? ` · ${escapeMrkdwn(email)}` : ''} · \`${escapeMrkdwn(truncate(distinctId, 60))}\``;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line }, accessory: runButton('Pick', m.command(arg)) });
  }
  const shown = Math.min(m.persons.length, 20);
  const total = Math.max(m.total ?? 0, m.persons.length);
  if (total > shown)
    blocks.push(
      context(`${shown} of ${total} shown: type more of the email or name, or browse with \`/ph persons ${escapeMrkdwn(m.queryArg)}\`.`),
    );
  return { text: `Several persons match ${m.query}`, blocks };
}

/** Nobody matches: say so, and offer the nearest persons as buttons. */
export function personNotFoundMessage(m: { query: string; suggestions: PersonEntry[]; command: (distinctId: string) => string }): Message {
  const head = `:mag: No person found for “${escapeMrkdwn(m.query)}” in this project.`;
  if (m.suggestions.length === 0) {
    return {
      text: `No person found for ${m.query}`,
      blocks: [section(head), context('Try an email, a distinct id, or `/ph persons &lt;search&gt;`.')],
    };
  }
  const blocks: KnownBlock[] = [section(`${head} Closest matches:`)];
  for (const { label, email, arg } of m.suggestions) {
    const line = `*${escapeMrkdwn(truncate(label, 80))}*${email && email !== label ? ` · ${escapeMrkdwn(email)}` : ''}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line }, accessory: runButton('Use', m.command(arg)) });
  }
  return { text: `No person found for ${m.query}`, blocks };
}
