/** Persons, served from the project's demo dataset (read-only, newest first, like PostHog's persons list). */
import type { DemoPerson } from '../dataset-types.js';
import { ReplyError, isoTime, json, notFound } from '../http.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { icontains, jsonListParam } from './context.js';
import { paginate } from './pagination.js';
import { isPropertyFilter, matchesAll } from './property-filter.js';

export function registerPersons(routes: ApiRoutes): void {
  routes.project('GET', '/persons', list).project('GET', '/persons/:id', (ctx) => {
    const person = personsByNewest(ctx).find((p) => p.id === ctx.params.id);
    if (!person) throw new ReplyError(notFound());
    return json(200, presentPerson(person, lastSeen(ctx)));
  });
}

function list(ctx: ProjectContext) {
  const distinctId = ctx.query.get('distinct_id');
  const email = ctx.query.get('email')?.trim().toLowerCase();
  const search = ctx.query.get('search')?.trim();
  const properties = (jsonListParam(ctx.query, 'properties') ?? []).filter(isPropertyFilter);
  const persons = personsByNewest(ctx)
    .filter((p) => distinctId === null || p.distinctIds.includes(distinctId))
    .filter((p) => !email || String(p.properties.email ?? '').toLowerCase() === email)
    .filter(
      (p) => !search || p.distinctIds.includes(search) || icontains(p.properties.email, search) || icontains(p.properties.name, search),
    )
    .filter((p) => properties.length === 0 || matchesAll(p.properties, properties));
  const seen = lastSeen(ctx);
  return json(
    200,
    paginate(ctx, persons, (p) => presentPerson(p, seen)),
  );
}

const lastSeenIndexes = new WeakMap<object, Map<string, Date>>();

/** Each person's latest event, as PostHog's `last_seen_at` reports it (computed once per dataset). */
function lastSeen(ctx: ProjectContext): Map<string, Date> {
  const events = ctx.data.dataset().events;
  let index = lastSeenIndexes.get(events);
  if (!index) {
    index = new Map();
    for (const e of events) {
      const known = index.get(e.personId);
      if (!known || e.timestamp > known) index.set(e.personId, e.timestamp);
    }
    lastSeenIndexes.set(events, index);
  }
  return index;
}

const sorted = new WeakMap<DemoPerson[], DemoPerson[]>();

function personsByNewest(ctx: ProjectContext): DemoPerson[] {
  const persons = ctx.data.dataset().persons;
  let byNewest = sorted.get(persons);
  if (!byNewest) {
    byNewest = [...persons].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    sorted.set(persons, byNewest);
  }
  return byNewest;
}

/** PostHog's display name: email, then name, then a distinct id. */
export function personName(person: DemoPerson): string {
  const { email, name } = person.properties;
  if (typeof email === 'string' && email !== '') return email;
  if (typeof name === 'string' && name !== '') return name;
  return person.distinctIds[person.distinctIds.length - 1] ?? person.id;
}

export function presentPerson(person: DemoPerson, lastSeenAt?: Map<string, Date>): Record<string, unknown> {
  return {
    id: person.id,
    uuid: person.id,
    name: personName(person),
    distinct_ids: [...person.distinctIds].reverse(),
    properties: person.properties,
    created_at: isoTime(person.createdAt),
    is_identified: person.isIdentified,
    last_seen_at: lastSeenAt?.has(person.id) ? isoTime(lastSeenAt.get(person.id) as Date) : null,
    type: 'person',
  };
}
