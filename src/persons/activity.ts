/** A person's recent events by name, through HogQL: what the person card shows as "what they have been doing". */
import { countOf, queryRows } from '../lookups/hogql.js';
import type { PostHogClient } from '../posthog/client.js';

export const ACTIVITY_DAYS = 30;
const MAX_EVENT_NAMES = 50;

export interface EventCount {
  event: string;
  count: number;
  last: Date | null;
}

export interface Activity {
  days: number;
  counts: EventCount[];
  total: number;
  /** The latest event in the window; null when there was none. */
  lastSeen: Date | null;
}

const QUERY = `
SELECT event, count() AS events, max(timestamp) AS last_seen
FROM events
WHERE person_id = {person_id} AND timestamp > now() - INTERVAL ${ACTIVITY_DAYS} DAY
GROUP BY event
ORDER BY events DESC, event
LIMIT ${MAX_EVENT_NAMES}`.trim();

export async function recentActivity(posthog: PostHogClient, projectId: number, personUuid: string): Promise<Activity> {
  const { rows } = await queryRows(posthog, projectId, QUERY, { person_id: personUuid });
  const counts = rows
    .filter((r): r is [string, unknown, unknown] => typeof r[0] === 'string')
    .map(([event, count, last]) => ({ event, count: countOf(count), last: dateOf(last) }));
  const lastSeen = counts.reduce<Date | null>((latest, c) => (c.last && (!latest || c.last > latest) ? c.last : latest), null);
  return { days: ACTIVITY_DAYS, counts, total: counts.reduce((sum, c) => sum + c.count, 0), lastSeen };
}

/** ClickHouse DateTime64 comes as ISO text, with or without a zone; without one it is UTC. */
function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
