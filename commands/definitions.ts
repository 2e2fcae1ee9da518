import { z } from 'zod';
import { type EventRow, eventsMessage, propertiesMessage, type PropertyRow } from '../views/definitions.js';
import { quoteArg } from '../src/lookups/named.js';
import { listResource, offsetArg, type ProjectSelector } from '../src/lookups/resource.js';
import {
  type EventDefinition,
  eventDefinitionSchema,
  type PropertyDefinition,
  propertyDefinitionSchema,
} from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { defineCommand } from '../src/registry/command.js';

const EVENTS_PAGE = 15;
const PROPERTIES_PAGE = 25;

const eventsPath = (pid: ProjectSelector) => path`/api/projects/${pid}/event_definitions/`;
const propertiesPath = (pid: ProjectSelector) => path`/api/projects/${pid}/property_definitions/`;

const eventRow = (e: EventDefinition): EventRow => ({
  id: e.id,
  name: e.name,
  lastSeenAt: e.last_seen_at ?? null,
  volume30d: e.volume_30_day ?? null,
  propertiesCommand: `properties --event ${quoteArg(e.name)}`,
});

const propertyRow = (p: PropertyDefinition): PropertyRow => ({
  id: p.id,
  name: p.name,
  type: p.property_type ?? null,
  numerical: p.is_numerical ?? false,
});

const events = defineCommand({
  name: 'events',
  aliases: ['event list'],
  summary: 'Event names PostHog has seen in the project, with when each was last seen',
  usage: '[search]',
  examples: ['/ph events', '/ph events sign'],
  args: z.object({ search: z.string().optional(), offset: offsetArg }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset }) =>
    eventsMessage(
      await listResource(ctx, {
        command: 'events',
        path: eventsPath,
        schema: eventDefinitionSchema,
        row: eventRow,
        limit: EVENTS_PAGE,
        offset,
        search,
      }),
    ),
});

const properties = defineCommand({
  name: 'properties',
  aliases: ['property list'],
  summary: 'Event or person properties PostHog knows, optionally only those seen on one event',
  usage: '[search] [--type event|person] [--event <event>]',
  examples: ['/ph properties', '/ph properties email --type person', '/ph properties --event purchase'],
  args: z.object({
    search: z.string().optional(),
    type: z.enum(['event', 'person'], { error: 'must be event or person' }).optional(),
    event: z.string().trim().min(1).max(400).optional(),
    offset: offsetArg,
  }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, type, event, offset }) => {
    const kind = event ? 'event' : (type ?? 'event');
    const listed = await listResource(ctx, {
      command: 'properties',
      options: [type && !event ? `--type ${type}` : null, event ? `--event ${quoteArg(event)}` : null],
      path: propertiesPath,
      schema: propertyDefinitionSchema,
      // PostHog narrows to properties seen on these events only with filter_by_event_names.
      query: { type: kind, ...(event ? { event_names: JSON.stringify([event]), filter_by_event_names: true } : {}) },
      row: propertyRow,
      limit: PROPERTIES_PAGE,
      offset,
      search,
    });
    return propertiesMessage({ ...listed, kind, event: event ?? null });
  },
});

export default [events, properties];
