/** Event and property definitions, derived from the project's dataset (what PostHog's ingestion would have seen). */
import type { DemoDataset } from '../dataset-types.js';
import { ReplyError, isoTime, json, notFound } from '../http.js';
import { createRng, deriveSeed } from '../prng.js';
import type { ApiRoutes, ProjectContext } from './context.js';
import { boolParam, icontains, jsonListParam } from './context.js';
import { paginate } from './pagination.js';

interface EventDef {
  id: string;
  name: string;
  first: number;
  last: number;
  count: number;
}

interface PropertyDef {
  id: string;
  name: string;
  type: 'String' | 'Numeric' | 'Boolean' | 'DateTime';
  /** Event names the property was seen on (event properties only). */
  events: Set<string>;
}

interface Definitions {
  events: EventDef[];
  eventProps: PropertyDef[];
  personProps: PropertyDef[];
}

export function registerDefinitions(routes: ApiRoutes): void {
  routes
    .project('GET', '/event_definitions', (ctx) => {
      const search = ctx.query.get('search')?.trim();
      const events = definitions(ctx).events.filter((e) => !search || icontains(e.name, search));
      return json(200, paginate(ctx, events, presentEvent));
    })
    .project('GET', '/event_definitions/:id', (ctx) => {
      const event = definitions(ctx).events.find((e) => e.id === ctx.params.id);
      if (!event) throw new ReplyError(notFound());
      return json(200, presentEvent(event));
    })
    .project('GET', '/property_definitions', listProperties)
    .project('GET', '/property_definitions/:id', (ctx) => {
      const defs = definitions(ctx);
      const prop = [...defs.eventProps, ...defs.personProps].find((p) => p.id === ctx.params.id);
      if (!prop) throw new ReplyError(notFound());
      return json(200, presentProperty(prop, undefined));
    });
}

function listProperties(ctx: ProjectContext) {
  const q = ctx.query;
  const defs = definitions(ctx);
  const type = q.get('type') ?? 'event';
  const search = q.get('search')?.trim();
  const eventNames = jsonListParam(q, 'event_names')?.map(String);
  const onlyOnEvents = boolParam(q, 'filter_by_event_names') === true;
  const numerical = boolParam(q, 'is_numerical');
  const names = q
    .get('properties')
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const excluded = jsonListParam(q, 'excluded_properties')?.map(String) ?? [];
  const pool = type === 'person' ? defs.personProps : type === 'event' ? defs.eventProps : [];
  const seenOn = (p: PropertyDef) => (eventNames && eventNames.length > 0 ? eventNames.some((e) => p.events.has(e)) : undefined);
  const props = pool
    .filter((p) => !search || icontains(p.name, search))
    .filter((p) => numerical === undefined || (p.type === 'Numeric') === numerical)
    .filter((p) => !names || names.includes(p.name))
    .filter((p) => !excluded.includes(p.name))
    .filter((p) => !onlyOnEvents || seenOn(p) === true)
    // PostHog puts properties seen on the chosen events first.
    .sort((a, b) => Number(seenOn(b) === true) - Number(seenOn(a) === true) || a.name.localeCompare(b.name));
  return json(
    200,
    paginate(ctx, props, (p) => presentProperty(p, seenOn(p))),
  );
}

function presentEvent(e: EventDef): Record<string, unknown> {
  return {
    id: e.id,
    name: e.name,
    owner: null,
    description: null,
    tags: [],
    created_at: isoTime(new Date(e.first)),
    last_seen_at: isoTime(new Date(e.last)),
    last_updated_at: isoTime(new Date(e.last)),
    verified: false,
    verified_at: null,
    verified_by: null,
    hidden: false,
    // Enterprise field; the dataset spans 30 days, so every event it holds counts.
    volume_30_day: e.count,
    query_usage_30_day: null,
    is_action: false,
    post_to_slack: false,
    default_columns: [],
  };
}

function presentProperty(p: PropertyDef, seen: boolean | undefined): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: null,
    tags: [],
    is_numerical: p.type === 'Numeric',
    property_type: p.type,
    is_seen_on_filtered_events: seen ?? null,
    updated_at: null,
    updated_by: null,
    verified: false,
    hidden: false,
  };
}

const cache = new WeakMap<DemoDataset, Definitions>();

function definitions(ctx: ProjectContext): Definitions {
  const dataset = ctx.data.dataset();
  let defs = cache.get(dataset);
  if (!defs) {
    defs = derive(dataset, ctx.projectId);
    cache.set(dataset, defs);
  }
  return defs;
}

function derive(dataset: DemoDataset, projectId: number): Definitions {
  const events = new Map<string, EventDef>();
  const eventProps = new Map<string, PropertyDef>();
  const idFor = (kind: string, name: string) => createRng(deriveSeed(projectId, `${kind}:${name}`)).uuid4();
  for (const e of dataset.events) {
    const t = e.timestamp.getTime();
    let def = events.get(e.event);
    if (!def) events.set(e.event, (def = { id: idFor('event', e.event), name: e.event, first: t, last: t, count: 0 }));
    def.first = Math.min(def.first, t);
    def.last = Math.max(def.last, t);
    def.count++;
    for (const [name, value] of Object.entries(e.properties)) {
      let prop = eventProps.get(name);
      if (!prop) eventProps.set(name, (prop = { id: idFor('event-property', name), name, type: typeOf(value), events: new Set() }));
      prop.events.add(e.event);
    }
  }
  const personProps = new Map<string, PropertyDef>();
  for (const p of dataset.persons) {
    for (const [name, value] of Object.entries(p.properties)) {
      if (!personProps.has(name))
        personProps.set(name, { id: idFor('person-property', name), name, type: typeOf(value), events: new Set() });
    }
  }
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    events: [...events.values()].sort(byName),
    eventProps: [...eventProps.values()].sort(byName),
    personProps: [...personProps.values()].sort(byName),
  };
}

function typeOf(value: unknown): PropertyDef['type'] {
  if (typeof value === 'number') return 'Numeric';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return 'DateTime';
  return 'String';
}
