/**
 * Session recordings: the dataset's sessions that have one. Not a standard list: `{results, has_next, version}`,
 * default window the last 3 days and page of 50, as in PostHog.
 */
import type { DemoPerson, DemoSession } from '../dataset-types.js';
import { ReplyError, isoTime, json, notFound } from '../http.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { intParam, jsonListParam } from './context.js';
import { parseRelativeDate } from './dates.js';
import { personName } from './persons.js';

const DEFAULT_LIMIT = 50;
const DEFAULT_DATE_FROM = '-3d';
/** A session whose last activity is this recent is still `ongoing`. */
const ONGOING_MS = 5 * 60_000;

const ORDERS: Record<string, (s: DemoSession) => number> = {
  start_time: (s) => s.start.getTime(),
  duration: (s) => s.end.getTime() - s.start.getTime(),
  recording_duration: (s) => s.end.getTime() - s.start.getTime(),
  active_seconds: (s) => s.activeSeconds,
  console_error_count: (s) => s.consoleErrors,
  click_count: (s) => s.clicks,
};

export function registerRecordings(routes: ApiRoutes): void {
  routes.project('GET', '/session_recordings', list).project('GET', '/session_recordings/:id', (ctx) => {
    const session = ctx.data.dataset().sessions.find((s) => s.id === ctx.params.id && s.hasRecording);
    if (!session) throw new ReplyError(notFound());
    return json(200, presentRecording(ctx, session, personIndex(ctx)));
  });
}

function list(ctx: ProjectContext) {
  const q = ctx.query;
  const dataset = ctx.data.dataset();
  const from = parseRelativeDate(q.get('date_from') ?? DEFAULT_DATE_FROM, ctx.now);
  const to = parseRelativeDate(q.get('date_to'), ctx.now);
  const personUuid = q.get('person_uuid');
  const distinctIds = jsonListParam(q, 'distinct_ids')?.map(String);
  const sessionIds = jsonListParam(q, 'session_ids')?.map(String);
  const limit = Math.min(Math.max(intParam(q, 'limit') ?? DEFAULT_LIMIT, 1), 1000);
  const offset = Math.max(intParam(q, 'offset') ?? 0, 0);
  const key = ORDERS[q.get('order') ?? 'start_time'] ?? ORDERS.start_time;
  const ascending = q.get('order_direction')?.toUpperCase() === 'ASC';
  const persons = personIndex(ctx);

  const matching = dataset.sessions
    .filter((s) => s.hasRecording)
    .filter((s) => !from || s.end >= from)
    .filter((s) => !to || s.start <= to)
    .filter((s) => !personUuid || s.personId === personUuid)
    .filter(
      (s) =>
        !distinctIds ||
        distinctIds.length === 0 ||
        (persons.get(s.personId)?.distinctIds ?? [s.distinctId]).some((d) => distinctIds.includes(d)),
    )
    .filter((s) => !sessionIds || sessionIds.length === 0 || sessionIds.includes(s.id))
    .sort((a, b) => (ascending ? 1 : -1) * ((key as (s: DemoSession) => number)(a) - (key as (s: DemoSession) => number)(b)));
  const page = matching.slice(offset, offset + limit);
  return json(200, {
    results: page.map((s) => presentRecording(ctx, s, persons)),
    has_next: offset + limit < matching.length,
    version: 4,
  });
}

const indexes = new WeakMap<DemoPerson[], Map<string, DemoPerson>>();

function personIndex(ctx: ProjectContext): Map<string, DemoPerson> {
  const persons = ctx.data.dataset().persons;
  let index = indexes.get(persons);
  if (!index) {
    index = new Map(persons.map((p) => [p.id, p]));
    indexes.set(persons, index);
  }
  return index;
}

function presentRecording(ctx: ProjectContext, s: DemoSession, persons: Map<string, DemoPerson>): Record<string, unknown> {
  const duration = Math.round((s.end.getTime() - s.start.getTime()) / 1000);
  const person = persons.get(s.personId);
  return {
    id: s.id,
    distinct_id: s.distinctId,
    viewed: false,
    viewers: [],
    recording_duration: duration,
    active_seconds: Math.min(s.activeSeconds, duration),
    inactive_seconds: Math.max(0, duration - s.activeSeconds),
    start_time: isoTime(s.start),
    end_time: isoTime(s.end),
    click_count: s.clicks,
    keypress_count: s.keypresses,
    mouse_activity_count: s.clicks * 7 + s.keypresses,
    console_log_count: s.pageviews,
    console_warn_count: 0,
    console_error_count: s.consoleErrors,
    start_url: s.entryUrl,
    person: person
      ? {
          id: person.id,
          uuid: person.id,
          name: personName(person),
          distinct_ids: [...person.distinctIds].reverse(),
          properties: person.properties,
          created_at: isoTime(person.createdAt),
        }
      : null,
    storage: 'object_storage',
    snapshot_source: 'web',
    ongoing: ctx.now.getTime() - s.end.getTime() < ONGOING_MS,
    activity_score: Math.min(100, Math.round((s.clicks + s.keypresses + s.pageviews) * 2)),
  };
}
