import { z } from 'zod';
import { eventsMessage, propertiesMessage } from '../views/definitions.js';
import { linkProjectId, quoteArg } from '../src/lookups/named.js';
import { eventDefinitionSchema, propertyDefinitionSchema } from '../src/posthog/content-schemas.js';
import { path } from '../src/posthog/path.js';
import { defineCommand } from '../src/registry/command.js';

const offset = z.coerce.number().int().min(0).optional();
const EVENTS_PAGE = 15;
const PROPERTIES_PAGE = 25;

const events = defineCommand({
  name: 'events',
  aliases: ['event list'],
  summary: 'Event names PostHog has seen in the project, with when each was last seen',
  usage: '[search]',
  examples: ['/ph events', '/ph events sign'],
  args: z.object({ search: z.string().optional(), offset }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, offset: start = 0 }) => {
    const [posthog, pid, linkPid] = await Promise.all([ctx.posthog(), ctx.projectId(), linkProjectId(ctx)]);
    const page = await posthog.listPage(path`/api/projects/${pid}/event_definitions/`, eventDefinitionSchema, { limit: EVENTS_PAGE, offset: start, query: search ? { search } : {} });
    return eventsMessage({
      rows: page.results.map((e) => ({
        id: e.id,
        name: e.name,
        lastSeenAt: e.last_seen_at ?? null,
        volume30d: e.volume_30_day ?? null,
        propertiesCommand: `properties --event ${quoteArg(e.name)}`,
      })),
      search: search ?? null,
      appUrl: ctx.config.posthogAppUrl,
      projectId: linkPid,
      page: { command: search ? `events ${quoteArg(search)}` : 'events', offset: start, shown: page.results.length, total: page.count, nextOffset: page.nextOffset },
    });
  },
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
    offset,
  }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: async (ctx, { search, type, event, offset: start = 0 }) => {
    const kind = event ? 'event' : (type ?? 'event');
    const [posthog, pid, linkPid] = await Promise.all([ctx.posthog(), ctx.projectId(), linkProjectId(ctx)]);
    const query = {
      type: kind,
      ...(search ? { search } : {}),
      // PostHog narrows to properties seen on these events only with filter_by_event_names.
      ...(event ? { event_names: JSON.stringify([event]), filter_by_event_names: true } : {}),
    };
    const page = await posthog.listPage(path`/api/projects/${pid}/property_definitions/`, propertyDefinitionSchema, { limit: PROPERTIES_PAGE, offset: start, query });
    const command = ['properties', search ? quoteArg(search) : null, type && !event ? `--type ${type}` : null, event ? `--event ${quoteArg(event)}` : null].filter(Boolean).join(' ');
    return propertiesMessage({
      rows: page.results.map((p) => ({ id: p.id, name: p.name, type: p.property_type ?? null, numerical: p.is_numerical ?? false })),
      search: search ?? null,
      kind,
      event: event ?? null,
      appUrl: ctx.config.posthogAppUrl,
      projectId: linkPid,
      page: { command, offset: start, shown: page.results.length, total: page.count, nextOffset: page.nextOffset },
    });
  },
});

export default [events, properties];
